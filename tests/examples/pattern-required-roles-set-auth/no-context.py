# Calls the endpoint: the handler's DBOS.set_authentication raises AssertionError (no DBOS context).
import warnings
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient

try:
    refund_order("A-1")
    raise RuntimeError("the protected workflow ran without an identity")
except Exception as e:
    if type(e).__name__ != "DBOSNotAuthorizedError":
        raise
TestClient(app).post("/orders/A-1/refund", headers={"X-User": "ana"})

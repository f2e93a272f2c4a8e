# Checks that the endpoint runs the workflow inside the lifespan.
import warnings
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient

with TestClient(app) as client:
    response = client.post("/orders/42")
    assert response.status_code == 200, response.text
    assert response.json() == {"result": "charged 42"}
    assert [w.status for w in DBOS.list_workflows(name="checkout")] == ["SUCCESS"]

# Checks the allowed caller, the 403 for a caller without the role, the recorded identity and a class default.
import warnings
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient

client = TestClient(app)
ok = client.post("/orders/A-1/refund", headers={"X-User": "ana"})
assert ok.status_code == 200, ok.text
assert ok.json() == {"result": "A-1 refunded by ana as support"}
denied = client.post("/orders/A-2/refund", headers={"X-User": "bob"})
assert denied.status_code == 403, denied.text
[run] = [w for w in DBOS.list_workflows(name="refund_order") if w.status == "SUCCESS"]
assert (run.authenticated_user, run.authenticated_roles, run.assumed_role) == ("ana", ["staff", "support"], "support"), run

try:
    refund_order("A-3")
    raise AssertionError("ran without an identity")
except error.DBOSNotAuthorizedError:
    pass


@DBOS.default_required_roles(["staff"])
class Orders:
    @staticmethod
    @DBOS.workflow()
    def ship(order_id: str) -> str:
        return f"{order_id} shipped as {DBOS.assumed_role}"

    @staticmethod
    @DBOS.required_roles(["admin"])
    @DBOS.workflow()
    def cancel(order_id: str) -> str:
        return f"{order_id} cancelled"


with DBOSContextSetAuth("bob", roles_of("bob")):
    assert Orders.ship("A-4") == "A-4 shipped as staff"
    try:
        Orders.cancel("A-4")
        raise AssertionError("the method's own roles did not replace the class default")
    except error.DBOSNotAuthorizedError:
        pass
    DBOS.set_authentication("carla", ["admin"])
    assert Orders.cancel("A-5") == "A-5 cancelled"
DBOS.destroy()

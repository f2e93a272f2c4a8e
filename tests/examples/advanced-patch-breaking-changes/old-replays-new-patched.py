# Checks that an old workflow replays the old branch, a new one takes the patch.
import inspect
from dbos import SetWorkflowID
patched = inspect.unwrap(checkout)
# Simulate a workflow that ran the pre-patch code, then deploy the patched code again.
@DBOS.workflow(name="checkout")
def checkout_v0(order_id: str) -> str:
    method = charge_card(order_id)
    ship(order_id)
    return method
with SetWorkflowID("old-order"):
    assert checkout_v0("o-1") == "card"
DBOS.workflow(name="checkout")(patched)
# Re-run the old workflow from its second step under the new code, as recovery would.
old = DBOS.fork_workflow("old-order", 2)
assert old.get_result(polling_interval_sec=0.1) == "card"
assert checkout("o-2") == "wallet"
[new] = [w for w in DBOS.list_workflows() if w.output == "wallet"]
steps = [s["function_name"] for s in DBOS.list_workflow_steps(new.workflow_id)]
assert steps == ["DBOS.patch-pay-with-wallet", "charge_wallet", "ship"], steps
DBOS.destroy()

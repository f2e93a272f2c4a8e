# Checks that a patched workflow still replays under the deprecating code.
import inspect
from datetime import datetime, timezone
from dbos import SetWorkflowID
DBOS.launch()
deprecated = inspect.unwrap(checkout)
# Simulate a workflow that ran under the patched code, then deploy the deprecating code again.
@DBOS.workflow(name="checkout")
def checkout_patched(order_id: str) -> str:
    if DBOS.patch("pay-with-wallet"):
        method = charge_wallet(order_id)
    else:
        method = "card"
    ship(order_id)
    return method
with SetWorkflowID("patched-order"):
    assert checkout_patched("o-1") == "wallet"
DBOS.workflow(name="checkout")(deprecated)
old = DBOS.fork_workflow("patched-order", 2)  # resume after the marker, as recovery would
assert old.get_result(polling_interval_sec=0.1) == "wallet"
with SetWorkflowID("new-order"):
    assert checkout("o-2") == "wallet"
steps = [s["function_name"] for s in DBOS.list_workflow_steps("new-order")]
assert steps == ["charge_wallet", "ship"], steps
assert safe_to_remove_patch(datetime.now(timezone.utc).isoformat())
DBOS.destroy()

# Checks that the purge deletes a finished workflow with its child, spares a running one, and frees the ID.
import threading
import time
from datetime import timezone

from dbos import SetWorkflowID

charges, gate = [], threading.Event()

@DBOS.step()
def charge(order_id: str) -> str:
    charges.append(order_id)
    return order_id

@DBOS.workflow()
def receipt(order_id: str) -> str:
    return f"receipt {order_id}"

@DBOS.workflow()
def order(order_id: str) -> str:
    DBOS.set_event("state", "paid")
    charge(order_id)
    return DBOS.start_workflow(receipt, order_id).get_result()

@DBOS.workflow()
def long_running() -> str:
    gate.wait(10)
    return "done"

with SetWorkflowID("order-1"):
    order("order-1")
children = [w.workflow_id for w in DBOS.list_workflows(parent_workflow_id="order-1")]
assert len(children) == 1, children
with SetWorkflowID("long-1"):
    running = DBOS.start_workflow(long_running)
while running.get_status().status != "PENDING":
    time.sleep(0.01)

later = datetime.now(timezone.utc) + timedelta(days=31)
assert purge_old_workflows(later, {"keep_days": 30}) == 1  # order-1 only: its child goes with it
assert DBOS.get_workflow_status("order-1") is None and DBOS.get_workflow_status(children[0]) is None
assert DBOS.get_event("order-1", "state", timeout_seconds=0) is None
assert running.get_status().status == "PENDING"  # not finished: kept
gate.set()
assert running.get_result(polling_interval_sec=0.05) == "done"

with SetWorkflowID("order-1"):  # the deleted ID runs again
    order("order-1")
assert charges == ["order-1", "order-1"], charges

register_purge()
assert DBOS.get_schedule("purge-workflows")["context"] == {"keep_days": 30}
DBOS.destroy()

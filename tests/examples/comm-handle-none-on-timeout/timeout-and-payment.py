# Checks that a timeout yields None and is handled; a message arrives in time.
from dbos import SetWorkflowID
PAYMENT_TIMEOUT_S = 0.2
assert checkout("order-1") == "expired"
PAYMENT_TIMEOUT_S = 30
with SetWorkflowID("order-2"):
    h = DBOS.start_workflow(checkout, "order-2")
DBOS.send("order-2", {"status": "paid"}, "payment")
assert h.get_result(polling_interval_sec=0.05) == "paid"
import time
t0 = time.time()
assert DBOS.get_event("order-2", "payment_id", timeout_seconds=0.2) is None
assert time.time() - t0 < 5
DBOS.destroy()

# Checks that rewind re-runs the failed step under the same ID (earlier steps kept), that an active workflow cannot
# be rewound, and that a fork leaves the original as it was.
import threading
from dbos import SetWorkflowID
from dbos._error import DBOSException
up, reserved, gate = [], [], threading.Event()
@DBOS.step()
def reserve(order_id):
    reserved.append(order_id)
    return f"reserved {order_id}"
@DBOS.step()
def charge(order_id):
    if not up:
        raise ConnectionError("payments down")
    return f"charged {order_id}"
@DBOS.workflow()
def place_order(order_id):
    return [reserve(order_id), charge(order_id)]
try:
    with SetWorkflowID("order-7"):
        place_order("order-7")
except ConnectionError:
    up.append(1)
handle = retry_order("order-7")
assert handle.workflow_id == "order-7"
assert handle.get_result(polling_interval_sec=0.05) == ["reserved order-7", "charged order-7"]
assert DBOS.retrieve_workflow("order-7").get_result() == ["reserved order-7", "charged order-7"]
assert reserved == ["order-7"]  # the step before the rewind point was not run again
copy = rerun_as_copy("order-7", 1)
assert copy.workflow_id != "order-7" and copy.get_result(polling_interval_sec=0.05)[1] == "charged order-7"
assert DBOS.get_workflow_status("order-7").status == "SUCCESS"
@DBOS.workflow()
def waits():
    gate.wait(5)
    return 1
running = DBOS.start_workflow(waits)
try:
    DBOS.rewind_workflow(running.workflow_id)
    raise AssertionError("rewound a running workflow")
except DBOSException as e:
    assert "terminal state" in str(e)
gate.set()
assert running.get_result(polling_interval_sec=0.05) == 1
DBOS.destroy()

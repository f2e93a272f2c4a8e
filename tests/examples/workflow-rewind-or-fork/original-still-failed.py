# Checks that after a fork, the original order ID still re-raises its recorded error (raises ConnectionError).
from dbos import SetWorkflowID
up = []
@DBOS.step()
def reserve(order_id):
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
fork = retry_order("order-7")
assert fork.workflow_id != "order-7"
assert fork.get_result(polling_interval_sec=0.05) == ["reserved order-7", "charged order-7"]
DBOS.retrieve_workflow("order-7").get_result(polling_interval_sec=0.05)  # raises ConnectionError

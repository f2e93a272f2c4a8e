# Checks that enqueued input is coerced or rejected before the body runs.
import os
from dbos import DBOSClient
DBOS.launch()
DBOS.register_queue("orders", polling_interval_sec=0.1)
client = DBOSClient(system_database_url=os.environ["DBOS_SYSTEM_DATABASE_URL"])
ok = client.enqueue({"queue_name": "orders", "workflow_name": "fulfil"},
                    {"order_id": "o-1", "quantity": "3"})
assert ok.get_result(polling_interval_sec=0.1) == "o-1 x3"
bad = client.enqueue({"queue_name": "orders", "workflow_name": "fulfil"},
                     {"order_id": "o-2", "quantity": "many"})
try:
    bad.get_result(polling_interval_sec=0.1)
    raise AssertionError("invalid input was accepted")
except ValueError as e:
    assert "Argument validation failed" in str(e), e
assert DBOS.get_workflow_status(bad.workflow_id).status == "ERROR"
assert DBOS.list_workflow_steps(bad.workflow_id) == []
try:  # a direct call skips validation
    fulfil({"order_id": "o-3", "quantity": "3"})
    raise AssertionError("direct call was validated")
except AttributeError:
    pass
client.destroy()
DBOS.destroy()

# Checks that the queue is tuned live, then its work cancelled and the queue deleted.
scale_exports(4)
assert DBOS.retrieve_queue("exports").worker_concurrency == 4
assert "exports" in [q.name for q in DBOS.list_queues()]
from dbos import SetEnqueueOptions
with SetEnqueueOptions(delay_seconds=60):  # still waiting when the queue is retired
    handle = DBOS.enqueue_workflow("exports", export_rows, "orders")
retire_exports()
assert handle.get_status().status == "CANCELLED"
assert DBOS.retrieve_queue("exports") is None and DBOS.list_queues() == []

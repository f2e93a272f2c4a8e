# The parent runs under a 1 s timeout and enqueues the child; the queue is busy (not served) for 2 s.
import time

from dbos import SetWorkflowTimeout

DBOS.launch()
with SetWorkflowTimeout(1.0):
    child_id = handle_upload("up-1")
assert DBOS.get_workflow_status(child_id).status == "ENQUEUED"
time.sleep(2.0)  # the backlog: no worker serves "thumbnails" yet
DBOS.register_queue("thumbnails", polling_interval_sec=0.05)
# Incorrect: raises DBOSAwaitedWorkflowCancelledError (cancelled while ENQUEUED); Correct: runs.
assert DBOS.retrieve_workflow(child_id).get_result(polling_interval_sec=0.05) == "thumbnails for up-1"
status = DBOS.get_workflow_status(child_id)
assert status.status == "SUCCESS", status.status
assert status.workflow_deadline_epoch_ms is None
DBOS.destroy()

# Checks that this version does not run old workflows; retiring waits for them, DELAYED ones too.
import time
from dbos import SetEnqueueOptions
assert DBOS.application_version == "2.0.0"
assert DBOS.get_latest_application_version()["version_name"] == "2.0.0"
assert "2.0.0" in [v["version_name"] for v in DBOS.list_application_versions()]
process_order("o-1")
[done] = DBOS.list_workflows(name="process_order")
assert done.app_version == "2.0.0"
# A workflow left for version 1.0.0: this 2.0.0 process must not run it.
left = DBOS.fork_workflow(done.workflow_id, 1, application_version="1.0.0")
time.sleep(1.5)
status = DBOS.get_workflow_status(left.workflow_id)
assert (status.status, status.app_version) == ("ENQUEUED", "1.0.0"), status
assert not safe_to_retire("1.0.0")
DBOS.cancel_workflow(left.workflow_id)
assert safe_to_retire("1.0.0")
# A 1.0.0 workflow enqueued with a delay is DELAYED: still active, not safe to retire.
DBOS.register_queue("orders", polling_interval_sec=0.05)
with SetEnqueueOptions(app_version="1.0.0", delay_seconds=3600):
    later = DBOS.enqueue_workflow("orders", process_order, "o-2")
assert DBOS.get_workflow_status(later.workflow_id).status == "DELAYED"
assert not safe_to_retire("1.0.0")
DBOS.cancel_workflow(later.workflow_id)
assert safe_to_retire("1.0.0")
DBOS.destroy()

# Checks that the workflow is cancelled when its timeout passes.
status = handle.get_status()
assert status.status == "CANCELLED", status.status
assert status.workflow_timeout_ms == 1000
DBOS.destroy()

# Checks that workflows are objects, steps are dicts, a missing status is None.
wf = DBOS.list_workflows(name="nightly_sync")[0]
assert (wf.workflow_id, wf.status, wf.output) == ("sync-2024-06-01", "SUCCESS", 42)
step = DBOS.list_workflow_steps("sync-2024-06-01")[0]
assert isinstance(step, dict) and step["function_name"] == "fetch_rows" and step["output"] == 42
assert status is None
DBOS.destroy()

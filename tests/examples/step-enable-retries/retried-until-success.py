# Checks that the step is retried until it succeeds.
DBOS.launch()
handle = DBOS.start_workflow(convert, 100.0)
assert handle.get_result() == 92.0
assert calls == 3, calls  # failed twice, succeeded on the third attempt
steps = DBOS.list_workflow_steps(handle.workflow_id)
assert len(steps) == 1 and steps[0]["output"] == {"EUR": 0.92} and steps[0]["error"] is None

# Checks that the workflow runs the steps and starts the child workflow.
DBOS.launch()
handle = DBOS.start_workflow(checkout, "o-1")
assert handle.get_result() == "charged o-1; receipt for o-1"
steps = DBOS.list_workflow_steps(handle.workflow_id)
assert steps[0]["function_name"] == "charge"
assert any(s["child_workflow_id"] for s in steps), steps

# Checks that the children are durable workflows recorded as steps.
children = DBOS.list_workflows(parent_workflow_id="batch-1")
assert sorted(c.output for c in children) == ["a-small.png", "b-small.png", "c-small.png"]
steps = DBOS.list_workflow_steps("batch-1")
assert [s["child_workflow_id"] for s in steps[:3]] == ["batch-1-1", "batch-1-2", "batch-1-3"], steps
DBOS.destroy()

# Checks that attribute updates merge, and None clears them.
attrs = DBOS.get_workflow_status(handle.workflow_id).attributes
assert attrs == {"customer": "acme", "region": "eu", "stage": "shipped"}, attrs
DBOS.update_workflow_attributes(handle.workflow_id, None)
assert DBOS.get_workflow_status(handle.workflow_id).attributes is None
DBOS.destroy()

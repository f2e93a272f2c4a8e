# Checks that inline steps are recorded, and run outside a workflow too.
DBOS.launch()
handle = DBOS.start_workflow(welcome, "ana@example.com")
assert handle.get_result() == "sent to ana@example.com"
names = [s["function_name"] for s in DBOS.list_workflow_steps(handle.workflow_id)]
assert names == ["make_code", "send_welcome"], names
assert DBOS.run_step(None, send_email, "bo@example.com", "hi") == "sent to bo@example.com"

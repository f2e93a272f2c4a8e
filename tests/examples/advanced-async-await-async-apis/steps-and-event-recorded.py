# Checks that the async steps, sleep and events are recorded in order.
[wf] = DBOS.list_workflows(name="send_reminder")
assert wf.status == "SUCCESS" and wf.output == "reminded ana@example.com", wf
steps = [s["function_name"] for s in DBOS.list_workflow_steps(wf.workflow_id)]
assert steps == ["DBOS.setEvent", "DBOS.sleep", "send_email", "DBOS.setEvent"], steps
assert DBOS.get_event(wf.workflow_id, "state") == "sent"
DBOS.destroy()

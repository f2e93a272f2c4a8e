# Checks that the sleep is recorded between the two emails.
steps = DBOS.list_workflow_steps("onboard-u1")
assert [s["function_name"] for s in steps] == ["send_email", "DBOS.sleep", "send_email"], steps
DBOS.destroy()

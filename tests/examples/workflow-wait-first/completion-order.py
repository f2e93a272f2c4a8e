# Checks that results come back in completion order.
assert DBOS.retrieve_workflow("quotes-1").get_result() == ["globex", "initech", "acme"]
names = [s["function_name"] for s in DBOS.list_workflow_steps("quotes-1")]
assert names.count("DBOS.waitFirst") == 3, names
DBOS.destroy()

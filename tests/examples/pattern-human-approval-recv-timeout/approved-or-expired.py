# Checks that a decision approves the expense; no decision expires it.
submit_expense("42")
assert DBOS.get_event("expense-42", "status", timeout_seconds=5) == "awaiting_approval"
record_decision("42", "alice", True)
record_decision("42", "alice", True)
h = DBOS.retrieve_workflow("expense-42")
assert h.get_result(polling_interval_sec=0.05) == "approved"

APPROVAL_TIMEOUT_S = 0.3
submit_expense("43")
assert DBOS.retrieve_workflow("expense-43").get_result(polling_interval_sec=0.05) == "expired"
DBOS.destroy()

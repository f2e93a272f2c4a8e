# Checks that a repeated call with the same key returns the recorded result.
first = charge_once("A-100", 500)
again = charge_once("A-100", 999)  # a retry, even with other arguments
assert first == again == "charged 500 for A-100", again
assert charges == ["A-100"], charges
with SetWorkflowID("charge-A-100"):
    assert DBOS.start_workflow(charge_order, "A-100", 500).get_result() == first
DBOS.destroy()

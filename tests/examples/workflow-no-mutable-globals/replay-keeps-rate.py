# Checks that a replay keeps the recorded rate; new workflows read the new one.
os.environ["DISCOUNT_RATE"] = "0.5"  # the setting changes after the workflow ran
replay = DBOS.fork_workflow("checkout-o-9", 2).get_result(polling_interval_sec=0.1)
assert replay == 90.0, replay
with SetWorkflowID("checkout-o-10"):
    assert checkout("o-10", 100.0) == 50.0  # new workflows see the new rate
DBOS.destroy()

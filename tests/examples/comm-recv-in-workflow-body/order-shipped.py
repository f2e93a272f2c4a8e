# Checks that the workflow receives the message and finishes.
assert handle.get_result(polling_interval_sec=0.05) == "shipped order-1"
DBOS.destroy()

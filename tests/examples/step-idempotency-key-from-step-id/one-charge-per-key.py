# Checks that the retried step sent the same key twice and the customer was charged once.
from dbos import SetWorkflowID

DBOS.launch()
with SetWorkflowID("order-1"):
    assert checkout("cus_1", 500) == "ch_1"
assert payments.calls == 2, payments.calls  # the first attempt timed out after charging
assert list(payments.charges) == ["order-1:1"], payments.charges  # one key, one charge
with SetWorkflowID("order-1"):
    assert checkout("cus_1", 500) == "ch_1"  # the same order again: the recorded result
assert payments.calls == 2
DBOS.destroy()

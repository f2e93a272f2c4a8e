# Checks that a retried send with the same key is delivered once.
from dbos import SetWorkflowID
with SetWorkflowID("order-9"):
    h = DBOS.start_workflow(collect_payments, 0.5)
payment_webhook("evt_123", "order-9", "paid")
payment_webhook("evt_123", "order-9", "paid")  # provider retry
assert h.get_result(polling_interval_sec=0.05) == ["paid"], "retry must be deduplicated"

with SetWorkflowID("order-10"):
    h2 = DBOS.start_workflow(collect_payments, 0.5)
for _ in range(2):  # show that SetWorkflowID does not deduplicate a plain send
    with SetWorkflowID("evt_456"):
        DBOS.send("order-10", "paid", "payment")
assert h2.get_result(polling_interval_sec=0.05) == ["paid", "paid"]
DBOS.destroy()

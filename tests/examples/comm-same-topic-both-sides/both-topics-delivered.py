# Checks that messages reach the workflow on both shared topics.
from dbos import SetWorkflowID
with SetWorkflowID("order-7"):
    h = DBOS.start_workflow(checkout, "order-7")
# arrival order across topics does not matter: each topic has its own queue
shipping_webhook("order-7", "label-printed")
payment_webhook("order-7", "paid")
assert h.get_result(polling_interval_sec=0.05) == ("paid", "label-printed")
DBOS.destroy()

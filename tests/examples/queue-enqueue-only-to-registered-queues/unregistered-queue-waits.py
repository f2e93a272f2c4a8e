# Checks that work on an unregistered queue waits until the queue is registered.
DBOS.retrieve_queue(INVOICE_QUEUE).set_polling_interval_sec(0.1)
stray = DBOS.enqueue_workflow("invoice", send_invoice, "o-2")  # the typo
assert enqueue_invoice("o-1").get_result(polling_interval_sec=0.1) == "invoice o-1"
import time
time.sleep(0.5)
assert stray.get_status().status == "ENQUEUED"
assert [w.queue_name for w in DBOS.list_queued_workflows(status="ENQUEUED")] == ["invoice"]
DBOS.register_queue("invoice", polling_interval_sec=0.1)  # registering the name picks it up
assert stray.get_result(polling_interval_sec=0.1) == "invoice o-2"

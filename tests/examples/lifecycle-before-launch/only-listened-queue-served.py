# Checks that this process serves only the queue it listens to.
import time
DBOS.register_queue("reports")  # served by other processes
sent = DBOS.enqueue_workflow("emails", send_summary)
skipped = DBOS.enqueue_workflow("reports", send_summary)
assert sent.get_result(polling_interval_sec=0.1) == "0 orders"
time.sleep(0.5)
assert skipped.get_status().status == "ENQUEUED", skipped.get_status().status
DBOS.destroy()

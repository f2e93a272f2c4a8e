"""Queue mistakes: removed constructor and flags, conflicting limits, options passed as workflow arguments, a
misspelled queue name, a queue deleted right after enqueueing, a queued workflow that starts by sleeping."""

from dbos import DBOS, Queue, SetEnqueueOptions

INVOICE_QUEUE = "invoices"

thumbnails = Queue("thumbnails", concurrency=10)  # expect: queue-register-after-launch


@DBOS.workflow()
def resize(image_id: str) -> str:
    return f"resized {image_id}"


@DBOS.workflow()
def send_reminder(user_id: str) -> str:
    DBOS.sleep(3600)  # expect: queue-delay-with-delay-seconds
    return f"reminded {user_id}"


def main() -> None:
    DBOS.launch()
    DBOS.register_queue(INVOICE_QUEUE)
    DBOS.register_queue("exports")
    DBOS.register_queue("reminders", worker_concurrency=5)
    images = DBOS.register_queue("images")
    DBOS.register_queue("render", priority_enabled=True)  # expect: queue-priority
    DBOS.register_queue("per_user", partition_queue=True, worker_concurrency=1)  # expect: queue-partition-by-key
    DBOS.register_queue("reports", concurrency=5, worker_concurrency=10)  # expect: queue-worker-vs-global-concurrency
    DBOS.register_queue("api", concurrency=2, global_concurrency=2)  # expect: queue-worker-vs-global-concurrency
    DBOS.register_queue("tenants", partition_concurrency=1, partition_worker_concurrency=2)  # expect: queue-worker-vs-global-concurrency

    DBOS.enqueue_workflow("invoice", resize, "o-1")  # expect: queue-enqueue-only-to-registered-queues
    DBOS.enqueue_workflow("render", resize, "img-1", priority=1)  # expect: queue-enqueue-with-options
    images.enqueue(resize, "img-2", deduplication_id="img-2")  # expect: queue-enqueue-with-options
    DBOS.enqueue_workflow("reminders", send_reminder, "user-7")
    with SetEnqueueOptions(priority=0):  # expect: queue-priority
        DBOS.enqueue_workflow("render", resize, "img-3")
    with SetEnqueueOptions(queue_partition_key="u1", deduplication_id="d1"):  # expect: queue-partition-by-key
        DBOS.enqueue_workflow("per_user", resize, "img-4")
    handle = DBOS.enqueue_workflow("exports", resize, "orders")
    DBOS.delete_queue("exports")  # expect: queue-manage-at-runtime
    print(handle.workflow_id)

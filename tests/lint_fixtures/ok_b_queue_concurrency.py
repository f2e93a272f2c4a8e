"""Valid queue limits, look-alike queue names that are all registered, a queue another process serves, and a
queue deleted only after its work is done."""

import os

from dbos import DBOS

CPU_QUEUE, GPU_QUEUE = "cpu_jobs", "gpu_jobs"  # gpu_jobs is registered by the GPU workers, not by this process


@DBOS.workflow()
def send(to: str) -> str:
    return f"sent to {to}"


@DBOS.workflow()
def embed(doc: str) -> str:
    return f"vector({doc})"


def setup_queues() -> None:
    DBOS.register_queue("email", worker_concurrency=2, global_concurrency=2, polling_interval_sec=0.05)
    DBOS.register_queue("emails", worker_concurrency=1, concurrency=4, polling_interval_sec=0.05)  # old name, alone
    DBOS.register_queue(
        "per_user", partition_concurrency=2, partition_worker_concurrency=1, worker_concurrency=4,
        polling_interval_sec=0.05,
    )
    DBOS.register_queue(CPU_QUEUE, global_concurrency=None, concurrency=3, polling_interval_sec=0.05)
    DBOS.register_queue("exports", polling_interval_sec=0.05)


def main() -> None:
    DBOS(
        config={
            "name": "lint-fixture",
            "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
            "notification_listener_polling_interval_sec": 0.01,
            "log_level": "WARNING",
        }
    )
    DBOS.listen_queues(["email", "emails", CPU_QUEUE, "exports"])
    DBOS.launch()
    setup_queues()
    one = DBOS.enqueue_workflow("email", send, "ana")
    many = DBOS.enqueue_workflow("emails", send, "team")
    cpu = DBOS.enqueue_workflow(CPU_QUEUE, send, "ops")
    gpu = DBOS.enqueue_workflow(GPU_QUEUE, embed, "report.pdf")  # served by another process
    export = DBOS.enqueue_workflow("exports", send, "archive")
    assert export.get_result(polling_interval_sec=0.05) == "sent to archive"
    DBOS.delete_queue("exports")  # drained above
    assert one.get_result(polling_interval_sec=0.05) == "sent to ana"
    assert many.get_result(polling_interval_sec=0.05) == "sent to team"
    assert cpu.get_result(polling_interval_sec=0.05) == "sent to ops"
    assert gpu.get_status().status == "ENQUEUED"
    DBOS.destroy()


if __name__ == "__main__":
    main()

"""Enqueue options set the right way, next to workflows whose own parameters are named like options."""

import os

from dbos import DBOS, EnqueueOptions, SetEnqueueOptions

RENDER_QUEUE = "render"
TENANT_QUEUE = "per_tenant"


@DBOS.workflow()
def render(job: str, priority: int = 0) -> str:
    # "priority" is this workflow's own argument: passing priority=... to the enqueue is correct here
    return f"{job}@{priority}"


@DBOS.workflow()
def tag(job: str, **labels: str) -> str:
    return job + "".join(f",{k}={v}" for k, v in sorted(labels.items()))


@DBOS.workflow()
def import_rows(tenant: str, batch: int) -> str:
    return f"{tenant}:{batch}"


def main() -> None:
    DBOS(
        config={
            "name": "lint-fixture",
            "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
            "notification_listener_polling_interval_sec": 0.01,
            "log_level": "WARNING",
        }
    )
    DBOS.launch()
    render_queue = DBOS.register_queue(RENDER_QUEUE, polling_interval_sec=0.05)
    DBOS.register_queue(TENANT_QUEUE, partition_concurrency=1, polling_interval_sec=0.05)

    handles = [DBOS.enqueue_workflow(RENDER_QUEUE, render, "a", priority=7)]  # the workflow's parameter
    with SetEnqueueOptions(priority=1, deduplication_id="job-b"):  # the queue's priority
        handles.append(DBOS.enqueue_workflow(RENDER_QUEUE, render, "b"))
    handles.append(render_queue.enqueue(render, "c", priority=3))
    handles.append(DBOS.enqueue_workflow(RENDER_QUEUE, tag, "d", app_version="v9"))  # **labels takes it
    options: EnqueueOptions = {"queue_name": RENDER_QUEUE, "workflow_name": "render", "priority": 5}
    handles.append(DBOS.enqueue_workflow_with_options(options, "e"))
    with SetEnqueueOptions(queue_partition_key="acme"):
        handles.append(DBOS.enqueue_workflow(TENANT_QUEUE, import_rows, "acme", 1))

    results = [h.get_result(polling_interval_sec=0.05) for h in handles]
    assert results == ["a@7", "b@0", "c@3", "d,app_version=v9", "e@0", "acme:1"], results
    DBOS.destroy()


if __name__ == "__main__":
    main()

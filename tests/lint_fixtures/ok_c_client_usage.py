"""A DBOSClient used the way the client rules teach: keywords, options dicts, attributes of listed workflows,
destroyed by whoever owns it; one client enqueues from inside a step."""

import os
import queue

from pydantic import BaseModel

from dbos import DBOS, DBOSClient, EnqueueOptions, pydantic_args_validator

JOBS = "jobs"


@DBOS.workflow()
def process_job(job_id: str) -> str:
    DBOS.set_event("progress", f"{job_id}:done")
    return f"processed {job_id}"


class Order(BaseModel):
    order_id: str
    quantity: int


@DBOS.workflow(validate_args=pydantic_args_validator)
def fulfil(order: Order) -> str:  # a client sends a dict: validated into an Order first
    return f"{order.order_id} x{order.quantity}"


@DBOS.step()
def submit_via_client(url: str, job_id: str) -> str:
    client = DBOSClient(system_database_url=url)  # a step may enqueue through a client
    try:
        options: EnqueueOptions = {"workflow_name": "process_job", "queue_name": JOBS, "workflow_id": f"job-{job_id}"}
        return client.enqueue(options, job_id).get_workflow_id()
    finally:
        client.destroy()


@DBOS.workflow()
def submit_batch(url: str, job_ids: list[str]) -> list[str]:
    return [submit_via_client(url, job_id) for job_id in job_ids]


def open_client(url: str) -> DBOSClient:
    client = DBOSClient(system_database_url=url, application_name="lint-fixture")
    return client  # the caller destroys it


def enqueue_with_defaults(client: DBOSClient, job_id: str, **extra) -> str:
    options = dict(workflow_name="process_job", queue_name=JOBS)
    options.update(extra)  # keys added at run time: not checked
    return client.enqueue(options, job_id).get_workflow_id()  # type: ignore[arg-type]


def failures(client: DBOSClient) -> list[str]:
    return [wf.workflow_id for wf in client.list_workflows(status="ERROR")]


def step_names(client: DBOSClient, workflow_id: str) -> list[str]:
    return [step["function_name"] for step in client.list_workflow_steps(workflow_id)]  # steps are dicts


def statuses(client: DBOSClient) -> dict[str, str]:
    found = {}
    for wf in client.list_workflows(name="process_job"):
        found[wf.workflow_id] = wf.status
    return found


def main() -> None:
    url = os.environ["DBOS_SYSTEM_DATABASE_URL"]
    DBOS(config={
        "name": "lint-fixture",
        "system_database_url": url,
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    })
    DBOS.launch()
    DBOS.register_queue(JOBS, polling_interval_sec=0.05)
    ids = submit_batch(url, ["a", "b"])
    assert ids == ["job-a", "job-b"], ids

    client = open_client(url)
    try:
        ids.append(enqueue_with_defaults(client, "c", workflow_id="job-c"))
        results = [client.retrieve_workflow(i).get_result(polling_interval_sec=0.05) for i in ids]
        assert results == ["processed a", "processed b", "processed c"], results
        assert failures(client) == []
        assert step_names(client, "job-c") == ["DBOS.setEvent"], step_names(client, "job-c")
        assert statuses(client) == {i: "SUCCESS" for i in ids}
        assert client.get_event("job-a", "progress", timeout_seconds=1) == "a:done"
        order = client.enqueue({"workflow_name": "fulfil", "queue_name": JOBS}, {"order_id": "o-1", "quantity": "3"})
        assert order.get_result(polling_interval_sec=0.05) == "o-1 x3"
        inbox: "queue.Queue[str]" = queue.Queue()  # the standard library's queue, not a DBOS one
        inbox.put(ids[0])
        assert inbox.get() == "job-a"
    finally:
        client.destroy()
    DBOS.destroy()


if __name__ == "__main__":
    main()

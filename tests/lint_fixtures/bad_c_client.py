"""DBOSClient misuse: positional URL, options not a dict, missing/unknown option keys, listed entries as dicts,
a client leaked by every call."""

import os

from dbos import DBOSClient, EnqueueOptions

URL = os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite")

legacy = DBOSClient(URL)  # expect: client-create-and-destroy
client = DBOSClient(system_database_url=URL)


def submit(report_id: str) -> str:
    handle = client.enqueue("reports", "generate_report", report_id)  # expect: client-enqueue-by-name
    return handle.get_workflow_id()


def submit_missing(report_id: str) -> None:
    client.enqueue({"workflow_name": "generate_report"}, report_id)  # expect: client-enqueue-by-name


def submit_typo(report_id: str) -> None:
    options: EnqueueOptions = {
        "workflow_name": "generate_report",
        "queue_name": "reports",
        "timeout": 30,
    }
    client.enqueue(options, report_id)  # expect: client-enqueue-by-name


def failures(c: DBOSClient) -> list:
    found = []
    for wf in c.list_workflows(status="ERROR"):
        found.append(wf["workflow_id"])  # expect: client-retrieve-and-list-workflows
    ids = [w["workflow_id"] for w in client.list_queued_workflows()]  # expect: client-retrieve-and-list-workflows
    first = client.list_workflows(limit=1)[0]["status"]  # expect: client-retrieve-and-list-workflows
    steps = client.list_workflow_steps(found[0])
    return [found, ids, first, steps[0]["function_name"]]  # steps are dicts: fine


def per_request(job_id: str) -> str:
    c = DBOSClient(system_database_url=URL)  # expect: client-create-and-destroy
    return c.enqueue({"workflow_name": "process_job", "queue_name": "jobs"}, job_id).get_result()

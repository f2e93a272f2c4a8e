"""Request reports from the report worker: python submit_report.py <customer_id>"""

import os
import sys

from dbos import DBOSClient, EnqueueOptions

WORKER_APP = "report-worker"  # the name in worker.py's DBOSConfig
QUEUE = "reports"


def _client() -> DBOSClient:
    return DBOSClient(
        system_database_url=os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite"),
        application_name=WORKER_APP,
    )


def submit(customer_id: str) -> str:
    """Enqueue a report for the worker and return its workflow ID."""
    client = _client()
    try:
        options: EnqueueOptions = {
            "workflow_name": "generate_report",
            "queue_name": QUEUE,
            "workflow_id": f"report-{customer_id}",
        }
        return client.enqueue(options, customer_id).get_workflow_id()
    finally:
        client.destroy()


def wait_for_report(workflow_id: str) -> str:
    """Wait for a submitted report and return it."""
    client = _client()
    try:
        return client.retrieve_workflow(workflow_id).get_result(polling_interval_sec=0.1)
    finally:
        client.destroy()


if __name__ == "__main__":
    print(wait_for_report(submit(sys.argv[1])))

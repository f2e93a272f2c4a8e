"""CRM syncs run from a DBOS queue, one at a time per customer."""

from dbos import DBOS, SetWorkflowID

import crm

QUEUE = "crm-sync"


@DBOS.step()
def pull(customer_id: str) -> dict:
    return crm.pull(customer_id)


@DBOS.step()
def push(customer_id: str, record: dict) -> None:
    crm.push(customer_id, record)


@DBOS.workflow()
def sync_customer(customer_id: str) -> str:
    record = pull(customer_id)
    push(customer_id, record)
    return f"synced {customer_id}"


def register_queues() -> None:
    """Call right after DBOS.launch()."""
    DBOS.register_queue(QUEUE, concurrency=3, polling_interval_sec=0.1)


def request_sync(customer_id: str) -> str:
    """Start a sync of the customer, or join the one already waiting or running."""
    with SetWorkflowID(f"sync-{customer_id}"):
        handle = DBOS.enqueue_workflow(QUEUE, sync_customer, customer_id)
    return handle.get_workflow_id()

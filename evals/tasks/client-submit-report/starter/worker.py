"""Report worker: runs generate_report workflows from the reports queue."""

import os
import threading

from dbos import DBOS, DBOSConfig

APP_NAME = "report-worker"
QUEUE = "reports"


@DBOS.step()
def load_invoices(customer_id: str) -> list[int]:
    return [120, 80, 45] if customer_id else []


@DBOS.workflow()
def generate_report(customer_id: str) -> str:
    invoices = load_invoices(customer_id)
    return f"report for {customer_id}: {len(invoices)} invoices, total {sum(invoices)}"


def launch() -> None:
    config: DBOSConfig = {
        "name": APP_NAME,
        "system_database_url": os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite"),
    }
    DBOS(config=config)
    DBOS.launch()
    DBOS.register_queue(QUEUE, worker_concurrency=4, polling_interval_sec=0.1)


if __name__ == "__main__":
    launch()
    threading.Event().wait()

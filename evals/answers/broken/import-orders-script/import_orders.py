"""Import orders from a CSV file into the warehouse: python import_orders.py orders.csv"""

import csv
import os
import sys

from dbos import DBOS, DBOSConfig, SetWorkflowID

import warehouse

QUEUE = "orders"
DBOS.register_queue(QUEUE, worker_concurrency=2)


@DBOS.step()
def validate(row: dict) -> dict:
    return warehouse.validate(row)


@DBOS.step()
def store(order: dict) -> None:
    warehouse.store(order)


@DBOS.workflow()
def import_order(row: dict) -> str:
    order = validate(row)
    store(order)
    return order["order_id"]


def main(path: str) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    config: DBOSConfig = {
        "name": "order-import",
        "system_database_url": os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite"),
    }
    DBOS(config=config)
    DBOS.launch()
    try:
        handles = []
        for row in rows:
            with SetWorkflowID(f"import-{row['order_id']}"):
                handles.append(DBOS.enqueue_workflow(QUEUE, import_order, row))
        for handle in handles:
            print(f"imported {handle.get_result()}")
    finally:
        DBOS.destroy()


if __name__ == "__main__":
    main(sys.argv[1])

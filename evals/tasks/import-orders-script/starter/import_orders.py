"""Import orders from a CSV file into the warehouse: python import_orders.py orders.csv"""

import csv
import sys
from concurrent.futures import ThreadPoolExecutor

import warehouse


def import_order(row: dict) -> str:
    order = warehouse.validate(row)
    warehouse.store(order)
    return order["order_id"]


def main(path: str) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with ThreadPoolExecutor(max_workers=2) as pool:
        for order_id in pool.map(import_order, rows):
            print(f"imported {order_id}")


if __name__ == "__main__":
    main(sys.argv[1])

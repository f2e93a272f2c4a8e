"""The warehouse API (each call is logged as one line of the file named by INVENTORY_LOG)."""

import os


def _log(line: str) -> None:
    with open(os.environ.get("INVENTORY_LOG", "inventory.log"), "a", encoding="utf-8") as log:
        log.write(line + "\n")


def reserve(order_id: str) -> None:
    _log(f"reserve {order_id}")


def release(order_id: str) -> None:
    _log(f"release {order_id}")


def ship(order_id: str, payment_id: str) -> None:
    _log(f"ship {order_id} {payment_id}")

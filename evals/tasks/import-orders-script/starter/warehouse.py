"""The warehouse: validated orders are stored as JSON lines in a file."""

import json
import os


def validate(row: dict) -> dict:
    """Check one CSV row and return it as an order."""
    quantity = int(row["quantity"])
    if quantity <= 0:
        raise ValueError(f"order {row['order_id']}: quantity must be positive")
    return {"order_id": row["order_id"], "sku": row["sku"], "quantity": quantity}


def store(order: dict) -> None:
    """Store one order."""
    with open(os.environ.get("WAREHOUSE_FILE", "warehouse.jsonl"), "a", encoding="utf-8") as out:
        out.write(json.dumps(order, sort_keys=True) + "\n")

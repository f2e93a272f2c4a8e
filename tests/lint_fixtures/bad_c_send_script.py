"""A separate process (a webhook receiver) that never creates DBOS but calls its methods."""

import sys

from dbos import DBOS


def main(order_id: str) -> None:
    DBOS.send(f"order-{order_id}", "paid", topic="payment", idempotency_key=f"paid-{order_id}")  # expect: client-send-and-get-event
    print(DBOS.get_event(f"order-{order_id}", "status", timeout_seconds=5))  # expect: client-send-and-get-event


if __name__ == "__main__":
    main(sys.argv[1])

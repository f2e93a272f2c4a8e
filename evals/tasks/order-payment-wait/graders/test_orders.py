"""An order waits durably for its payment message, publishes its status, and times out into a cancel."""

import sqlite3
import time

from dbos import DBOS


def log_lines(env) -> list[str]:
    return env.log.read_text().splitlines() if env.log.exists() else []


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def pending_messages(env, workflow_id: str) -> int:
    """Messages sent to the workflow that it has not received."""
    with sqlite3.connect(env.db) as conn:
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM notifications WHERE destination_uuid = ? AND NOT consumed", (workflow_id,)
        ).fetchone()
    return count


def test_paid_order_ships_once(env):
    orders = env.app
    assert orders.order_status("o-1") is None
    workflow_id = orders.start_order("o-1", payment_timeout_seconds=5)
    assert workflow_id == "order-o-1"
    assert wait_for(lambda: orders.order_status("o-1") == "awaiting_payment"), "no awaiting_payment status"
    assert DBOS.get_workflow_status(workflow_id).status == "PENDING"

    orders.payment_received("o-1", "pay-9")
    orders.payment_received("o-1", "pay-9")  # the provider retries the webhook
    assert DBOS.retrieve_workflow(workflow_id).get_result(polling_interval_sec=0.05) == "paid"
    assert orders.order_status("o-1") == "paid"
    assert log_lines(env) == ["reserve o-1", "ship o-1 pay-9"]
    assert pending_messages(env, workflow_id) == 0, "a retried webhook must not deliver the payment twice"


def test_unpaid_order_is_cancelled_after_the_timeout(env):
    orders = env.app
    workflow_id = orders.start_order("o-2", payment_timeout_seconds=0.3)
    assert DBOS.retrieve_workflow(workflow_id).get_result(polling_interval_sec=0.05) == "cancelled"
    assert orders.order_status("o-2") == "cancelled"
    assert log_lines(env) == ["reserve o-2", "release o-2"]

"""Orders wait durably for their payment; a webhook delivers it as a DBOS message."""

from typing import Optional

from dbos import DBOS, SetWorkflowID

import inventory

PAYMENT_TOPIC = "payment"
STATUS = "status"


def workflow_id(order_id: str) -> str:
    return f"order-{order_id}"


@DBOS.step()
def reserve(order_id: str) -> None:
    inventory.reserve(order_id)


@DBOS.step()
def release(order_id: str) -> None:
    inventory.release(order_id)


@DBOS.step()
def ship(order_id: str, payment_id: str) -> None:
    inventory.ship(order_id, payment_id)


@DBOS.workflow()
def process_order(order_id: str, payment_timeout_seconds: float) -> str:
    reserve(order_id)
    DBOS.set_event(STATUS, "awaiting_payment")
    payment_id = DBOS.recv(PAYMENT_TOPIC, timeout_seconds=payment_timeout_seconds)
    if payment_id is None:  # timed out
        release(order_id)
        DBOS.set_event(STATUS, "cancelled")
        return "cancelled"
    ship(order_id, payment_id)
    DBOS.set_event(STATUS, "paid")
    return "paid"


def start_order(order_id: str, payment_timeout_seconds: float = 86400) -> str:
    with SetWorkflowID(workflow_id(order_id)):
        handle = DBOS.start_workflow(process_order, order_id, payment_timeout_seconds)
    return handle.get_workflow_id()


def payment_received(order_id: str, payment_id: str) -> None:
    DBOS.send(workflow_id(order_id), payment_id, PAYMENT_TOPIC, idempotency_key=payment_id)


def order_status(order_id: str) -> Optional[str]:
    return DBOS.get_event(workflow_id(order_id), STATUS, timeout_seconds=0)

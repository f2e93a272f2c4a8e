"""Messages and events used correctly: recv in the workflow body with a None check, set_event and send inside a
step, a webhook send with idempotency_key, SetWorkflowID around a workflow start that also sends, get_event with a
default, and events read in a loop that checks for None."""

import os

from dbos import DBOS, SetWorkflowID

PAYMENT = "payment"


@DBOS.step()
def publish_progress(stage: str) -> None:
    DBOS.set_event("stage", stage)  # allowed in a step (at least once)


@DBOS.step()
def notify(workflow_id: str) -> None:
    DBOS.send(workflow_id, "ping", "pings")  # send is allowed inside a step


@DBOS.workflow()
def checkout(order_id: str) -> str:
    publish_progress("waiting")
    payment = DBOS.recv(PAYMENT, timeout_seconds=2)
    if payment is None:
        return "expired"
    publish_progress("paid")
    return f"{order_id}: {payment['status']}"


@DBOS.workflow()
def listener() -> int:
    pings = 0
    while (msg := DBOS.recv("pings", timeout_seconds=0.2)) is not None:
        pings += len(msg)
    return pings


def payment_webhook(event_id: str, workflow_id: str, status: str) -> None:
    DBOS.send(workflow_id, {"status": status}, PAYMENT, idempotency_key=event_id)


def start_and_pay(order_id: str) -> str:
    with SetWorkflowID(f"checkout-{order_id}"):
        handle = DBOS.start_workflow(checkout, order_id)
        DBOS.send(handle.workflow_id, {"status": "paid"}, PAYMENT)
    return handle.get_result(polling_interval_sec=0.05)


def main() -> None:
    DBOS(
        config={
            "name": "lint-fixture",
            "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
            "notification_listener_polling_interval_sec": 0.01,
            "log_level": "WARNING",
        }
    )
    DBOS.launch()
    assert start_and_pay("o-1") == "o-1: paid"
    with SetWorkflowID("checkout-o-2"):
        handle = DBOS.start_workflow(checkout, "o-2")
    payment_webhook("evt-1", handle.workflow_id, "paid")
    payment_webhook("evt-1", handle.workflow_id, "paid")  # a retried delivery: deduplicated
    assert handle.get_result(polling_interval_sec=0.05) == "o-2: paid"
    stage = DBOS.get_event(handle.workflow_id, "stage", timeout_seconds=1)
    assert (stage or "unknown") == "paid"
    missing = DBOS.get_event(handle.workflow_id, "nope", timeout_seconds=0.05)
    assert missing is None
    with SetWorkflowID("listener-1"):
        pings = DBOS.start_workflow(listener)
    notify(pings.workflow_id)  # outside a workflow: a plain call
    assert pings.get_result(polling_interval_sec=0.05) == 4
    DBOS.destroy()


if __name__ == "__main__":
    main()

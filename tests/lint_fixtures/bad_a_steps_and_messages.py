"""Steps and messages that break the step-* and comm-* rules: retry options without retries_allowed, a timeout
on a sync step, run_step with the function first, workflows and waits inside steps, an except that never matches
a retried step, recv in a step, a send deduplicated by SetWorkflowID, and results used without a None check."""

import dbos
from dbos import DBOS, SetWorkflowID, StepOptions


class ProfileNotFound(Exception):
    pass


@DBOS.step(max_attempts=5)  # expect: step-enable-retries
def fetch_rates() -> dict:
    return {"EUR": 0.92}


@DBOS.step(retries_allowed=False, backoff_rate=3.0)  # expect: step-enable-retries
def fetch_fx() -> float:
    return 1.0


@DBOS.step(timeout_seconds=5)  # expect: step-timeout-async-only
def fetch_quote(symbol: str) -> str:
    return symbol


@DBOS.step(retries_allowed=True, max_attempts=3, interval_seconds=0.1)
def fetch_profile(user_id: str) -> dict:
    raise ProfileNotFound(user_id)


@DBOS.workflow()
def send_receipt(order_id: str) -> str:
    return f"receipt for {order_id}"


@dbos.DBOS.step()
def charge_and_notify(order_id: str) -> str:
    DBOS.start_workflow(send_receipt, order_id)  # expect: step-no-workflows-inside-steps
    DBOS.enqueue_workflow("receipts", send_receipt, order_id)  # expect: step-no-workflows-inside-steps
    send_receipt(order_id)  # expect: step-no-workflows-inside-steps
    DBOS.sleep(1)  # expect: step-no-workflows-inside-steps
    return f"charged {order_id}"


@DBOS.step()
def wait_for_payment(order_id: str) -> str:
    return DBOS.recv("payment", timeout_seconds=60)  # expect: comm-recv-in-workflow-body


def send_email(to: str, body: str) -> str:
    return f"sent to {to}"


@DBOS.workflow()
def welcome(user: str) -> str:
    DBOS.run_step(send_email, user, "Welcome!")  # expect: step-run-step-inline
    DBOS.run_step(lambda: send_email(user, "hi"))  # expect: step-run-step-inline
    DBOS.run_step({"name": "mail", "max_attempts": 4}, send_email, user, "again")  # expect: step-enable-retries
    DBOS.run_step(StepOptions(interval_seconds=2.0), send_email, user, "x")  # expect: step-enable-retries
    DBOS.run_step({"timeout_seconds": 3}, send_email, user, "y")  # expect: step-timeout-async-only
    return charge_and_notify(user) + wait_for_payment(user)


@DBOS.workflow()
def load_user(user_id: str) -> dict:
    try:
        return fetch_profile(user_id)
    except ProfileNotFound:  # expect: step-should-retry-and-exhaustion
        return {"id": user_id, "profile": None}


@DBOS.workflow()
def checkout(order_id: str) -> str:
    payment = DBOS.recv("payment", timeout_seconds=600)
    url = DBOS.get_event("checkout-1", "url", timeout_seconds=5)["href"]  # expect: comm-handle-none-on-timeout
    return payment["status"] + url  # expect: comm-handle-none-on-timeout


def payment_webhook(event_id: str, workflow_id: str, status: str) -> None:
    with SetWorkflowID(event_id):
        DBOS.send(workflow_id, status, "payment")  # expect: comm-send-idempotency-key

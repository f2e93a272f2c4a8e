"""Pattern mistakes: the removed schedule decorator, create_schedule at startup, an unregistered class with a
workflow method, Debouncer given a function, a days-long in-process timer, a fresh uuid as workflow ID."""

import threading
import uuid
from datetime import datetime

from dbos import DBOS, Debouncer, SetWorkflowID


@DBOS.scheduled("0 3 * * *")  # expect: pattern-schedules-apply-after-launch
@DBOS.workflow()
def nightly_cleanup(scheduled_time: datetime, actual_time: datetime) -> None:
    DBOS.logger.info("cleanup")


class PaymentGateway:
    def __init__(self, region: str):
        self.region = region

    @DBOS.workflow()  # expect: pattern-configured-instance-classes
    def refund(self, charge_id: str) -> str:
        return f"{self.region}:{charge_id}"


@DBOS.workflow()
def reindex(doc_id: str, text: str) -> str:
    return text


reindex_debouncer = Debouncer(reindex)  # expect: pattern-debounce-with-debouncer-create


@DBOS.step()
def send_email(to: str, text: str) -> None:
    print(to, text)


def on_trial_started(email: str) -> None:
    threading.Timer(3 * 24 * 3600, send_email, args=(email, "Your trial ends soon")).start()  # expect: pattern-durable-reminder-sleep


def create_order(order_id: str) -> str:
    with SetWorkflowID(f"order-{uuid.uuid4()}"):  # expect: pattern-request-id-as-workflow-id
        return reindex(order_id, "placed")


def on_startup() -> None:
    DBOS.create_schedule(  # expect: pattern-schedules-idempotent-registration
        schedule_name="nightly-cleanup", workflow_fn=nightly_cleanup, schedule="0 3 * * *"
    )

"""Configured-instance workflows on a registered class, steps on a plain class, durable reminders started with a
deterministic ID, a short in-process timer, and uuids that are not workflow IDs."""

import os
import threading
import uuid

from dbos import DBOS, DBOSConfiguredInstance, SetWorkflowID

sent: list[str] = []


@DBOS.dbos_class()
class PaymentGateway(DBOSConfiguredInstance):
    def __init__(self, region: str):
        self.region = region
        super().__init__(config_name=f"gateway-{region}")

    @DBOS.step()
    def call_provider(self, charge_id: str) -> str:
        return f"{self.region}:refunded:{charge_id}"

    @DBOS.workflow()
    def refund(self, charge_id: str) -> str:
        return self.call_provider(charge_id)

    @staticmethod
    @DBOS.workflow()
    def audit(charge_id: str) -> str:
        return f"audited {charge_id}"


class Mailer:  # a plain class may hold steps
    def __init__(self, sender: str):
        self.sender = sender

    @DBOS.step()
    def send(self, to: str) -> None:
        sent.append(f"{self.sender}->{to}")


mailer = Mailer("noreply")
eu_gateway = PaymentGateway("eu")


@DBOS.workflow()
def trial_reminder(email: str, delay_s: float) -> None:
    DBOS.sleep(delay_s)
    mailer.send(email)


def on_trial_started(user_id: str, email: str, delay_s: float):
    with SetWorkflowID(f"trial-reminder-{user_id}"):
        return DBOS.start_workflow(trial_reminder, email, delay_s)


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
    assert eu_gateway.refund("ch_1") == "eu:refunded:ch_1"
    assert PaymentGateway.audit("ch_1") == "audited ch_1"

    first = on_trial_started("u1", "ana@example.com", 0.05)
    again = on_trial_started("u1", "ana@example.com", 0.05)  # same ID: one reminder
    first.get_result(polling_interval_sec=0.05)
    again.get_result(polling_interval_sec=0.05)
    assert sent == ["noreply->ana@example.com"], sent

    upload_name = f"{uuid.uuid4().hex}.csv"  # a uuid for a file name, not a workflow ID
    batch_id = str(uuid.uuid4())
    with SetWorkflowID(f"reminder-batch-{batch_id}"):  # generated once, kept and reused by the caller
        DBOS.start_workflow(trial_reminder, "bo@example.com", 0.01).get_result(polling_interval_sec=0.05)
    assert DBOS.retrieve_workflow(f"reminder-batch-{batch_id}").get_status().status == "SUCCESS"

    ticked = threading.Event()
    timer = threading.Timer(0.05, ticked.set)  # a short in-process timer is fine
    timer.start()
    assert ticked.wait(2) and upload_name.endswith(".csv")
    DBOS.destroy()


if __name__ == "__main__":
    main()

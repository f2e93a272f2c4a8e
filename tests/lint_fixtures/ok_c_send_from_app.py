"""An app that talks to its own workflows with DBOS.send / DBOS.get_event from main (it created DBOS), with a
tracing config whose enable_otlp key is set after the dict is built."""

import os
import sys

from dbos import DBOS, DBOSConfig


@DBOS.workflow()
def checkout(order_id: str) -> str:
    DBOS.set_event("payment_link", f"https://pay.example.com/{order_id}")
    paid = DBOS.recv("payment", timeout_seconds=5)
    return "paid" if paid is not None else "timed out"


def config_from_env() -> DBOSConfig:
    config: DBOSConfig = {
        "name": "lint-fixture",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
        "otlp_traces_endpoints": [os.environ.get("OTLP_TRACES_URL", "http://localhost:4318/v1/traces")],
    }
    config["enable_otlp"] = "OTLP_TRACES_URL" in os.environ  # switched on later, by key
    return config


def main() -> None:
    DBOS(config=config_from_env())
    DBOS.launch()
    handle = DBOS.start_workflow(checkout, "42")
    link = DBOS.get_event(handle.workflow_id, "payment_link", timeout_seconds=5)
    assert link == "https://pay.example.com/42", link
    DBOS.send(handle.workflow_id, "ok", topic="payment", idempotency_key="payment-42")
    assert handle.get_result(polling_interval_sec=0.05) == "paid"
    DBOS.destroy()


if __name__ == "__main__":
    main()
    sys.exit(0)

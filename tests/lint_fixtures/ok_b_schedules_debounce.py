"""Schedules applied after launch, a dynamic schedule created inside a workflow, a create_schedule that handles
"already exists", and a debouncer built with Debouncer.create."""

import os
from datetime import datetime
from typing import Any

from dbos import DBOS, Debouncer, SetWorkflowID
from dbos import error

indexed: list[str] = []


@DBOS.workflow()
def nightly_report(scheduled_time: datetime, context: Any) -> None:
    DBOS.logger.info(f"report for {scheduled_time}")


@DBOS.workflow()
def customer_sync(scheduled_time: datetime, customer_id: str) -> None:
    DBOS.logger.info(f"sync {customer_id}")


@DBOS.workflow()
def onboard_customer(customer_id: str) -> None:
    DBOS.create_schedule(
        schedule_name=f"customer-{customer_id}-sync", workflow_fn=customer_sync,
        schedule="0 * * * *", context=customer_id,
    )


@DBOS.step()
def record(text: str) -> None:
    indexed.append(text)


@DBOS.workflow()
def reindex(doc_id: str, text: str) -> str:
    record(text)
    return text


def ensure_cleanup_schedule() -> None:
    try:
        DBOS.create_schedule(schedule_name="cleanup", workflow_fn=nightly_report, schedule="0 4 * * *")
    except error.DBOSException:
        pass  # already there from a previous start


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
    DBOS.apply_schedules([
        {"schedule_name": "nightly-report", "workflow_fn": nightly_report, "schedule": "0 2 * * *", "context": None},
    ])
    DBOS.apply_schedules([  # applying again on the next start is an upsert
        {"schedule_name": "nightly-report", "workflow_fn": nightly_report, "schedule": "0 2 * * *", "context": None},
    ])
    ensure_cleanup_schedule()
    ensure_cleanup_schedule()
    with SetWorkflowID("onboard-c1"):
        onboard_customer("c1")
    names = sorted(s["schedule_name"] for s in DBOS.list_schedules())
    assert names == ["cleanup", "customer-c1-sync", "nightly-report"], names

    debouncer = Debouncer.create(reindex, debounce_timeout_sec=5)
    debouncer.debounce("doc-1", 0.05, "doc-1", "hel")
    handle = debouncer.debounce("doc-1", 0.05, "doc-1", "hello")
    assert handle.get_result(polling_interval_sec=0.05) == "hello"
    assert indexed == ["hello"], indexed
    DBOS.destroy()


if __name__ == "__main__":
    main()

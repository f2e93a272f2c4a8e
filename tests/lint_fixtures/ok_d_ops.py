"""Operations code: the alert handler registered between DBOS(config=...) and launch in every launch cycle (also
after an earlier cycle was destroyed, and after a branch that launched and returned), a migration step before
launches that only verify, a schedule paused, resumed and backfilled, and a purge of finished workflows."""

import os
from datetime import datetime, timedelta, timezone
from typing import Any, Dict

from dbos import DBOS, DBOSConfig, run_dbos_database_migrations

alerts: list[str] = []


def on_alert(name: str, message: str, metadata: Dict[str, str]) -> None:
    alerts.append(name)


@DBOS.workflow()
def nightly(scheduled_time: datetime, context: Any) -> str:
    return scheduled_time.isoformat()


@DBOS.workflow()
def purge(scheduled_time: datetime, context: Any) -> int:
    cutoff = (scheduled_time - timedelta(days=context)).isoformat()
    old = DBOS.list_workflows(
        status=["SUCCESS", "ERROR", "CANCELLED"], completed_before=cutoff, has_parent=False, load_output=False
    )
    DBOS.delete_workflows([w.workflow_id for w in old], delete_children=True)
    return len(old)


def config() -> DBOSConfig:
    return {
        "name": "ops-fixture",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "run_migrations": False,
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    }


def start(alerting: bool) -> None:
    DBOS(config=config())
    if not alerting:
        DBOS.launch()
        return
    DBOS.alert_handler(on_alert)  # the branch that launched has returned: this runs before launch
    DBOS.launch()


def main() -> None:
    run_dbos_database_migrations(os.environ["DBOS_SYSTEM_DATABASE_URL"])  # the deploy step
    start(alerting=False)
    DBOS.apply_schedules([{"schedule_name": "nightly", "workflow_fn": nightly, "schedule": "0 2 * * *"}])
    DBOS.pause_schedule("nightly")
    DBOS.resume_schedule("nightly")
    end = datetime.now(timezone.utc)
    for handle in DBOS.backfill_schedule("nightly", end - timedelta(days=2), end):
        handle.get_result(polling_interval_sec=0.05)
    assert purge(end + timedelta(days=2), 1) == 2
    DBOS.destroy()

    DBOS(config=config())
    DBOS.alert_handler(on_alert)  # a new instance: registered before its own launch
    DBOS.launch()
    DBOS.destroy()

    start(alerting=True)
    DBOS.destroy()


if __name__ == "__main__":
    main()

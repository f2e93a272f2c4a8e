"""Correct lifecycle order in main(): datasource at import, reset and listen_queues between DBOS(config) and launch,
queues, schedules and workflows after launch, and a second configure-launch cycle after DBOS.destroy()."""

import os
import queue  # the stdlib queue module: queue.Queue is not dbos's Queue
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from dbos import DBOS, DBOSConfig, SQLAlchemyDatasource

orders_db = SQLAlchemyDatasource.create("sqlite:///orders.sqlite")  # before launch: fine at import time

# Settings for our own code that happen to use the key "database_url": not a DBOS config.
REPORTING_SETTINGS = {"database_url": "sqlite:///reports.sqlite", "name": "Reporting DB"}
APP_NAME = "lint-fixture"


@orders_db.transaction()
def count_orders() -> int:
    session = orders_db.sql_session()
    session.execute(sa.text("CREATE TABLE IF NOT EXISTS orders (id TEXT)"))
    return session.execute(sa.text("SELECT count(*) FROM orders")).scalar_one()


@DBOS.workflow()
def summary() -> str:
    return f"{count_orders()} orders"


@DBOS.workflow()
def nightly(scheduled_time: datetime, context: Any) -> None:
    DBOS.logger.info(f"nightly run at {scheduled_time}")


def make_config(name: str) -> DBOSConfig:
    config: DBOSConfig = {
        "name": name,
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    }
    return config


def run_cycle(name: str) -> str:
    DBOS(config=make_config(name))
    DBOS.reset_system_database()  # between DBOS(config=...) and launch
    DBOS.listen_queues(["reports"])
    DBOS.launch()
    try:
        DBOS.register_queue("reports", polling_interval_sec=0.05)
        DBOS.apply_schedules([{"schedule_name": "nightly", "workflow_fn": nightly, "schedule": "0 3 * * *"}])
        handle = DBOS.enqueue_workflow("reports", summary)
        return handle.get_result(polling_interval_sec=0.05)
    finally:
        DBOS.destroy()


def main() -> None:
    local_jobs: "queue.Queue[str]" = queue.Queue()  # stdlib queue, constructed anywhere
    local_jobs.put(REPORTING_SETTINGS["name"])
    assert run_cycle(APP_NAME) == "0 orders"
    # A second configuration of the same process, after DBOS.destroy(): the new config applies.
    config = {
        "name": "lint-fixture-2",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    }
    DBOS(config=config)  # type: ignore[arg-type]
    DBOS.launch()
    assert summary() == "0 orders"
    DBOS.destroy()
    assert local_jobs.get() == "Reporting DB"


if __name__ == "__main__":
    main()

"""Lifecycle mistakes: order around launch, removed config keys and arguments, reconfiguring without destroy."""

import os
from datetime import datetime
from typing import Any

from dbos import DBOS, DBOSConfig, SQLAlchemyDatasource
from fastapi import FastAPI

app = FastAPI()

config: DBOSConfig = {
    "name": "Billing Service",  # expect: lifecycle-config-name-and-database-url
    "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
    "application_database_url": os.environ["APP_DATABASE_URL"],  # expect: lifecycle-config-name-and-database-url
}


@DBOS.workflow()
def send(to: str) -> str:
    return f"sent to {to}"


@DBOS.workflow()
def report(scheduled_time: datetime, context: Any) -> None:
    DBOS.logger.info(f"report for {scheduled_time}")


def main() -> None:
    DBOS(config=config)
    DBOS.register_queue("emails")  # expect: lifecycle-after-launch
    send("ana@example.com")  # expect: lifecycle-after-launch
    DBOS.launch()
    reports_db = SQLAlchemyDatasource.create("sqlite:///reports.sqlite")  # expect: lifecycle-before-launch
    DBOS.listen_queues(["emails"])  # expect: queue-listen-queues-before-launch
    DBOS.reset_system_database()  # expect: lifecycle-before-launch
    DBOS(config={"name": "billing-eu", "system_database_url": "sqlite:///eu.sqlite"})  # expect: lifecycle-destroy-on-shutdown
    DBOS.destroy()
    DBOS(config=config)
    DBOS.apply_schedules([{"schedule_name": "r", "workflow_fn": report, "schedule": "0 8 * * *"}])  # expect: lifecycle-after-launch
    handle = DBOS.start_workflow(send, "bo@example.com")  # expect: lifecycle-after-launch
    DBOS.launch()
    print(handle.get_result(), reports_db)
    DBOS.destroy()


def serve() -> None:
    DBOS(fastapi=app, config=config)  # expect: lifecycle-fastapi-lifespan
    DBOS(config={"system_database_url": "sqlite:///x.sqlite"})  # expect: lifecycle-config-name-and-database-url, lifecycle-destroy-on-shutdown
    DBOS(config={"name": "billing-us", "database_url": "postgresql://localhost/app"})  # expect: lifecycle-config-name-and-database-url, lifecycle-destroy-on-shutdown


legacy = DBOSConfig(name="legacy-app", database_url="sqlite:///legacy.sqlite")  # expect: lifecycle-config-name-and-database-url
DBOS(config=legacy)  # expect: lifecycle-launch-in-main
DBOS.launch()  # expect: lifecycle-launch-in-main

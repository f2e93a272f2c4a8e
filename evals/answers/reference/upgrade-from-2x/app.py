"""Greeting service: greets people through a queue, logs greetings, reports every night."""

import os
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from dbos import DBOS, DBOSConfig, SQLAlchemyDatasource

APP_DATABASE_URL = os.environ.get("APP_DATABASE_URL", "sqlite:///greetings.sqlite")

app_db = SQLAlchemyDatasource.create(APP_DATABASE_URL)  # before launch


@app_db.transaction()
def record_greeting(name: str) -> int:
    session = app_db.sql_session()
    session.execute(sa.text("INSERT INTO greetings (name) VALUES (:name)"), {"name": name})
    count = session.execute(sa.text("SELECT COUNT(*) FROM greetings WHERE name = :name"), {"name": name}).scalar_one()
    return int(count)


@DBOS.workflow()
def greet(name: str) -> str:
    count = record_greeting(name)
    return f"Hello, {name}! (greeting #{count})"


@app_db.transaction()
def save_report(day: str) -> int:
    session = app_db.sql_session()
    total = session.execute(sa.text("SELECT COUNT(*) FROM greetings")).scalar_one()
    session.execute(sa.text("INSERT INTO reports (day, total) VALUES (:day, :total)"), {"day": day, "total": total})
    return int(total)


@DBOS.workflow()
def nightly_report(scheduled_time: datetime, context: Any) -> None:
    total = save_report(scheduled_time.date().isoformat())
    DBOS.logger.info(f"{total} greetings so far")


def create_tables() -> None:
    engine = sa.create_engine(APP_DATABASE_URL)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS greetings (name TEXT NOT NULL)"))
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS reports (day TEXT NOT NULL, total INTEGER NOT NULL)"))
    engine.dispose()


def start() -> None:
    create_tables()
    config: DBOSConfig = {
        "name": "greeting-service",
        "system_database_url": os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite"),
    }
    DBOS(config=config)
    DBOS.launch()
    DBOS.register_queue("greetings", global_concurrency=2)
    DBOS.apply_schedules([{"schedule_name": "nightly-report", "workflow_fn": nightly_report, "schedule": "0 3 * * *"}])


if __name__ == "__main__":
    start()
    print(DBOS.enqueue_workflow("greetings", greet, "world").get_result())

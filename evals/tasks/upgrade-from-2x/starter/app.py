"""Greeting service: greets people through a queue, logs greetings, reports every night."""

import os
from datetime import datetime

import sqlalchemy as sa
from dbos import DBOS, DBOSConfig, Queue

APP_DATABASE_URL = os.environ.get("APP_DATABASE_URL", "sqlite:///greetings.sqlite")

config: DBOSConfig = {
    "name": "Greeting Service",
    "database_url": APP_DATABASE_URL,
}
DBOS(config=config)

greetings_queue = Queue("greetings", concurrency=2)


@DBOS.transaction()
def record_greeting(name: str) -> int:
    DBOS.sql_session.execute(sa.text("INSERT INTO greetings (name) VALUES (:name)"), {"name": name})
    count = DBOS.sql_session.execute(
        sa.text("SELECT COUNT(*) FROM greetings WHERE name = :name"), {"name": name}
    ).scalar_one()
    return int(count)


@DBOS.workflow()
def greet(name: str) -> str:
    count = record_greeting(name)
    return f"Hello, {name}! (greeting #{count})"


@DBOS.transaction()
def save_report(day: str) -> int:
    total = DBOS.sql_session.execute(sa.text("SELECT COUNT(*) FROM greetings")).scalar_one()
    DBOS.sql_session.execute(
        sa.text("INSERT INTO reports (day, total) VALUES (:day, :total)"), {"day": day, "total": total}
    )
    return int(total)


@DBOS.scheduled("0 3 * * *")
@DBOS.workflow()
def nightly_report(scheduled_time: datetime, actual_time: datetime) -> None:
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
    DBOS.launch()


if __name__ == "__main__":
    start()
    print(greetings_queue.enqueue(greet, "world").get_result())

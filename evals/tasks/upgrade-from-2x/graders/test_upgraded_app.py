"""The 2.x greeting service runs on dbos 3.4.0 with the same behaviour."""

import importlib
import sqlite3
from datetime import datetime

import dbos._dbos as dbos_module
from dbos import DBOS


def rows(env: dict, sql: str) -> list[tuple]:
    with sqlite3.connect(env["app_db"]) as conn:
        return conn.execute(sql).fetchall()


def nightly_schedules() -> list[dict]:
    return [s for s in DBOS.list_schedules() if s["workflow_name"].endswith("nightly_report")]


def test_import_does_not_configure_dbos(env):
    importlib.import_module("app")
    assert dbos_module._dbos_global_instance is None, "importing app must not call DBOS(config=...)"


def test_queue_greetings_schedule_and_restart(env):
    app = importlib.import_module("app")
    app.start()
    assert env["system_db"].exists(), "DBOS must use the system database named by DBOS_SYSTEM_DATABASE_URL"

    queue = DBOS.retrieve_queue("greetings")
    assert queue is not None, "the greetings queue must be registered"
    assert queue.global_concurrency == 2, "at most 2 greetings at once across all workers"

    first = DBOS.enqueue_workflow("greetings", app.greet, "ana")
    second = DBOS.enqueue_workflow("greetings", app.greet, "bo")
    assert first.get_result(polling_interval_sec=0.05) == "Hello, ana! (greeting #1)"
    assert second.get_result(polling_interval_sec=0.05) == "Hello, bo! (greeting #1)"
    assert app.greet("ana") == "Hello, ana! (greeting #2)"
    assert sorted(rows(env, "SELECT name FROM greetings")) == [("ana",), ("ana",), ("bo",)]

    schedules = nightly_schedules()
    assert len(schedules) == 1, "the nightly report must be scheduled once"
    assert schedules[0]["schedule"].split() == ["0", "3", "*", "*", "*"]

    app.nightly_report(datetime(2025, 1, 2, 3, 0), None)
    assert rows(env, "SELECT day, total FROM reports") == [("2025-01-02", 3)]

    # A restart or deploy calls start() again on the same databases.
    DBOS.destroy()
    app.start()
    assert len(nightly_schedules()) == 1, "restarting must keep exactly one nightly schedule"
    assert app.greet("bo") == "Hello, bo! (greeting #2)"

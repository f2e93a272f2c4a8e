"""Workflows that pass plain data and open resources inside steps; a tracing config that switches itself on only
with a collector."""

import os
import sqlite3
import tempfile
import threading
from contextlib import closing
from dataclasses import dataclass
from typing import Optional

from dbos import DBOS, DBOSConfig

LOCK = threading.Lock()  # module-level resource, used only inside a step


@dataclass
class TableCount:
    table: str
    rows: int


def connect(path: str) -> sqlite3.Connection:  # a plain helper may return a connection
    return sqlite3.connect(path)


@DBOS.step()
def count_rows(db_path: str, table: str) -> int:
    with LOCK, closing(connect(db_path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@DBOS.step()
def insert_with(conn_lock: threading.Lock, db_path: str, name: str) -> None:  # a step's arguments are not stored
    with conn_lock, closing(connect(db_path)) as conn, conn:
        conn.execute("INSERT INTO users VALUES (?)", (name,))


@DBOS.workflow()
def count_users(db_path: str, conn: str = "users") -> TableCount:  # "conn" is a table name here
    insert_with(LOCK, db_path, "ana")
    return TableCount(conn, count_rows(db_path, conn))


AUDIT_LOCK = threading.Lock()


@DBOS.workflow()
def guarded_count(db_path: str, lock: threading.Lock = AUDIT_LOCK) -> int:  # never passed, so never stored
    with lock:
        return count_rows(db_path, "users")


@DBOS.workflow()
def maybe_count(db_path: Optional[str]) -> Optional[int]:
    return count_rows(db_path, "users") if db_path else None


def tracing_config() -> DBOSConfig:
    collector = os.environ.get("OTLP_COLLECTOR_URL")
    config: DBOSConfig = {
        "name": "lint-fixture",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
        "enable_otlp": collector is not None,  # True needs: pip install "dbos[otel]"
        "otlp_traces_endpoints": [f"{collector}/v1/traces"] if collector else [],
        "otlp_logs_endpoints": [f"{collector}/v1/logs"] if collector else [],
    }
    return config


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_path = os.path.join(folder, "app.db")
        with closing(sqlite3.connect(db_path)) as conn, conn:
            conn.execute("CREATE TABLE users (name TEXT)")
        DBOS(config=tracing_config())
        DBOS.launch()
        assert count_users(db_path) == TableCount("users", 1)
        assert maybe_count(None) is None
        assert maybe_count(db_path) == 1
        assert guarded_count(db_path) == 1
        DBOS.destroy()


if __name__ == "__main__":
    main()

"""The login session store: one SQLite table in the file named by SESSIONS_DB (default sessions.sqlite)."""

import os
import sqlite3
from datetime import datetime


def connect() -> sqlite3.Connection:
    """A connection to the store, with the sessions table created if needed."""
    conn = sqlite3.connect(os.environ.get("SESSIONS_DB", "sessions.sqlite"))
    conn.execute(
        "CREATE TABLE IF NOT EXISTS sessions ("
        " id TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at REAL NOT NULL)"  # expires_at: epoch seconds
    )
    return conn


def create_session(session_id: str, user_id: str, expires_at: datetime) -> None:
    with connect() as conn:
        conn.execute("INSERT INTO sessions VALUES (?, ?, ?)", (session_id, user_id, expires_at.timestamp()))


def session_ids() -> list[str]:
    with connect() as conn:
        return [row[0] for row in conn.execute("SELECT id FROM sessions ORDER BY id")]

"""The nightly job that deletes expired sessions, scheduled with DBOS at 03:00 UTC."""

import os
from datetime import datetime
from typing import Any

from dbos import DBOS, DBOSConfig

import sessions


@DBOS.step()
def delete_sessions_expired_before(cutoff: float) -> int:
    with sessions.connect() as conn:
        return conn.execute("DELETE FROM sessions WHERE expires_at < ?", (cutoff,)).rowcount


@DBOS.workflow()
def delete_expired_sessions(scheduled_time: datetime, context: Any) -> int:
    return delete_sessions_expired_before(scheduled_time.timestamp())


def start() -> None:
    """Launch DBOS and register the nightly job."""
    config: DBOSConfig = {
        "name": "session-cleanup",
        "system_database_url": os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite"),
    }
    DBOS(config=config)
    DBOS.launch()
    DBOS.create_schedule(
        schedule_name="nightly-session-cleanup",
        workflow_fn=delete_expired_sessions,
        schedule="0 3 * * *",
    )


if __name__ == "__main__":
    start()

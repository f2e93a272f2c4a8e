"""Each test gets its own SQLite system database and session store, a fresh import of the app, no DBOS left over."""

import importlib
import sys
from pathlib import Path

import pytest
from dbos import DBOS

APP_MODULES = ("jobs", "sessions")


def fresh_jobs():
    """Import jobs.py anew, as a new process would (DBOS's registry is emptied by the destroy before)."""
    for name in APP_MODULES:
        sys.modules.pop(name, None)
    return importlib.import_module("jobs")


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{tmp_path / 'dbos.sqlite'}")
    monkeypatch.setenv("SESSIONS_DB", str(tmp_path / "sessions.sqlite"))
    DBOS.destroy(destroy_registry=True)
    yield tmp_path / "sessions.sqlite"
    DBOS.destroy(destroy_registry=True)
    for name in APP_MODULES:
        sys.modules.pop(name, None)

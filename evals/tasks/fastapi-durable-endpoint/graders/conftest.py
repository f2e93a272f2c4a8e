"""Each test gets its own SQLite system database and outbox, a fresh import of the app and no DBOS left over."""

import sys
from pathlib import Path

import pytest
from dbos import DBOS

APP_MODULES = ("main", "billing")


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    db = tmp_path / "dbos.sqlite"
    outbox = tmp_path / "outbox.log"
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("OUTBOX_FILE", str(outbox))
    DBOS.destroy(destroy_registry=True)
    for name in APP_MODULES:
        sys.modules.pop(name, None)
    yield {"db": db, "outbox": outbox}
    DBOS.destroy(destroy_registry=True)
    for name in APP_MODULES:
        sys.modules.pop(name, None)

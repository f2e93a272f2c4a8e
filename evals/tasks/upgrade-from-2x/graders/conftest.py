"""Each test gets its own system and application databases, a fresh import of app.py and no DBOS left over."""

import sys
from pathlib import Path

import pytest
from dbos import DBOS


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    app_db, system_db = tmp_path / "app.sqlite", tmp_path / "dbos.sqlite"
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{system_db}")
    monkeypatch.setenv("APP_DATABASE_URL", f"sqlite:///{app_db}")
    DBOS.destroy(destroy_registry=True)
    sys.modules.pop("app", None)
    yield {"app_db": app_db, "system_db": system_db}
    DBOS.destroy(destroy_registry=True)
    sys.modules.pop("app", None)

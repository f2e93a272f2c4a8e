"""Each test gets its own SQLite system database, a fresh import of the worker and no DBOS left over."""

import importlib
import sys
from pathlib import Path

import pytest
from dbos import DBOS


@pytest.fixture()
def worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{tmp_path / 'dbos.sqlite'}")
    DBOS.destroy(destroy_registry=True)
    sys.modules.pop("worker", None)
    yield importlib.import_module("worker")
    DBOS.destroy(destroy_registry=True)
    sys.modules.pop("worker", None)

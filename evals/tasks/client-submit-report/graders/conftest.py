"""A running report worker (worker.py, launched in this process) on a fresh SQLite system database."""

import importlib
import sys
from pathlib import Path

import pytest
from dbos import DBOS


@pytest.fixture()
def worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{tmp_path / 'dbos.sqlite'}")
    DBOS.destroy(destroy_registry=True)
    for name in ("worker", "submit_report"):
        sys.modules.pop(name, None)
    module = importlib.import_module("worker")
    module.launch()
    yield module
    DBOS.destroy(destroy_registry=True)
    for name in ("worker", "submit_report"):
        sys.modules.pop(name, None)

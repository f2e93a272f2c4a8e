"""A launched DBOS on a fresh SQLite system database, with orders.py imported before launch."""

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from dbos import DBOS


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "dbos.sqlite"
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("INVENTORY_LOG", str(tmp_path / "inventory.log"))
    DBOS.destroy(destroy_registry=True)
    for name in ("orders", "inventory"):
        sys.modules.pop(name, None)
    module = importlib.import_module("orders")
    DBOS(config={"name": "order-service", "system_database_url": f"sqlite:///{db}",
                 "notification_listener_polling_interval_sec": 0.05, "log_level": "WARNING"})
    DBOS.launch()
    yield SimpleNamespace(app=module, db=db, log=tmp_path / "inventory.log")
    DBOS.destroy(destroy_registry=True)
    for name in ("orders", "inventory"):
        sys.modules.pop(name, None)

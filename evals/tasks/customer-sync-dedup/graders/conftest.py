"""A launched DBOS on a fresh SQLite system database with sync.py's queues registered, and a fake CRM whose
pulls can be held until the test releases them."""

import importlib
import sys
import threading
from pathlib import Path

import pytest
from dbos import DBOS


class FakeCRM:
    def __init__(self) -> None:
        self.release = threading.Event()
        self.pulled: list[str] = []
        self.pushed: list[str] = []

    def __call__(self, method: str, path: str, payload: dict | None = None) -> dict:
        customer_id = path.rsplit("/", 1)[-1]
        if method == "GET":
            self.pulled.append(customer_id)
            assert self.release.wait(15), "the test never released the CRM"
            return {"id": customer_id}
        self.pushed.append(customer_id)
        return {}


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "dbos.sqlite"
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{db}")
    DBOS.destroy(destroy_registry=True)
    for name in ("sync", "crm"):
        sys.modules.pop(name, None)
    crm = importlib.import_module("crm")
    fake = FakeCRM()
    monkeypatch.setattr(crm, "_request", fake)
    module = importlib.import_module("sync")
    DBOS(config={"name": "crm-service", "system_database_url": f"sqlite:///{db}", "log_level": "WARNING",
                 "notification_listener_polling_interval_sec": 0.05})
    DBOS.launch()
    module.register_queues()
    yield module, fake
    fake.release.set()
    DBOS.destroy(destroy_registry=True)
    for name in ("sync", "crm"):
        sys.modules.pop(name, None)

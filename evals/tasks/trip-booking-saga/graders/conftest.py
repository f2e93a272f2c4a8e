"""A launched DBOS on a fresh SQLite system database, trips.py imported before launch, and a fake provider
gateway that records calls and refuses the ones a test names."""

import importlib
import sys
from pathlib import Path

import pytest
from dbos import DBOS


class FakeGateway:
    def __init__(self, providers) -> None:
        self.providers = providers
        self.calls: list[str] = []
        self.refuse: set[str] = set()

    def __call__(self, method: str, path: str, payload: dict | None = None) -> dict:
        call = f"{method} {path}"
        self.calls.append(call)
        if call in self.refuse:
            raise self.providers.ProviderError(f"{call}: 409")
        kind = path.split("/")[1]
        return {"ref": f"{kind[0].upper()}-{len(self.calls)}"}


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "dbos.sqlite"
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{db}")
    DBOS.destroy(destroy_registry=True)
    for name in ("trips", "providers"):
        sys.modules.pop(name, None)
    providers = importlib.import_module("providers")
    gateway = FakeGateway(providers)
    monkeypatch.setattr(providers, "_call", gateway)
    module = importlib.import_module("trips")
    DBOS(config={"name": "trip-service", "system_database_url": f"sqlite:///{db}", "log_level": "WARNING",
                 "notification_listener_polling_interval_sec": 0.05})
    DBOS.launch()
    yield module, providers, gateway
    DBOS.destroy(destroy_registry=True)
    for name in ("trips", "providers"):
        sys.modules.pop(name, None)

"""A launched DBOS on a fresh SQLite system database, convert.py imported before launch, and a scripted rate
service that records each request."""

import importlib
import sys
from pathlib import Path

import pytest
from dbos import DBOS


class ScriptedService:
    """Answers requests from a script: an exception to raise or a rate to return, the last entry repeating."""

    def __init__(self) -> None:
        self.script: list = []
        self.calls: list[str] = []

    def __call__(self, path: str) -> float:
        self.calls.append(path)
        outcome = self.script[min(len(self.calls), len(self.script)) - 1]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "dbos.sqlite"
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{db}")
    DBOS.destroy(destroy_registry=True)
    for name in ("convert", "exchange_api"):
        sys.modules.pop(name, None)
    exchange_api = importlib.import_module("exchange_api")
    service = ScriptedService()
    monkeypatch.setattr(exchange_api, "_http_get", service)
    module = importlib.import_module("convert")
    DBOS(config={"name": "fx-service", "system_database_url": f"sqlite:///{db}", "log_level": "WARNING",
                 "notification_listener_polling_interval_sec": 0.05})
    DBOS.launch()
    yield module, exchange_api, service
    DBOS.destroy(destroy_registry=True)
    for name in ("convert", "exchange_api"):
        sys.modules.pop(name, None)

"""A fresh DBOS on a per-test SQLite database, with the accounts service and mail server replaced by fakes."""

from pathlib import Path

import pytest
from dbos import DBOS, DBOSConfig

import accounts
import mailer
import signup  # noqa: F401  (registers the workflow and steps before launch)


class FakeAccounts:
    def __init__(self) -> None:
        self.created: list[str] = []

    def create(self, email: str) -> str:
        self.created.append(email)
        return f"user-{len(self.created)}"


class FakeMailer:
    """Fails the first ``failures`` sends with ConnectionError, then delivers."""

    def __init__(self) -> None:
        self.failures = 0
        self.attempts: list[str] = []
        self.sent: list[str] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.attempts.append(to)
        if len(self.attempts) <= self.failures:
            raise ConnectionError("mail server dropped the connection")
        self.sent.append(to)


@pytest.fixture()
def fakes(monkeypatch: pytest.MonkeyPatch) -> tuple[FakeAccounts, FakeMailer]:
    fake_accounts, fake_mailer = FakeAccounts(), FakeMailer()
    monkeypatch.setattr(accounts, "create", fake_accounts.create)
    monkeypatch.setattr(mailer, "send", fake_mailer.send)
    return fake_accounts, fake_mailer


@pytest.fixture()
def dbos(tmp_path: Path, fakes):
    DBOS.destroy()
    config: DBOSConfig = {
        "name": "signup-tests",
        "system_database_url": f"sqlite:///{tmp_path / 'dbos.sqlite'}",
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    }
    DBOS(config=config)
    DBOS.launch()
    yield fakes
    DBOS.destroy()

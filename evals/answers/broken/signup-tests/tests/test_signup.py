"""Tests of the sign-up flow."""

import os

import pytest
from dbos import DBOS, DBOSConfig

import accounts
import mailer
import signup


@pytest.fixture()
def dbos(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(accounts, "create", lambda email: f"user-{email}")
    monkeypatch.setattr(mailer, "send", lambda to, subject, body: None)
    DBOS.destroy()
    config: DBOSConfig = {
        "name": "signup-tests",
        "system_database_url": os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///test.sqlite"),
    }
    DBOS(config=config)
    DBOS.reset_system_database()
    DBOS.launch()
    yield
    DBOS.destroy()


def test_signup_returns_user_id(dbos):
    assert signup.signup("ana@example.com") == "user-ana@example.com"


def test_signup_twice_returns_same_user(dbos):
    assert signup.signup("bo@example.com") == signup.signup("bo@example.com")


def test_signup_survives_a_flaky_mail_server(dbos, monkeypatch: pytest.MonkeyPatch):
    calls = []

    def flaky(to: str, subject: str, body: str) -> None:
        calls.append(to)
        if len(calls) == 1:
            raise ConnectionError("dropped")

    monkeypatch.setattr(mailer, "send", flaky)
    assert signup.signup("cy@example.com") == "user-cy@example.com"

"""The sign-up guarantees: one account and one e-mail per address, and retried e-mail delivery."""

import pytest
from dbos import error

import signup


def test_signup_creates_account_and_sends_one_welcome(dbos):
    accounts, mailer = dbos
    assert signup.signup("ana@example.com") == "user-1"
    assert accounts.created == ["ana@example.com"]
    assert mailer.sent == ["ana@example.com"]


def test_same_address_twice_signs_up_once(dbos):
    accounts, mailer = dbos
    first = signup.signup("bo@example.com")
    second = signup.signup("bo@example.com")
    assert first == second == "user-1"
    assert accounts.created == ["bo@example.com"]
    assert mailer.sent == ["bo@example.com"]


def test_dropped_mail_connections_are_retried(dbos):
    accounts, mailer = dbos
    mailer.failures = 2
    assert signup.signup("cy@example.com") == "user-1"
    assert len(mailer.attempts) == 3
    assert mailer.sent == ["cy@example.com"]


def test_mail_server_down_fails_after_three_attempts(dbos):
    accounts, mailer = dbos
    mailer.failures = 10
    with pytest.raises(error.DBOSMaxStepRetriesExceeded):
        signup.signup("di@example.com")
    assert len(mailer.attempts) == 3
    assert mailer.sent == []

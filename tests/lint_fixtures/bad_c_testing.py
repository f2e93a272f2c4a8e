"""Test-suite mistakes: throwing the registry away in a fixture, sleeping instead of waiting on handles."""

import os
import time

import pytest
from dbos import DBOS, DBOSConfig

sent: list[str] = []


@DBOS.step()
def deliver(user: str) -> None:
    sent.append(user)


@DBOS.workflow()
def send_welcome(user: str) -> str:
    deliver(user)
    return user


@pytest.fixture()
def dbos():
    DBOS.destroy(destroy_registry=True)  # expect: test-keep-registry-on-destroy
    config: DBOSConfig = {"name": "my-app", "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"]}
    DBOS(config=config)
    DBOS.reset_system_database(truncate=True)
    DBOS.launch()
    DBOS.register_queue("emails", polling_interval_sec=0.1)
    yield
    DBOS.destroy()


def test_send_emails(dbos):
    for user in ["ann", "bob", "cy"]:
        DBOS.enqueue_workflow("emails", send_welcome, user)
    time.sleep(2)  # expect: test-queue-wait-on-handles
    assert sorted(sent) == ["ann", "bob", "cy"]

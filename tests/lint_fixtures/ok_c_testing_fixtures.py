"""A test module written the way the testing rules teach, run here by main() the way pytest would run it: plain
DBOS.destroy() in fixtures, handles kept and waited on, sleeps only where no queue is involved."""

import os
import time
from typing import Iterator

import pytest
from dbos import DBOS, DBOSConfig, SetEnqueueOptions

sent: list[str] = []


@DBOS.step()
def deliver(user: str) -> None:
    sent.append(user)


@DBOS.workflow()
def send_welcome(user: str) -> str:
    deliver(user)
    return f"welcomed {user}"


def fresh_dbos() -> Iterator[None]:
    DBOS.destroy()  # destroy_registry stays False: send_welcome stays registered
    config: DBOSConfig = {
        "name": "lint-fixture",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    }
    DBOS(config=config)
    DBOS.reset_system_database(truncate=True)
    DBOS.launch()
    DBOS.register_queue("emails", polling_interval_sec=0.05)
    sent.clear()
    yield
    DBOS.destroy()


@pytest.fixture()
def dbos() -> Iterator[None]:
    yield from fresh_dbos()


@pytest.fixture()
def no_dbos() -> Iterator[None]:
    DBOS.destroy()  # a plain destroy in a fixture is right
    yield


def test_send_emails(dbos) -> None:
    handles = [DBOS.enqueue_workflow("emails", send_welcome, u) for u in ["ann", "bob"]]
    results = [h.get_result(polling_interval_sec=0.05) for h in handles]
    assert results == ["welcomed ann", "welcomed bob"]
    assert sorted(sent) == ["ann", "bob"]


def test_delay_is_respected(dbos) -> None:
    with SetEnqueueOptions(delay_seconds=60):
        DBOS.enqueue_workflow("emails", send_welcome, "cy")
    time.sleep(0.05)  # then the test looks at the workflow's status, not at side effects
    [delayed] = DBOS.list_workflows(name="send_welcome", status="DELAYED")
    assert delayed.status == "DELAYED"
    assert "cy" not in sent


def test_clock_only(dbos) -> None:
    started = time.monotonic()
    time.sleep(0.01)  # no queue involved
    assert time.monotonic() > started
    assert send_welcome("dee") == "welcomed dee"


def reset_registry_for_next_suite() -> None:
    DBOS.destroy(destroy_registry=True)  # not a fixture: runs once, after every test


def main() -> None:
    for tests in ((test_send_emails, test_delay_is_respected), (test_clock_only,)):
        fixture = fresh_dbos()
        next(fixture)
        for test in tests:
            test(None)
        next(fixture, None)
    reset_registry_for_next_suite()


if __name__ == "__main__":
    main()

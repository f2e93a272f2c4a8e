"""Step options written correctly: retries switched on, a single attempt said explicitly, a timeout on an async
step, DBOS.run_step with None / a dict / StepOptions first, should_retry with the original exception caught, and
exhaustion caught as DBOSMaxStepRetriesExceeded."""

import asyncio
import os

from dbos import DBOS, StepOptions, error

calls = {"flaky": 0}


class NotFound(Exception):
    pass


@DBOS.step(retries_allowed=True, max_attempts=3, interval_seconds=0.01, backoff_rate=1.0)
def flaky() -> str:
    calls["flaky"] += 1
    if calls["flaky"] < 2:
        raise ConnectionError("try again")
    return "ok"


@DBOS.step(max_attempts=1)  # one attempt, no retries: said explicitly
def once() -> str:
    return "once"


@DBOS.step(retries_allowed=True, max_attempts=2, interval_seconds=0.01, should_retry=lambda e: not isinstance(e, NotFound))
def lookup(key: str) -> str:
    raise NotFound(key)


@DBOS.step(retries_allowed=True, max_attempts=2, interval_seconds=0.01)
def always_down() -> str:
    raise ConnectionError("down")


@DBOS.step(timeout_seconds=0.2)
async def slow_quote() -> float:
    await asyncio.sleep(5)
    return 1.0


def send_email(to: str) -> str:
    return f"sent to {to}"


@DBOS.workflow()
def sync_flow(user: str) -> list:
    out = [flaky(), once()]
    try:
        out.append(lookup("k"))
    except NotFound:  # should_retry re-raises NotFound as itself
        out.append("not found")
    try:
        out.append(always_down())
    except error.DBOSMaxStepRetriesExceeded:
        out.append("exhausted")
    out.append(DBOS.run_step(None, send_email, user))
    out.append(DBOS.run_step({"name": "email", "retries_allowed": True, "max_attempts": 2}, send_email, user))
    out.append(DBOS.run_step(StepOptions(name="code"), lambda: "1234"))
    return out


@DBOS.workflow()
async def async_flow() -> str:
    try:
        await slow_quote()
    except error.DBOSStepTimeoutError:
        return "timed out"
    return "quoted"


def main() -> None:
    DBOS(
        config={
            "name": "lint-fixture",
            "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
            "notification_listener_polling_interval_sec": 0.01,
            "log_level": "WARNING",
        }
    )
    DBOS.launch()
    result = sync_flow("ana@example.com")
    assert result == ["ok", "once", "not found", "exhausted", "sent to ana@example.com",
                      "sent to ana@example.com", "1234"], result
    assert asyncio.run(async_flow()) == "timed out"
    DBOS.destroy()


if __name__ == "__main__":
    main()

"""start() schedules delete_expired_sessions at 03:00 UTC every night, on every boot; a run deletes only expired rows."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from croniter import croniter
from dbos import DBOS

from conftest import fresh_jobs


def the_job_schedule() -> dict:
    schedules = [s for s in DBOS.list_schedules() if s["workflow_name"].split(".")[-1] == "delete_expired_sessions"]
    assert len(schedules) == 1, f"expected one schedule of delete_expired_sessions, got {DBOS.list_schedules()}"
    return schedules[0]


def fire_times(schedule: dict, count: int) -> list[datetime]:
    """The next firings after 2024-03-09 12:00 UTC, computed as DBOS's scheduler does."""
    tz = ZoneInfo(schedule["cron_timezone"]) if schedule["cron_timezone"] else timezone.utc
    it = croniter(schedule["schedule"], datetime(2024, 3, 9, 12, tzinfo=timezone.utc).astimezone(tz),
                  second_at_beginning=True)
    return [it.get_next(datetime).astimezone(timezone.utc) for _ in range(count)]


def test_the_job_runs_every_night_at_3_utc_and_deletes_only_expired_sessions(store):
    jobs = fresh_jobs()
    import sessions

    now = datetime.now(timezone.utc)
    for name, offset in [("expired-long-ago", -timedelta(days=40)), ("expired-just-now", -timedelta(minutes=5)),
                         ("valid-an-hour", timedelta(hours=1)), ("valid-a-month", timedelta(days=30))]:
        sessions.create_session(name, "user-1", now + offset)
    jobs.start()
    schedule = the_job_schedule()
    assert schedule["status"] == "ACTIVE"
    expected = [datetime(2024, 3, day, 3, tzinfo=timezone.utc) for day in (10, 11, 12)]
    assert fire_times(schedule, 3) == expected, f"schedule {schedule['schedule']!r} does not fire nightly at 03:00 UTC"

    result = DBOS.trigger_schedule(schedule["schedule_name"]).get_result(polling_interval_sec=0.05)
    assert sessions.session_ids() == ["valid-a-month", "valid-an-hour"]
    assert result == 2, "delete_expired_sessions must return how many sessions it deleted"


def test_start_works_on_every_boot(store):
    fresh_jobs().start()
    DBOS.destroy(destroy_registry=True)  # the server restarts: a new process on the same system database
    fresh_jobs().start()
    schedule = the_job_schedule()
    assert schedule["status"] == "ACTIVE"

# Checks that a paused schedule stays paused across apply_schedules, and backfill runs each missed time once.
from datetime import timedelta

entry = {"schedule_name": "nightly-report", "workflow_fn": nightly_report, "schedule": "0 2 * * *", "context": None}
DBOS.apply_schedules([entry])
start_maintenance()
assert is_paused()
DBOS.apply_schedules([entry])  # the next deploy registers it again: still paused
assert is_paused()
paused_at = datetime.now(timezone.utc) - timedelta(days=3)
handles = end_maintenance(paused_at)
assert DBOS.get_schedule("nightly-report")["status"] == "ACTIVE"
assert len(handles) == 3 and all(h.workflow_id.startswith("sched-nightly-report-") for h in handles), handles
for handle in handles:
    handle.get_result(polling_interval_sec=0.05)
again = DBOS.backfill_schedule("nightly-report", paused_at, datetime.now(timezone.utc))
assert [h.workflow_id for h in again] == [h.workflow_id for h in handles]  # same IDs: nothing runs twice
runs = DBOS.list_workflows(schedule_name="nightly-report")
assert sorted(r.workflow_id for r in runs) == sorted(h.workflow_id for h in handles), runs
assert all(r.status == "SUCCESS" for r in runs)
DBOS.destroy()

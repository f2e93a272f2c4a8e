# Checks that the schedule is active and its workflow runs when triggered.
assert DBOS.get_schedule("nightly-cleanup")["status"] == "ACTIVE"
handle = DBOS.trigger_schedule("nightly-cleanup")  # run once now instead of waiting for 03:00
handle.get_result(polling_interval_sec=0.05)
assert runs and runs[0][1] == {"retention_days": 30}, runs
assert isinstance(runs[0][0], datetime)
DBOS.destroy()

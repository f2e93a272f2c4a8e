# Checks that the workflow, schedule and queue are in place after launch.
assert handle.get_status().status == "SUCCESS"
assert [s["schedule_name"] for s in DBOS.list_schedules()] == ["daily-digest"]
assert DBOS.retrieve_queue("emails").worker_concurrency == 5
DBOS.destroy()

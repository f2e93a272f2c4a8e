# Checks that one task per user at a time, users in parallel.
per_user.set_polling_interval_sec(0.1)
handles = [submit(u, t) for u in ("alice", "bob") for t in ("export", "import")]
most_running = 0
while not all(h.get_status().status == "SUCCESS" for h in handles):
    pending = DBOS.list_queued_workflows(queue_name="per_user", status="PENDING", load_input=False)
    most_running = max(most_running, len(pending))
    time.sleep(0.02)
assert most_running == 2, most_running  # alice and bob ran side by side
results = [h.get_result(polling_interval_sec=0.1) for h in handles]
assert results == ["alice:export", "alice:import", "bob:export", "bob:import"], results
assert peak == {"alice": 1, "bob": 1}, peak

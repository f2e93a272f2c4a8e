# Checks that one task per user at a time, users in parallel.
per_user.set_polling_interval_sec(0.1)
handles = [submit(u, t) for u in ("alice", "bob") for t in ("export", "import")]
user_of = {h.workflow_id: u for h, u in zip(handles, ("alice", "alice", "bob", "bob"))}
most_running = 0
peak: dict[str, int] = {}
while not all(h.get_status().status == "SUCCESS" for h in handles):
    pending = DBOS.list_queued_workflows(queue_name="per_user", status="PENDING", load_input=False)
    most_running = max(most_running, len(pending))
    for user in ("alice", "bob"):
        mine = sum(1 for w in pending if user_of.get(w.workflow_id) == user)
        peak[user] = max(peak.get(user, 0), mine)
    time.sleep(0.02)
assert most_running == 2, most_running  # alice and bob ran side by side
results = [h.get_result(polling_interval_sec=0.1) for h in handles]
assert results == ["alice:export", "alice:import", "bob:export", "bob:import"], results
assert peak == {"alice": 1, "bob": 1}, peak

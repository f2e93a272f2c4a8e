# Checks that a second enqueue with the same ID is refused until the first ends.
assert request_sync("user-42") == "started"
assert request_sync("user-42") == "already running"
assert sync_and_wait("user-42") == "synced user-42"
assert len(DBOS.list_workflows(name="sync_account")) == 1
# Once the workflow finishes its ID is released: a new sync can start.
assert request_sync("user-42") == "started"

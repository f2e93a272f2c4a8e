# Checks the unsharded path end to end, and that a shard key is refused on this (unsharded) database.
from dbos import error

assert SHARDED is False
handle = submit_import("tenant-7", "a.csv")
assert handle.get_result(polling_interval_sec=0.05) == "tenant-7:a.csv"
assert handle.shard_key is None
status = import_status("tenant-7", handle.workflow_id)
assert status is not None and status.status == "SUCCESS" and status.queue_partition_key == "tenant-7", status
try:
    DBOS.get_workflow_status(handle.workflow_id, shard_key="tenant-7")
    raise AssertionError("shard_key= accepted on an unsharded database")
except error.DBOSException as e:
    assert "not sharded" in str(e), e
try:
    with SetShardKey("tenant-7"):
        DBOS.start_workflow(import_file, "tenant-7", "b.csv")
    raise AssertionError("SetShardKey accepted on an unsharded database")
except error.DBOSException as e:
    assert "not sharded" in str(e), e
DBOS.destroy()

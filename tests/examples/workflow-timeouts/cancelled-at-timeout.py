# Checks that the workflow is cancelled when its timeout passes.
status = handle.get_status()
assert status.status == "CANCELLED", status.status
assert status.workflow_timeout_ms == 1000


# Queue time: an enqueued workflow's own timeout starts at dequeue, an inherited deadline does not.
@DBOS.workflow()
def child(n: int) -> int:
    return n


@DBOS.workflow()
def parent() -> list:
    inherited = DBOS.enqueue_workflow("no_listener", child, 1)
    with SetWorkflowTimeout(None):
        detached = DBOS.enqueue_workflow("no_listener", child, 2)
    return [inherited.workflow_id, detached.workflow_id]


with SetWorkflowTimeout(0.5):
    inherited_id, detached_id = DBOS.start_workflow(parent).get_result(polling_interval_sec=0.1)
    own = DBOS.enqueue_workflow("no_listener", child, 3)
assert DBOS.get_workflow_status(inherited_id).workflow_deadline_epoch_ms is not None
assert DBOS.get_workflow_status(own.workflow_id).workflow_deadline_epoch_ms is None
t0 = time.time()
while DBOS.get_workflow_status(inherited_id).status != "CANCELLED":
    assert time.time() - t0 < 10, "the inherited deadline did not cancel the queued child"
    time.sleep(0.05)
assert DBOS.get_workflow_status(detached_id).status == "ENQUEUED"
assert DBOS.get_workflow_status(own.workflow_id).status == "ENQUEUED"
DBOS.destroy()

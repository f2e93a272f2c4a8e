# Checks that the queue caps the fan-out that plain starts do not.
import threading, time
from dbos import SetWorkflowID
DBOS.register_queue("thumbnails", worker_concurrency=4, polling_interval_sec=0.05, on_conflict="always_update")
running, peak, lock = 0, 0, threading.Lock()
@DBOS.workflow()
def slow_child(i: int) -> int:
    global running, peak
    with lock:
        running += 1
        peak = max(peak, running)
    time.sleep(0.4)
    with lock:
        running -= 1
    return i
@DBOS.workflow()
def unbounded(n: int) -> list:
    return [h.get_result() for h in [DBOS.start_workflow(slow_child, i) for i in range(n)]]
@DBOS.workflow()
def bounded(n: int) -> list:
    return [h.get_result() for h in [DBOS.enqueue_workflow("thumbnails", slow_child, i) for i in range(n)]]
assert unbounded(10) == list(range(10)) and peak > 4, peak  # the Incorrect shape: no cap
peak = 0
assert bounded(10) == list(range(10)) and peak <= 4, peak
with SetWorkflowID("batch-1"):
    h = DBOS.start_workflow(make_thumbnails, ["a", "b", "c"])
assert h.get_result(polling_interval_sec=0.05) == ["thumb-a", "thumb-b", "thumb-c"]
assert len(DBOS.list_workflows(parent_workflow_id="batch-1", queue_name="thumbnails")) == 3
DBOS.destroy()

# Checks that fork from the failed step, cancel and resume by ID.
import threading, time
from dbos import SetWorkflowID
up, ran, gate = [], [], threading.Event()
@DBOS.step()
def fetch():
    if not up:
        raise ConnectionError("down")
    return 2
@DBOS.step()
def slow(i):
    ran.append(i)
    gate.wait(5)
    return i
@DBOS.workflow()
def job(kind):
    return [fetch()] if kind == "import" else [slow(0), slow(1)]
try:
    with SetWorkflowID("import-42"):
        job("import")
except ConnectionError:
    up.append(1)
fork = retry_from_failed_step("import-42")
assert fork.get_result(polling_interval_sec=0.1) == [2]
assert DBOS.get_workflow_status(fork.workflow_id).forked_from == "import-42"
with SetWorkflowID("job-1"):
    DBOS.start_workflow(job, "slow")
while not ran: time.sleep(.01)
pause("job-1")
gate.set()
time.sleep(.3)
assert DBOS.get_workflow_status("job-1").status == "CANCELLED" and ran == [0]
assert unpause("job-1").get_result(polling_interval_sec=0.1) == [0, 1]
# resume moved it to the internal queue (no queue_name= given).
assert DBOS.get_workflow_status("job-1").queue_name == "_dbos_internal_queue"
# resume does nothing to an ERROR workflow; rewind re-runs it under the same ID.
DBOS.resume_workflow("import-42")
time.sleep(.3)
assert DBOS.get_workflow_status("import-42").status == "ERROR"
try:
    DBOS.retrieve_workflow("import-42").get_result(polling_interval_sec=0.1)
    raise AssertionError("expected the recorded ConnectionError")
except ConnectionError:
    pass
assert DBOS.rewind_workflow("import-42", start_step=1).get_result(polling_interval_sec=0.1) == [2]
assert DBOS.get_workflow_status("import-42").status == "SUCCESS"
DBOS.destroy()

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
DBOS.destroy()

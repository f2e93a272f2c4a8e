# Crashes the workflow on every run, relaunching DBOS each time, until it is dead-lettered; then resumes it.
import time

from dbos import SetWorkflowID, error


class ProcessCrash(BaseException):
    """Not an Exception: the workflow stays PENDING, as after a killed process."""


DBOS.launch()
real_parser = parse_with_native_lib
runs = {"n": 0}


def crashing_parser(upload_id: str) -> int:
    runs["n"] += 1
    raise ProcessCrash()


parse_with_native_lib = crashing_parser
try:
    with SetWorkflowID("upload-1"):
        ingest_upload("upload-1")
except ProcessCrash:
    pass
assert DBOS.get_workflow_status("upload-1").status == "PENDING"

for restart in range(10):
    DBOS.destroy()
    DBOS(config=config)
    DBOS.launch()  # recovers upload-1, which crashes again
    for _ in range(100):
        status = DBOS.get_workflow_status("upload-1").status
        if status == "MAX_RECOVERY_ATTEMPTS_EXCEEDED" or runs["n"] > restart + 1:
            break
        time.sleep(0.05)
    if status == "MAX_RECOVERY_ATTEMPTS_EXCEEDED":
        break
assert status == "MAX_RECOVERY_ATTEMPTS_EXCEEDED", status
assert runs["n"] == 4, runs  # the first run and three recoveries
assert dead_lettered() == ["upload-1"]
try:
    DBOS.retrieve_workflow("upload-1").get_result(polling_interval_sec=0.05)
    raise AssertionError("expected DBOSAwaitedWorkflowMaxRecoveryAttemptsExceeded")
except error.DBOSAwaitedWorkflowMaxRecoveryAttemptsExceeded:
    pass

parse_with_native_lib = real_parser  # the fix is deployed
assert resume_after_fix("upload-1").get_result(polling_interval_sec=0.05) == len("upload-1")
assert DBOS.get_workflow_status("upload-1").status == "SUCCESS"
assert dead_lettered() == []
DBOS.destroy()

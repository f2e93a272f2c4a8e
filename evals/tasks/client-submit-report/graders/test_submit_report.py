"""submit_report.py enqueues work for the running worker through DBOSClient and reads the result."""

import importlib
import os
import subprocess
import sys
import time

from dbos import DBOS

EXPECTED = "report for {}: 3 invoices, total 245"


def wait_for_status(workflow_id: str, seconds: float) -> str:
    """The workflow's status once it has left ENQUEUED and PENDING, or after ``seconds``."""
    deadline = time.monotonic() + seconds
    status = DBOS.get_workflow_status(workflow_id)
    while time.monotonic() < deadline and (status is None or status.status in ("ENQUEUED", "PENDING")):
        time.sleep(0.05)
        status = DBOS.get_workflow_status(workflow_id)
    return "MISSING" if status is None else status.status


def test_submit_is_run_by_the_worker_once(worker):
    sys.modules.pop("worker")  # the client must not import the worker's code
    try:
        client = importlib.import_module("submit_report")
        assert "worker" not in sys.modules, "submit_report must not import worker.py"
    finally:
        sys.modules["worker"] = worker

    workflow_id = client.submit("c-1")
    assert workflow_id == "report-c-1"
    assert wait_for_status(workflow_id, seconds=5) == "SUCCESS", "the worker never ran the submitted report"
    status = DBOS.get_workflow_status(workflow_id)
    assert status.queue_name == "reports"
    assert status.name.endswith("generate_report")
    assert client.wait_for_report(workflow_id) == EXPECTED.format("c-1")

    assert client.submit("c-1") == "report-c-1"
    runs = [w for w in DBOS.list_workflows() if w.name.endswith("generate_report")]
    assert len(runs) == 1, "asking twice for the same customer must make one report"


def test_command_line_prints_the_report(worker):
    command = subprocess.Popen(
        [sys.executable, "submit_report.py", "c-2"],
        cwd=os.environ.get("DBOS_EVAL_WORKDIR", "."),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for_status("report-c-2", seconds=12) == "SUCCESS", "the worker never ran the submitted report"
        stdout, stderr = command.communicate(timeout=15)
    finally:
        command.kill()
    assert command.returncode == 0, stderr[-3000:]
    assert EXPECTED.format("c-2") in stdout

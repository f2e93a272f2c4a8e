"""A launched worker dequeues only from its role's queue; work enqueued on that queue runs, the other waits."""

import threading
import time

import pytest
from dbos import DBOS

QUEUES = ("cpu-jobs", "gpu-jobs")


def wait_done(handle, seconds: float = 20.0) -> str:
    deadline = time.monotonic() + seconds
    while (status := handle.get_status().status) in ("ENQUEUED", "PENDING") and time.monotonic() < deadline:
        time.sleep(0.02)
    return status


def queue_threads() -> set[str]:
    """The queues this process runs: DBOS starts one thread named queue-worker-<queue> for each."""
    return {t.name.removeprefix("queue-worker-") for t in threading.enumerate()} & set(QUEUES)


@pytest.mark.parametrize("role, runs", [("gpu", "gpu-jobs"), ("cpu", "cpu-jobs")])
def test_a_worker_runs_only_the_queue_of_its_role(worker, role, runs):
    worker.start_worker(role)
    # Every box registers both queues; poll them fast so that this test is quick (a listener would take either).
    for name in QUEUES:
        DBOS.register_queue(name, polling_interval_sec=0.05, on_conflict="always_update")
    waits = next(q for q in QUEUES if q != runs)
    jobs = {"gpu-jobs": (worker.embed_document, "report.pdf"), "cpu-jobs": (worker.make_thumbnail, "cat.png")}
    ran = DBOS.enqueue_workflow(runs, *jobs[runs])
    held = DBOS.enqueue_workflow(waits, *jobs[waits])
    assert wait_done(ran) == "SUCCESS", f"work enqueued on {runs} did not run on a {role} worker"
    time.sleep(0.3)  # ten polls of the other queue, had it been started with this one
    assert queue_threads() == {runs}, f"a {role} worker runs the queues {sorted(queue_threads())}"
    assert held.get_status().status == "ENQUEUED", f"a {role} worker ran work from {waits}"

"""Requests for a customer whose sync is under way join it; later requests start a fresh sync."""

from dbos import DBOS


def result(workflow_id: str) -> str:
    return DBOS.retrieve_workflow(workflow_id).get_result(polling_interval_sec=0.05)


def test_queue_limits_each_process_to_three(app):
    queue = DBOS.retrieve_queue("crm-sync")
    assert queue is not None, "the crm-sync queue must be registered"
    assert queue.worker_concurrency == 3, "at most 3 syncs at once in each process"
    assert queue.global_concurrency is None, "several processes may each run 3"


def test_duplicate_requests_join_the_sync_under_way(app):
    sync, crm = app
    first = sync.request_sync("c-1")
    assert sync.request_sync("c-1") == first, "a second click must not start another sync"
    other = sync.request_sync("c-2")
    assert other != first
    assert sync.request_sync("c-1") == first

    status = DBOS.get_workflow_status(first)
    assert status.queue_name == "crm-sync" and status.name.endswith("sync_customer")

    crm.release.set()
    assert result(first) == "synced c-1"
    assert result(other) == "synced c-2"

    again = sync.request_sync("c-1")
    assert again != first, "once the sync has finished, a new request must start a fresh one"
    assert result(again) == "synced c-1"
    assert sorted(crm.pulled) == ["c-1", "c-1", "c-2"]
    assert sorted(crm.pushed) == ["c-1", "c-1", "c-2"]

"""book_trip books everything, or undoes what it booked, newest first, and fails with the provider's error."""

import pytest
from dbos import DBOS, SetWorkflowID


def run_trip(trips, amount: int):
    with SetWorkflowID("trip-t1"):
        return trips.book_trip("t1", amount)


def recorded(workflow_id: str) -> tuple[str, int]:
    status = DBOS.get_workflow_status(workflow_id)
    assert status is not None, "book_trip must be a DBOS workflow"
    return status.status, len(DBOS.list_workflow_steps(workflow_id))


def test_everything_booked(app):
    trips, _, gateway = app
    assert run_trip(trips, 900) == {"flight": "F-1", "hotel": "H-2", "payment": "P-3"}
    assert gateway.calls == ["POST /flights", "POST /hotels", "POST /payments"]
    status, steps = recorded("trip-t1")
    assert status == "SUCCESS" and steps >= 3, "each provider call must be its own step"


def test_hotel_refused_cancels_the_flight(app):
    trips, providers, gateway = app
    gateway.refuse = {"POST /hotels"}
    with pytest.raises(providers.ProviderError):
        run_trip(trips, 900)
    assert gateway.calls == ["POST /flights", "POST /hotels", "DELETE /flights/F-1"]
    status, steps = recorded("trip-t1")
    assert status == "ERROR", "the workflow must be recorded as failed"
    assert steps >= 3, "each provider call, cancellations included, must be its own step"


def test_payment_refused_cancels_newest_first(app):
    trips, providers, gateway = app
    gateway.refuse = {"POST /payments"}
    with pytest.raises(providers.ProviderError):
        run_trip(trips, 900)
    assert gateway.calls == [
        "POST /flights",
        "POST /hotels",
        "POST /payments",
        "DELETE /hotels/H-2",
        "DELETE /flights/F-1",
    ]
    status, steps = recorded("trip-t1")
    assert status == "ERROR"
    assert steps >= 5, "each provider call, cancellations included, must be its own step"

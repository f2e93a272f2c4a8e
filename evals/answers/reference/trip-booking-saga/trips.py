"""Trip booking as a saga: each provider call is a step; a failure undoes earlier bookings, newest first."""

from dbos import DBOS

import providers


@DBOS.step()
def book_flight(trip_id: str) -> str:
    return providers.book_flight(trip_id)


@DBOS.step(retries_allowed=True, max_attempts=5, interval_seconds=0.5)
def cancel_flight(ref: str) -> None:
    providers.cancel_flight(ref)


@DBOS.step()
def book_hotel(trip_id: str) -> str:
    return providers.book_hotel(trip_id)


@DBOS.step(retries_allowed=True, max_attempts=5, interval_seconds=0.5)
def cancel_hotel(ref: str) -> None:
    providers.cancel_hotel(ref)


@DBOS.step()
def charge_card(trip_id: str, amount: int) -> str:
    return providers.charge_card(trip_id, amount)


@DBOS.workflow()
def book_trip(trip_id: str, amount: int) -> dict:
    undo = []  # rebuilt the same way on replay
    try:
        flight = book_flight(trip_id)
        undo.append(lambda: cancel_flight(flight))
        hotel = book_hotel(trip_id)
        undo.append(lambda: cancel_hotel(hotel))
        payment = charge_card(trip_id, amount)
        return {"flight": flight, "hotel": hotel, "payment": payment}
    except Exception:
        for compensate in reversed(undo):
            compensate()
        raise

"""Trip booking: each provider call is a step; a failure cancels the bookings."""

from typing import Optional

from dbos import DBOS

import providers


@DBOS.step()
def book_flight(trip_id: str) -> str:
    return providers.book_flight(trip_id)


@DBOS.step()
def book_hotel(trip_id: str) -> str:
    return providers.book_hotel(trip_id)


@DBOS.step()
def charge_card(trip_id: str, amount: int) -> str:
    return providers.charge_card(trip_id, amount)


@DBOS.step()
def cancel_bookings(flight: Optional[str], hotel: Optional[str]) -> None:
    if flight:
        providers.cancel_flight(flight)
    if hotel:
        providers.cancel_hotel(hotel)


@DBOS.workflow()
def book_trip(trip_id: str, amount: int) -> dict:
    flight = hotel = None
    try:
        flight = book_flight(trip_id)
        hotel = book_hotel(trip_id)
        payment = charge_card(trip_id, amount)
        return {"flight": flight, "hotel": hotel, "payment": payment}
    except providers.ProviderError as e:
        cancel_bookings(flight, hotel)
        return {"error": str(e)}

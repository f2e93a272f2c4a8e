"""Client of the flight, hotel and payment providers (one HTTP API gateway)."""

import json
import os
import urllib.error
import urllib.request

GATEWAY = os.environ.get("PROVIDERS_URL", "https://providers.example.com")


class ProviderError(Exception):
    """A provider refused the request."""


def _call(method: str, path: str, payload: dict | None = None) -> dict:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(f"{GATEWAY}{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        raise ProviderError(f"{method} {path}: {e.code}") from e


def book_flight(trip_id: str) -> str:
    return _call("POST", "/flights", {"trip": trip_id})["ref"]


def cancel_flight(ref: str) -> None:
    _call("DELETE", f"/flights/{ref}")


def book_hotel(trip_id: str) -> str:
    return _call("POST", "/hotels", {"trip": trip_id})["ref"]


def cancel_hotel(ref: str) -> None:
    _call("DELETE", f"/hotels/{ref}")


def charge_card(trip_id: str, amount: int) -> str:
    return _call("POST", "/payments", {"trip": trip_id, "amount": amount})["ref"]

"""Client of the CRM's HTTP API."""

import json
import os
import urllib.request

BASE_URL = os.environ.get("CRM_URL", "https://crm.example.com/api")


def _request(method: str, path: str, payload: dict | None = None) -> dict:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(f"{BASE_URL}{path}", data=data, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def pull(customer_id: str) -> dict:
    """The customer's record as the CRM has it."""
    return _request("GET", f"/customers/{customer_id}")


def push(customer_id: str, record: dict) -> None:
    """Write the customer's record back to the CRM."""
    _request("PUT", f"/customers/{customer_id}", record)

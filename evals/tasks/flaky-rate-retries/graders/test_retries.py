"""DBOS retries the rate lookup on ConnectionError only, with backoff, and reports exhaustion."""

import time

import pytest
from dbos import DBOS


def test_dropped_connections_are_retried(app):
    convert, _, service = app
    service.script = [ConnectionError("reset"), ConnectionError("reset"), 1.1]
    assert convert.convert(100, "EUR") == 110.0
    assert len(service.calls) == 3, "two dropped connections must be retried"
    runs = DBOS.list_workflows()
    assert len(runs) == 1 and runs[0].status == "SUCCESS", "convert must be a DBOS workflow"


def test_unknown_currency_fails_at_once(app):
    convert, exchange_api, service = app
    service.script = [exchange_api.UnknownCurrency("XYZ")]
    with pytest.raises(exchange_api.UnknownCurrency):
        convert.convert(5, "XYZ")
    assert len(service.calls) == 1, "an unknown currency must not be retried"


def test_four_failures_raise_rate_service_down(app):
    convert, _, service = app
    service.script = [ConnectionError("reset")]
    started = time.monotonic()
    with pytest.raises(convert.RateServiceDown):
        convert.convert(5, "EUR")
    elapsed = time.monotonic() - started
    assert len(service.calls) == 4, "4 attempts in all"
    assert 0.6 <= elapsed < 5, f"waits of 0.1, 0.2 and 0.4 s between attempts, took {elapsed:.2f} s"

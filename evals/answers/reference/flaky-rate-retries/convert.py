"""Currency conversion: a DBOS workflow whose rate lookup is retried on dropped connections."""

from dbos import DBOS, error

import exchange_api


class RateServiceDown(Exception):
    """The exchange-rate service failed every attempt."""


@DBOS.step(
    retries_allowed=True,
    max_attempts=4,
    interval_seconds=0.1,
    backoff_rate=2.0,
    should_retry=lambda e: not isinstance(e, exchange_api.UnknownCurrency),
)
def fetch_rate(currency: str) -> float:
    return exchange_api.get_rate(currency)


@DBOS.workflow()
def convert(amount: float, currency: str) -> float:
    try:
        rate = fetch_rate(currency)
    except error.DBOSMaxStepRetriesExceeded as e:
        raise RateServiceDown(f"rate service failed {len(e.errors)} times") from e
    return round(amount * rate, 2)

"""Currency conversion: a DBOS workflow whose rate lookup is retried on dropped connections."""

from dbos import DBOS

import exchange_api


class RateServiceDown(Exception):
    """The exchange-rate service failed every attempt."""


@DBOS.step(max_attempts=4, interval_seconds=0.1, backoff_rate=2.0)
def fetch_rate(currency: str) -> float:
    return exchange_api.get_rate(currency)


@DBOS.workflow()
def convert(amount: float, currency: str) -> float:
    try:
        rate = fetch_rate(currency)
    except ConnectionError as e:
        raise RateServiceDown("rate service is down") from e
    return round(amount * rate, 2)

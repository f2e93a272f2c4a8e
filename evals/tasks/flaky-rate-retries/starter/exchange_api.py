"""Client of the exchange-rate service."""

import random


class UnknownCurrency(ValueError):
    """The service does not know this currency."""


_RATES = {"EUR": 1.1, "GBP": 1.27, "JPY": 0.0067}


def _http_get(path: str) -> float:
    """One request to the service (it drops about one connection in five)."""
    if random.random() < 0.2:
        raise ConnectionError("connection reset by peer")
    currency = path.rsplit("/", 1)[-1]
    if currency not in _RATES:
        raise UnknownCurrency(currency)
    return _RATES[currency]


def get_rate(currency: str) -> float:
    """The rate of one unit of ``currency`` in US dollars."""
    return _http_get(f"/v1/rates/{currency}")

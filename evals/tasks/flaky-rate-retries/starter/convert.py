"""Currency conversion."""

import exchange_api


def convert(amount: float, currency: str) -> float:
    rate = exchange_api.get_rate(currency)
    return round(amount * rate, 2)

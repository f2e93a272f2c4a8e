"""Stand-ins for the payment, stock and e-mail providers.

Every call records what it did as one JSON line of the ledger file named by SHOP_LEDGER (default ledger.jsonl).
Every call takes an optional idempotency_key: a key seen before does nothing new and returns the first call's result.
SHOP_HANG_AFTER=<charge|reserve|receipt> makes that call hang after the provider has done its work, as when the
reply is lost: it lets a test kill the process at the worst moment.
"""

import json
import os
import time
from pathlib import Path

PRICES_CENTS = {"mug": 1200, "tee": 2500, "poster": 900}


def _ledger() -> Path:
    return Path(os.environ.get("SHOP_LEDGER", "ledger.jsonl"))


def entries() -> list[dict]:
    """Every ledger entry, oldest first."""
    path = _ledger()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _record(kind: str, idempotency_key: str | None, **fields) -> str:
    if idempotency_key is not None:
        for entry in entries():
            if entry["kind"] == kind and entry["idempotency_key"] == idempotency_key:
                return entry["id"]
    entry_id = f"{kind}_{len(entries()) + 1}"
    line = json.dumps({"kind": kind, "id": entry_id, "idempotency_key": idempotency_key, **fields})
    with _ledger().open("a", encoding="utf-8") as ledger:
        ledger.write(line + "\n")
    if os.environ.get("SHOP_HANG_AFTER") == kind:
        time.sleep(3600)
    return entry_id


def charge_card(card: str, amount_cents: int, idempotency_key: str | None = None) -> str:
    """Charge the card; returns the charge ID."""
    return _record("charge", idempotency_key, card=card, amount_cents=amount_cents)


def reserve_stock(sku: str, quantity: int, idempotency_key: str | None = None) -> str:
    """Take ``quantity`` items of ``sku`` out of stock; returns the reservation ID."""
    return _record("reserve", idempotency_key, sku=sku, quantity=quantity)


def send_receipt(email: str, order_id: str, charge_id: str, receipt_number: str,
                 idempotency_key: str | None = None) -> str:
    """E-mail the receipt; returns the message ID."""
    return _record("receipt", idempotency_key, email=email, order_id=order_id, charge_id=charge_id,
                   receipt_number=receipt_number)

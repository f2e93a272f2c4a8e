"""Check out one order durably: charge the card, reserve the stock, e-mail the receipt, each exactly once."""

import os
import sys
import uuid

from dbos import DBOS, DBOSConfig, SetWorkflowID

import shop_services


def provider_key() -> str:
    """The same on every retry and recovery of a step, and different for each step."""
    return f"{DBOS.workflow_id}:{DBOS.step_id}"


@DBOS.step()
def charge(card: str, amount_cents: int) -> str:
    return shop_services.charge_card(card, amount_cents, idempotency_key=provider_key())


@DBOS.step()
def reserve(sku: str, quantity: int) -> str:
    return shop_services.reserve_stock(sku, quantity, idempotency_key=provider_key())


@DBOS.step()
def new_receipt_number() -> str:
    return f"R-{uuid.uuid4().hex[:8]}"


@DBOS.step()
def send_receipt(email: str, order_id: str, charge_id: str, receipt_number: str) -> str:
    return shop_services.send_receipt(email, order_id, charge_id, receipt_number, idempotency_key=provider_key())


@DBOS.workflow()
def checkout_workflow(order_id: str, card: str, sku: str, quantity: int, email: str) -> str:
    amount = shop_services.PRICES_CENTS[sku] * quantity
    charge_id = charge(card, amount)
    reserve(sku, quantity)
    send_receipt(email, order_id, charge_id, new_receipt_number())
    return charge_id


def checkout(order_id: str, card: str, sku: str, quantity: int, email: str) -> str:
    """Check out the order once; a repeated call for the same order returns the first charge ID."""
    with SetWorkflowID(f"checkout-{order_id}"):
        return checkout_workflow(order_id, card, sku, quantity, email)


if __name__ == "__main__":
    config: DBOSConfig = {
        "name": "shop-checkout",
        "system_database_url": os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite"),
    }
    DBOS(config=config)
    DBOS.launch()  # recovers a checkout that a crash interrupted
    order_id, card, sku, quantity, email = sys.argv[1:6]
    print(checkout(order_id, card, sku, int(quantity), email))
    DBOS.destroy()

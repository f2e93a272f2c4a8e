"""Check out one order: charge the card, reserve the stock, e-mail the receipt."""

import sys
import uuid

import shop_services


def checkout(order_id: str, card: str, sku: str, quantity: int, email: str) -> str:
    """Check out the order; returns the charge ID."""
    amount = shop_services.PRICES_CENTS[sku] * quantity
    charge_id = shop_services.charge_card(card, amount)
    shop_services.reserve_stock(sku, quantity)
    receipt_number = f"R-{uuid.uuid4().hex[:8]}"
    shop_services.send_receipt(email, order_id, charge_id, receipt_number)
    return charge_id


if __name__ == "__main__":
    order_id, card, sku, quantity, email = sys.argv[1:6]
    print(checkout(order_id, card, sku, int(quantity), email))

"""DBOS 2.x transaction API under an alias: gone in 3.x (AttributeError at import)."""

import sqlalchemy as sa
from dbos import DBOS as D


@D.transaction()  # expect: step-datasource-transactions
def record_payment(order_id: str, cents: int) -> None:
    D.sql_session.execute(  # expect: step-datasource-transactions
        sa.text("INSERT INTO payments (order_id, cents) VALUES (:o, :c)"), {"o": order_id, "c": cents}
    )


@D.workflow()
def checkout(order_id: str, cents: int) -> None:
    record_payment(order_id, cents)

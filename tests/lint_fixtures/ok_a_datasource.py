"""Database writes through a datasource: @ds.transaction() with ds.sql_session(), a plain SQLAlchemy transaction
(engine.begin) outside DBOS, and names like transaction/sql_session on other objects."""

import os
import tempfile

from sqlalchemy import text

from dbos import DBOS, SQLAlchemyDatasource

APP_DB = os.path.join(tempfile.mkdtemp(), "app.sqlite")
ds = SQLAlchemyDatasource.create(f"sqlite:///{APP_DB}")


class Ledger:
    """Not DBOS: its transaction() and sql_session attribute are its own."""

    sql_session = None

    def transaction(self) -> str:
        return "ledger-tx"


@ds.transaction()
def record_payment(order_id: str, cents: int) -> int:
    session = ds.sql_session()
    session.execute(text("INSERT INTO payments (order_id, cents) VALUES (:o, :c)"), {"o": order_id, "c": cents})
    return session.execute(text("SELECT COUNT(*) FROM payments")).scalar_one()


@DBOS.workflow()
def checkout(order_id: str, cents: int) -> int:
    return record_payment(order_id, cents)


def main() -> None:
    DBOS(
        config={
            "name": "lint-fixture",
            "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
            "notification_listener_polling_interval_sec": 0.01,
            "log_level": "WARNING",
        }
    )
    with ds.engine.begin() as conn:
        conn.execute(text("CREATE TABLE payments (order_id TEXT, cents INTEGER)"))
    DBOS.launch()
    assert checkout("o-1", 1999) == 1
    assert Ledger().transaction() == "ledger-tx" and Ledger.sql_session is None
    DBOS.destroy()


if __name__ == "__main__":
    main()

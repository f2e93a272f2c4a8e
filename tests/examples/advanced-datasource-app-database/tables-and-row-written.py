# Checks that the datasource creates its tables and writes the order once.
DBOS.launch()
place_order("o-1")
with app_db.engine.connect() as conn:
    tables = set(sa.inspect(conn).get_table_names())
    assert {"orders", "datasource_outputs", "dbos_datasource_migrations"} <= tables, tables
    assert conn.execute(sa.text("SELECT id FROM orders")).scalars().all() == ["o-1"]
assert app_db.schema is None  # SQLite: no schema; Postgres: "dbos"
DBOS.destroy()

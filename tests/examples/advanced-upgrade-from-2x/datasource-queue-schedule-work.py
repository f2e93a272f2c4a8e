# Checks that the datasource, queue and schedule of the 3.4 program all work.
with app_db.engine.begin() as conn:
    conn.execute(sa.text("CREATE TABLE greetings (name TEXT)"))
handle = DBOS.enqueue_workflow("greetings", greet, "ana")
handle.get_result(polling_interval_sec=0.1)
with app_db.engine.connect() as conn:
    assert conn.execute(sa.text("SELECT name FROM greetings")).scalars().all() == ["ana"]
assert DBOS.retrieve_queue("greetings").global_concurrency == 2
assert DBOS.get_schedule("nightly")["status"] == "ACTIVE"
DBOS.trigger_schedule("nightly").get_result(polling_interval_sec=0.1)
DBOS.destroy()

# Checks that launch only verifies (fails before the deploy step), and launches after it.
from dbos._error import DBOSInitializationError

os.environ["DBOS_ADMIN_DATABASE_URL"] = os.environ["DBOS_SYSTEM_DATABASE_URL"]  # one SQLite file here

@DBOS.workflow()
def invoice(n: int) -> str:
    return f"invoice {n}"

try:
    main()  # no deploy step yet: nothing creates the database
    raise AssertionError("launch should have failed")
except DBOSInitializationError as error:
    assert "run_migrations disabled" in str(error), error
DBOS.destroy(destroy_registry=False)
migrate()
migrate()  # repeated deploy: nothing to do, no error
main()
assert invoice(1) == "invoice 1"
DBOS.destroy()

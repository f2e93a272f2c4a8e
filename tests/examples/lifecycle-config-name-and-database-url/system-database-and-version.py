# Checks that the system database and application version are the configured ones.
import pathlib
sys_db = os.environ["DBOS_SYSTEM_DATABASE_URL"].removeprefix("sqlite:///")
assert pathlib.Path(sys_db).exists()
assert not pathlib.Path("orders.sqlite").exists()
assert DBOS.application_version == "1.4.0"
assert DBOS.list_workflows(name="ping")[0].status == "SUCCESS"
DBOS.destroy(destroy_registry=True)
# A removed key is rejected only when its value is non-empty.
from dbos import error
base = {"name": "order-service", "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"]}
DBOS(config={**base, "database_url": None})  # ignored
DBOS.destroy(destroy_registry=True)
try:
    DBOS(config={**base, "database_url": "sqlite:///app.sqlite"})
    raise AssertionError("expected DBOSInitializationError")
except error.DBOSInitializationError:
    pass

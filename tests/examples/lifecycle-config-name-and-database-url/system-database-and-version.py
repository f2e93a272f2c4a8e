# Checks that the system database and application version are the configured ones.
import pathlib
sys_db = os.environ["DBOS_SYSTEM_DATABASE_URL"].removeprefix("sqlite:///")
assert pathlib.Path(sys_db).exists()
assert not pathlib.Path("orders.sqlite").exists()
assert DBOS.application_version == "1.4.0"
assert DBOS.list_workflows(name="ping")[0].status == "SUCCESS"
DBOS.destroy()

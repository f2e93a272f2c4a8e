# Checks that the handler is registered on the launched instance and that a later registration raises.
from dbos._dbos import _get_dbos_instance
from dbos._error import DBOSException

assert _get_dbos_instance()._alert_handler is page_on_call
assert _get_dbos_instance()._launched
try:
    DBOS.alert_handler(page_on_call)
    raise AssertionError("registering after launch should raise")
except DBOSException as error:
    assert "before DBOS is launched" in str(error), error
DBOS.destroy()
DBOS(config={"name": "billing", "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"]})
DBOS.alert_handler(page_on_call)
try:
    DBOS.alert_handler(page_on_call)  # only one handler per process
    raise AssertionError("a second handler should raise")
except DBOSException as error:
    assert "already defined" in str(error), error
DBOS.destroy()

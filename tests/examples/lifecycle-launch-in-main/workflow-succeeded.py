# Checks that the workflow ran once and succeeded.
statuses = DBOS.list_workflows(name="process_order")
assert [s.status for s in statuses] == ["SUCCESS"], statuses
assert statuses[0].output == "reserved order-1"
# Launched after every decorator: the version hash covers process_order.
from dbos._dbos import _get_dbos_instance
assert DBOS.application_version == _get_dbos_instance()._registry.compute_app_version("orders")
DBOS.destroy()

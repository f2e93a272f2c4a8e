# Checks that the pinned version is the one recorded.
assert DBOS.application_version == "2024.06.1"
status = DBOS.list_workflows(name="collect_invoice")[0]
assert status.app_version == "2024.06.1", status.app_version
assert DBOS.get_latest_application_version()["version_name"] == "2024.06.1"
# The default it replaces hashes the app name too, and only the workflows registered so far.
from dbos._dbos import _get_dbos_instance
registry = _get_dbos_instance()._registry
default = registry.compute_app_version("billing")
assert default != registry.compute_app_version("billing-eu")


@DBOS.workflow()
def registered_after_launch() -> None:
    pass


assert registry.compute_app_version("billing") != default
DBOS.destroy()

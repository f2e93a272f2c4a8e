# Checks that the pinned version is the one recorded.
assert DBOS.application_version == "2024.06.1"
status = DBOS.list_workflows(name="collect_invoice")[0]
assert status.app_version == "2024.06.1", status.app_version
assert DBOS.get_latest_application_version()["version_name"] == "2024.06.1"
DBOS.destroy()

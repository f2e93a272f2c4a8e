# Checks that enqueued workflows carry the explicit version every process shares.
assert DBOS.application_version == "2024.06.1"
assert cpu_handle.get_status().app_version == "2024.06.1"
assert gpu_handle.get_status().app_version == "2024.06.1"
DBOS.destroy()

# Checks that one workflow's status and the recent failures are read.
from dbos import DBOS, DBOSConfig, SetWorkflowID

@DBOS.workflow()
def resize(image: str) -> str:
    if image == "bad":
        raise ValueError("cannot decode")
    return f"small-{image}"

config: DBOSConfig = {
    "name": "example-app",
    "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
    "notification_listener_polling_interval_sec": 0.01,
    "log_level": "WARNING",
}
DBOS(config=config)
DBOS.launch()
with SetWorkflowID("resize-ok"):
    resize("cat")
try:
    with SetWorkflowID("resize-bad"):
        resize("bad")
except ValueError:
    pass
assert job_status("resize-ok") == {"id": "resize-ok", "status": "SUCCESS", "result": "small-cat"}
assert job_status("resize-bad")["status"] == "ERROR"
failures = recent_failures()
assert [f[0] for f in failures] == ["resize-bad"] and "cannot decode" in failures[0][1]
client.destroy()
DBOS.destroy()

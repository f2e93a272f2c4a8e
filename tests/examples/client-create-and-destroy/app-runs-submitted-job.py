# Checks that the app runs the job the client submitted.
from dbos import DBOS, DBOSConfig

@DBOS.workflow()
def process_job(job_id: str) -> str:
    return f"done {job_id}"

config: DBOSConfig = {
    "name": "example-app",
    "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
    "notification_listener_polling_interval_sec": 0.01,
    "log_level": "WARNING",
}
DBOS(config=config)
DBOS.launch()
DBOS.register_queue("jobs", polling_interval_sec=0.1)
assert submit_job("j-1") == "done j-1"
assert [w.status for w in DBOS.list_workflows(name="process_job")] == ["SUCCESS"]
DBOS.destroy()

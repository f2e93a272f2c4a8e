# Checks that a repeated request returns the same workflow, run once.
from dbos import DBOS, DBOSConfig

@DBOS.workflow(name="generate_report")
def generate_report(report_id: str, fmt: str) -> str:
    return f"{report_id}.{fmt}"

config: DBOSConfig = {
    "name": "example-app",
    "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
    "notification_listener_polling_interval_sec": 0.01,
    "log_level": "WARNING",
}
DBOS(config=config)
DBOS.launch()
DBOS.register_queue("reports", polling_interval_sec=0.1)
wid = request_report("r-1", urgent=True)
assert request_report("r-1") == wid == "report-r-1"
assert client.retrieve_workflow(wid).get_result(polling_interval_sec=0.1) == "r-1.pdf"
assert len(client.list_workflows(name="generate_report")) == 1
client.destroy()
DBOS.destroy()

# Checks that the app "reports" runs a schedule applied by the client, and the client pauses it.
from datetime import datetime
from typing import Any

from dbos import DBOS

@DBOS.workflow()
def nightly_report(scheduled_time: datetime, context: Any) -> str:
    return f"report {context['region']}"

DBOS(config={
    "name": "reports",
    "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
    "log_level": "WARNING",
})
DBOS.launch()
schedule_report("eu")
schedule_report("eu")  # upsert: no error the second time
stored = DBOS.get_schedule("report-eu")
assert (stored["workflow_name"], stored["application_name"], stored["status"]) == ("nightly_report", "reports", "ACTIVE")
assert stored["context"] == {"region": "eu"} and stored["cron_timezone"] == "Europe/Paris"
handle = client.trigger_schedule("report-eu")  # the app runs it now
assert handle.get_result(polling_interval_sec=0.05) == "report eu"
pause_report("eu")
assert DBOS.get_schedule("report-eu")["status"] == "PAUSED"
client.destroy()
DBOS.destroy()

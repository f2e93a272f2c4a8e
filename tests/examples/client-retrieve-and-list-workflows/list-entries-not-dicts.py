# Checks that indexing a listed workflow like a dict raises TypeError.
import os
from dbos import DBOS, DBOSConfig, DBOSClient

@DBOS.workflow()
def broken() -> None:
    raise ValueError("boom")

DBOS(config={"name": "example-app", "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
             "notification_listener_polling_interval_sec": 0.01, "log_level": "WARNING"})
DBOS.launch()
try:
    broken()
except ValueError:
    pass
client = DBOSClient(system_database_url=os.environ["DBOS_SYSTEM_DATABASE_URL"])
try:
    print_failures(client)
finally:
    client.destroy()
    DBOS.destroy()

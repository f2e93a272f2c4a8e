# Checks that the app runs what its named client enqueues; another name waits.
from dbos import DBOS, DBOSConfig

@DBOS.workflow()
def send_invoice(invoice_id: str) -> str:
    return f"sent {invoice_id}"

config: DBOSConfig = {
    "name": "billing",
    "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
    "notification_listener_polling_interval_sec": 0.01,
    "log_level": "WARNING",
}
DBOS(config=config)
DBOS.launch()
DBOS.register_queue("invoices", polling_interval_sec=0.1)
assert send_invoice_later("inv-1") == "sent inv-1"
assert [w.status for w in client.list_workflows()] == ["SUCCESS"]

import time
wrong = DBOSClient(system_database_url=os.environ["DBOS_SYSTEM_DATABASE_URL"], application_name="billing-cli")
h = wrong.enqueue({"workflow_name": "send_invoice", "queue_name": "invoices"}, "inv-2")
time.sleep(1.5)
assert (h.get_status().status, h.get_status().application_name) == ("ENQUEUED", "billing-cli")
assert [w.workflow_id for w in wrong.list_workflows()] == [h.get_workflow_id()]
wrong.destroy()
# A client without application_name enqueues an unclaimed row: any app may run it, and billing does.
anyone = DBOSClient(system_database_url=os.environ["DBOS_SYSTEM_DATABASE_URL"])
h3 = anyone.enqueue({"workflow_name": "send_invoice", "queue_name": "invoices"}, "inv-3")
assert h3.get_result(polling_interval_sec=0.1) == "sent inv-3"
assert h3.get_status().application_name == "billing"
anyone.destroy()
client.destroy()
DBOS.destroy()

# Runs a worker on dbos_config() and checks that the client's job is stamped with its version and runs there.
from dbos import DBOS


@DBOS.workflow(name="send_invoice")
def send_invoice(invoice_id: str) -> str:
    return f"{DBOS.application_version}:{invoice_id}"


DBOS(config=dbos_config())
DBOS.launch()
DBOS.register_queue("invoices", polling_interval_sec=0.05)
assert DBOS.application_version == APP_VERSION

client = DBOSClient(system_database_url=DB_URL)
workflow_id = enqueue_invoice(client, "inv-7")
assert client.retrieve_workflow(workflow_id).get_result(polling_interval_sec=0.05) == f"{APP_VERSION}:inv-7"
assert DBOS.get_workflow_status(workflow_id).app_version == APP_VERSION
client.destroy()
DBOS.destroy()

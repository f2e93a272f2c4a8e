# Checks that the client reads the event and a duplicate send is ignored.
from dbos import DBOS, DBOSConfig, SetWorkflowID

@DBOS.workflow()
def order_workflow(order_id: str) -> str:
    DBOS.set_event("payment_link", f"https://pay.example.com/{order_id}")
    first = DBOS.recv("payment", timeout_seconds=10)
    second = DBOS.recv("payment", timeout_seconds=0.5)
    return f"{first}/{second}"

config: DBOSConfig = {
    "name": "example-app",
    "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
    "notification_listener_polling_interval_sec": 0.01,
    "log_level": "WARNING",
}
DBOS(config=config)
DBOS.launch()
with SetWorkflowID("order-42"):
    handle = DBOS.start_workflow(order_workflow, "42")
assert payment_link("42") == "https://pay.example.com/42"
on_payment_webhook("42", "evt-1")
on_payment_webhook("42", "evt-1")  # duplicate delivery is ignored
assert handle.get_result() == "paid/None"
assert client.get_event("order-42", "missing", timeout_seconds=0.1) is None
client.destroy()
DBOS.destroy()

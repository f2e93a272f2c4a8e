# Checks that the handler reads the events the workflow published.
url = checkout_endpoint("order-1")
assert url == "https://pay.example/order-1", url
assert DBOS.get_all_events("checkout-order-1") == {"status": "awaiting_payment", "payment_url": url}
DBOS.send("checkout-order-1", True, "payment")
assert DBOS.retrieve_workflow("checkout-order-1").get_result(polling_interval_sec=0.05) == "done"
assert DBOS.get_event("checkout-order-1", "status", timeout_seconds=1) == "paid"
DBOS.destroy()

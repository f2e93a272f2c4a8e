# Checks that each named instance runs and is recorded with its config name.
assert us_gateway.refund("ch_2") == "us:refunded:ch_2"
statuses = {w.config_name: w.class_name for w in DBOS.list_workflows()}
assert statuses == {"gateway-eu": "PaymentGateway", "gateway-us": "PaymentGateway"}, statuses
DBOS.destroy()

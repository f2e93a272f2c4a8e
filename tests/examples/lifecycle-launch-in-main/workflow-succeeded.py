# Checks that the workflow ran once and succeeded.
statuses = DBOS.list_workflows(name="process_order")
assert [s.status for s in statuses] == ["SUCCESS"], statuses
assert statuses[0].output == "reserved order-1"
DBOS.destroy()

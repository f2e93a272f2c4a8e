# Checks that a failed charge releases the stock and re-raises.
assert place_order("o-1", 50) == "ship_o-1"
try:
    place_order("o-2", 5000)
    raise AssertionError("expected the charge to fail")
except ValueError:
    pass
assert ledger == ["reserve o-1", "charge o-1", "reserve o-2", "release o-2"], ledger
failed = [w for w in DBOS.list_workflows() if w.status == "ERROR"]
assert len(failed) == 1
names = [s["function_name"] for s in DBOS.list_workflow_steps(failed[0].workflow_id)]
assert names == ["reserve_stock", "charge_card", "release_stock"], names
DBOS.destroy()

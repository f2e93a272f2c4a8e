# Checks that retrying or replaying the email step never repeats the charge.
DBOS.launch()
handle = DBOS.start_workflow(checkout, "o-1", 1999)
assert handle.get_result() == "ch_o-1"
assert charges == ["o-1"], charges  # two email retries, one charge
steps = DBOS.list_workflow_steps(handle.workflow_id)
assert [s["function_name"] for s in steps] == ["charge_card", "email_receipt"], steps
# Re-running from step 2, as recovery after a crash there would: the charge is replayed, not repeated.
assert DBOS.fork_workflow(handle.workflow_id, 2).get_result() == "ch_o-1"
assert charges == ["o-1"], charges

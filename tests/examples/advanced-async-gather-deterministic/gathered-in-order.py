# Checks that the gathered steps run and are recorded in a fixed order.
async def main() -> list:
    DBOS.launch()
    return await enrich("ana")
profile, orders, tickets, total = asyncio.run(main())
assert (profile, orders, total) == ("profile:ana", 3, 30)
assert isinstance(tickets, RuntimeError)
[wf] = DBOS.list_workflows(name="enrich")
steps = [s["function_name"] for s in DBOS.list_workflow_steps(wf.workflow_id)]
assert steps[:3] == ["fetch_profile", "fetch_orders", "fetch_tickets"], steps
DBOS.destroy()

# Checks that the step IDs follow the list order, that replays return the same lists and that a reservation runs once.
from dbos import error


@DBOS.workflow()
async def run_twice() -> None:
    slot = DBOS.reserve_step()
    await slot.run_async(None, summarize, "<html>x</html>")
    await slot.run_async(None, summarize, "<html>x</html>")


async def main() -> tuple:
    DBOS.launch()
    first = await digest(["a-slow", "b"])
    [wf] = await DBOS.list_workflows_async(name="digest")
    steps = await DBOS.list_workflow_steps_async(wf.workflow_id)
    recorded = [(s["function_id"], s["function_name"], s["output"]) for s in steps]
    forks = [await DBOS.fork_workflow_async(wf.workflow_id, len(steps) + 1) for _ in range(5)]
    replays = [await h.get_result(polling_interval_sec=0.05) for h in forks]
    try:
        await run_twice()
        twice = None
    except error.DBOSException as e:
        twice = str(e)
    return first, recorded, replays, twice


first, recorded, replays, twice = asyncio.run(main())
DBOS.destroy()
assert first == ["A-SLOW", "B"], first
# "b" was fetched first, yet its steps hold IDs 3 and 4: the IDs were drawn in list order
assert [(i, name) for i, name, _ in recorded] == [
    (1, "fetch_page"), (2, "summarize"), (3, "fetch_page"), (4, "summarize")
], recorded
assert recorded[0][2] == "<html>a-slow</html>" and recorded[2][2] == "<html>b</html>", recorded
assert all(r == first for r in replays), replays
assert twice is not None and "only be run once" in twice, twice

# Replays the workflow 20 times from its checkpoints: about half come back swapped, none raises.
async def main() -> tuple:
    DBOS.launch()
    first = await statement("alice", "bob")
    [wf] = await DBOS.list_workflows_async(name="statement")
    steps = await DBOS.list_workflow_steps_async(wf.workflow_id)
    forks = [await DBOS.fork_workflow_async(wf.workflow_id, len(steps) + 1) for _ in range(20)]
    return first, [await h.get_result() for h in forks]
first, replays = asyncio.run(main())
DBOS.destroy()
if first != ["alice: 100", "bob: 5"]:
    raise RuntimeError(f"unexpected first run: {first}")
wrong = [r for r in replays if r != first]
assert all(r == ["bob: 5", "alice: 100"] for r in wrong), wrong
assert not wrong, f"{len(wrong)} of 20 replays returned {wrong[0]}, the first run {first}"

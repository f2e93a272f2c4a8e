# Checks that the awaited handle returns the result and both workflows succeed.
async def check() -> None:
    handle = await DBOS.start_workflow_async(build_report, "cy")
    again = await DBOS.retrieve_workflow_async(handle.workflow_id)
    assert await again.get_result() == "report for cy"
    assert (await again.get_status()).status == "SUCCESS"
asyncio.run(check())
names = sorted(w.name for w in DBOS.list_workflows(status="SUCCESS"))
assert names == ["build_report", "build_report", "legacy_export"], names
DBOS.destroy()

"""Sync DBOS calls in async code, and sync starts of async workflows."""

import asyncio

from dbos import DBOS
from dbos import DBOS as D


@DBOS.step()
def record(value: str) -> str:
    return value


@DBOS.workflow()
async def build_report(user: str) -> str:
    await DBOS.sleep_async(0.1)
    return f"report for {user}"


@DBOS.workflow()
def legacy_export(user: str) -> str:
    DBOS.sleep(0.1)  # a sync workflow may call the sync API
    return user


@DBOS.workflow()
async def send_reminder(user: str) -> str:
    DBOS.set_event("state", "waiting")  # expect: advanced-async-await-async-apis
    D.sleep(1)  # expect: advanced-async-await-async-apis
    DBOS.write_stream("progress", 1)  # expect: advanced-async-await-async-apis
    record(user)  # a sync step called from an async workflow: allowed
    child = DBOS.start_workflow(build_report, user)  # expect: advanced-async-await-async-apis
    other = DBOS.start_workflow(legacy_export, user)  # a sync child workflow: not reported
    await DBOS.set_event_async("state", "sent")
    return f"{child.get_result()}{other.workflow_id}"


async def report_endpoint(user: str) -> str:  # e.g. an async FastAPI route
    handle = DBOS.start_workflow(build_report, user)  # expect: advanced-async-start-workflow-async
    return handle.get_result()


async def start_endpoint(user: str) -> str:
    handle = DBOS.start_workflow(build_report, user)  # not waited on here: not reported
    return handle.workflow_id


async def chained_endpoint(user: str) -> str:
    return DBOS.start_workflow(build_report, user).get_result()  # expect: advanced-async-start-workflow-async


async def awaited_endpoint(user: str) -> str:
    handle = await DBOS.start_workflow_async(build_report, user)
    return await handle.get_result()


async def status_endpoint(workflow_id: str) -> str:
    status = DBOS.get_workflow_status(workflow_id)  # expect: advanced-async-await-async-apis
    steps = DBOS.list_workflow_steps(workflow_id)  # expect: advanced-async-await-async-apis

    def blocking_read() -> object:
        return DBOS.get_workflow_status(workflow_id)  # runs in a thread: fine

    later = await asyncio.to_thread(blocking_read)
    return f"{status}{len(steps)}{later}"

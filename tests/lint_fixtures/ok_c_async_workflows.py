"""Async workflows that await the _async APIs and call sync steps; sync DBOS calls only where no loop runs."""

import asyncio
import os

from dbos import DBOS


@DBOS.step()
def normalize(user: str) -> str:  # a sync step, called directly from async workflows below
    return user.strip().lower()


@DBOS.step()
async def send_email(to: str) -> str:
    await asyncio.sleep(0.01)
    return f"sent to {to}"


@DBOS.step()
async def fetch_orders(user: str) -> int:
    return 3


@DBOS.workflow()
def export(user: str) -> str:  # a plain def workflow: the sync APIs are right here
    DBOS.sleep(0.01)
    DBOS.set_event("exported", user)
    return f"export {user}"


@DBOS.workflow()
async def remind(user: str, sleep: float) -> str:  # a parameter named like a DBOS method
    name = normalize(user)
    await DBOS.set_event_async("state", "waiting")
    await DBOS.sleep_async(sleep)
    result = await send_email(name)
    await DBOS.set_event_async("state", "sent")
    return result


@DBOS.workflow()
async def enrich(user: str) -> list:
    async def profile_then_orders() -> str:  # one sequence next to single steps: a fixed start order
        profile = await send_email(user)
        return f"{profile}/{await fetch_orders(user)}"

    gathered = await asyncio.gather(fetch_orders(user), send_email(user), profile_then_orders())
    child = await DBOS.start_workflow_async(remind, user, 0.01)
    return [*gathered, await child.get_result()]


async def remind_endpoint(user: str) -> str:  # e.g. an async FastAPI route
    handle = await DBOS.start_workflow_async(remind, user, 0.01)
    return await handle.get_result()


async def export_endpoint(user: str) -> str:
    def read_status() -> str:  # runs on a worker thread, where the sync API is right
        handle = DBOS.start_workflow(export, user)
        handle.get_result(polling_interval_sec=0.05)
        return DBOS.get_workflow_status(handle.workflow_id).status

    return await asyncio.to_thread(read_status)


def exported_user(workflow_id: str) -> str:  # plain sync code outside any event loop
    return DBOS.get_event(workflow_id, "exported", timeout_seconds=1)


async def serve() -> list:
    DBOS.launch()
    return await asyncio.gather(remind_endpoint(" Ana "), export_endpoint("bo"), enrich("cy"))


def main() -> None:
    DBOS(config={
        "name": "lint-fixture",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    })
    reminded, exported, enriched = asyncio.run(serve())
    assert reminded == "sent to ana", reminded
    assert exported == "SUCCESS", exported
    assert enriched == [3, "sent to cy", "sent to cy/3", "sent to cy"], enriched
    [export_run] = DBOS.list_workflows(name="export")
    assert exported_user(export_run.workflow_id) == "bo"
    DBOS.destroy()


if __name__ == "__main__":
    main()

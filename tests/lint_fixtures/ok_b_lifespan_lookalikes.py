"""DBOS launched in a FastAPI lifespan, queues registered right after launch, a DBOSClient that enqueues with an
options dict, and look-alikes of DBOS names (our own Queue class, the stdlib queue, helpers named like DBOS calls)."""

import os
import queue as stdlib_queue
from contextlib import asynccontextmanager

from dbos import DBOS, DBOSClient, DBOSConfig, EnqueueOptions
from fastapi import FastAPI
from fastapi.testclient import TestClient


class Queue:
    """Our own in-memory work list, not dbos.Queue."""

    def __init__(self, name: str, concurrency: int = 1):
        self.name, self.concurrency, self.items = name, concurrency, stdlib_queue.Queue()


thumbnails = Queue("thumbnails", concurrency=10)  # our class: constructing it at import is fine


def register_queue(name: str) -> Queue:  # a helper named like the DBOS call
    return Queue(name)


def launch() -> Queue:
    return register_queue("local")


local_work = launch()  # not DBOS.launch()


@DBOS.step()
def charge(order_id: str) -> str:
    return f"charged {order_id}"


@DBOS.workflow()
def checkout(order_id: str, priority: str = "normal") -> str:
    return f"{charge(order_id)} ({priority})"


@asynccontextmanager
async def lifespan(app: FastAPI):
    config: DBOSConfig = {
        "name": "lint-fixture",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    }
    DBOS(config=config)
    DBOS.launch()
    await DBOS.register_queue_async("orders", polling_interval_sec=0.05)
    yield
    DBOS.destroy()


app = FastAPI(lifespan=lifespan)


@app.post("/orders/{order_id}")
def create_order(order_id: str) -> dict:
    return {"result": checkout(order_id, priority="rush")}


@app.post("/queued/{order_id}")
def queue_order(order_id: str) -> dict:
    handle = DBOS.enqueue_workflow("orders", checkout, order_id, priority="low")  # checkout's own parameter
    return {"result": handle.get_result(polling_interval_sec=0.05)}


def main() -> None:
    thumbnails.items.put("a.png")
    with TestClient(app) as http:
        assert http.post("/orders/o-1").json() == {"result": "charged o-1 (rush)"}
        assert http.post("/queued/o-2").json() == {"result": "charged o-2 (low)"}
        client = DBOSClient(system_database_url=os.environ["DBOS_SYSTEM_DATABASE_URL"])
        options: EnqueueOptions = {"queue_name": "orders", "workflow_name": "checkout", "priority": 3}
        handle = client.enqueue(options, "o-3")
        assert handle.get_result(polling_interval_sec=0.05) == "charged o-3 (normal)"
        client.destroy()
    assert local_work.name == "local" and thumbnails.items.get() == "a.png"


if __name__ == "__main__":
    main()

"""Unpicklable workflow data, tracing endpoints without enable_otlp, interleaved step sequences."""

import asyncio
import os
import sqlite3
import threading
from typing import Generator

from pydantic import BaseModel

from dbos import DBOS, DBOSClient, DBOSConfig


class Order(BaseModel):
    order_id: str
    quantity: int


@DBOS.workflow()
def fulfil(order: Order) -> str:
    return f"{order.order_id} x{order.quantity}"


def submit_order(client: DBOSClient) -> None:
    client.enqueue({"queue_name": "orders", "workflow_name": "fulfil"}, {"order_id": "o-1", "quantity": "3"})  # expect: advanced-validate-args-pydantic


@DBOS.workflow()
def count_users(conn: sqlite3.Connection) -> int:  # expect: advanced-serializable-inputs-outputs
    return 0


@DBOS.step()
def open_db(path: str) -> sqlite3.Connection:  # expect: advanced-serializable-inputs-outputs
    return sqlite3.connect(path)


@DBOS.step()
def use_lock(lock: threading.Lock) -> int:  # a step's arguments are not checkpointed
    return 1


@DBOS.workflow()
def rows(path: str) -> Generator[int, None, None]:  # expect: advanced-serializable-inputs-outputs
    yield 1


@DBOS.step()
async def fetch_profile(user: str) -> str:
    return user


@DBOS.step()
async def score(profile: str) -> int:
    return 1


@DBOS.step()
async def fetch_orders(user: str) -> list:
    return []


@DBOS.step()
async def total(orders: list) -> int:
    return len(orders)


@DBOS.workflow()
async def enrich(user: str) -> list:
    async def profile_then_score() -> int:
        return await score(await fetch_profile(user))

    async def orders_then_total() -> int:
        orders = await fetch_orders(user)
        return await total(orders)

    return await asyncio.gather(profile_then_score(), orders_then_total())  # expect: advanced-async-gather-deterministic


def main() -> None:
    config: DBOSConfig = {
        "name": "checkout",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "otlp_traces_endpoints": ["http://localhost:4318/v1/traces"],  # expect: advanced-otel-enable-otlp
    }
    DBOS(config=config)
    DBOS.launch()

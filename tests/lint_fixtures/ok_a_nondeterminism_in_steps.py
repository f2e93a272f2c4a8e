"""Randomness, UUIDs, the clock, the environment and file I/O where they belong: in steps, in DBOS.run_step lambdas,
in main and in plain helpers. The workflow itself uses only seeded or name-based values, module constants and
parameters that happen to be named like modules or step options."""

import os
import random
import tempfile
import time
import uuid
from datetime import date, datetime

from dbos import DBOS, SetWorkflowID

REGION = os.environ.get("REGION", "eu-west")  # read once at import: a constant for every workflow
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "orders.example.com")
BOOT_TIME = time.time()


@DBOS.step()
def new_token() -> str:
    return f"{uuid.uuid4().hex}-{random.randint(1000, 9999)}"


@DBOS.step()
def now_iso() -> str:
    return datetime.now().isoformat()


@DBOS.step()
def write_receipt(path: str, order_id: str) -> int:
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{order_id} {date.today()} {os.getenv('USER', 'app')} {time.time()}\n")
    time.sleep(0.01)  # a blocking wait is fine inside a step
    return os.path.getsize(path)


def jitter() -> float:
    """A plain helper: not a workflow, so it may use the clock and randomness."""
    return random.random() * (time.time() - BOOT_TIME + 1)


@DBOS.workflow()
def place_order(order_id: str, time: float = 0.0, max_attempts: int = 3, path: str = "") -> dict:
    token = new_token()
    created = now_iso()
    shuffled = list("abcde")
    random.Random(order_id).shuffle(shuffled)  # seeded by the argument: the same on every replay
    order_uuid = str(uuid.uuid5(NAMESPACE, order_id))  # name-based: deterministic
    sample = DBOS.run_step({"name": "sample"}, lambda: random.sample(range(100), 3))
    stamp = DBOS.run_step(None, time_ns_now)
    size = write_receipt(path, order_id)
    DBOS.sleep(time)
    return {
        "token": token, "created": created, "shuffled": "".join(shuffled), "uuid": order_uuid,
        "sample": sample, "stamp": stamp, "size": size, "region": REGION, "attempts": max_attempts,
    }


def time_ns_now() -> int:
    return time.time_ns()


def main() -> None:
    DBOS(
        config={
            "name": "lint-fixture",
            "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
            "notification_listener_polling_interval_sec": 0.01,
            "log_level": "WARNING",
        }
    )
    DBOS.launch()
    started = datetime.now()
    path = os.path.join(tempfile.mkdtemp(), "receipt.txt")
    with SetWorkflowID(f"order-{random.randint(1, 10**9)}"):
        first = place_order("o-1", time=0.01, path=path)
    assert first["uuid"] == str(uuid.uuid5(NAMESPACE, "o-1"))
    assert sorted(first["shuffled"]) == list("abcde") and len(first["sample"]) == 3
    assert first["size"] > 0 and first["region"] == REGION
    assert jitter() >= 0 and (datetime.now() - started).total_seconds() < 60
    DBOS.destroy()


if __name__ == "__main__":
    main()

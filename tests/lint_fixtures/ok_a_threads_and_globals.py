"""Threads, locks and pools outside workflows; a lazily created client in a step (global inside the step);
module-level constants and a per-process log that only steps and main touch; an async workflow that calls a sync
step both directly and through asyncio.to_thread."""

import asyncio
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor

from dbos import DBOS, SetWorkflowID

SKU_RE = re.compile(r"^[A-Z]{3}-\d+$")
PRICES = {"ABC-1": 5, "XYZ-2": 7}
_client = None
_client_lock = threading.Lock()
audit_log: list[str] = []


class PricingClient:
    def quote(self, sku: str) -> int:
        return PRICES[sku]


def pricing() -> PricingClient:
    global _client
    with _client_lock:
        if _client is None:
            _client = PricingClient()
        return _client


@DBOS.step()
def quote(sku: str) -> int:
    global _client
    if _client is None:
        _client = pricing()
    audit_log.append(sku)  # a per-process log the workflow never reads
    return _client.quote(sku)


@DBOS.step()
def fan_out_inside_step(skus: list[str]) -> int:
    # A pool inside a step is ordinary code: the step is recorded as a whole.
    with ThreadPoolExecutor(max_workers=2) as pool:
        return sum(pool.map(len, skus))


@DBOS.workflow()
def price_basket(skus: list[str]) -> int:
    valid = [s for s in skus if SKU_RE.match(s)]  # module constant: fine
    total = sum(quote(s) for s in valid)
    return total + fan_out_inside_step(valid)


@DBOS.step()
def count_skus(skus: list[str]) -> int:
    return len(skus)


@DBOS.workflow()
async def count_async(skus: list[str]) -> int:
    direct = count_skus(skus)
    threaded = await asyncio.to_thread(count_skus, skus)
    return direct + threaded


def warm_cache() -> None:
    pricing()


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
    warmer = threading.Thread(target=warm_cache)
    warmer.start()
    warmer.join()

    def run(i: int) -> int:
        with SetWorkflowID(f"basket-{i}"):
            return price_basket(["ABC-1", "XYZ-2", "bad"])

    with ThreadPoolExecutor(max_workers=2) as pool:  # concurrent callers, outside any workflow
        totals = list(pool.map(run, range(2)))
    assert totals == [22, 22], totals
    assert asyncio.run(count_async(["a", "b"])) == 4
    assert "ABC-1" in audit_log
    DBOS.destroy()


if __name__ == "__main__":
    main()

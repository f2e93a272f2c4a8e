"""Map a function over many items on every CPU: large packs load and validate in forked worker processes."""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 1_000
"""Below this many items one process is faster than starting workers."""

_job: tuple[Callable, Sequence] | None = None


def map_in_order(fn: Callable[[T], R], items: Sequence[T], min_items: int | None = None) -> list[R]:
    """``[fn(item) for item in items]``, split over forked workers when the input is large and the machine has
    more than one CPU. Workers inherit ``fn`` and ``items`` from the fork; only results are sent back."""
    global _job
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < (MIN_ITEMS if min_items is None else min_items) or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(item) for item in items]
    size = -(-len(items) // workers)
    ranges = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _job = (fn, items)
    try:
        with multiprocessing.get_context("fork").Pool(len(ranges)) as pool:
            parts = pool.map(_run_range, ranges)
    finally:
        _job = None
    return [result for part in parts for result in part]


def _run_range(bounds: tuple[int, int]) -> list:
    fn, items = _job
    return [fn(items[index]) for index in range(*bounds)]

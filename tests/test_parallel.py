"""Large packs load and validate in forked workers; the result must equal the single-process one."""

from __future__ import annotations

from skillpack import parallel
from skillpack.load import load_pack
from skillpack.validate import validate_pack


def test_map_in_order_keeps_order_across_workers():
    items = list(range(101))
    assert parallel.map_in_order(lambda n: n * n, items, min_items=1) == [n * n for n in items]


def test_parallel_load_and_validate_equal_sequential(pack, monkeypatch):
    rule = pack / "references/step-retries.md"
    rule.write_text(rule.read_text().replace("priority: HIGH", "priority: URGENT"))
    sequential = load_pack(pack)
    expected = validate_pack(sequential)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    forked = load_pack(pack)
    assert [r.path for r in forked.rules] == [r.path for r in sequential.rules]
    assert forked.rules == sequential.rules
    assert validate_pack(forked) == expected
    assert any("priority 'URGENT'" in d.message for d in expected)

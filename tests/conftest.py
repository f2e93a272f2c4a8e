"""Shared fixtures: a small valid pack copied into a temp folder, and an in-process CLI runner."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from skillpack.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_PACK = Path(__file__).parent / "fixtures" / "pack"
RULE = "references/step-retries.md"
"""A rule of the fixture pack, by its path in the pack."""
DRIVER = "tests/examples/step-retries/fetch-returns-data.py"
"""The sidecar driver of one of RULE's examples."""


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first ``old`` by ``new`` in the file ``rel`` of the pack at ``root``; ``old`` must be there."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the three-rule fixture pack, free to break."""
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, root)
    return root


@pytest.fixture
def cli(capsys):
    """Run the skillpack CLI in-process: cli(root, "validate") -> CliResult."""

    def run(root: Path, *args: str) -> CliResult:
        code = main(["--root", str(root), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def pytest_terminal_summary(terminalreporter):
    """Print the example harness's figures: executed, marked, total, and their time."""
    reports = [r for r in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
               if r.when == "call" and "test_examples.py::test_example[" in r.nodeid]
    if not reports:
        return
    from skillpack.examples import SKIP, collect

    cases = collect(ROOT)
    correct = [c for c in cases if c.example.kind == "correct"]
    marked = [c for c in correct if c.mode == SKIP]
    executed = [r for r in reports if dict(r.user_properties).get("example_mode") != "raises"]
    failed = [r for r in reports if r.failed]
    seconds = sum(r.duration for r in reports)
    terminalreporter.write_sep("-", "example harness")
    terminalreporter.write_line(
        f"Correct blocks: {len(executed)} executed, {len(marked)} marked skip, {len(correct)} total; "
        f"Incorrect blocks shown to fail: {len(reports) - len(executed)}; failed: {len(failed)}; "
        f"{seconds:.1f} s of example processes"
    )
    for case in marked:
        terminalreporter.write_line(f"marked skip: {case.where}: {case.example.options['skip']}")

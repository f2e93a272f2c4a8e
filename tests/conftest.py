"""Shared fixtures: a small valid pack copied into a temp folder, and an in-process CLI runner."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from skillpack.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_PACK = Path(__file__).parent / "fixtures" / "pack"


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

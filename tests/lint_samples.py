"""Small programs for running dbos-lint where it is installed: one with a finding, one clean, one without dbos."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from skillpack.bundle import linter_files

BAD = """\
import time

from dbos import DBOS


@DBOS.workflow()
def onboarding(user_id: str) -> None:
    time.sleep(60)
"""
GOOD = """\
from dbos import DBOS


@DBOS.workflow()
def onboarding(user_id: str) -> None:
    DBOS.sleep(60)
"""
NOT_DBOS = """\
import time


def wait() -> None:
    time.sleep(1)
"""


def copy_linter(source: Path, dest: Path) -> None:
    """Copy the linter the pack at ``source`` ships (``bundle.linter_files``: its entry script and package, as the
    bundle has them) into the folder ``dest``, at the same paths (nothing when the pack ships none)."""
    for name, data in linter_files(source).items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(data)


def bare_python() -> str:
    """The Python this venv was made from, outside the venv (nothing of the project installed)."""
    for candidate in (Path(sys.base_prefix) / "bin" / "python3", Path("/usr/bin/python3")):
        if candidate.exists():
            return str(candidate)
    raise AssertionError("no python3 outside the venv")


def assert_linter_runs_from(skill_folder: Path, tmp_path: Path) -> None:
    """``python3 -I <skill>/scripts/dbos_lint.py`` flags the bad file (exit 1) and passes the good one (exit 0).
    ``-B`` keeps bytecode out of the installed copy, so its measured size stays what the install wrote."""
    linter = skill_folder / "scripts" / "dbos_lint.py"
    assert linter.is_file(), f"{linter} is not installed"
    for name, text, code in (("bad.py", BAD, 1), ("good.py", GOOD, 0)):
        path = tmp_path / f"lint-{name}"
        path.write_text(text, encoding="utf-8")
        proc = subprocess.run([bare_python(), "-I", "-B", str(linter), "--format", "json", str(path)],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert proc.returncode == code, proc.stdout + proc.stderr
        if code:
            assert '"rule": "workflow-durable-sleep"' in proc.stdout
            assert str(skill_folder / "references" / "workflow-durable-sleep.md") in proc.stdout

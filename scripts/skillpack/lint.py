"""The pack's tie to dbos-lint: which rules have a check, and the checks that name no rule of the pack.

The linter asked is the one the pack ships (``<root>/scripts/dbos_lint.py``), run as a user runs it, so a pack is
judged by its own copy even when another copy is importable.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

from .model import Diagnostic, Pack

LINTER_SCRIPT = "scripts/dbos_lint.py"


class LinterError(Exception):
    """The pack's linter could not list its rules."""


def checked_rules(pack: Pack) -> set[str] | None:
    """The rule ids that the pack's dbos-lint checks, or None when the pack ships no linter."""
    script = pack.root / LINTER_SCRIPT
    if not script.is_file():
        return None
    return set(_listed_rules(script.resolve(), script.stat().st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _listed_rules(script: Path, _mtime: int) -> tuple[str, ...]:
    proc = subprocess.run(
        [sys.executable, "-I", "-B", str(script), "--list-rules"], capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        raise LinterError(f"{script} --list-rules failed: {proc.stderr.strip()[-500:]}")
    return tuple(line.split()[0] for line in proc.stdout.splitlines() if line.strip())


def validate_checks(pack: Pack) -> list[Diagnostic]:
    """A check must name a rule of the pack: its id is the rule file's stem."""
    try:
        checked = checked_rules(pack)
    except LinterError as exc:
        return [Diagnostic(pack.root / LINTER_SCRIPT, 1, str(exc))]
    if not checked:
        return []
    stems = {rule.stem for rule in pack.rules}
    return [
        Diagnostic(pack.root / LINTER_SCRIPT, 1, f"dbos-lint has a check for '{rule}', but references/{rule}.md does not exist")
        for rule in sorted(checked - stems)
    ]


def coverage(pack: Pack) -> str | None:
    """``lint: 41 of 74 rules have a check`` (None when the pack ships no linter)."""
    checked = checked_rules(pack)
    if checked is None:
        return None
    covered = len(checked & {rule.stem for rule in pack.rules})
    return f"lint: {covered} of {len(pack.rules)} rules have a check"

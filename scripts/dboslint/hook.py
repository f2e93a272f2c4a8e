"""Claude Code's PostToolUse hook: lint the Python file that Write, Edit or MultiEdit just changed.

Claude Code passes the event as JSON on standard input. A file with findings makes the hook exit 2 with the
findings on standard error, which Claude Code hands back to the agent; anything else (a clean file, a file that is
not Python or does not use dbos, another tool) exits 0 in silence.
"""

from __future__ import annotations

import json
import os
from typing import TextIO

from .engine import lint_bytes
from .files import read_bytes
from .model import Finding
from .output import rule_file

EDIT_TOOLS = frozenset({"Write", "Edit", "MultiEdit"})
BLOCK = 2
"""The exit code that makes Claude Code show the hook's standard error to the agent."""


def edited_file(event: object) -> str | None:
    """The Python file an edit event changed (absolute), or None when the event is about something else."""
    if not isinstance(event, dict) or event.get("tool_name") not in EDIT_TOOLS:
        return None
    tool_input = event.get("tool_input")
    path = tool_input.get("file_path") if isinstance(tool_input, dict) else None
    if not isinstance(path, str) or not path.endswith(".py"):
        return None
    cwd = event.get("cwd")
    return os.path.join(cwd, path) if isinstance(cwd, str) and not os.path.isabs(path) else path


def findings_of(path: str) -> list[Finding]:
    data = read_bytes(path)
    if isinstance(data, Finding):
        return []  # the file is gone or unreadable: nothing to tell the agent about its DBOS code
    return lint_bytes(path, data)


def message(findings: list[Finding]) -> str:
    rules = sorted({f.rule for f in findings if rule_file(f.rule)})
    lines = [f"dbos-lint: {len(findings)} finding{'s' if len(findings) != 1 else ''} in the file you just changed:"]
    lines += [f.format() for f in findings]
    lines += ["Read the rule each finding names, fix the code, and keep the fix in this edit:"]
    lines += [f"- {rule_file(rule)}" for rule in rules]
    return "\n".join(lines) + "\n"


def post_tool_use(stdin: TextIO, stderr: TextIO) -> int:
    """Run the hook on one event; returns the exit code."""
    try:
        event = json.loads(stdin.read() or "null")
    except ValueError as exc:
        stderr.write(f"dbos-lint hook: standard input is not a JSON hook event: {exc}\n")
        return 1
    path = edited_file(event)
    findings = findings_of(path) if path else []
    if not findings:
        return 0
    stderr.write(message(findings))
    return BLOCK

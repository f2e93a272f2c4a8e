"""The command line: ``dbos_lint.py [--format F] [--select IDS] [--ignore IDS] PATH...``.

Exit status: 0 no findings, 1 findings, 2 usage error (bad option, unknown rule id, missing path).
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from . import __version__
from .engine import lint_bytes, selected_checks
from .files import PathError, python_files, read_bytes
from .model import PSEUDO_RULES, Finding, rules_with_checks
from .output import FORMATS, rule_title

EPILOG = """\
Each finding names the rule it breaks: read references/<rule-id>.md in the skill folder.
Silence one line with '# dbos-lint: ignore[rule-id]' (or '# dbos-lint: ignore' for every rule).
Exit status: 0 no findings, 1 findings, 2 usage error or a path that does not exist."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dbos_lint.py",
        description="Check Python code that uses DBOS Transact against the dbos-python rules (reads the syntax "
        "tree only; never imports dbos or your code).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="Python files or folders (folders: every *.py, "
                   "skipping hidden folders, .venv, venv, node_modules, site-packages); '-' reads standard input")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    p.add_argument("--select", action="append", metavar="IDS", help="only these rule ids (comma-separated; repeatable)")
    p.add_argument("--ignore", action="append", metavar="IDS", help="skip these rule ids (comma-separated; repeatable)")
    p.add_argument("--list-rules", action="store_true", help="print the rule ids that have a check, and exit")
    p.add_argument("--claude-hook", action="store_true", help="run as Claude Code's PostToolUse hook: read the "
                   "event on standard input and lint the Python file it changed (exit 2 with findings on stderr)")
    p.add_argument("--version", action="version", version=f"dbos-lint {__version__}")
    return p


def rule_ids(values: Optional[list[str]]) -> Optional[set[str]]:
    if values is None:
        return None
    return {part.strip() for value in values for part in value.split(",") if part.strip()}


def lint_paths(paths: list[str], select: Optional[set[str]] = None, ignore: set[str] = frozenset()) -> list[Finding]:
    """Every finding in the files under ``paths``, sorted by path and line. Raises PathError for a missing path."""
    checks = selected_checks(select, ignore)
    findings: list[Finding] = []
    for path in python_files(paths):
        data = read_bytes(path)
        findings.extend([data] if isinstance(data, Finding) else lint_bytes(path, data, checks))
    return sorted(findings)


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    checked = rules_with_checks()
    known = set(checked) | set(PSEUDO_RULES)
    if args.claude_hook:
        from .hook import post_tool_use

        return post_tool_use(sys.stdin, sys.stderr)
    if args.list_rules:
        for rule in checked:
            print(f"{rule}  {rule_title(rule)}")
        return 0
    if not args.paths:
        p.error("give at least one file or folder to check")
    select, ignore = rule_ids(args.select), rule_ids(args.ignore) or set()
    unknown = sorted(((select or set()) | ignore) - known)
    if unknown:
        p.error(f"unknown rule id: {', '.join(unknown)} (see --list-rules)")
    try:
        findings = lint_paths(args.paths, select, ignore)
    except PathError as exc:
        print(f"dbos_lint.py: error: {exc}", file=sys.stderr)
        return 2
    findings = [f for f in findings if f.rule not in ignore and (select is None or f.rule in select or f.rule in PSEUDO_RULES)]
    output = FORMATS[args.format](findings)
    sys.stdout.write(output)
    return 1 if findings else 0

"""Lint one source text: skip files that never mention dbos, parse once, analyse once, run the selected checks."""

from __future__ import annotations

import ast
import platform
import re
from typing import Collection, Optional

from . import checks  # noqa: F401  (registers every check)
from .files import read_source
from .model import CHECKS, SYNTAX_ERROR, Check, Finding
from .semantic import Module

IGNORE_RE = re.compile(r"#\s*dbos-lint:\s*ignore(?:\[(?P<rules>[^\]]*)\])?")
PYTHON = f"Python {platform.python_version()}"


def selected_checks(select: Optional[Collection[str]] = None, ignore: Collection[str] = ()) -> list[Check]:
    """The registered checks whose rule is selected (every rule when ``select`` is None) and not ignored."""
    return [c for c in CHECKS if (select is None or c.rule in select) and c.rule not in ignore]


def lint_source(source: str, path: str = "<string>", checks: Optional[list[Check]] = None) -> list[Finding]:
    """Every finding of one Python source text, sorted, with inline ignores applied."""
    if "dbos" not in source:
        return []
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        return [syntax_finding(path, exc.lineno or 1, exc.offset or 1, exc.msg)]
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes; nesting too deep for the parser
        return [syntax_finding(path, 1, 1, parse_problem(exc))]
    try:
        module = Module(tree, source, path)
        if not module.mentions_dbos:
            return []
        return lint_module(module, checks if checks is not None else CHECKS)
    except RecursionError:
        return [syntax_finding(path, 1, 1, "expression nested too deeply to analyse (RecursionError)")]


def lint_bytes(path: str, data: bytes, checks: Optional[list[Check]] = None) -> list[Finding]:
    """Every finding of a file's bytes: none when it never mentions dbos, one when it is not readable text."""
    source = read_source(path, data)
    if source is None:
        return []
    return [source] if isinstance(source, Finding) else lint_source(source, path, checks)


def parse_problem(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "expression nested too deeply to parse (RecursionError)"
    if isinstance(exc, MemoryError):
        return "source too large or too deeply nested to parse (MemoryError)"
    return str(exc)


def syntax_finding(path: str, line: int, column: int, message: str) -> Finding:
    return Finding(path, line, max(column, 1), SYNTAX_ERROR, f"{PYTHON} cannot parse this file: {message}")


def lint_module(module: Module, checks: list[Check]) -> list[Finding]:
    """Run ``checks`` on an analysed module."""
    lines = module.source.splitlines()
    findings = set()
    for check in checks:
        for node, message in check.run(module):
            line = getattr(node, "lineno", 1)
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            if not ignored(text, check.rule):
                findings.add(Finding(module.path, line, column_of(text, getattr(node, "col_offset", 0)), check.rule, message))
    return sorted(findings)


def column_of(line: str, byte_offset: int) -> int:
    """The 1-based character column of an AST byte offset on a line."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1


def ignored(line: str, rule: str) -> bool:
    """True when the line's ``# dbos-lint: ignore`` or ``# dbos-lint: ignore[rule, ...]`` comment silences ``rule``."""
    for match in IGNORE_RE.finditer(line):
        rules = match["rules"]
        if rules is None or rule in {r.strip() for r in rules.split(",")}:
            return True
    return False

"""Write findings as text (``path:line:col: rule message``), JSON or SARIF 2.1.0."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Optional

from . import __version__
from .model import PSEUDO_RULES, Finding

SKILL_ROOT = Path(__file__).resolve().parent.parent.parent
"""The skill folder this copy of the linter ships in: ``<skill>/scripts/dboslint/output.py``."""
REFERENCES = SKILL_ROOT / "references"
TITLE_RE = re.compile(r"^title:\s*(?P<title>.+?)\s*$", re.M)
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def rule_file(rule: str) -> Optional[str]:
    """The rule's file in this skill (absolute when this copy ships it), or None for a finding that is no rule."""
    if rule in PSEUDO_RULES:
        return None
    path = REFERENCES / f"{rule}.md"
    return str(path) if path.is_file() else f"references/{rule}.md"


def rule_title(rule: str) -> str:
    """The rule's title from its front matter, or its id when this copy has no rule file."""
    path = REFERENCES / f"{rule}.md"
    try:
        match = TITLE_RE.search(path.read_text(encoding="utf-8")[:2000])
    except (OSError, UnicodeDecodeError):
        match = None
    return match["title"] if match else rule


def text(findings: list[Finding]) -> str:
    return "".join(f.format() + "\n" for f in findings)


def as_json(findings: list[Finding]) -> str:
    rows = [
        {"path": f.path, "line": f.line, "column": f.column, "rule": f.rule, "message": f.message, "rule_file": rule_file(f.rule)}
        for f in findings
    ]
    return json.dumps(rows, indent=2) + "\n"


def sarif(findings: list[Finding]) -> str:
    rules = sorted({f.rule for f in findings})
    index = {rule: i for i, rule in enumerate(rules)}
    descriptors = []
    for rule in rules:
        descriptor = {"id": rule, "shortDescription": {"text": rule_title(rule)}}
        path = rule_file(rule)
        if path and os.path.isabs(path):
            descriptor["helpUri"] = Path(path).as_uri()
        descriptors.append(descriptor)
    results = [
        {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": "error",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": Path(f.path).as_posix()},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "dbos-lint", "version": __version__, "rules": descriptors}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


FORMATS = {"text": text, "json": as_json, "sarif": sarif}

"""Realistic programs beyond the rules' examples, in tests/lint_fixtures/.

- ``ok_*.py``: correct programs, most of them code a naive check would flag. The linter must stay silent, and each
  one runs to completion against the real dbos on a fresh SQLite database (so it is known to be correct).
- ``bad_*.py``: every line that must be flagged ends with ``# expect: <rule-id>`` (several ids comma-separated);
  the findings must be exactly those, no more and no fewer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dboslint.engine import lint_source
from skillpack.examples import program_env, run_program

FIXTURES = Path(__file__).parent / "lint_fixtures"
EXPECT_RE = re.compile(r"#\s*expect:\s*(?P<rules>[\w\-, ]+)$")
GOOD = sorted(FIXTURES.glob("ok_*.py"))
BAD = sorted(FIXTURES.glob("bad_*.py"))


def expected(source: str) -> set[tuple[int, str]]:
    found = set()
    for number, line in enumerate(source.splitlines(), 1):
        match = EXPECT_RE.search(line)
        if match:
            found |= {(number, rule.strip()) for rule in match["rules"].split(",") if rule.strip()}
    return found


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_correct_program_has_no_finding(path: Path):
    findings = lint_source(path.read_text(encoding="utf-8"), str(path))
    assert findings == [], "\n".join(f.format() for f in findings)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_incorrect_program_has_exactly_the_expected_findings(path: Path):
    source = path.read_text(encoding="utf-8")
    want = expected(source)
    assert want, f"{path.name} marks no line with '# expect: <rule-id>'"
    got = {(f.line, f.rule) for f in lint_source(source, str(path))}
    assert got == want, f"missing: {sorted(want - got)}; unexpected: {sorted(got - want)}"


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_correct_program_runs_on_dbos(path: Path, tmp_path: Path):
    proc = run_program(tmp_path, str(path), program_env(tmp_path), timeout=120, as_pytest=False, fresh=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]


def test_there_are_fixtures_of_both_kinds():
    assert len(GOOD) >= 10 and len(BAD) >= 3, (len(GOOD), len(BAD))

"""The pack's examples are the linter's fixtures: every Correct block is clean, every Incorrect block of a rule with
a check is flagged with that rule's id. Each block is linted as the reader sees it (no prelude, no driver)."""

from __future__ import annotations

import pytest

from conftest import ROOT
from dboslint.engine import lint_source
from dboslint.model import CHECKS, PSEUDO_RULES, rules_with_checks
from skillpack.load import load_pack
from skillpack.model import CORRECT, INCORRECT

PACK = load_pack(ROOT)
CHECKED = set(rules_with_checks())
MIN_RULES_WITH_CHECKS = 35


def blocks(kind: str, only_checked: bool = False):
    return [
        pytest.param(rule.stem, example, id=f"{rule.stem}:{example.line}")
        for rule in PACK.rules
        for example in rule.examples
        if example.kind == kind and example.language == "python" and (not only_checked or rule.stem in CHECKED)
    ]


@pytest.mark.parametrize("stem, example", blocks(CORRECT))
def test_correct_example_has_no_finding(stem, example):
    findings = lint_source(example.code, f"references/{stem}.md")
    assert findings == [], "\n".join(f.format() for f in findings)


@pytest.mark.parametrize("stem, example", blocks(INCORRECT, only_checked=True))
def test_incorrect_example_is_flagged_with_its_rule(stem, example):
    findings = lint_source(example.code, f"references/{stem}.md")
    assert stem in {f.rule for f in findings}, "\n".join(f.format() for f in findings) or "no finding"


def test_every_check_names_a_rule_of_the_pack():
    stems = {rule.stem for rule in PACK.rules}
    assert {c.rule for c in CHECKS} - stems == set()
    assert not set(PSEUDO_RULES) & stems


def test_enough_rules_have_a_check():
    assert len(CHECKED) >= MIN_RULES_WITH_CHECKS, sorted(CHECKED)

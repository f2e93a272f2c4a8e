"""Every Correct example of the pack runs against the real dbos; Incorrect examples parse, and fail where marked."""

from __future__ import annotations

import ast

import pytest

from conftest import FIXTURE_PACK, ROOT
from skillpack.examples import PYTEST, RAISES, RUN, SKIP, Case, collect, excerpt, last_exception, run_case
from skillpack.load import load_pack
from skillpack.model import CORRECT, INCORRECT, driver_file

CASES = collect(ROOT)
MAX_MARKED = 0.05


def case_id(case: Case) -> str:
    return f"{case.rule.stem}:{case.example.line}:{case.mode}"


@pytest.mark.parametrize("case", [c for c in CASES if c.mode != SKIP], ids=case_id)
def test_example(case: Case, record_property):
    record_property("example_mode", case.mode)
    outcome = run_case(case)
    assert outcome.ok, f"{case.where}: {outcome.detail}"


def test_every_correct_block_is_run_or_marked_with_a_reason():
    pack = load_pack(ROOT)
    correct = [e for r in pack.rules for e in r.examples if e.kind == CORRECT]
    marked = [c for c in CASES if c.mode == SKIP]
    assert len([c for c in CASES if c.example.kind == CORRECT]) == len(correct)
    assert all(c.example.options["skip"].strip() for c in marked)
    assert len(marked) <= MAX_MARKED * len(correct), [c.where for c in marked]


def test_every_incorrect_block_parses():
    pack = load_pack(ROOT)
    incorrect = [e for r in pack.rules for e in r.examples if e.kind == INCORRECT]
    assert incorrect
    for example in incorrect:
        ast.parse(example.code)


# The harness itself: it must be able to fail.


def fixture_case(rule_name: str, mode: str) -> Case:
    return next(c for c in collect(FIXTURE_PACK) if c.rule.path.name == rule_name and c.mode == mode)


def test_harness_passes_good_examples():
    for mode, name in ((RUN, "step-retries.md"), (RAISES, "queue-register.md")):
        outcome = run_case(fixture_case(name, mode))
        assert outcome.ok, outcome.detail


def test_harness_fails_a_broken_example():
    case = fixture_case("step-retries.md", RUN)
    broken = Case(case.rule, type(case.example)(**{**case.example.__dict__, "driver": "assert fetch() == 'nope'\n"}), RUN)
    outcome = run_case(broken)
    assert not outcome.ok
    assert "AssertionError" in outcome.detail


def test_a_long_output_keeps_its_first_and_last_lines():
    text = "\n".join(f"line {n}" for n in range(100))
    shown = excerpt(text).splitlines()
    assert shown[:2] == ["line 0", "line 1"] and shown[-1] == "line 99"
    assert "[... 58 lines ...]" in shown and len(shown) == 43
    assert excerpt("short\noutput") == "short\noutput"


def test_driver_comes_from_its_sidecar_and_runs_after_the_block():
    case = fixture_case("step-retries.md", RUN)
    sidecar = FIXTURE_PACK / driver_file("step-retries", case.example.options["driver"])
    assert case.example.driver == sidecar.read_text(encoding="utf-8")
    assert case.program().endswith(case.example.code + "\n" + case.example.driver)


def test_harness_fails_an_example_whose_sidecar_is_missing(pack):
    (pack / driver_file("step-retries", "fetch-returns-data")).unlink()
    case = next(c for c in collect(pack) if c.rule.path.name == "step-retries.md" and c.mode == RUN)
    outcome = run_case(case)
    assert not outcome.ok
    assert "driver 'fetch-returns-data' has no sidecar file" in outcome.detail


def test_harness_fails_when_the_expected_exception_does_not_happen():
    case = fixture_case("queue-register.md", RAISES)
    wrong = Case(case.rule, type(case.example)(**{**case.example.__dict__, "options": {"raises": "KeyError"}}), RAISES)
    outcome = run_case(wrong)
    assert not outcome.ok
    assert "expected KeyError, raised DBOSException" in outcome.detail


def test_harness_runs_pytest_blocks(tmp_path):
    case = fixture_case("step-retries.md", RUN)
    code = "def test_passes():\n    assert 1 + 1 == 2\n\ndef test_fails():\n    assert 1 + 1 == 3\n"
    example = type(case.example)(**{**case.example.__dict__, "code": code, "options": {"run": "pytest"}, "driver": ""})
    outcome = run_case(Case(case.rule, example, PYTEST))
    assert not outcome.ok and "1 failed, 1 passed" in outcome.detail


def test_last_exception_reads_the_final_traceback_line():
    stderr = "Traceback (most recent call last):\n  File \"x\", line 1\ndbos._error.DBOSException: no\n"
    assert last_exception(stderr) == "DBOSException"
    assert last_exception("just output\n") == ""
    logged_after = stderr + "22:45:55 [    INFO] (dbos:_queue.py:1005) Listening to 0 queues:\n"
    assert last_exception(logged_after) == "DBOSException"

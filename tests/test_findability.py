"""Findability: can a developer's question, in the words of the task or the symptom, find the rule that answers it?

``tests/findability/questions.yml`` lists questions as developers ask them ("my queued job never runs"), each
with the stem of the rule file that answers it. This test ranks every rule of ``references/`` for each
question with Okapi BM25 (k1=1.5, b=0.75) and asserts that the right rule is in the top 3 for at least 95% of
the questions and first for at least 80%.

A rule's document is its title + summary + tags + body, with the fenced code blocks and HTML comments
(example directives) stripped from the body. Why strip the code: every example repeats the same imports and
boilerplate (``from dbos import DBOS``, ``@DBOS.workflow()``, ``DBOS.launch()``, config dicts), which makes
documents longer without telling them apart and drowns the prose, where the purpose and the symptoms of a
rule are written. The API names a rule teaches are still in the document through its tags, title and prose,
so what an agent can find depends on the words a rule's author chose to show, which is what this test checks.

Tokenizer: lower-case words of letters, digits and underscores; a dotted or snake_case or CamelCase
identifier (``DBOS.register_queue``, ``SetWorkflowID``) is kept whole *and* split into its parts; a short
English stop-word list is dropped. No stemming.

When a question misses, fix the rule's findability (its tags, summary or first paragraph), not the ranking
and not the question.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skillpack.load import load_pack
from skillpack.search import RuleSearch

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = Path(__file__).parent / "findability" / "questions.yml"

TOP_N = 3
MIN_TOP_N = 0.95
MIN_FIRST = 0.80


@pytest.fixture(scope="module")
def rules():
    return load_pack(ROOT).rules


@pytest.fixture(scope="module")
def questions() -> list[dict]:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    assert isinstance(data, list) and data, f"{QUESTIONS} must be a non-empty list"
    for item in data:
        assert isinstance(item, dict) and set(item) == {"question", "rule"}, f"bad entry: {item!r}"
    return data


def test_every_question_names_an_existing_rule(questions):
    stems = {path.stem for path in (ROOT / "references").glob("*.md")}
    missing = [q for q in questions if q["rule"] not in stems]
    assert not missing, "questions naming no rule file: " + "; ".join(f"{q['rule']}: {q['question']}" for q in missing)


def test_questions_find_their_rule(rules, questions, record_property):
    index = RuleSearch(rules)
    first = top = 0
    misses = []
    for q in questions:
        ranked = [rule.stem for _, rule in index.ranked(q["question"])]
        rank = ranked.index(q["rule"]) + 1 if q["rule"] in ranked else None
        first += rank == 1
        top += rank is not None and rank <= TOP_N
        if rank != 1:
            misses.append(f"  [{'top3' if rank and rank <= TOP_N else 'MISS'} rank {rank}] {q['question']!r} -> "
                          f"{q['rule']}; top {TOP_N}: {', '.join(ranked[:TOP_N])}")
    n = len(questions)
    top_share, first_share = top / n, first / n
    covered = len({q["rule"] for q in questions})
    summary = (f"findability: {n} questions, {covered} of {len(rules)} rules; "
               f"top {TOP_N}: {top}/{n} = {top_share:.1%}; first: {first}/{n} = {first_share:.1%}")
    print("\n" + summary + ("\n" + "\n".join(misses) if misses else ""))
    record_property("findability_top3", round(top_share, 4))
    record_property("findability_first", round(first_share, 4))
    assert top_share >= MIN_TOP_N and first_share >= MIN_FIRST, summary + "\nnot first:\n" + "\n".join(misses)

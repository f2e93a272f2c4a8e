"""Each validation error: exit code 1, the right path:line and message, and nothing written."""

from __future__ import annotations

import pytest

from conftest import DRIVER, ROOT, RULE, edit
from lint_samples import copy_linter

LIFECYCLE = "references/lifecycle-launch-in-main.md"


CASES = [
    # (id, file, old text, new text, expected line, expected message)
    ("missing-key", RULE, "priority: HIGH\n", "", 1, "front matter is missing required key 'priority'"),
    ("unknown-key", RULE, "priority: HIGH\n", "priority: HIGH\npriorty: HIGH\n", 6, "unknown front matter key 'priorty'"),
    ("bad-priority", RULE, "priority: HIGH", "priority: URGENT", 5, "priority 'URGENT' must be one of"),
    ("unknown-category", RULE, "category: step", "category: steps", 3, "unknown category 'steps'"),
    ("prefix-mismatch", RULE, "prefix: step-", "prefix: queue-", 4, "prefix 'queue-' does not match category 'step'"),
    ("tags-not-list", RULE, "tags: [DBOS.step, retries_allowed]", "tags: DBOS.step", 7, "'tags' must be a non-empty list of strings"),
    ("title-wrong-type", RULE, "title: Retry flaky steps", "title: [Retry]", 2, "'title' must be a non-empty string"),
    ("summary-two-sentences", RULE, "retries_allowed=True.", "retries. Always do it.", 6, "summary must be one sentence"),
    ("docs-not-https", LIFECYCLE, "https://docs.dbos.dev/python/reference/dbos-class", "http://x", 8, "must be an https:// URL"),
    ("duplicate-key", RULE, "prefix: step-\n", "prefix: step-\nprefix: step-\n", 5, "duplicate key 'prefix'"),
    ("heading", RULE, "## Retry flaky steps", "## Something else", 10, "body must start with '## Retry flaky steps'"),
    ("no-why", RULE, "A step without retries fails its workflow on the first transient error.\n", "", 10,
     "body must explain why the rule matters"),
    ("no-incorrect", RULE, "**Incorrect (no retries):**", "Plain text:", 9, "at least one '**Incorrect (...):**' example"),
    ("no-correct", RULE, "**Correct (retries with backoff):**", "Plain text:", 9, "at least one '**Correct (...):**' example"),
    ("malformed-label", RULE, "**Incorrect (no retries):**", "**Incorrect:** no retries", 14, "malformed label"),
    ("label-without-code", RULE, "**Incorrect (no retries):**\n", "**Incorrect (no retries):**\n\nSome words.\n", 14,
     "label is not followed by a code block"),
    ("not-python", RULE, "```python\n@DBOS.step()\ndef fetch", "```js\n@DBOS.step()\ndef fetch", 16,
     "incorrect example must be a fenced 'python' block"),
    ("syntax-error", RULE, "backoff_rate=2.0)\ndef fetch() -> str:", "backoff_rate=2.0)\ndef fetch( -> str:", 27,
     "Python syntax error"),
    ("unknown-dbos-method", RULE, "@DBOS.step(retries_allowed=True", "@DBOS.stepp(retries_allowed=True", 26,
     "DBOS.stepp does not exist in dbos 3.4.0"),
    ("unknown-import", LIFECYCLE, "from dbos import DBOS, DBOSConfig", "from dbos import DBOS, DBOSConfig, Workflow", 28,
     "'from dbos import Workflow': dbos 3.4.0 has no 'Workflow'"),
    ("unknown-keyword", RULE, "max_attempts=5", "max_retries=5", 26, "DBOS.step() has no keyword argument 'max_retries'"),
    ("unknown-config-key", LIFECYCLE, 'DBOSConfig = {"name": "app", "system_database_url"', 'DBOSConfig = {"name": "app", "database_url"', 31,
     "DBOSConfig has no key 'database_url'"),
    ("broken-link", LIFECYCLE, "(step-retries.md)", "(step-missing.md)", 36, "relative link 'step-missing.md' does not resolve"),
    ("unknown-option", RULE, "prelude=config", "prelude=config colour=red", 24, "unknown example option 'colour'"),
    ("unknown-prelude", RULE, "prelude=config", "prelude=nothing", 24, "unknown prelude 'nothing'"),
    ("skip-without-reason", RULE, "prelude=config", "skip=", 24, "option 'skip' needs a reason"),
    ("bad-driver-name", RULE, "driver=fetch-returns-data", "driver=Fetch.Data", 24, "option 'driver' takes a name of a-z"),
    ("pytest-driver-name", RULE, "driver=fetch-returns-data", "driver=test_fetch", 24, "not test_* or *_test"),
    ("driver-comment-left", RULE, "```\n\n**Correct", "```\n<!-- example-driver\nDBOS.launch()\n-->\n\n**Correct", 21,
     "example-driver comments are no longer allowed: move the code to tests/examples/step-retries/<name>.py and name it "
     "with driver=<name>"),
    ("placeholder", RULE, "A step without retries", "TODO(skillpack) A step without retries", 12, "placeholder TODO(skillpack) left"),
    ("no-front-matter", RULE, "---\ntitle", "title", 1, "file must start with '---' YAML front matter"),
    ("summary-too-long", RULE, "Give steps that call flaky services retries_allowed=True.", "Give " + "very " * 40 + "long.", 6,
     "keep it within 160"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_error_is_reported_with_path_line_and_message(pack, cli, case):
    _, rel, old, new, line, message = case
    edit(pack, rel, old, new)
    before = {p: p.read_bytes() for p in pack.rglob("*") if p.is_file()}
    result = cli(pack, "validate")
    assert result.code == 1
    lines = [l for l in result.err.splitlines() if l.startswith(f"{rel}:{line}: ")]
    assert any(message in l for l in lines), result.err
    assert {p: p.read_bytes() for p in pack.rglob("*") if p.is_file()} == before


def test_duplicate_title_names_the_other_file(pack, cli):
    edit(pack, "references/queue-register.md", "title: Register queues after launch", "title: Retry flaky steps")
    edit(pack, "references/queue-register.md", "## Register queues after launch", "## Retry flaky steps")
    result = cli(pack, "validate")
    assert result.code == 1
    assert "references/step-retries.md:2: title 'Retry flaky steps' is also used by queue-register.md" in result.err


def test_file_name_must_start_with_prefix(pack, cli):
    (pack / RULE).rename(pack / "references/retries.md")
    result = cli(pack, "validate")
    assert result.code == 1
    assert "references/retries.md:4: file name 'retries.md' must start with 'step-'" in result.err


def test_slug_must_be_kebab_case(pack, cli):
    (pack / RULE).rename(pack / "references/step-Retries_Now.md")
    result = cli(pack, "validate")
    assert "references/step-Retries_Now.md:4: slug 'Retries_Now' must be lower-case kebab-case" in result.err


def test_all_errors_are_reported_at_once(pack, cli):
    edit(pack, RULE, "priority: HIGH", "priority: URGENT")
    edit(pack, LIFECYCLE, "(step-retries.md)", "(nowhere.md)")
    edit(pack, "references/queue-register.md", "category: queue", "category: queues")
    result = cli(pack, "validate")
    assert result.code == 1
    assert result.err.count(": ") >= 3
    assert "3 error(s)" in result.err


def test_removed_api_that_still_exists_is_an_error(pack, cli):
    edit(pack, "references/_removed.yml", "gone: [DBOS.transaction]", "gone: [DBOS.launch]")
    result = cli(pack, "validate")
    assert result.code == 1
    assert "references/_removed.yml:3: '@DBOS.transaction()': DBOS.launch still exists in dbos 3.4.0" in result.err


def test_valid_pack_passes(pack, cli):
    result = cli(pack, "validate")
    assert result.code == 0, result.err
    assert "ok: 3 rules in 9 categories" in result.out


def test_driver_without_sidecar_names_the_directive(pack, cli):
    (pack / DRIVER).unlink()
    result = cli(pack, "validate")
    assert result.code == 1
    assert f"{RULE}:24: driver 'fetch-returns-data': {DRIVER} does not exist" in result.err, result.err


ORPHANS = [
    # (id, sidecar, expected message)
    ("no-rule", "tests/examples/step-gone/check.py", "driver of no rule: references/step-gone.md does not exist"),
    ("unused-name", "tests/examples/step-retries/unused.py",
     "driver 'unused' is not used: no example of references/step-retries.md has driver=unused"),
]


@pytest.mark.parametrize("case", ORPHANS, ids=[c[0] for c in ORPHANS])
def test_orphan_sidecar_is_reported_at_its_path(pack, cli, case):
    _, rel, message = case
    (pack / rel).parent.mkdir(parents=True, exist_ok=True)
    (pack / rel).write_text("DBOS.launch()\n", encoding="utf-8")
    result = cli(pack, "validate")
    assert result.code == 1
    assert f"{rel}:1: {message}" in result.err, result.err


def test_sidecar_of_a_deleted_rule_is_an_orphan(pack, cli):
    (pack / RULE).unlink()
    edit(pack, LIFECYCLE, "[the step rule](step-retries.md)", "the step rule")
    result = cli(pack, "validate")
    assert result.code == 1
    assert f"{DRIVER}:1: driver of no rule: references/step-retries.md does not exist" in result.err, result.err


def test_sidecar_syntax_error_names_the_sidecar_line(pack, cli):
    (pack / DRIVER).write_text("DBOS.launch()\nassert fetch( == 'data'\n", encoding="utf-8")
    result = cli(pack, "validate")
    assert result.code == 1
    assert f"{DRIVER}:2: Python syntax error" in result.err, result.err


def test_a_check_that_names_no_rule_of_the_pack_fails_validation(pack, cli):
    copy_linter(ROOT, pack)
    result = cli(pack, "validate")
    assert result.code == 1
    assert ("scripts/dbos_lint.py:1: dbos-lint has a check for 'workflow-durable-sleep', but "
            "references/workflow-durable-sleep.md does not exist") in result.out + result.err


def test_a_linter_that_cannot_list_its_rules_fails_validation(pack, cli):
    (pack / "scripts").mkdir()
    (pack / "scripts" / "dbos_lint.py").write_text("raise SystemExit('broken')\n", encoding="utf-8")
    result = cli(pack, "validate")
    assert result.code == 1
    assert "scripts/dbos_lint.py:1: " in result.out + result.err and "--list-rules failed: broken" in result.out + result.err


def test_links_in_code_fences_are_not_links():
    from skillpack.load import relative_links

    markdown = (
        "See [a](a.md).\n"
        "````markdown\n"        # a longer fence: the ``` lines inside do not close it
        "```python\n"
        "[b](b.md)\n"
        "```\n"
        "[c](c.md)\n"
        "````\n"
        "[d](d.md#part) and [e](https://example.com/e.md) and ![f](f.png)\n"
        "~~~\n"
        "[g](g.md)\n"
        "~~~\n"
        "[h](h.md)\n"
    )
    assert relative_links(markdown) == [(0, "a.md"), (7, "d.md#part"), (11, "h.md")]

"""API coverage: every public dbos name is taught by a rule or listed in references/_out_of_scope.yml."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import dbos
import pytest

from conftest import ROOT, RULE, edit
from skillpack import coverage, dbos_api
from skillpack.load import load_pack
from skillpack.site import HOME, generate_site

VERSION = dbos_api.dbos_version()
OUT_OF_SCOPE = Path("references") / coverage.OUT_OF_SCOPE_FILE
SUMMARY_RE = re.compile(
    rf"^api: (\d+) of (\d+) public dbos {re.escape(VERSION)} names taught by a rule \((\d+)%\), (\d+) out of scope$",
    re.MULTILINE,
)


def teach(root: Path, names: list[str]) -> None:
    """Append a paragraph that names each of ``names`` to a rule of the pack."""
    rule = root / "references" / "queue-register.md"
    mentions = ", ".join(f"`{name}`" for name in names)
    rule.write_text(rule.read_text(encoding="utf-8") + f"\nAlso in dbos: {mentions}.\n", encoding="utf-8")


def write_out_of_scope(root: Path, text: str) -> Path:
    path = root / OUT_OF_SCOPE
    path.write_text(text, encoding="utf-8")
    return path


def entry(name: str, reason: str = "only for a platform this pack does not cover") -> str:
    return f"- name: {name}\n  reason: {reason}\n"


@pytest.fixture
def covered(pack: Path) -> Path:
    """The fixture pack with an out-of-scope list of two names and a rule that names every other public name."""
    names = coverage.public_names()
    write_out_of_scope(pack, entry("tracer") + entry("DBOSContextEnsure"))
    teach(pack, [n for n in names if n not in ("tracer", "DBOSContextEnsure")])
    return pack


def test_public_names_are_the_exports_and_the_dbos_members_with_async_twins_folded():
    names = coverage.public_names()
    members = {n for n, _ in inspect.getmembers_static(dbos.DBOS) if not n.startswith("_")}
    assert dbos_api.surface()["all"] == sorted(dbos.__all__)
    assert {"DBOS", "Queue", "WorkflowStatusString", "error"} <= set(names)  # exports
    assert {"start_workflow", "executor_id", "list_workflows", "span"} <= set(names)  # DBOS members
    assert "start_workflow_async" not in names and "get_event_async" not in names  # twins of a public name
    assert not any(n.startswith("_") for n in names) and names == sorted(set(names))
    folded = {n for n in set(dbos.__all__) | members if n.endswith("_async") and n[: -len("_async")] in members}
    assert folded and set(names) == (set(dbos.__all__) | members) - folded


def test_a_whole_identifier_teaches_a_name_and_an_async_spelling_teaches_its_name(pack):
    rule = pack / "references" / "step-retries.md"
    text = rule.read_text(encoding="utf-8")
    rule.write_text(text + "\nAwait `DBOS.get_event_async(...)`; `my_tracer_name` and tracers are other words.\n", encoding="utf-8")
    taught = coverage.taught_by(load_pack(pack), ["get_event", "tracer", "launch"])
    assert "step-retries" in taught["get_event"]
    assert "tracer" not in taught  # only inside longer identifiers
    assert taught["launch"][0] == "lifecycle-launch-in-main"  # rule stems, in file name order


@pytest.mark.parametrize("text", ["DBOS.launch() `recv`, x-step; 3span a\x00b\x7fc", "“launch”—DBOS.sleep é_x"])
def test_words_are_the_runs_of_word_characters(text):
    assert coverage.words(text) == set(re.findall(r"\w+", text))


def test_front_matter_teaches_too(pack):
    edit(pack, RULE, "tags: [", "tags: [DBOS.executor_id, ")
    assert coverage.taught_by(load_pack(pack), ["executor_id"]) == {"executor_id": ["step-retries"]}


def test_a_pack_that_teaches_every_name_validates_and_one_that_misses_a_name_fails_naming_it(covered, cli):
    assert cli(covered, "validate").code == 0
    edit(covered, "references/queue-register.md", "`WorkflowStatusString`, ", "")
    result = cli(covered, "validate")
    message = (
        f"{OUT_OF_SCOPE}:1: dbos {VERSION}'s public name 'WorkflowStatusString' is taught by no rule; "
        "teach it in a rule or list it in references/_out_of_scope.yml with a reason"
    )
    assert result.code == 1 and message in result.err.splitlines()
    assert "1 error(s)" in result.err


def test_each_bad_out_of_scope_entry_fails_with_its_line(covered, cli):
    taught = "launch"
    assert taught in coverage.measure(load_pack(covered)).taught
    write_out_of_scope(
        covered,
        entry("tracer")  # lines 1-2
        + entry("DBOSContextEnsure")  # 3-4
        + entry("NoSuchThing")  # 5-6
        + entry("tracer", "again")  # 7-8: duplicate
        + entry(taught)  # 9-10: a rule teaches it
        + entry("start_workflow_async")  # 11-12: a twin
        + "- name: PortableWorkflowError\n  reason: ''\n"  # 13-14
        + "- name: PortableWorkflowError2\n  reason: |\n    one\n    two\n"  # 15-18
        + "- name: SetWorkflowID\n",  # 19: no reason
    )
    lines = cli(covered, "validate").err.splitlines()
    where = f"{OUT_OF_SCOPE}:"
    expected = [
        f"{where}5: entry 'NoSuchThing' is no public name of dbos {VERSION} (an export of dbos or a member of DBOS)",
        f"{where}7: entry 'tracer' is listed twice (first on line 1)",
        f"{where}11: entry 'start_workflow_async' is the _async twin of 'start_workflow': list 'start_workflow'",
        f"{where}13: entry 'PortableWorkflowError' needs a reason: one line on why no rule teaches it",
        f"{where}15: entry 'PortableWorkflowError2': the reason must be one line",
        f"{where}19: entry must have exactly the keys name, reason",
    ]
    assert all(line in lines for line in expected), lines
    assert any(l.startswith(f"{where}9: entry 'launch' is taught by lifecycle-launch-in-main.md") for l in lines), lines


def test_invalid_yaml_is_one_diagnostic_with_its_line(covered, cli):
    write_out_of_scope(covered, entry("tracer") + "- name: [\n")
    result = cli(covered, "validate")
    assert result.code == 1 and "Traceback" not in result.err
    assert re.fullmatch(rf"{OUT_OF_SCOPE}:\d+: invalid YAML: .*\n1 error\(s\)\n", result.err), result.err


def test_without_an_out_of_scope_list_there_is_no_coverage_check(pack, cli):
    loaded = load_pack(pack)
    assert not (pack / OUT_OF_SCOPE).exists()
    assert coverage.validate_coverage(loaded) == [] and coverage.summary(loaded) is None
    assert coverage.measure(loaded).uncovered  # the fixture teaches few names, yet nothing fails
    result = cli(pack, "build")
    assert result.code == 0, result.err
    assert not SUMMARY_RE.search(result.out)
    assert "## API coverage" not in generate_site(loaded).pages[HOME].markdown


def test_build_prints_the_coverage_figure(covered, cli):
    result = cli(covered, "build")
    assert result.code == 0, result.err
    figure = SUMMARY_RE.search(result.out)
    measured = coverage.measure(load_pack(covered))
    assert figure and figure.group(0) == measured.summary()
    taught, total, percent, out = map(int, figure.groups())
    assert (total, out) == (len(coverage.public_names()), 2) and taught == total - 2
    assert percent == 100 * taught // total
    lines = result.out.splitlines()
    assert lines.index(figure.group(0)) == len(lines) - 1  # after the size line (and the lint line, if any)


def test_site_home_shows_the_figure_and_what_is_out_of_scope(covered):
    loaded = load_pack(covered)
    measured = coverage.measure(loaded)
    page = generate_site(loaded).pages[HOME]
    for text in (page.markdown, page.twin):
        section = text[text.index("## API coverage"):]
        figure = f"{len(measured.taught)} of the {len(measured.names)} public names of `dbos` {VERSION}"
        assert " ".join(figure.split()) in " ".join(section.split())
        assert f"**{measured.percent}%**" in section
        assert "| <code>tracer</code> | only for a platform this pack does not cover |" in section
        assert "<code>DBOSContextEnsure</code>" in section


def test_the_real_pack_lists_what_it_leaves_out_and_every_entry_is_real():
    pack = load_pack(ROOT)
    assert (ROOT / OUT_OF_SCOPE).is_file()
    entries, problems = coverage.load_out_of_scope(pack)
    assert entries and not problems
    public = set(coverage.public_names())
    assert all(e.name in public and e.reason.strip() and "\n" not in e.reason.strip() for e in entries)
    entry_problems = [d for d in coverage.validate_coverage(pack) if "taught by no rule" not in d.message]
    assert not entry_problems, [d.format(ROOT) for d in entry_problems]
    measured = coverage.measure(pack)
    assert len(measured.out_of_scope) <= 10
    stems = {rule.stem for rule in pack.rules}
    assert all(set(rules) <= stems for rules in measured.taught.values())

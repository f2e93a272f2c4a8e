"""The persistent validation cache: unchanged rules are not checked again; anything a rule's result depends on
invalidates it; a damaged or unwritable cache is ignored with a warning and never changes the result."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DRIVER, RULE, edit
from skillpack import dbos_api, load, validate, validation_cache
from skillpack.load import load_pack
from skillpack.validate import validate_pack



@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """The cache file, in the test's folder; validation runs in one process."""
    path = tmp_path / "cache" / "validation.json"
    monkeypatch.setattr(validation_cache, "cache_file", lambda root: path)
    monkeypatch.setattr(validation_cache, "map_in_order", lambda fn, items: [fn(item) for item in items])
    return path


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The stems of the rules checked (not taken from the cache), in order, since the test started."""
    stems: list[str] = []
    real = validate.check_rule

    def counting(pack, rule):
        stems.append(rule.stem)
        return real(pack, rule)

    monkeypatch.setattr(validate, "check_rule", counting)
    return stems


def run(pack: Path, checked: list[str]) -> tuple[list[str], list[str]]:
    """Validate; return the problems (as path:line: message) and the rules checked during this run."""
    checked.clear()
    problems = [d.format(pack) for d in validate_pack(load_pack(pack))]
    return problems, list(checked)


def test_a_second_run_checks_nothing_and_reports_the_same(pack, cache, checked):
    edit(pack, RULE, "priority: HIGH", "priority: URGENT")
    first, cold = run(pack, checked)
    second, warm = run(pack, checked)
    assert len(cold) == 3 and warm == []
    assert second == first and any("priority 'URGENT'" in p for p in first)
    assert first == [d.format(pack) for d in validate_pack(load_pack(pack), use_cache=False)]


def test_a_changed_rule_is_checked_again(pack, cache, checked):
    run(pack, checked)
    edit(pack, RULE, "priority: HIGH", "priority: URGENT")
    problems, again = run(pack, checked)
    assert again == ["step-retries"]
    assert any("priority 'URGENT'" in p for p in problems)


def test_a_changed_or_removed_driver_is_checked_again(pack, cache, checked):
    run(pack, checked)
    edit(pack, DRIVER, "\n", "\n(\n")  # a syntax error in the sidecar
    problems, again = run(pack, checked)
    assert again == ["step-retries"] and any(p.startswith(DRIVER) for p in problems)
    (pack / DRIVER).unlink()
    problems, again = run(pack, checked)
    assert again == ["step-retries"] and any("fetch-returns-data.py does not exist" in p for p in problems)


def test_another_dbos_checks_everything_again(pack, cache, checked, monkeypatch):
    run(pack, checked)
    monkeypatch.setattr(dbos_api, "dbos_identity", lambda: "another dbos")
    assert len(run(pack, checked)[1]) == 3


def test_a_change_to_the_checker_checks_everything_again(pack, cache, checked, monkeypatch, tmp_path):
    code = tmp_path / "skillpack"
    shutil.copytree(Path(validation_cache.__file__).parent, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(validation_cache, "_CODE", code)
    run(pack, checked)
    assert run(pack, checked)[1] == []
    with (code / "validate.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a changed check\n")
    assert len(run(pack, checked)[1]) == 3


def test_changed_categories_check_everything_again(pack, cache, checked):
    run(pack, checked)
    with (pack / "references/_categories.yml").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert len(run(pack, checked)[1]) == 3


def test_links_are_checked_on_every_run(pack, cache, checked):
    edit(pack, RULE, "\n**Incorrect", "\nSee [the launch rule](lifecycle-launch-in-main.md).\n\n**Incorrect")
    assert run(pack, checked)[0] == []
    (pack / "references/lifecycle-launch-in-main.md").unlink()
    problems, _ = run(pack, checked)
    assert any("relative link 'lifecycle-launch-in-main.md' does not resolve" in p for p in problems)


@pytest.mark.parametrize("damage", ["not json {", json.dumps({"format": validation_cache.FORMAT, "context": None, "rules": []}), "damaged-entry"])
def test_a_damaged_cache_is_ignored_with_a_warning(pack, cache, checked, capsys, damage):
    edit(pack, RULE, "priority: HIGH", "priority: URGENT")
    expected, _ = run(pack, checked)
    if damage == "damaged-entry":
        data = json.loads(cache.read_text())
        key = next(iter(data["rules"]))
        data["rules"][key] = [[["references/x.md", "one", "a line that is not a number"]], [], [], []]
        cache.write_text(json.dumps(data))
    else:
        data = json.loads(cache.read_text())
        cache.write_text(damage.replace("null", json.dumps(data["context"])) if damage.startswith("{") else damage)
    capsys.readouterr()
    problems, again = run(pack, checked)
    assert "warning: ignoring the validation cache" in capsys.readouterr().err
    assert problems == expected and len(again) == 3


def test_an_unwritable_cache_is_a_warning_not_an_error(pack, checked, monkeypatch, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(validation_cache, "cache_file", lambda root: blocker / "validation.json")
    expected = [d.format(pack) for d in validate_pack(load_pack(pack), use_cache=False)]
    problems, again = run(pack, checked)
    assert problems == expected and len(again) == 3
    assert "warning: cannot write the validation cache" in capsys.readouterr().err


def test_no_cache_neither_reads_nor_writes(pack, cache, checked, cli):
    result = cli(pack, "validate", "--no-cache")
    assert result.code == 0 and not cache.exists()
    cli(pack, "validate")
    assert cache.exists()


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The rule files whose front matter was parsed as YAML since the test started."""
    names: list[str] = []
    real = load.parse_yaml

    def counting(text, first_line=1):
        if first_line == 2:  # a rule's front matter (list files start at line 1)
            names.append(text.partition("title: ")[2].partition("\n")[0])
        return real(text, first_line)

    monkeypatch.setattr(load, "parse_yaml", counting)
    monkeypatch.setattr(load, "map_in_order", lambda fn, items: [fn(item) for item in items])
    return names


def test_front_matter_of_unchanged_files_is_not_parsed_again(pack, cache, checked, parsed):
    first = load.load_pack(pack)
    validate_pack(first)
    assert len(parsed) == 3
    parsed.clear()
    second = load.load_pack(pack)
    assert parsed == [] and second.rules == first.rules
    edit(pack, RULE, "priority: HIGH", "priority: MEDIUM")
    third = load.load_pack(pack)
    assert len(parsed) == 1 and next(r for r in third.rules if r.stem == "step-retries").priority == "MEDIUM"
    parsed.clear()
    assert load.load_pack(pack, use_cache=False).rules == third.rules and len(parsed) == 3


def test_a_damaged_front_matter_entry_is_ignored_with_a_warning(pack, cache, checked, parsed, capsys):
    validate_pack(load.load_pack(pack))
    data = json.loads(cache.read_text())
    key = next(iter(data["front"]))
    data["front"][key] = [["not", "a", "mapping"], {}]
    cache.write_text(json.dumps(data))
    parsed.clear()
    rules = load.load_pack(pack).rules
    assert "warning: ignoring the validation cache" in capsys.readouterr().err
    assert len(parsed) == 3 and all(isinstance(rule.meta, dict) for rule in rules)

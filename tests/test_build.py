"""build: golden output, byte-identical rebuilds, atomic failure, --check, the token budget at any pack size, the
rule indexes, and the Agent Skills validator."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from agent_tools import AGENTSKILLS
from conftest import ROOT
from packs import copy_rule, make_real_pack
from skillpack.build import SKILL_BUDGET_TOKENS, body_of, estimate_tokens
from skillpack.load import load_pack, relative_links, rule_paths

GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "expected-SKILL.md.txt"  # not named SKILL.md: skill installers would find it


def test_skill_md_matches_golden(pack, cli):
    result = cli(pack, "build")
    assert result.code == 0, result.err
    built = (pack / "SKILL.md").read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(built, encoding="utf-8")
    assert built == GOLDEN.read_text(encoding="utf-8")


def generated_files(root: Path) -> list[Path]:
    """SKILL.md and the rule indexes on disk."""
    return [root / "SKILL.md", *sorted((root / "references" / "index").glob("*.md"))]


def test_two_builds_are_byte_identical(pack, cli):
    assert cli(pack, "build").code == 0
    first = {path: path.read_bytes() for path in generated_files(pack)}
    assert len(first) == 1 + len(load_pack(pack).categories)
    for path in first:
        path.unlink()
    assert cli(pack, "build").code == 0
    assert {path: path.read_bytes() for path in generated_files(pack)} == first


def test_rebuild_of_fresh_output_writes_nothing(pack, cli):
    assert cli(pack, "build").code == 0
    for path in generated_files(pack):
        os.utime(path, (1, 1))
    result = cli(pack, "build")
    assert result.code == 0 and "SKILL.md: up to date" in result.out
    assert "references/index/queue.md: up to date" in result.out
    assert {path.stat().st_mtime for path in generated_files(pack)} == {1}


def test_failing_build_leaves_previous_output_untouched(pack, cli):
    assert cli(pack, "build").code == 0
    before = (pack / "SKILL.md").read_bytes()
    rule = pack / "references/queue-register.md"
    rule.write_text(rule.read_text().replace("summary: Call", "summary: NEW Call").replace("priority: HIGH", "priority: X"))
    result = cli(pack, "build")
    assert result.code == 1
    assert "build failed: nothing was written" in result.err
    assert (pack / "SKILL.md").read_bytes() == before
    assert not [p for p in pack.iterdir() if p.name.endswith(".tmp")]


def test_check_reports_stale_and_writes_nothing(pack, cli):
    assert cli(pack, "build").code == 0
    rule = pack / "references/queue-register.md"
    rule.write_text(rule.read_text().replace("summary: Call", "summary: Always call"))
    before = {path: path.read_bytes() for path in generated_files(pack)}
    result = cli(pack, "build", "--check")
    assert result.code == 1
    assert result.err == "stale: references/index/queue.md (run 'make build')\n"
    assert {path: path.read_bytes() for path in generated_files(pack)} == before
    assert cli(pack, "build").code == 0
    assert cli(pack, "build", "--check").code == 0


def test_check_on_missing_output_is_stale(pack, cli):
    result = cli(pack, "build", "--check")
    assert result.code == 1 and "stale: SKILL.md" in result.err and "stale: references/index/step.md" in result.err
    assert not (pack / "SKILL.md").exists() and not (pack / "references" / "index").exists()


def test_index_of_a_category_that_is_gone_is_stale_and_removed(pack, cli):
    assert cli(pack, "build").code == 0
    orphan = pack / "references" / "index" / "gone.md"
    orphan.write_text("# Gone rules\n", encoding="utf-8")
    result = cli(pack, "build", "--check")
    assert result.code == 1 and "stale: references/index/gone.md" in result.err
    assert orphan.exists()
    result = cli(pack, "build")
    assert result.code == 0 and "references/index/gone.md: no category's index any more, removed" in result.out
    assert not orphan.exists()
    assert cli(pack, "build", "--check").code == 0


def test_each_category_index_lists_its_rules_most_important_first(pack, cli):
    assert cli(pack, "build").code == 0
    loaded = load_pack(pack)
    for category, rules in loaded.sections():
        text = (pack / "references" / "index" / f"{category.id}.md").read_text(encoding="utf-8")
        assert text.startswith(f"# {category.title} rules") and category.description in text
        assert "](../../SKILL.md)" in text
        lines = [line for line in text.split("\n") if line.startswith("- [")]
        assert lines == [f"- [{r.stem}](../{r.stem}.md) ({r.priority}): {r.summary}" for r in rules], category.id


def test_build_prints_size_and_token_estimate(pack, cli):
    result = cli(pack, "build")
    assert "SKILL.md body:" in result.out and "tokens (budget 5,000)" in result.out


def test_repository_skill_md_is_fresh_and_within_budget(cli):
    result = cli(ROOT, "build", "--check")
    assert result.code == 0, result.err
    body = body_of((ROOT / "SKILL.md").read_text(encoding="utf-8"))
    assert body.count("\n") < 500
    assert estimate_tokens(body) <= 4_000


def linked_files(markdown: Path) -> set[Path]:
    """The files the relative links of a Markdown file point to."""
    targets = {target.split("#", 1)[0] for _, target in relative_links(markdown.read_text(encoding="utf-8"))}
    return {(markdown.parent / target).resolve() for target in targets if target}


def reachable_rules(root: Path) -> set[Path]:
    """Rule files linked from SKILL.md or from a file SKILL.md links (at most two reads); every link must resolve."""
    first = linked_files(root / "SKILL.md")
    second = {path for linked in first if linked.suffix == ".md" for path in linked_files(linked)}
    missing = sorted(str(path) for path in first | second if not path.is_file())
    assert not missing, f"links to missing files: {missing}"
    rules = {path.resolve() for path in rule_paths(root / "references")}
    return (first | second) & rules


def test_300_rule_pack_stays_within_budget_and_every_rule_is_reachable(tmp_path, cli):
    root = tmp_path / "big"
    make_real_pack(root, 300, demote_critical=False)  # the critical rules grow in proportion
    result = cli(root, "build")
    assert result.code == 0, result.err
    pack = load_pack(root)
    assert len(pack.rules) == 300
    skill = (root / "SKILL.md").read_text(encoding="utf-8")
    critical = [rule for rule in pack.rules if rule.priority == "CRITICAL"]
    assert len(critical) >= 20 and all(f"**{rule.title}.** {rule.summary}" in skill for rule in critical)
    assert estimate_tokens(body_of(skill)) <= SKILL_BUDGET_TOKENS == 5_000
    assert reachable_rules(root) == {rule.path.resolve() for rule in pack.rules}


def test_build_refuses_a_skill_md_over_budget_and_writes_nothing(pack, cli):
    assert cli(pack, "build").code == 0
    before = {path: path.read_bytes() for path in generated_files(pack)}
    for n in range(200):
        rule = pack / "references" / "lifecycle-launch-in-main.md"
        copy_rule(rule, rule.parent, f"{rule.stem}-copy-{n}", n + 1, demote_critical=False)
    result = cli(pack, "build")
    assert result.code == 1 and "build failed: nothing was written" in result.err
    figure = re.search(r"SKILL\.md body is ([\d,]+) tokens \(characters / 4\); the budget is 5,000", result.err)
    assert figure and int(figure.group(1).replace(",", "")) > 5_000, result.err
    assert {path: path.read_bytes() for path in generated_files(pack)} == before
    assert not [p for p in pack.rglob("*.tmp")]


def copy_as_skill(source: Path, dest_parent: Path) -> Path:
    """Copy SKILL.md and references/ into a folder named dbos-python (the name the validator requires)."""
    dest = dest_parent / "dbos-python"
    dest.mkdir()
    shutil.copy2(source / "SKILL.md", dest / "SKILL.md")
    shutil.copytree(source / "references", dest / "references")
    return dest


@pytest.mark.parametrize("which", ["repository", "fixture"])
def test_agentskills_validate_passes(pack, cli, tmp_path, which):
    if which == "fixture":
        assert cli(pack, "build").code == 0
    source = ROOT if which == "repository" else pack
    skill = copy_as_skill(source, tmp_path)
    proc = subprocess.run([str(AGENTSKILLS), "validate", str(skill)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_agentskills_rejects_a_wrong_folder_name(tmp_path):
    skill = copy_as_skill(ROOT, tmp_path)
    wrong = skill.rename(tmp_path / "other-name")
    proc = subprocess.run([str(AGENTSKILLS), "validate", str(wrong)], capture_output=True, text=True)
    assert proc.returncode != 0


def test_description_fits_the_spec():
    from skillpack.render import skill_description

    text = skill_description()
    assert len(text) <= 1024 and "<" not in text and ">" not in text


def test_every_rule_is_reachable_from_skill_md_and_every_link_resolves():
    rules = {path.resolve() for path in rule_paths(ROOT / "references")}
    assert rules and reachable_rules(ROOT) == rules

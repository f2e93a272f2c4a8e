"""build: golden output, byte-identical rebuilds, atomic failure, --check, and the Agent Skills validator."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "expected-SKILL.md.txt"  # not named SKILL.md: skill installers would find it
AGENTSKILLS = Path(sys.executable).parent / "agentskills"


def test_skill_md_matches_golden(pack, cli):
    result = cli(pack, "build")
    assert result.code == 0, result.err
    built = (pack / "SKILL.md").read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(built, encoding="utf-8")
    assert built == GOLDEN.read_text(encoding="utf-8")


def test_two_builds_are_byte_identical(pack, cli):
    assert cli(pack, "build").code == 0
    first = (pack / "SKILL.md").read_bytes()
    (pack / "SKILL.md").unlink()
    assert cli(pack, "build").code == 0
    assert (pack / "SKILL.md").read_bytes() == first


def test_rebuild_of_fresh_output_writes_nothing(pack, cli):
    assert cli(pack, "build").code == 0
    skill = pack / "SKILL.md"
    os.utime(skill, (1, 1))
    result = cli(pack, "build")
    assert result.code == 0 and "SKILL.md: up to date" in result.out
    assert skill.stat().st_mtime == 1


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
    before = (pack / "SKILL.md").read_bytes()
    result = cli(pack, "build", "--check")
    assert result.code == 1
    assert "stale: SKILL.md" in result.err
    assert (pack / "SKILL.md").read_bytes() == before
    assert cli(pack, "build").code == 0
    assert cli(pack, "build", "--check").code == 0


def test_check_on_missing_output_is_stale(pack, cli):
    result = cli(pack, "build", "--check")
    assert result.code == 1 and "stale: SKILL.md" in result.err
    assert not (pack / "SKILL.md").exists()


def test_build_prints_size_and_token_estimate(pack, cli):
    result = cli(pack, "build")
    assert "SKILL.md body:" in result.out and "tokens" in result.out


def test_repository_skill_md_is_fresh_and_within_budget(cli):
    result = cli(ROOT, "build", "--check")
    assert result.code == 0, result.err
    body = (ROOT / "SKILL.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert body.count("\n") < 500
    assert len(body) / 4 <= 5500


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


def test_every_rule_is_linked_from_skill_md_and_every_link_resolves():
    import re

    text = (ROOT / "SKILL.md").read_text(encoding="utf-8")
    links = set(re.findall(r"\]\((references/[^)]+)\)", text))
    rules = {f"references/{p.name}" for p in (ROOT / "references").glob("*.md") if not p.name.startswith("_")}
    assert links == rules
    assert all((ROOT / link).is_file() for link in links)

"""The clean bundle: only what an agent needs, byte-identical zips, refused when stale, and the same skill when
the skills CLI installs it (from the folder and from the unpacked zip)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from agent_tools import (
    AGENTSKILLS, SKILL, assert_complete_skill, clean_clone, files_of, output, record_size, run, skills_add,
)
from lint_samples import assert_linter_runs_from
from skillpack.bundle import BundleError, ZIP_TIMESTAMP, bundle_files, resolve_link


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    return clean_clone(tmp_path / "clone")


def bundle(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`skillpack bundle` as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "skillpack", "--root", str(root), "bundle", *args], capture_output=True, text=True, timeout=300
    )


def expected_files(clone: Path) -> set[str]:
    """SKILL.md, LICENSE, the rule files, the rule indexes and the linter."""
    rules_and_indexes = [*(clone / "references").glob("*.md"), *(clone / "references").glob("index/*.md")]
    linter = [clone / "scripts" / "dbos_lint.py", *(clone / "scripts" / "dboslint").rglob("*.py")]
    return {"SKILL.md", "LICENSE"} | {p.relative_to(clone).as_posix() for p in [*rules_and_indexes, *linter]}


def test_bundle_holds_only_what_an_agent_needs(clone, tmp_path):
    proc = bundle(clone)
    assert proc.returncode == 0, proc.stderr
    folder = clone / "dist" / SKILL
    assert set(files_of(folder)) == expected_files(clone)
    for name in expected_files(clone):
        assert (folder / name).read_bytes() == (clone / name).read_bytes()
    assert_complete_skill(folder, clone)
    assert_linter_runs_from(folder, tmp_path)
    assert f"{len(expected_files(clone))} files" in proc.stdout
    size = record_size("bundle-folder", folder)
    assert size["bytes"] < 1_000_000
    proc = run([AGENTSKILLS, "validate", folder], cwd=clone, home=tmp_path)
    assert proc.returncode == 0, output(proc)


def test_two_bundles_are_byte_identical(clone, tmp_path):
    assert bundle(clone).returncode == 0
    first = (clone / "dist" / f"{SKILL}.zip").read_bytes()
    for path in clone.rglob("*.md"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    (clone / "dist" / SKILL / "references" / "stale-extra.md").write_text("left over\n")
    second_out = tmp_path / "elsewhere"
    assert bundle(clone, "--out", str(second_out)).returncode == 0
    assert bundle(clone).returncode == 0
    assert (clone / "dist" / f"{SKILL}.zip").read_bytes() == first
    assert (second_out / f"{SKILL}.zip").read_bytes() == first
    assert not (clone / "dist" / SKILL / "references" / "stale-extra.md").exists()
    assert not [p for p in (clone / "dist").iterdir() if p.name.startswith(".")]


def test_zip_is_sorted_with_fixed_timestamps_and_matches_the_folder(clone, tmp_path):
    assert bundle(clone).returncode == 0
    with zipfile.ZipFile(clone / "dist" / f"{SKILL}.zip") as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert names == sorted(names) and names[0] == f"{SKILL}/"
        assert {info.date_time for info in infos} == {ZIP_TIMESTAMP}
        assert {info.external_attr >> 16 & 0o777 for info in infos if not info.is_dir()} == {0o644}
        assert archive.comment == b""
        archive.extractall(tmp_path / "unzipped")
    assert files_of(tmp_path / "unzipped" / SKILL) == files_of(clone / "dist" / SKILL)


def test_bundle_refuses_a_stale_skill_md_and_writes_nothing(clone):
    skill = clone / "SKILL.md"
    skill.write_text(skill.read_text(encoding="utf-8") + "\nA hand edit.\n", encoding="utf-8")
    proc = bundle(clone)
    assert proc.returncode == 1
    assert "stale: SKILL.md" in proc.stderr and "nothing was written" in proc.stderr
    assert not (clone / "dist").exists()


def test_bundle_refuses_a_link_that_leaves_the_bundle(pack, cli):
    assert cli(pack, "build").code == 0
    (pack / "LICENSE").write_text("MIT\n")
    (pack / "NOTES.md").write_text("notes\n")
    rule = pack / "references" / "queue-register.md"
    rule.write_text(rule.read_text() + "\nSee [the notes](../NOTES.md).\n")
    assert cli(pack, "validate").code == 0  # the link resolves in the repository...
    with pytest.raises(BundleError) as error:
        bundle_files(pack)  # ...but not in the bundle
    assert error.value.problems == ["references/queue-register.md: relative link '../NOTES.md' points outside the bundle"]


def test_bundle_holds_the_rule_indexes_and_refuses_a_left_over_one(pack, cli):
    assert cli(pack, "build").code == 0
    (pack / "LICENSE").write_text("MIT\n")
    files = bundle_files(pack)
    indexes = sorted(p.relative_to(pack).as_posix() for p in (pack / "references" / "index").glob("*.md"))
    assert indexes and set(indexes) <= set(files)
    (pack / "references" / "index" / "gone.md").write_text("# Gone rules\n")
    with pytest.raises(BundleError) as error:
        bundle_files(pack)
    assert error.value.problems == ["stale: references/index/gone.md (run 'make build' and commit it)"]


def test_resolve_link():
    assert resolve_link("SKILL.md", "references/a.md") == "references/a.md"
    assert resolve_link("references/a.md", "b.md") == "references/b.md"
    assert resolve_link("references/a.md", "../SKILL.md") == "SKILL.md"
    assert resolve_link("references/index/step.md", "../../SKILL.md") == "SKILL.md"
    assert resolve_link("references/index/step.md", "../step-a.md") == "references/step-a.md"
    assert resolve_link("references/a.md", "../../x.md").startswith("../")


@pytest.mark.parametrize("source", ["folder", "zip"])
def test_skills_cli_installs_the_bundle_as_the_same_skill(clone, tmp_path, source):
    assert bundle(clone).returncode == 0
    skill_dir = clone / "dist" / SKILL
    if source == "zip":
        with zipfile.ZipFile(clone / "dist" / f"{SKILL}.zip") as archive:
            archive.extractall(tmp_path / "unzipped")
        skill_dir = tmp_path / "unzipped" / SKILL
    home, project = tmp_path / "home", tmp_path / "project"
    proc = skills_add(skill_dir, project, home, "--list")
    assert proc.returncode == 0 and "Found 1 skill" in proc.stdout + proc.stderr, output(proc)
    proc = skills_add(skill_dir, project, home, "-y", "--agent", "claude-code", "--copy")
    assert proc.returncode == 0, output(proc)
    installed = project / ".claude" / "skills" / SKILL
    assert_complete_skill(installed, clone)
    assert files_of(installed) == files_of(clone / "dist" / SKILL)
    assert set(files_of(installed)) == expected_files(clone)
    assert_linter_runs_from(installed, tmp_path)
    record_size(f"skills-cli-bundle-{source}", installed)

"""Agents load the pack: each real tool, offline, against a clean clone of the repository (no mocks).

- agentskills (PyPI skills-ref): to-prompt gives the expected name and description (validate: test_build.py).
- skills CLI (npm skills): --list finds exactly dbos-python; -y --agent claude-code --copy installs it whole.
- Claude Code (npm @anthropic-ai/claude-code): plugin validate --strict, then marketplace add from a Git URL
  (rewritten to the clean clone by git's insteadOf, so nothing leaves the machine) and plugin install.
- pre-commit: the local hooks pass on the clean clone and refuse a stale SKILL.md or an invalid rule.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from agent_tools import (
    AGENTSKILLS, PRE_COMMIT, SKILL, assert_complete_skill, clean_clone, files_of, git_run, node_tool, output,
    record_size, run, skills_add,
)
from conftest import ROOT
from lint_samples import assert_linter_runs_from
from skillpack import config
from skillpack.render import skill_description

MARKETPLACE_URL = "https://git.invalid/dbos-python.git"
"""A Git URL that cannot be reached: the throw-away HOME's git config rewrites it to the clean clone."""


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    return clean_clone(tmp_path / "clone")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


# --- agentskills ------------------------------------------------------------------------------------------------


def test_agentskills_to_prompt_gives_name_and_description(clone, home):
    proc = run([AGENTSKILLS, "to-prompt", clone], cwd=clone, home=home)
    assert proc.returncode == 0, output(proc)
    prompt = proc.stdout
    assert re.search(rf"<name>\s*{SKILL}\s*</name>", prompt), prompt
    description = re.search(r"<description>\s*(.*?)\s*</description>", prompt, re.S).group(1)
    assert description == skill_description()
    assert f"DBOS Transact {config.DBOS_VERSION}" in description
    assert prompt.count("<skill>") == 1
    assert re.search(rf"<location>\s*{re.escape(str(clone / 'SKILL.md'))}\s*</location>", prompt)


def test_agentskills_validate_passes_on_the_clean_clone(clone, home):
    proc = run([AGENTSKILLS, "validate", clone], cwd=clone, home=home)
    assert proc.returncode == 0, output(proc)


# --- skills CLI -------------------------------------------------------------------------------------------------


def listed_skills(text: str) -> list[str]:
    """The skill names `skills add --list` prints under 'Available Skills' (4-space indent; descriptions have 6)."""
    block = text.split("Available Skills", 1)[1] if "Available Skills" in text else ""
    return re.findall(r"^│ {4}(\S+)\s*$", block, re.M)


def test_skills_list_finds_exactly_dbos_python(clone, home, tmp_path):
    proc = skills_add(clone, tmp_path, home, "--list")
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, output(proc)
    assert "Skipped" not in text and "parse error" not in text, text
    assert "Found 1 skill" in text, text
    assert listed_skills(text) == [SKILL], text


def test_skills_add_installs_skill_md_and_every_linked_rule(clone, home, tmp_path):
    project = tmp_path / "project"
    proc = skills_add(clone, project, home, "-y", "--agent", "claude-code", "--copy")
    assert proc.returncode == 0, output(proc)
    assert "Skipped" not in proc.stdout + proc.stderr, output(proc)
    installed = project / ".claude" / "skills" / SKILL
    assert installed.is_dir() and not installed.is_symlink(), output(proc)
    assert_complete_skill(installed, clone)
    # A root-level skill is copied whole: the clone's files, minus .git (the README points to the bundle).
    assert files_of(installed) == files_of(clone)
    assert_linter_runs_from(installed, tmp_path)
    size = record_size("skills-cli-repository", installed)
    assert size["bytes"] < 5_000_000, f"{size}: keep large files out of the repository, or install the bundle"
    lock = json.loads((project / "skills-lock.json").read_text())
    assert list(lock["skills"]) == [SKILL]


# --- Claude Code ------------------------------------------------------------------------------------------------


def claude(args: list, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    return run([node_tool("claude"), *args], cwd=cwd, home=home, timeout=300)


def test_claude_plugin_validate_strict(clone, home):
    proc = claude(["plugin", "validate", clone, "--strict"], cwd=clone, home=home)
    assert proc.returncode == 0, output(proc)
    assert "Validation passed" in proc.stdout, output(proc)
    assert "marketplace.json" in proc.stdout


def test_marketplace_manifest_matches_the_pack():
    manifest = json.loads((ROOT / ".claude-plugin" / "marketplace.json").read_text(encoding="utf-8"))
    assert manifest["name"] == SKILL
    (plugin,) = manifest["plugins"]
    assert plugin["name"] == SKILL and plugin["source"] == "./" and plugin["skills"] == ["./"]
    assert plugin["version"] == manifest["metadata"]["version"] == config.PACK_VERSION
    assert plugin["license"] == config.LICENSE
    assert config.DBOS_VERSION in plugin["description"] and config.DBOS_VERSION in manifest["metadata"]["description"]


def test_claude_marketplace_add_and_plugin_install(clone, home, tmp_path):
    # `/plugin marketplace add <repo>` clones the repository with git: point the URL at the clean clone.
    subprocess.run(
        ["git", "config", "--file", str(home / ".gitconfig"), f"url.file://{clone}/.git.insteadOf", MARKETPLACE_URL],
        check=True,
    )
    work = tmp_path / "work"
    work.mkdir()
    proc = claude(["plugin", "marketplace", "add", MARKETPLACE_URL], cwd=work, home=home)
    assert proc.returncode == 0, output(proc)
    proc = claude(["plugin", "install", f"{SKILL}@{SKILL}"], cwd=work, home=home)
    assert proc.returncode == 0, output(proc)

    installed = json.loads((home / ".claude" / "plugins" / "installed_plugins.json").read_text())
    (entry,) = installed["plugins"][f"{SKILL}@{SKILL}"]
    assert entry["version"] == config.PACK_VERSION
    plugin_dir = Path(entry["installPath"])
    assert plugin_dir.is_relative_to(home)
    assert_complete_skill(plugin_dir, clone)
    assert_linter_runs_from(plugin_dir, tmp_path)
    assert (plugin_dir / "hooks" / "hooks.json").read_bytes() == (clone / "hooks" / "hooks.json").read_bytes()
    record_size("claude-plugin-cache", plugin_dir)
    marketplace = home / ".claude" / "plugins" / "marketplaces" / SKILL
    assert (marketplace / ".claude-plugin" / "marketplace.json").is_file()
    record_size("claude-marketplace-clone", marketplace, include_git=True)

    proc = claude(["plugin", "details", f"{SKILL}@{SKILL}"], cwd=work, home=home)
    assert proc.returncode == 0, output(proc)
    assert re.search(rf"Skills \(1\)\s+{SKILL}\b", proc.stdout), output(proc)
    proc = claude(["plugin", "list", "--json"], cwd=work, home=home)
    assert proc.returncode == 0, output(proc)
    (plugin,) = [p for p in json.loads(proc.stdout) if p.get("id") == f"{SKILL}@{SKILL}"]
    assert plugin.get("enabled") is True, plugin


# --- pre-commit -------------------------------------------------------------------------------------------------

def test_pre_commit_hooks_refuse_a_stale_skill_md_and_an_invalid_rule(clone, home):
    # The hooks run .venv/bin/skillpack: give the clone this environment's venv, as `make build` would.
    (clone / ".venv").symlink_to(Path(sys.executable).parent.parent)
    proc = git_run([PRE_COMMIT, "run", "--all-files"], clone, home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "skillpack validate" in proc.stdout and "skillpack build --check" in proc.stdout
    assert git_run([PRE_COMMIT, "install"], clone, home).returncode == 0

    skill = clone / "SKILL.md"
    skill.write_text(skill.read_text(encoding="utf-8") + "\nA hand edit.\n", encoding="utf-8")
    proc = git_run(["git", "commit", "-qam", "hand edit"], clone, home)
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "stale: SKILL.md" in proc.stdout + proc.stderr
    git_run(["git", "checkout", "--", "SKILL.md"], clone, home)

    rule = sorted((clone / "references").glob("*.md"))[0]
    text = rule.read_text(encoding="utf-8")
    rule.write_text(re.sub(r"^priority: .*$", "priority: URGENT", text, count=1, flags=re.M), encoding="utf-8")
    proc = git_run(["git", "commit", "-qam", "bad priority"], clone, home)
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert f"references/{rule.name}" in proc.stdout + proc.stderr and "priority 'URGENT'" in proc.stdout + proc.stderr

    rule.write_text(text.rstrip("\n") + "\n\nThe same holds in async code.\n", encoding="utf-8")
    proc = git_run(["git", "commit", "-qam", "a sentence that changes no output"], clone, home)
    assert proc.returncode == 0, proc.stdout + proc.stderr

"""dbos-lint where users meet it, tested with the real tools on a clean clone of the repository:

- the Claude Code plugin's PostToolUse hook (hooks/hooks.json), run exactly as its command line says, with recorded
  PostToolUse events on standard input;
- the pre-commit hook (.pre-commit-hooks.yaml), through the real `pre-commit try-repo` in a scratch repository.
(Installed copies — bundle, skills CLI, plugin — are run in test_bundle.py and test_install.py.)
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from agent_tools import PRE_COMMIT, clean_clone, git_run
from lint_samples import BAD, GOOD, NOT_DBOS, bare_python

pytestmark = pytest.mark.xdist_group("lint-install")  # its module fixture is built once, in one worker



@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    return clean_clone(tmp_path_factory.mktemp("lint-install"))


def hook_command(plugin_root: Path) -> str:
    config = json.loads((plugin_root / "hooks" / "hooks.json").read_text(encoding="utf-8"))
    (entry,) = config["hooks"]["PostToolUse"]
    assert entry["matcher"] == "Write|Edit|MultiEdit"
    (hook,) = entry["hooks"]
    assert hook["type"] == "command"
    return hook["command"]


BARE_PATH = f"{Path(bare_python()).parent}:/usr/bin:/bin"
"""A PATH with the Python outside the venv first, and no venv."""


def run_hook(plugin_root: Path, event: dict | str) -> subprocess.CompletedProcess:
    """The hook's command through a shell, as Claude Code runs it, with CLAUDE_PLUGIN_ROOT set and no venv on PATH;
    ``event`` is sent as JSON (a string is sent as it is)."""
    env = {"PATH": BARE_PATH, "CLAUDE_PLUGIN_ROOT": str(plugin_root), "HOME": "/tmp"}
    stdin = event if isinstance(event, str) else json.dumps(event)
    return subprocess.run(
        ["bash", "-c", hook_command(plugin_root)], input=stdin, env=env, capture_output=True, text=True,
        timeout=60, cwd=plugin_root,
    )


def edit_event(path: Path, tool: str = "Write") -> dict:
    return {
        "session_id": "s", "transcript_path": "/tmp/t.jsonl", "cwd": str(path.parent), "hook_event_name": "PostToolUse",
        "tool_name": tool, "tool_input": {"file_path": path.name, "content": path.read_text(encoding="utf-8")},
        "tool_response": {"filePath": str(path), "success": True},
    }


@pytest.fixture
def samples(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in (("bad.py", BAD), ("good.py", GOOD), ("plain.py", NOT_DBOS), ("notes.md", BAD)):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def test_claude_hook_hands_findings_back_with_exit_2(clone, samples):
    proc = run_hook(clone, edit_event(samples["bad.py"]))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{samples['bad.py']}:8:5: workflow-durable-sleep " in proc.stderr
    assert str(clone / "references" / "workflow-durable-sleep.md") in proc.stderr
    assert proc.stdout == ""
    edit = run_hook(clone, edit_event(samples["bad.py"], tool="Edit"))
    assert edit.returncode == 2 and edit.stderr == proc.stderr


@pytest.mark.parametrize("name, tool", [("good.py", "Write"), ("plain.py", "Edit"), ("notes.md", "Write"),
                                        ("bad.py", "Read")])
def test_claude_hook_is_silent_otherwise(clone, samples, name, tool):
    proc = run_hook(clone, edit_event(samples[name], tool=tool))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_claude_hook_reports_bad_input_without_blocking(clone):
    proc = run_hook(clone, "not json")
    assert proc.returncode == 1 and "not a JSON hook event" in proc.stderr and "Traceback" not in proc.stderr


def git(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess:
    """A git or pre-commit command with a throw-away HOME and only the bare Python on PATH (no venv)."""
    return git_run(args, cwd, home, path=BARE_PATH)


def test_pre_commit_try_repo_fails_on_a_bad_file_and_passes_on_a_good_one(clone, tmp_path):
    home, project = tmp_path / "home", tmp_path / "project"
    home.mkdir()
    project.mkdir()
    assert git(["git", "init", "-q"], project, home).returncode == 0
    (project / "app").mkdir()
    (project / "app" / "bad.py").write_text(BAD, encoding="utf-8")
    (project / "app" / "good.py").write_text(GOOD, encoding="utf-8")
    git(["git", "add", "."], project, home)
    failing = git([PRE_COMMIT, "try-repo", clone, "dbos-lint", "--files", "app/bad.py", "app/good.py"], project, home)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "app/bad.py:8:5: workflow-durable-sleep " in failing.stdout
    assert "good.py:" not in failing.stdout
    passing = git([PRE_COMMIT, "try-repo", clone, "dbos-lint", "--files", "app/good.py"], project, home)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
    # Nothing was installed: pre-commit made no virtualenv for the hook.
    assert not list((home / "pre-commit-cache").rglob("pyvenv.cfg"))

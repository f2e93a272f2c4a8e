"""Run the real agent tools (skills CLI, Claude Code, agentskills) against a clean clone of the repository.

The node tools come from .tools/node, installed by `make node-tools` (a prerequisite of `make test`) exactly as
tools/package-lock.json pins them. Every run gets a throw-away HOME and a minimal environment, and no network.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

NODE_BIN = ROOT / ".tools" / "node" / "node_modules" / ".bin"
AGENTSKILLS = Path(sys.executable).parent / "agentskills"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
SIZES = ROOT / "test-output" / "install-sizes"
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SKILL = "dbos-python"


def node_tool(name: str) -> Path:
    """The path of a pinned node tool; fails (never skips) when the tools are not installed."""
    path = NODE_BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run 'make node-tools' (make test installs it first)")
    return path


def tool_env(home: Path) -> dict[str, str]:
    """A minimal environment: the pinned Node first on PATH, a throw-away HOME, telemetry and updates off."""
    env = {
        "PATH": f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
        "DISABLE_TELEMETRY": "1",
        "DO_NOT_TRACK": "1",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_AUTOUPDATER": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "NO_COLOR": "1",
        "CI": "1",
    }
    return env


def run(args: list[str | Path], cwd: Path, home: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a command with no standard input; stdout and stderr come back as text without ANSI escapes."""
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=tool_env(home), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=timeout,
    )
    proc.stdout, proc.stderr = ANSI_RE.sub("", proc.stdout), ANSI_RE.sub("", proc.stderr)
    return proc


def skills_add(source: str | Path, project: Path, home: Path, *args: str, timeout: float = 300):
    """``skills add <source> <args>`` run by the pinned skills CLI in ``project``, with a throw-away HOME (both
    folders made if missing)."""
    project.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    return run([node_tool("skills"), "add", source, *args], cwd=project, home=home, timeout=timeout)


def git_env(home: Path) -> dict[str, str]:
    """This environment without git and pre-commit settings, with a throw-away HOME, pre-commit cache and identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        HOME=str(home), PRE_COMMIT_HOME=str(home / "pre-commit-cache"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t", GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def git_run(args: list, cwd: Path, home: Path, path: str | None = None) -> subprocess.CompletedProcess:
    """A git (or pre-commit) command with a throw-away HOME (``git_env``), and ``path`` as PATH if given."""
    env = git_env(home) if path is None else dict(git_env(home), PATH=path)
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def output(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def clean_clone(parent: Path) -> Path:
    """`git clone` of the repository into ``parent/dbos-python``: exactly the committed files."""
    parent.mkdir(parents=True, exist_ok=True)
    dest = parent / SKILL
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True, capture_output=True, timeout=120)
    if not (dest / "SKILL.md").is_file():
        pytest.fail("SKILL.md is not committed: run 'make build' and commit SKILL.md")
    return dest


def files_of(folder: Path, include_git: bool = False) -> dict[str, int]:
    """Every file under ``folder`` (POSIX relative path -> size in bytes), .git excluded unless asked for."""
    return {
        p.relative_to(folder).as_posix(): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (include_git or ".git" not in p.relative_to(folder).parts)
    }


def record_size(name: str, folder: Path, include_git: bool = False) -> dict[str, int]:
    """Measure an installed folder and keep the figure in test-output/install-sizes/<name>.json."""
    files = files_of(folder, include_git)
    size = {"files": len(files), "bytes": sum(files.values())}
    SIZES.mkdir(parents=True, exist_ok=True)
    (SIZES / f"{name}.json").write_text(json.dumps({"path": str(folder), **size}, indent=2) + "\n", encoding="utf-8")
    return size


def markdown_links(path: Path) -> list[str]:
    """The relative link targets of a Markdown file, without their #fragment."""
    from skillpack.load import relative_links

    return [target.split("#", 1)[0] for _, target in relative_links(path.read_text(encoding="utf-8"))]


def assert_complete_skill(installed: Path, source: Path) -> None:
    """``installed`` holds the SKILL.md of ``source``, every file it links and every file those link (the rules of its
    rule indexes), each as in ``source`` and inside ``installed``: every rule is reached in two reads at most."""
    assert (installed / "SKILL.md").read_bytes() == (source / "SKILL.md").read_bytes()
    rules = sorted(p.name for p in (source / "references").glob("*.md"))
    assert rules, "the clone has no rule files"
    root = installed.resolve()

    def linked(reader: Path) -> set[Path]:
        targets = set()
        for link in markdown_links(reader):
            target = (reader.parent / link).resolve()
            assert target.is_relative_to(root), f"{reader.name}: {link} leaves the installed folder"
            assert target.is_file(), f"{reader.name} links {link}, which is not installed"
            assert target.read_bytes() == (source / target.relative_to(root)).read_bytes()
            targets.add(target)
        return targets

    first = linked(installed / "SKILL.md")
    reached = first.union(*(linked(path) for path in first if path.suffix == ".md"))
    assert sorted(p.name for p in reached if p.parent == root / "references") == rules

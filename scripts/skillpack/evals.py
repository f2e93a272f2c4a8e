"""Outcome evals: run DBOS programming tasks with an agent command, with and without the skill installed, and grade
the code the agent leaves by execution (each task's pytest graders, on the real dbos) and by the pack's linter.

A task is a folder ``evals/tasks/<task-id>/`` (``task.yml``, ``PROMPT.md``, ``starter/``, ``graders/``; see
``evals/README.md``). Each run copies the starter into a temp folder, installs the bundle there as the skills CLI
installs a project skill for Claude Code (skill mode), runs the agent in it (or copies a recorded answer over it:
``replay:<folder>``), then grades it: the graders pass and dbos-lint finds nothing in the ``.py`` files the agent
created or changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from . import config, warm
from .bundle import BundleError, bundle_files, write_folder
from .files import write_atomic
from .lint import LINTER_SCRIPT
from .load import CATEGORIES_FILE, load_list, rule_paths
from .model import Category

TASKS_DIR = Path("evals") / "tasks"
TASK_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TASK_KEYS = {"title", "rules", "category", "timeout"}
DEFAULT_AGENT_TIMEOUT = 900.0
DEFAULT_GRADER_TIMEOUT = 120.0
SKILL_DIR = Path(".claude") / "skills" / config.SKILL_NAME
"""Where ``skills add <bundle> --agent claude-code --copy`` puts the skill in a project."""
SKILLS_LOCK = "skills-lock.json"
"""The project lock file the skills CLI writes next to ``.claude/``."""
REPLAY = "replay:"
TRANSCRIPT = "transcript.jsonl"
SKIPPED_DIRS = {".claude", ".git", ".venv", "venv", "node_modules", "site-packages", "__pycache__"}
SAVED_FILE_LIMIT = 256_000
"""Changed files up to this size are kept with the run's result."""
RULE_PATH_RE = re.compile(r"references/([a-z0-9][a-z0-9-]*)\.md")
REPLAY_NOTE = ("replay: recorded answers stand in for an agent; this proves the harness and the graders, "
               "it does not measure the skill")
MODES = ("skill", "baseline")


class UsageError(Exception):
    """Bad input for the whole run (exit 2)."""


class TaskError(Exception):
    """A task folder that cannot run; the message says why in a line."""


@dataclass(frozen=True)
class Task:
    id: str
    folder: Path
    title: str
    rules: list[str]
    category: str
    timeout: float
    prompt: str


@dataclass
class RunResult:
    """One run of one task: what the agent did and how it was graded."""

    task: str
    mode: str
    repeat: int
    passed: bool = False
    status: str = "error"
    """passed, failed, grader error or error (the task could not run)."""
    error: str | None = None
    grader: dict = field(default_factory=dict)
    lint_findings: list[dict] = field(default_factory=list)
    rules_read: list[str] = field(default_factory=list)
    agent: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.task} [{self.mode} #{self.repeat}]"


@dataclass(frozen=True)
class Agent:
    """An agent command (argv) or a replay folder of recorded answers."""

    argv: tuple[str, ...] = ()
    replay: Path | None = None


# --- tasks ------------------------------------------------------------------------------------------------------


def load_task(folder: Path, rule_stems: set[str], categories: set[str]) -> Task:
    """Read and check one task folder; raises TaskError naming the first problem."""
    task_id = folder.name
    if not TASK_ID_RE.match(task_id):
        raise TaskError(f"task id '{task_id}' is not lower-case kebab-case")
    if not folder.is_dir():
        raise TaskError(f"no task folder {folder}")
    for part, is_dir in (("task.yml", False), ("PROMPT.md", False), ("starter", True), ("graders", True)):
        path = folder / part
        if not (path.is_dir() if is_dir else path.is_file()):
            raise TaskError(f"{part} is missing")
    if not any((folder / "graders").glob("test_*.py")):
        raise TaskError("graders/ holds no test_*.py")
    try:
        meta = yaml.safe_load((folder / "task.yml").read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TaskError(f"task.yml is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise TaskError("task.yml is not a mapping")
    unknown = sorted(set(meta) - TASK_KEYS)
    if unknown:
        raise TaskError(f"task.yml: unknown key(s) {', '.join(unknown)}")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise TaskError("task.yml: title must be a non-empty string")
    rules = meta.get("rules")
    if not isinstance(rules, list) or not rules or not all(isinstance(r, str) for r in rules):
        raise TaskError("task.yml: rules must be a non-empty list of rule file stems")
    missing = [r for r in rules if r not in rule_stems]
    if missing:
        raise TaskError(f"task.yml: no rule references/{missing[0]}.md")
    category = meta.get("category")
    if category not in categories:
        raise TaskError(f"task.yml: category must be one of {', '.join(sorted(categories))}")
    timeout = meta.get("timeout", DEFAULT_AGENT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise TaskError("task.yml: timeout must be a positive number of seconds")
    prompt = (folder / "PROMPT.md").read_text(encoding="utf-8")
    if not prompt.strip():
        raise TaskError("PROMPT.md is empty")
    return Task(task_id, folder, title.strip(), rules, category, float(timeout), prompt)


def pack_names(root: Path) -> tuple[set[str], set[str]]:
    """The rule file stems and category ids of the pack, for checking task.yml."""
    references = root / "references"
    categories, _ = load_list(references / CATEGORIES_FILE, Category)
    return {path.stem for path in rule_paths(references)}, {category.id for category in categories}


def all_task_ids(tasks_dir: Path) -> list[str]:
    return sorted(p.name for p in tasks_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


# --- the work copy ------------------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (POSIX relative path -> sha256 of its bytes and its mode)."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes() + oct(p.stat().st_mode).encode()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def changed_paths(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def skill_lock(files: dict[str, bytes], source: str) -> str:
    """The ``skills-lock.json`` the skills CLI writes for a local skill: its hash is sha256 over every file's relative
    path and bytes, in the order of JavaScript's ``localeCompare``."""
    digest = hashlib.sha256()
    for name in sorted(files, key=locale_key):
        digest.update(name.encode("utf-8"))
        digest.update(files[name])
    lock = {"version": 1, "skills": {config.SKILL_NAME: {
        "source": source, "sourceType": "local", "computedHash": digest.hexdigest()}}}
    return json.dumps(lock, indent=2) + "\n"


_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"


def locale_key(text: str) -> tuple:
    """A sort key that orders ASCII paths as ICU's root collation does (``String.prototype.localeCompare``):
    punctuation before digits before letters, letters case-blind first, lower case before upper case on a tie."""
    def weight(ch: str) -> tuple[int, int]:
        if ch in _PUNCTUATION:
            return (0, _PUNCTUATION.index(ch))
        if ch.isdigit():
            return (1, ord(ch))
        if ch.isalpha():
            return (2, ord(ch.lower()))
        return (0, 100 + ord(ch))
    return tuple(weight(c) for c in text), tuple(c.isupper() for c in text)


def install_skill(work: Path, files: dict[str, bytes], source: str) -> None:
    """Install the bundle into the project ``work`` as ``skills add <source> -a claude-code --copy`` does."""
    write_folder(work / SKILL_DIR, files)
    (work / SKILLS_LOCK).write_text(skill_lock(files, source), encoding="utf-8")


def copy_over(source: Path, dest: Path, skip: set[str] = frozenset()) -> None:
    """Copy the files of ``source`` over ``dest`` (new folders made, existing files replaced)."""
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if rel.as_posix() in skip or "__pycache__" in rel.parts or not path.is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / rel)


def project_files(work: Path) -> dict[str, Path]:
    """The project's own files in the work copy: the installed skill, hidden and tool folders left out."""
    found = {}
    for path in sorted(work.rglob("*")):
        rel = path.relative_to(work)
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in rel.parts[:-1]) or not path.is_file():
            continue
        if rel.as_posix() == SKILLS_LOCK:
            continue
        found[rel.as_posix()] = path
    return found


def changed_files(work: Path, starter: Path) -> list[str]:
    """The project files the agent created or changed, compared with the starter."""
    changed = []
    for rel, path in project_files(work).items():
        original = starter / rel
        if not original.is_file() or original.read_bytes() != path.read_bytes():
            changed.append(rel)
    return changed


# --- running things ---------------------------------------------------------------------------------------------


def clean_env(**updates: str) -> dict[str, str]:
    """This process's environment without pytest's variables (an outer pytest must not leak into the runs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k != "PYTHONPATH"}
    env.update(updates)
    return env


def run_group(argv: list[str], cwd: Path, env: dict[str, str], timeout: float, stdin: bytes,
              stdout: Path, stderr: Path) -> tuple[int | None, bool, float]:
    """Run ``argv`` in its own process group with output to files; kill the whole group at ``timeout`` (and any
    child left behind at the end). Returns (exit status or None, timed out, seconds)."""
    started = time.monotonic()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=out, stderr=err,
                                start_new_session=True)
        feeder = threading.Thread(target=_feed, args=(proc, stdin), daemon=True)
        feeder.start()
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        _kill_group(proc.pid)
        code = proc.wait()
    return (None if timed_out else code), timed_out, time.monotonic() - started


def _feed(proc: subprocess.Popen, data: bytes) -> None:
    try:
        proc.stdin.write(data)
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def parse_agent(spec: str) -> Agent:
    """``replay:<folder>`` or a shell-style command whose program exists; raises UsageError."""
    if spec.startswith(REPLAY):
        folder = Path(spec[len(REPLAY):]).expanduser().resolve()
        if not folder.is_dir():
            raise UsageError(f"replay folder {folder} does not exist")
        return Agent(replay=folder)
    try:
        argv = shlex.split(spec)
    except ValueError as exc:
        raise UsageError(f"--agent: {exc}") from None
    if not argv:
        raise UsageError("--agent is empty")
    if shutil.which(argv[0]) is None:
        raise UsageError(f"--agent: command '{argv[0]}' not found")
    return Agent(argv=tuple(argv))


def rules_read(transcript: str, stems: set[str]) -> list[str]:
    """The rule files an agent read, from its transcript: Claude Code stream-json ``Read`` tool calls of a file under
    ``skills/dbos-python/references/``, and any ``references/<stem>.md`` named in a tool call's input; plain-text
    lines (other agents) count the ``references/<stem>.md`` paths they name. Only rules of the pack count."""
    found: set[str] = set()
    for line in transcript.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            found.update(RULE_PATH_RE.findall(line))
            continue
        for call in _tool_uses(event):
            found.update(RULE_PATH_RE.findall(json.dumps(call.get("input", {}))))
    return sorted(found & stems)


def _tool_uses(event) -> list[dict]:
    """The tool_use blocks of a stream-json event (an assistant message's content)."""
    if not isinstance(event, dict):
        return []
    message = event.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, list):
        return []
    return [b for b in content if isinstance(b, dict) and b.get("type") == "tool_use"]


def run_graders(task: Task, work: Path, scratch: Path, timeout: float, log: Path) -> dict:
    """Run the task's graders (copied outside the work copy) on the work copy; returns exit, status, summary."""
    graders = scratch / "graders"
    shutil.copytree(task.folder / "graders", graders, ignore=shutil.ignore_patterns("__pycache__"))
    if not (graders / "pytest.ini").exists():
        (graders / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # pins rootdir: no config from the work copy
    home = scratch / "grader-home"
    home.mkdir()
    env = clean_env(PYTHONPATH=str(work), HOME=str(home), DBOS_EVAL_WORKDIR=str(work), PYTHONDONTWRITEBYTECODE="1")
    args = ["-q", "-p", "no:cacheprovider", "-p", "no:xdist", str(graders)]
    if warm.available():  # a fork of the interpreter that has imported dbos and pytest: the same run, faster
        started = time.monotonic()
        finished = warm.run(work, "pytest", env, timeout, pytest=args)
        code, timed_out, seconds = finished.returncode, finished.returncode is None, time.monotonic() - started
        log.write_text(finished.stdout, encoding="utf-8")
        log.with_suffix(".stderr.txt").write_text(finished.stderr, encoding="utf-8")
    else:
        argv = [sys.executable, "-m", "pytest", *args]
        code, timed_out, seconds = run_group(argv, work, env, timeout, b"", log, log.with_suffix(".stderr.txt"))
    output = log.read_text(encoding="utf-8", errors="replace") + log.with_suffix(".stderr.txt").read_text(
        encoding="utf-8", errors="replace")
    lines = [line for line in output.splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines else "(no output)"
    if timed_out:
        status, summary = "failed", f"graders timed out after {timeout:g} s"
    elif code == 0:
        status = "passed"
    elif code == 1:
        status = "failed"
    else:
        status = "grader error"
    return {"exit": code, "status": status, "summary": summary, "seconds": round(seconds, 2)}


def lint_gate(root: Path, work: Path, files: list[str]) -> tuple[list[dict], str | None]:
    """dbos-lint (the pack's own script, run by path) over ``files``; returns the findings and an error, if any."""
    if not files:
        return [], None
    proc = subprocess.run(
        [sys.executable, str(root / LINTER_SCRIPT), "--format", "json", *files], cwd=work, capture_output=True,
        text=True, timeout=300, stdin=subprocess.DEVNULL, env=clean_env(),
    )
    if proc.returncode not in (0, 1):
        return [], f"dbos-lint failed: {proc.stderr.strip()[-300:]}"
    try:
        findings = json.loads(proc.stdout or "[]")
    except ValueError:
        return [], "dbos-lint printed no JSON"
    return [{k: f.get(k) for k in ("path", "line", "column", "rule", "message")} for f in findings], None


# --- one run ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    root: Path
    agent: Agent
    timeout: float | None
    grader_timeout: float
    out: Path
    skill_files: dict[str, bytes] | None
    rule_stems: set[str]


def run_one(settings: Settings, task: Task | TaskError, task_id: str, mode: str, repeat: int) -> RunResult:
    """Copy the starter, install the skill (skill mode), run the agent or replay, grade; never raises."""
    result = RunResult(task_id, mode, repeat)
    record = settings.out / task_id / f"{mode}-{repeat}"
    record.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix=f"skillpack-eval-{task_id}-"))
    try:
        if isinstance(task, TaskError):
            result.error = str(task)
            return result
        work = scratch / "work"
        shutil.copytree(task.folder / "starter", work, ignore=shutil.ignore_patterns("__pycache__"))
        if mode == "skill":
            install_skill(work, settings.skill_files, (settings.root / "dist" / config.SKILL_NAME).as_posix())
        transcript = record / TRANSCRIPT
        if settings.agent.replay is not None:
            answer = settings.agent.replay / task.id
            if not answer.is_dir():
                result.error = f"no recorded answer {answer}"
                return result
            copy_over(answer, work, skip={TRANSCRIPT})
            if (answer / TRANSCRIPT).is_file():
                shutil.copyfile(answer / TRANSCRIPT, transcript)
            result.agent = {"replay": str(answer)}
        else:
            home = scratch / "home"
            home.mkdir()
            limit = settings.timeout or task.timeout
            env = clean_env(HOME=str(home), DBOS_EVAL_PROMPT=task.prompt)
            code, timed_out, seconds = run_group(
                list(settings.agent.argv), work, env, limit, task.prompt.encode("utf-8"), transcript,
                record / "agent-stderr.txt")
            result.agent = {"exit": code, "timed_out": timed_out, "timeout": limit, "seconds": round(seconds, 2)}
        if transcript.is_file():
            result.rules_read = rules_read(transcript.read_text(encoding="utf-8", errors="replace"), settings.rule_stems)
        changed = changed_files(work, task.folder / "starter")
        save_files(work, changed, record / "files")
        result.grader = run_graders(task, work, scratch, settings.grader_timeout, record / "graders.txt")
        findings, lint_error = lint_gate(settings.root, work, [c for c in changed if c.endswith(".py")])
        result.lint_findings = findings
        if lint_error:
            result.error = lint_error
        elif result.grader["status"] == "grader error":
            result.status, result.error = "grader error", result.grader["summary"]
        else:
            result.passed = result.grader["status"] == "passed" and not findings
            result.status = "passed" if result.passed else "failed"
        return result
    except Exception as exc:  # a run must never stop the others
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    finally:
        result.seconds = round(time.monotonic() - started, 2)
        shutil.rmtree(scratch, ignore_errors=True)
        write_atomic(record / "result.json", json.dumps(asdict(result), indent=2, sort_keys=True) + "\n")


def save_files(work: Path, names: list[str], dest: Path) -> None:
    """Keep the agent's changed files (each up to SAVED_FILE_LIMIT bytes) with the run's result."""
    for name in names:
        path = work / name
        if path.stat().st_size <= SAVED_FILE_LIMIT:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest / name)


# --- the report -------------------------------------------------------------------------------------------------


def pass_rate(results: list[RunResult]) -> str:
    """``100% (3/3)``, ``67% ± 47 (2/3)`` (± the standard deviation over repeats), or ``—`` when not run."""
    if not results:
        return "—"
    passed = sum(r.passed for r in results)
    mean = passed / len(results)
    text = f"{mean:.0%}"
    if len(results) > 1:
        text += f" ± {math.sqrt(mean * (1 - mean)) * 100:.0f}"
    return f"{text} ({passed}/{len(results)})"


def table(results: list[RunResult]) -> str:
    """One Markdown row per task: pass rate with and without the skill, lint findings, rules read, mean time."""
    lines = ["| task | with skill | without skill | lint findings | rules read | time |",
             "|---|---|---|---|---|---|"]
    for task_id in sorted({r.task for r in results}):
        runs = [r for r in results if r.task == task_id]
        by_mode = {m: [r for r in runs if r.mode == m] for m in MODES}
        lint = sorted({f["rule"] for r in runs for f in r.lint_findings})
        count = sum(len(r.lint_findings) for r in runs)
        lint_text = f"{count} ({', '.join(lint)})" if count else "0"
        read = sorted({stem for r in runs for stem in r.rules_read})
        read_text = ", ".join(read) if read else "—"
        seconds = sum(r.seconds for r in runs) / len(runs)
        lines.append(f"| {task_id} | {pass_rate(by_mode['skill'])} | {pass_rate(by_mode['baseline'])} | "
                     f"{lint_text} | {read_text} | {seconds:.1f} s |")
    return "\n".join(lines)


def problems(results: list[RunResult]) -> list[str]:
    """A line for each run that did not pass: why."""
    lines = []
    for r in results:
        if r.passed:
            continue
        reasons = []
        if r.error:
            reasons.append(f"{r.status}: {r.error}")
        if r.agent.get("timed_out"):
            reasons.append(f"agent timed out after {r.agent['timeout']:g} s")
        elif r.agent.get("exit") not in (None, 0):
            reasons.append(f"agent exited {r.agent['exit']}")
        if r.grader and r.status != "grader error":
            reasons.append(f"graders {r.grader['status']}: {r.grader['summary']}")
        if r.lint_findings:
            first = r.lint_findings[0]
            reasons.append(f"{len(r.lint_findings)} lint finding(s), first {first['path']}:{first['line']} {first['rule']}")
        lines.append(f"{r.label}: " + "; ".join(reasons or [r.status]))
    return lines


# --- the command ------------------------------------------------------------------------------------------------


def default_out(root: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    out = root / "test-output" / "evals" / stamp
    suffix = 1
    while out.exists():
        suffix += 1
        out = root / "test-output" / "evals" / f"{stamp}-{suffix}"
    return out


def main(root: Path, args) -> int:
    """``skillpack eval``: run, grade, write the results and print the table; the last line is ``passed N/M``."""
    try:
        return run_evals(root, args)
    except UsageError as exc:
        print(f"skillpack eval: {exc}", file=sys.stderr)
        return 2


def run_evals(root: Path, args) -> int:
    if args.repeat < 1:
        raise UsageError("--repeat must be at least 1")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if args.grader_timeout <= 0:
        raise UsageError("--grader-timeout must be a positive number of seconds")
    tasks_dir = (args.tasks_dir or root / TASKS_DIR).resolve()
    if not tasks_dir.is_dir():
        raise UsageError(f"no tasks folder {tasks_dir}")
    agent = parse_agent(args.agent)
    ids = list(dict.fromkeys(args.tasks)) or all_task_ids(tasks_dir)
    if not ids:
        raise UsageError(f"{tasks_dir} holds no task")
    modes = ["skill", "baseline"] if args.baseline else ["skill"]
    skill_files = None
    if "skill" in modes:
        try:
            skill_files = bundle_files(root)
        except BundleError as exc:
            raise UsageError(f"the skill cannot be installed: {exc.problems[-1]}") from None
    out = (args.out or default_out(root)).resolve()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out: {exc}") from None

    stems, categories = pack_names(root)
    tasks: dict[str, Task | TaskError] = {}
    for task_id in ids:
        folder = tasks_dir / task_id
        try:
            tasks[task_id] = load_task(folder, stems, categories) if folder.is_dir() else TaskError(
                f"unknown task (no folder {folder})")
        except TaskError as exc:
            tasks[task_id] = exc
        except OSError as exc:
            tasks[task_id] = TaskError(f"cannot read the task: {exc}")
    guarded = [tasks_dir] + ([agent.replay] if agent.replay else [])
    before = [snapshot(folder) for folder in guarded]

    settings = Settings(root, agent, args.timeout, args.grader_timeout, out, skill_files, stems)
    plan = [(tid, mode, n) for tid in ids for mode in modes for n in range(1, args.repeat + 1)]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda p: run_one(settings, tasks[p[0]], *p), plan))

    changes = [f"{folder}: {path}" for folder, old in zip(guarded, before) for path in changed_paths(old, snapshot(folder))]
    report = table(results)
    write_atomic(out / "summary.md", report + "\n")
    write_atomic(out / "results.json", json.dumps(
        {"results": [asdict(r) for r in results], "changed": changes}, indent=2, sort_keys=True) + "\n")
    print(report)
    print()
    for line in problems(results):
        print(line)
    for line in changes:
        print(f"error: changed during the run: {line}")
    if agent.replay:
        print(REPLAY_NOTE)
    print(f"results: {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")
    passed = sum(r.passed for r in results)
    print(f"passed {passed}/{len(results)}")
    return 0 if passed == len(results) and not changes else 1

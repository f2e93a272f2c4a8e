"""skillpack eval: replays of the recorded answers, fake agents, bad task folders and the tree hash check.

Every run is a real `skillpack eval` process: real graders (pytest on the real dbos) and the real dbos-lint.
The expensive runs are module fixtures shared by the tests that read them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent_tools import SKILL, files_of, output, skills_add
from conftest import ROOT
from skillpack import evals
from skillpack.bundle import bundle_files, write_folder

pytestmark = pytest.mark.xdist_group("evals")  # one worker runs the shared replays once (make test: --dist loadgroup)

TASKS = ROOT / "evals" / "tasks"
ANSWERS = ROOT / "evals" / "answers"
TASK_IDS = evals.all_task_ids(TASKS)

FAKE_AGENT = '''\
"""A fake agent: reads the prompt on stdin and does what its FAKE-AGENT line says."""
import json, os, re, shutil, subprocess, sys, time
from pathlib import Path

prompt = sys.stdin.read()
action = re.search(r"FAKE-AGENT: (\\S+)", prompt).group(1)
cwd = Path.cwd()
answer = cwd / "answer.txt"
if action == "probe":
    seen = {
        "cwd": str(cwd), "home": os.environ["HOME"], "stdin": prompt, "env_prompt": os.environ.get("DBOS_EVAL_PROMPT"),
        "skill_md": (cwd / ".claude" / "skills" / "dbos-python" / "SKILL.md").is_file(),
        "linter": (cwd / ".claude" / "skills" / "dbos-python" / "scripts" / "dbos_lint.py").is_file(),
        "lock": (cwd / "skills-lock.json").is_file(), "files": sorted(os.listdir(cwd)),
    }
    (cwd / "seen.json").write_text(json.dumps(seen))
    answer.write_text("42\\n")
elif action.startswith("copy:"):
    shutil.copytree(action[len("copy:"):], cwd, dirs_exist_ok=True)
elif action == "hang":
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    (cwd / "child.pid").write_text(str(child.pid))
    time.sleep(600)
elif action == "crash":
    answer.write_text("42\\n")
    print("partial work", flush=True)
    sys.exit(3)
elif action.startswith("tamper:"):
    Path(action[len("tamper:"):]).write_text("changed by the agent\\n")
    answer.write_text("42\\n")
elif action == "lint":
    answer.write_text("42\\n")
    (cwd / "jobs.py").write_text(
        "import time\\nfrom dbos import DBOS\\n\\n@DBOS.workflow()\\ndef nightly() -> None:\\n    time.sleep(5)\\n"
    )
'''

GRADER = '''\
from pathlib import Path


def test_the_answer_is_42():
    assert Path("answer.txt").read_text().strip() == "42"
'''


def make_task(tasks: Path, task_id: str, action: str, *, prompt: bool = True, grader: str = GRADER) -> Path:
    """A synthetic task whose grader needs no dbos: the answer file says 42."""
    folder = tasks / task_id
    (folder / "starter").mkdir(parents=True)
    (folder / "graders").mkdir()
    (folder / "task.yml").write_text("title: Write the answer\nrules: [workflow-durable-sleep]\ncategory: workflow\n")
    if prompt:
        (folder / "PROMPT.md").write_text(f"Write the answer in answer.txt.\n\nFAKE-AGENT: {action}\n")
    (folder / "starter" / "README.md").write_text("# An empty project\n")
    (folder / "graders" / "test_answer.py").write_text(grader)
    return folder


def eval_run(*args: str | Path, out: Path) -> tuple[int, list[str], dict]:
    """Run `skillpack eval` in its own process; returns the exit status, the printed lines and results.json."""
    proc = subprocess.run(
        [sys.executable, "-m", "skillpack", "--root", str(ROOT), "eval", *map(str, args), "--out", str(out)],
        capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return proc.returncode, proc.stdout.splitlines(), results


def by_task(results: dict) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {}
    for result in results["results"]:
        runs.setdefault(result["task"], []).append(result)
    return runs


def fake_agent_command(tmp: Path) -> str:
    script = tmp / "fake_agent.py"
    script.write_text(FAKE_AGENT)
    return f"{sys.executable} {script}"


# --- the recorded answers ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    return eval_run("--agent", f"replay:{ANSWERS / 'reference'}", "--jobs", "2",
                    out=tmp_path_factory.mktemp("reference"))


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory):
    return eval_run("--agent", f"replay:{ANSWERS / 'broken'}", "--jobs", "2", out=tmp_path_factory.mktemp("broken"))


def test_every_task_has_a_reference_and_a_broken_answer():
    assert TASK_IDS, "evals/tasks holds no task"
    for task_id in TASK_IDS:
        for kind in ("reference", "broken"):
            answer = ANSWERS / kind / task_id
            assert answer.is_dir() and any(answer.rglob("*.py")), f"{task_id} has no {kind} answer in {answer}"


def test_replay_of_the_reference_answers_passes_every_task(reference_run):
    code, lines, results = reference_run
    problems = [r for r in results["results"] if not r["passed"]]
    assert not problems, json.dumps(problems, indent=2)
    assert code == 0
    assert lines[-1] == f"passed {len(TASK_IDS)}/{len(TASK_IDS)}"
    assert sorted(by_task(results)) == TASK_IDS
    assert evals.REPLAY_NOTE in lines
    assert results["changed"] == []


def test_replay_of_the_broken_answers_fails_every_task(broken_run):
    code, lines, results = broken_run
    assert code == 1 and lines[-1] == f"passed 0/{len(TASK_IDS)}"
    for result in results["results"]:
        assert not result["passed"], f"{result['task']}: the broken answer passes"
        assert result["status"] == "failed", f"{result['task']}: {result['status']}: {result['error']}"
        assert result["grader"]["status"] == "failed" or result["lint_findings"], result
    assert results["changed"] == []


# --- fake agents and bad task folders ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_run(tmp_path_factory):
    """One run over a copy of a real task and synthetic ones: a fake agent that writes the reference answer, one
    that hangs, one that crashes, one whose code dbos-lint flags; a task without PROMPT.md, a grader with a syntax
    error and an unknown task id."""
    tmp = tmp_path_factory.mktemp("fake")
    tasks = tmp / "tasks"
    real = "nightly-cleanup-job"
    shutil.copytree(TASKS / real, tasks / real)
    with (tasks / real / "PROMPT.md").open("a") as prompt:
        prompt.write(f"\nFAKE-AGENT: copy:{ANSWERS / 'reference' / real}\n")
    make_task(tasks, "hangs", "hang")
    make_task(tasks, "crashes", "crash")
    make_task(tasks, "lints", "lint")
    make_task(tasks, "no-prompt", "probe", prompt=False)
    make_task(tasks, "bad-grader", "probe", grader="def test_broken(:\n    pass\n")
    before = evals.snapshot(tasks)
    code, lines, results = eval_run(
        real, "hangs", "crashes", "lints", "no-prompt", "bad-grader", "no-such-task",
        "--agent", fake_agent_command(tmp), "--tasks-dir", tasks, "--jobs", "2", "--timeout", "10",
        out=tmp / "out")
    assert evals.snapshot(tasks) == before
    return code, lines, {task: runs[0] for task, runs in by_task(results).items()}, tmp / "out"


def test_a_fake_agent_that_writes_the_reference_answer_passes(fake_run):
    _, _, runs, out = fake_run
    result = runs["nightly-cleanup-job"]
    assert result["passed"] and result["status"] == "passed", result
    assert result["agent"]["exit"] == 0 and not result["agent"]["timed_out"]
    assert (out / "nightly-cleanup-job" / "skill-1" / "files" / "jobs.py").is_file()


def test_a_hanging_agent_is_killed_with_its_children_and_the_others_still_run(fake_run):
    code, lines, runs, out = fake_run
    result = runs["hangs"]
    assert result["agent"]["timed_out"] and result["agent"]["exit"] is None and result["agent"]["timeout"] == 10
    assert result["status"] == "failed" and result["grader"]["status"] == "failed"
    assert any(line.startswith("hangs [skill #1]:") and "agent timed out after 10 s" in line for line in lines)
    child = int((out / "hangs" / "skill-1" / "files" / "child.pid").read_text())
    state = Path(f"/proc/{child}/status")
    assert not state.exists() or "zombie" in state.read_text(), "the agent's child outlived the time limit"
    assert code == 1 and lines[-1] == f"passed 2/{len(runs)}"


def test_a_crashing_agent_is_still_graded(fake_run):
    _, lines, runs, out = fake_run
    result = runs["crashes"]
    assert result["agent"] == {"exit": 3, "timed_out": False, "timeout": 10, "seconds": result["agent"]["seconds"]}
    assert result["grader"]["status"] == "passed" and result["passed"]
    assert (out / "crashes" / "skill-1" / evals.TRANSCRIPT).read_text() == "partial work\n"


def test_the_lint_gate_fails_code_that_dbos_lint_flags(fake_run):
    _, _, runs, _ = fake_run
    result = runs["lints"]
    assert result["grader"]["status"] == "passed" and not result["passed"] and result["status"] == "failed"
    assert [(f["path"], f["rule"]) for f in result["lint_findings"]] == [("jobs.py", "workflow-durable-sleep")]


def test_bad_task_folders_and_graders_are_reported_for_that_task(fake_run):
    _, lines, runs, _ = fake_run
    assert runs["no-prompt"]["status"] == "error" and runs["no-prompt"]["error"] == "PROMPT.md is missing"
    assert runs["no-such-task"]["status"] == "error" and "unknown task" in runs["no-such-task"]["error"]
    bad = runs["bad-grader"]
    assert bad["status"] == "grader error" and bad["grader"]["exit"] not in (0, 1) and not bad["passed"]
    for task in ("no-prompt", "no-such-task", "bad-grader"):
        assert any(line.startswith(f"{task} [skill #1]: ") for line in lines), lines


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    """The probe task with and without the skill, and an agent that writes into its own task folder."""
    tmp = tmp_path_factory.mktemp("baseline")
    tasks = tmp / "tasks"
    make_task(tasks, "probe", "probe")
    target = make_task(tasks, "tamper", "probe") / "graders" / "notes.txt"
    (tasks / "tamper" / "PROMPT.md").write_text(f"Change your task.\n\nFAKE-AGENT: tamper:{target}\n")
    code, lines, results = eval_run("probe", "tamper", "--baseline", "--agent", fake_agent_command(tmp),
                                    "--tasks-dir", tasks, "--jobs", "2", out=tmp / "out")
    return code, lines, results, tmp / "out", tasks


def seen(out: Path, mode: str) -> dict:
    return json.loads((out / "probe" / f"{mode}-1" / "files" / "seen.json").read_text())


def test_the_agent_gets_the_prompt_a_work_copy_and_its_own_home(baseline_run):
    _, _, _, out, tasks = baseline_run
    prompt = (tasks / "probe" / "PROMPT.md").read_text()
    for mode in ("skill", "baseline"):
        probe = seen(out, mode)
        assert probe["stdin"] == prompt and probe["env_prompt"] == prompt
        cwd, home = Path(probe["cwd"]), Path(probe["home"])
        assert "README.md" in probe["files"], "the agent must start in a copy of the starter"
        assert not cwd.is_relative_to(ROOT) and not cwd.is_relative_to(tasks)
        assert home != Path.home() and home.parent == cwd.parent and not home.is_relative_to(cwd)
        assert not cwd.exists(), "the work copy is removed after grading"


def test_the_skill_is_installed_only_in_skill_mode(baseline_run):
    _, lines, results, out, _ = baseline_run
    assert seen(out, "skill")["skill_md"] and seen(out, "skill")["linter"] and seen(out, "skill")["lock"]
    assert not seen(out, "baseline")["skill_md"] and not seen(out, "baseline")["lock"]
    row = next(line for line in lines if line.startswith("| probe |"))
    assert row.startswith("| probe | 100% (1/1) | 100% (1/1) | 0 |"), row


def test_a_change_to_a_task_folder_is_reported(baseline_run):
    code, lines, results, _, tasks = baseline_run
    assert results["changed"] == [f"{tasks}: tamper/graders/notes.txt"]
    assert f"error: changed during the run: {tasks}: tamper/graders/notes.txt" in lines
    assert code == 1 and lines[-1] == "passed 4/4"


# --- the transcript ---------------------------------------------------------------------------------------------


def stream_json(*blocks: dict) -> str:
    return "\n".join(json.dumps({"type": "assistant", "message": {"content": [block]}}) for block in blocks) + "\n"


TRANSCRIPT = stream_json(
    {"type": "text", "text": "I will read references/workflow-determinism.md first."},
    {"type": "tool_use", "name": "Read", "input": {"file_path": "/w/.claude/skills/dbos-python/references/queue-priority.md"}},
    {"type": "tool_use", "name": "Read", "input": {"file_path": "/w/.claude/skills/dbos-python/references/index/queue.md"}},
    {"type": "tool_use", "name": "Bash", "input": {"command": "cat .claude/skills/dbos-python/references/step-enable-retries.md"}},
    {"type": "tool_use", "name": "Read", "input": {"file_path": "/w/references/not-a-rule.md"}},
) + '{"type": "result", "subtype": "success"}\nnot json\n'


def test_rules_read_are_parsed_from_stream_json_tool_calls():
    stems = {p.stem for p in (ROOT / "references").glob("*.md")}
    assert evals.rules_read(TRANSCRIPT, stems) == ["queue-priority", "step-enable-retries"]
    assert evals.rules_read("exec cat references/workflow-durable-sleep.md\n", stems) == ["workflow-durable-sleep"]


def test_a_replayed_transcript_gives_the_rules_read(tmp_path):
    tasks = tmp_path / "tasks"
    make_task(tasks, "probe", "probe")
    answer = tmp_path / "answers" / "probe"
    answer.mkdir(parents=True)
    (answer / "answer.txt").write_text("42\n")
    (answer / evals.TRANSCRIPT).write_text(TRANSCRIPT)
    code, lines, results = eval_run("--agent", f"replay:{answer.parent}", "--tasks-dir", tasks, out=tmp_path / "out")
    (result,) = results["results"]
    assert code == 0 and result["passed"] and result["rules_read"] == ["queue-priority", "step-enable-retries"]
    assert not (tmp_path / "out" / "probe" / "skill-1" / "files" / evals.TRANSCRIPT).exists()
    assert next(line for line in lines if line.startswith("| probe |")).endswith(
        "| 0 | queue-priority, step-enable-retries | " + f"{result['seconds']:.1f} s |")


# --- the install and the command line ---------------------------------------------------------------------------


def test_the_skill_is_installed_as_the_skills_cli_installs_the_bundle(tmp_path):
    files = bundle_files(ROOT)
    bundle = tmp_path / "dist" / SKILL
    write_folder(bundle, files)
    real, ours, home = tmp_path / "real", tmp_path / "ours", tmp_path / "home"
    ours.mkdir()
    proc = skills_add(bundle, real, home, "-y", "--agent", "claude-code", "--copy")
    assert proc.returncode == 0, output(proc)
    evals.install_skill(ours, files, "../dist/dbos-python")
    assert files_of(ours) == files_of(real)
    for rel in files_of(real):
        assert (ours / rel).read_bytes() == (real / rel).read_bytes(), rel


@pytest.mark.parametrize("args, message", [
    (["--repeat", "0"], "--repeat must be at least 1"),
    (["--jobs", "0"], "--jobs must be at least 1"),
    (["--agent", "no-such-agent-command --flag"], "--agent: command 'no-such-agent-command' not found"),
    (["--agent", "replay:/no/such/folder"], "replay folder /no/such/folder does not exist"),
    (["--tasks-dir", "/no/such/tasks"], "no tasks folder /no/such/tasks"),
])
def test_bad_usage_exits_2_with_one_line(cli, tmp_path, args, message):
    agent = [] if "--agent" in args else ["--agent", "true"]
    result = cli(ROOT, "eval", *agent, *args, "--out", str(tmp_path / "out"))
    assert result.code == 2
    assert result.err == f"skillpack eval: {message}\n"

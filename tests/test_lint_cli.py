"""dbos_lint.py as a user runs it: by path, in a fresh process, on Python 3.10 and on this venv's Python.

Output forms (text, JSON, SARIF), exit codes, --select/--ignore, inline ignores, folder walking, and bad input
(syntax errors, non-UTF-8, binary, deep nesting, symlink loops, unreadable files): one clear line each, never a
traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from lint_samples import BAD, GOOD, copy_linter

LINTER = ROOT / "scripts" / "dbos_lint.py"
PYTHON310 = Path.home() / ".pyenv" / "versions" / "3.10.13" / "bin" / "python3"
def lint(*args: str | Path, cwd: Path = ROOT, python: str | Path = sys.executable) -> subprocess.CompletedProcess:
    """Run the linter by path with an isolated interpreter (-I: no venv site-packages on the path, no user site)."""
    return subprocess.run(
        [str(python), "-I", str(LINTER), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.py"
    path.write_text(BAD, encoding="utf-8")
    return path


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.py"
    path.write_text(GOOD, encoding="utf-8")
    return path


def test_text_output_and_exit_codes(bad, good):
    proc = lint(bad)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == f"{bad}:8:5: workflow-durable-sleep time.sleep in a workflow is not durable: use DBOS.sleep(seconds)\n"
    assert proc.stderr == ""
    clean = lint(good)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")


@pytest.mark.skipif(not PYTHON310.exists(), reason="needs pyenv's Python 3.10 (this machine's image has it)")
def test_runs_on_python_310_without_dbos(bad, good):
    assert subprocess.run([str(PYTHON310), "-I", "-c", "import dbos"], capture_output=True).returncode != 0
    proc = lint(bad, python=PYTHON310)
    assert proc.returncode == 1 and ":8:5: workflow-durable-sleep " in proc.stdout, proc.stderr
    assert lint(good, python=PYTHON310).returncode == 0


def test_the_linter_imports_neither_dbos_nor_the_checked_code(tmp_path):
    target = tmp_path / "app.py"
    target.write_text("import dbos\nraise SystemExit('imported!')\n", encoding="utf-8")
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['dbos_lint.py', {str(target)!r}]\n"
        f"try:\n    runpy.run_path({str(LINTER)!r}, run_name='__main__')\n"
        "except SystemExit as exc:\n    code = exc.code\n"
        "print(code, 'dbos' in sys.modules, sorted(m for m in sys.modules if m.startswith('sqlalchemy')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().endswith("0 False []"), proc.stdout + proc.stderr


def test_json_output(bad):
    proc = lint("--format", "json", bad)
    assert proc.returncode == 1
    rows = json.loads(proc.stdout)
    assert rows == [{
        "path": str(bad), "line": 8, "column": 5, "rule": "workflow-durable-sleep",
        "message": "time.sleep in a workflow is not durable: use DBOS.sleep(seconds)",
        "rule_file": str(ROOT / "references" / "workflow-durable-sleep.md"),
    }]


def test_sarif_output(bad):
    proc = lint("--format", "sarif", bad)
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "dbos-lint"
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["id"] == "workflow-durable-sleep"
    assert rule["shortDescription"]["text"] == "Use DBOS.sleep for waits inside workflows, never time.sleep"
    assert rule["helpUri"] == (ROOT / "references" / "workflow-durable-sleep.md").as_uri()
    result = run["results"][0]
    assert result["ruleId"] == "workflow-durable-sleep" and result["ruleIndex"] == 0
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 8, "startColumn": 5}


def test_empty_sarif_is_still_a_valid_log(good):
    proc = lint("--format", "sarif", good)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["runs"][0]["results"] == []


def test_select_and_ignore(bad):
    assert lint("--select", "workflow-durable-sleep", bad).returncode == 1
    assert lint("--select", "lifecycle-launch-in-main", bad).returncode == 0
    assert lint("--ignore", "workflow-durable-sleep", bad).returncode == 0
    assert lint("--ignore", "lifecycle-launch-in-main,workflow-durable-sleep", bad).returncode == 0
    unknown = lint("--select", "no-such-rule", bad)
    assert unknown.returncode == 2 and "unknown rule id: no-such-rule" in unknown.stderr


@pytest.mark.parametrize("comment, silenced", [
    ("# dbos-lint: ignore", True),
    ("# dbos-lint: ignore[workflow-durable-sleep]", True),
    ("# dbos-lint: ignore[lifecycle-launch-in-main, workflow-durable-sleep]", True),
    ("# dbos-lint: ignore[workflow-determinism]", False),
    ("# noqa", False),
])
def test_inline_ignore(tmp_path, comment, silenced):
    path = tmp_path / "app.py"
    path.write_text(BAD.replace("time.sleep(60)", f"time.sleep(60)  {comment}"), encoding="utf-8")
    assert lint(path).returncode == (0 if silenced else 1)


def test_folders_recurse_skipping_hidden_and_environment_folders(tmp_path):
    for folder in ("pkg/sub", ".hidden", ".venv", "venv", "node_modules", "lib/site-packages", "pkg/.git"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "wf.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "pkg" / "notes.txt").write_text(BAD, encoding="utf-8")
    proc = lint(tmp_path)
    assert proc.returncode == 1
    paths = [line.split(":", 1)[0] for line in proc.stdout.splitlines()]
    assert paths == [str(tmp_path / "pkg" / "sub" / "wf.py")]


def test_findings_are_sorted_by_path_and_line(tmp_path):
    for name in ("b.py", "a.py"):
        (tmp_path / name).write_text(BAD + "\n\n@DBOS.workflow()\ndef later() -> None:\n    time.sleep(1)\n", encoding="utf-8")
    lines = lint(tmp_path).stdout.splitlines()
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
    assert keys == sorted(keys) and len(keys) == 4


def test_files_that_never_mention_dbos_are_skipped(tmp_path):
    path = tmp_path / "other.py"
    path.write_text("import time\n\ndef f(:\n", encoding="utf-8")  # not even valid Python: never parsed
    assert lint(path).returncode == 0


def test_syntax_error_is_a_finding_that_names_the_python(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("from dbos import DBOS\n\ndef f(:\n    pass\n", encoding="utf-8")
    proc = lint(path)
    assert proc.returncode == 1 and proc.stderr == ""
    assert proc.stdout.startswith(f"{path}:3:7: syntax-error Python {sys.version.split()[0]} cannot parse this file:")


@pytest.mark.parametrize("data, expected", [
    (b"from dbos import DBOS\nname = '\xe9t\xe9'\n", "unreadable-file not valid utf-8 text"),
    (b"from dbos import DBOS\x00\x01\x02", "unreadable-file binary file"),
    (b"# -*- coding: no-such-codec -*-\nfrom dbos import DBOS\n", "unreadable-file cannot decode the file"),
])
def test_files_that_are_not_text_get_one_line(tmp_path, data, expected):
    path = tmp_path / "odd.py"
    path.write_bytes(data)
    proc = lint(path)
    assert proc.returncode == 1 and proc.stderr == ""
    assert len(proc.stdout.splitlines()) == 1 and expected in proc.stdout, proc.stdout


def test_latin1_file_with_a_coding_cookie_is_read(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\n" + BAD.encode() + b"# caf\xe9\n")
    proc = lint(path)
    assert proc.returncode == 1 and "workflow-durable-sleep" in proc.stdout, proc.stdout + proc.stderr


def test_very_deep_expression_gets_one_line(tmp_path):
    path = tmp_path / "deep.py"
    path.write_text("from dbos import DBOS\nx = " + "-" * 200_000 + "1\n", encoding="utf-8")
    proc = lint(path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-500:]
    assert len(proc.stdout.splitlines()) == 1 and " syntax-error " in proc.stdout, proc.stdout


def test_symlink_loops_and_unreadable_files(tmp_path, bad):
    (tmp_path / "loop_a.py").symlink_to(tmp_path / "loop_b.py")
    (tmp_path / "loop_b.py").symlink_to(tmp_path / "loop_a.py")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path, target_is_directory=True)  # a folder loop: not followed
    loop = lint(tmp_path / "loop_a.py")
    assert loop.returncode == 2 and "symbolic link loop" in loop.stderr and "Traceback" not in loop.stderr
    walked = lint(tmp_path)
    assert walked.returncode == 1 and "Traceback" not in walked.stderr
    assert f"{tmp_path / 'loop_a.py'}:1:1: unreadable-file cannot read the file" in walked.stdout
    assert walked.stdout.count("workflow-durable-sleep") == 1  # bad.py once: the folder loop is not entered
    if os.geteuid() != 0:
        bad.chmod(0)
        locked = lint(bad)
        assert locked.returncode == 1 and "unreadable-file cannot read the file: Permission denied" in locked.stdout


def test_unreadable_file_reported_when_open_fails(tmp_path):
    folder = tmp_path / "looks_like_a_file.py"
    folder.mkdir()  # a folder named *.py given as a path is walked, not read
    assert lint(folder).returncode == 0


def test_usage_errors_exit_2(tmp_path):
    missing = lint(tmp_path / "missing.py")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    assert lint().returncode == 2
    assert lint("--format", "xml", tmp_path).returncode == 2


def test_standard_input(bad):
    proc = subprocess.run([sys.executable, "-I", str(LINTER), "-"], input=BAD, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stdout.startswith("-:8:5: workflow-durable-sleep"), proc.stdout


def test_list_rules_prints_each_checked_rule_with_its_title():
    proc = lint("--list-rules")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert "workflow-durable-sleep  Use DBOS.sleep for waits inside workflows, never time.sleep" in lines
    assert all((ROOT / "references" / f"{line.split()[0]}.md").is_file() for line in lines)


def test_runs_from_a_copy_outside_the_repository(tmp_path, bad):
    skill = tmp_path / "skill"
    copy_linter(ROOT, skill)
    proc = subprocess.run([sys.executable, "-I", str(skill / "scripts" / "dbos_lint.py"), "--format", "json", str(bad)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)[0]["rule_file"] == "references/workflow-durable-sleep.md"

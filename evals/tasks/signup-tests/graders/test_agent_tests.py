"""The tests in tests/ pass against the correct signup.py and fail against each mutant of it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

MUTANTS = Path(__file__).parent / "mutants"
WORKDIR = Path(os.environ.get("DBOS_EVAL_WORKDIR", "."))


def start_suite(tmp_path: Path, variant: str) -> subprocess.Popen:
    """Copy the project, put the variant of signup.py in place and start its tests (in the background)."""
    copy = tmp_path / variant
    shutil.copytree(WORKDIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite*", ".*"))
    shutil.copy(MUTANTS / f"{variant}.py", copy / "signup.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBOS", "PYTEST"))}
    env.update(PYTHONPATH=str(copy), DBOS_SYSTEM_DATABASE_URL=f"sqlite:///{copy / 'dbos.sqlite'}")
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-p", "no:xdist", "tests"],
        cwd=copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_tests_pass_on_the_app_and_catch_each_mutant(tmp_path):
    assert (WORKDIR / "tests").is_dir(), "no tests/ folder"
    variants = ["signup_correct", "signup_no_workflow_id", "signup_no_retries"]
    runs = {variant: start_suite(tmp_path, variant) for variant in variants}
    results = {}
    for variant, run in runs.items():
        output, _ = run.communicate(timeout=100)
        results[variant] = (run.returncode, output)

    code, output = results["signup_correct"]
    assert code == 0, f"the tests must pass on the unchanged app:\n{output[-3000:]}"
    survivors = [v for v in variants[1:] if results[v][0] != 1]
    assert not survivors, f"these broken versions of signup.py pass the tests: {survivors}"

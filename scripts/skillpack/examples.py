"""Run the pack's code examples against the installed dbos, each in its own process and empty folder.

A **Correct** block runs as a whole program: its prelude (``prelude=NAME``), the block, then its driver
(``driver=NAME``: the sidecar ``tests/examples/<rule stem>/NAME.py``, which readers of the rule never see).
``run=pytest`` blocks run as a pytest file. An **Incorrect** block with ``raises=Name`` must fail with that
exception. ``skip="reason"`` blocks are listed, not run. Every process gets a fresh SQLite system database through
``DBOS_SYSTEM_DATABASE_URL``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import warm
from .load import load_pack, load_rule
from .model import CORRECT, INCORRECT, Example, Rule

PRELUDES = Path(__file__).parent / "preludes"
HARNESS_SITE = Path(__file__).parent / "harness_site"
"""Holds the sitecustomize that lowers DBOS's default polling interval in example processes (speed only)."""
DEFAULT_TIMEOUT = 60.0

RUN, PYTEST, RAISES, SKIP = "run", "pytest", "raises", "skip"
EXCEPTION_LINE_RE = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)(?::|$)")


@dataclass(frozen=True)
class Case:
    """One example to run (or to list as skipped)."""

    rule: Rule
    example: Example
    mode: str

    @property
    def where(self) -> str:
        return f"references/{self.rule.path.name}:{self.example.line}"

    @property
    def expected(self) -> str:
        return self.example.options.get("raises", "")

    @property
    def timeout(self) -> float:
        return float(self.example.options.get("timeout", DEFAULT_TIMEOUT))

    def program(self) -> str:
        """The whole program that runs: prelude, block, driver."""
        parts = []
        prelude = self.example.options.get("prelude")
        if prelude:
            parts.append((PRELUDES / f"{prelude}.py").read_text(encoding="utf-8"))
        parts.append(self.example.code)
        if self.example.driver:
            parts.append(self.example.driver)
        return "\n".join(parts)


@dataclass(frozen=True)
class Outcome:
    case: Case
    ok: bool
    seconds: float
    detail: str = ""


def cases_of(rule: Rule) -> list[Case]:
    """The runnable cases of a rule: every Correct python block and every Incorrect block with ``raises=``."""
    cases = []
    for example in rule.examples:
        if example.language != "python" or example.kind is None:
            continue
        if "skip" in example.options:
            if example.kind == CORRECT:
                cases.append(Case(rule, example, SKIP))
        elif example.kind == CORRECT:
            cases.append(Case(rule, example, PYTEST if example.options.get("run") == "pytest" else RUN))
        elif example.kind == INCORRECT and "raises" in example.options:
            cases.append(Case(rule, example, RAISES))
    return cases


def collect(root: Path, paths: list[Path] | None = None) -> list[Case]:
    """Cases of the given rule files, or of every rule of the pack at ``root``."""
    if paths:
        rules = [rule for rule in (load_rule(p.resolve())[0] for p in paths) if rule is not None]
    else:
        rules = load_pack(root).rules
    return [case for rule in rules for case in cases_of(rule)]


def run_case(case: Case, fresh: bool = False) -> Outcome:
    """Run one case in a fresh folder with a fresh SQLite system database, in a fork of the warm interpreter (or,
    with ``fresh``, in a new ``python`` process)."""
    if case.mode == SKIP:
        return Outcome(case, True, 0.0, case.example.options["skip"])
    driver = case.example.options.get("driver")
    if driver and not case.example.driver:
        return Outcome(case, False, 0.0, f"driver '{driver}' has no sidecar file (run skillpack validate)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="skillpack-example-") as tmp:
        folder = Path(tmp)
        name = "test_example.py" if case.mode == PYTEST else "example.py"
        (folder / name).write_text(case.program(), encoding="utf-8")
        proc = run_program(folder, name, program_env(folder), case.timeout, case.mode == PYTEST, fresh)
    seconds = time.perf_counter() - started
    if proc.returncode is None:
        return Outcome(case, False, seconds, f"timed out after {case.timeout:g} s")
    output = (proc.stdout + proc.stderr).strip()
    if case.mode == RAISES:
        raised = last_exception(proc.stderr)
        if proc.returncode != 0 and raised == case.expected:
            return Outcome(case, True, seconds, f"raised {raised}")
        got = f"raised {raised}" if raised else f"exited {proc.returncode} without an exception"
        return Outcome(case, False, seconds, f"expected {case.expected}, {got}\n{excerpt(output)}")
    if proc.returncode != 0:
        return Outcome(case, False, seconds, f"exit code {proc.returncode}\n{excerpt(output)}")
    return Outcome(case, True, seconds)


def program_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment an example program runs in: this process's, with a fresh SQLite system database in
    ``folder``, no bytecode files, and the harness's sitecustomize first on PYTHONPATH; plus ``extra``."""
    return dict(
        os.environ,
        DBOS_SYSTEM_DATABASE_URL=f"sqlite:///{folder / 'dbos.sqlite'}",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(HARNESS_SITE), os.environ.get("PYTHONPATH")])),
        **extra,
    )


def run_program(folder: Path, name: str, env: dict[str, str], timeout: float, as_pytest: bool, fresh: bool) -> warm.Finished:
    """Run one program: forked from the warm interpreter, or (``fresh``, or no fork on this platform) in a new
    ``python``. The return code is None when the time limit ended it."""
    pytest_args = ["-q", "-p", "no:cacheprovider", name] if as_pytest else None
    if not fresh and warm.available():
        return warm.run(folder, name, env, timeout, pytest=pytest_args)
    command = [sys.executable, name] if pytest_args is None else [sys.executable, "-m", "pytest", *pytest_args]
    try:
        proc = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return warm.Finished(None, "", "")
    return warm.Finished(proc.returncode, proc.stdout, proc.stderr)


def last_exception(stderr: str) -> str:
    """The class name of the exception the last traceback ends with ('' when there is none).

    The exception line is the first unindented line after the last 'Traceback' header; log lines printed later
    (DBOS logs at exit) do not count.
    """
    lines = stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
    if not starts:
        return ""
    for line in lines[starts[-1] + 1:]:
        match = EXCEPTION_LINE_RE.match(line)
        if match:
            return match["name"].rsplit(".", 1)[-1]
    return ""


def excerpt(text: str, head: int = 12, tail: int = 30) -> str:
    """The first ``head`` and last ``tail`` lines of a program's output (where a traceback starts and ends)."""
    lines = text.splitlines()
    if len(lines) <= head + tail:
        return text
    return "\n".join([*lines[:head], f"[... {len(lines) - head - tail} lines ...]", *lines[-tail:]])


def run_all(cases: list[Case], jobs: int = 0, fresh: bool = False) -> list[Outcome]:
    """Run cases in parallel threads (each case is its own process); results keep the cases' order."""
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
        return list(pool.map(lambda case: run_case(case, fresh), cases))


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """Closing figures: executed / marked / total Correct blocks and the raises checks."""
    correct = [o for o in outcomes if o.case.example.kind == CORRECT]
    executed = [o for o in correct if o.case.mode != SKIP]
    marked = [o for o in correct if o.case.mode == SKIP]
    raises = [o for o in outcomes if o.case.mode == RAISES]
    failed = [o for o in outcomes if not o.ok]
    lines = [
        f"Correct blocks: {len(executed)} executed, {len(marked)} marked skip, {len(correct)} total"
        + (f" ({100 * len(marked) / len(correct):.1f}% marked)" if correct else ""),
        f"Incorrect blocks shown to fail: {sum(o.ok for o in raises)} of {len(raises)} with raises=",
        f"{len(outcomes) - len(failed) - len(marked)} passed, {len(failed)} failed in {seconds:.1f} s",
    ]
    lines += [f"marked skip: {o.case.where}: {o.detail}" for o in marked]
    return "\n".join(lines)


def main(root: Path, paths: list[Path], jobs: int, fresh: bool = False) -> int:
    """CLI entry: run the examples, print one line each and the summary; exit 1 on any failure."""
    started = time.perf_counter()
    cases = collect(root, paths)
    if not cases:
        print("no examples found", file=sys.stderr)
        return 1
    outcomes = run_all(cases, jobs, fresh)
    for outcome in outcomes:
        state = "SKIP" if outcome.case.mode == SKIP else ("PASS" if outcome.ok else "FAIL")
        print(f"{state} {outcome.case.where} [{outcome.case.mode}] {outcome.seconds:.1f} s")
        if not outcome.ok:
            print("    " + outcome.detail.replace("\n", "\n    "))
    print(summary(outcomes, time.perf_counter() - started))
    return 0 if all(o.ok for o in outcomes) else 1

"""Benchmark: dbos_lint.py on two real corpora, each next to its floor measured in the same run.

- dbos: every .py file of the installed dbos package with ``from dbos import DBOS`` put at its top, so every file
  is parsed and checked (no file is skipped).
- sqlalchemy: every .py file of the installed SQLAlchemy; it never mentions dbos, so the linter may skip it.

Each figure is the best of N runs of a fresh process (``python -I``). The floor is a fresh process that only reads
and ``ast.parse``s the same files. Prints a table; asserts nothing (machines are noisy).
Usage: python benchmarks/bench_lint.py [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINTER = ROOT / "scripts" / "dbos_lint.py"
FLOOR = """\
import ast, os, sys
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".py"):
            with open(os.path.join(root, name), "rb") as handle:
                ast.parse(handle.read())
"""


def package_folder(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is not installed in {sys.executable}")
    return Path(list(spec.submodule_search_locations)[0])


def copy_corpus(source: Path, target: Path, header: str = "") -> tuple[int, int]:
    """Copy every .py file of ``source`` under ``target`` (with ``header`` put at the top); returns files, lines."""
    files = lines = 0
    for path in sorted(source.rglob("*.py")):
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        text = header + path.read_text(encoding="utf-8")
        out.write_text(text, encoding="utf-8")
        files += 1
        lines += text.count("\n")
    return files, lines


def best_of(command: list[str], runs: int) -> tuple[float, int]:
    """Best wall time of ``runs`` fresh processes, and the exit code of the last one."""
    best, code = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        best = min(best, time.perf_counter() - started)
    return best, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as tmp:
        corpora = {
            "dbos (every file checked)": (Path(tmp) / "dbos", package_folder("dbos"), "from dbos import DBOS\n"),
            "sqlalchemy (never mentions dbos)": (Path(tmp) / "sqlalchemy", package_folder("sqlalchemy"), ""),
        }
        print(f"{'corpus':34} {'files':>6} {'lines':>8} {'floor':>8} {'dbos-lint':>10} {'ratio':>6} {'lines/s':>10}")
        for label, (folder, source, header) in corpora.items():
            files, lines = copy_corpus(source, folder, header)
            floor, _ = best_of([python, "-I", "-c", FLOOR, str(folder)], args.runs)
            lint, code = best_of([python, "-I", str(LINTER), str(folder)], args.runs)
            print(
                f"{label:34} {files:>6} {lines:>8,} {floor:>7.2f}s {lint:>9.2f}s {lint / floor:>5.2f}x "
                f"{lines / lint:>10,.0f}   (exit {code})"
            )
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()

"""Benchmark: `skillpack build` on packs of real-size rules (copies of this repository's rules), cold and warm.

For each size it prints, from fresh processes (best of REPEAT), side by side:
- floor: read every rule file and parse its front matter with PyYAML's C loader (nothing else);
- parse floor: the floor plus `ast.parse` of every Python block and sidecar driver (what any check of the code
  must at least do once);
- cold: build with no validation cache (every rule checked);
- warm: a rebuild with nothing changed (every rule's result from the cache);
- one changed: a rebuild after one rule file changed.
Then the same for tiny synthetic rules (one Incorrect and one Correct block each). Asserts nothing: machines are
noisy, so the figures are read against the floor measured in the same run.
Usage: python benchmarks/bench_build.py [SIZES...]   (default: 1000 10000)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from packs import make_real_pack, make_synthetic_pack  # noqa: E402

from skillpack.validation_cache import cache_file  # noqa: E402

SIZES = (1_000, 10_000)
REPEAT = 3

FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.md")):
    text = path.read_text(encoding="utf-8")
    end = text.index("\\n---\\n", 4)
    yaml.load(text[4:end], Loader=yaml.CSafeLoader)
"""

PARSE_FLOOR = FLOOR + """
import ast, re
for path in sorted(Path(sys.argv[1]).glob("*.md")):
    for block in re.findall(r"^```python\\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M):
        ast.parse(block)
for path in sorted(Path(sys.argv[1]).parent.glob("tests/examples/*/*.py")):
    ast.parse(path.read_text(encoding="utf-8"))
"""


def best(command: list[str], before=None) -> float:
    """Best wall time of REPEAT fresh runs of a command (``before`` runs untimed ahead of each); fails loudly."""
    times = []
    for _ in range(REPEAT):
        if before:
            before()
        started = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return min(times)


def measure(folder: Path) -> dict[str, float]:
    build = [sys.executable, "-m", "skillpack", "--root", str(folder), "build"]
    references = str(folder / "references")
    changed = sorted((folder / "references").glob("*.md"))[len(list((folder / "references").glob("*.md"))) // 2]
    original = changed.read_text(encoding="utf-8")
    counter = iter(range(1_000_000))

    def change_one() -> None:
        changed.write_text(original + f"\nChanged {next(counter)}.\n", encoding="utf-8")

    figures = {
        "floor": best([sys.executable, "-c", FLOOR, references]),
        "parse floor": best([sys.executable, "-c", PARSE_FLOOR, references]),
        "cold": best(build, before=lambda: cache_file(folder).unlink(missing_ok=True)),
    }
    subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
    figures["warm"] = best(build)
    figures["one changed"] = best(build, before=change_one)
    return figures


def table(title: str, make, sizes: list[int]) -> None:
    print(f"\n{title}")
    print(f"{'rules':>7} {'floor':>7} {'parse floor':>12} {'cold':>7} {'warm':>7} {'one changed':>12}"
          f" {'cold/floor':>11} {'cold/parse':>11} {'warm/floor':>11} {'one/floor':>10}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make(folder, size)
            f = measure(folder)
            cache_file(folder).unlink(missing_ok=True)
        print(f"{size:>7} {f['floor']:>7.2f} {f['parse floor']:>12.2f} {f['cold']:>7.2f} {f['warm']:>7.2f}"
              f" {f['one changed']:>12.2f} {f['cold'] / f['floor']:>10.1f}x {f['cold'] / f['parse floor']:>10.1f}x"
              f" {f['warm'] / f['floor']:>10.1f}x {f['one changed'] / f['floor']:>9.1f}x")


def main(sizes: list[int]) -> None:
    print(f"skillpack build, seconds (best of {REPEAT} fresh processes) on {os.cpu_count()} CPUs")
    table("copies of the repository's rules (real size: examples, drivers, links)", make_real_pack, sizes)
    table("synthetic rules (one small Incorrect and Correct block each)", make_synthetic_pack, sizes)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or list(SIZES))

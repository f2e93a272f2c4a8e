"""Benchmark: `skillpack build` (validate + render SKILL.md) on synthetic packs of 10 to 10,000 rules.

Each figure is the wall time of a fresh process, next to the floor: a fresh process that only reads the same files
and parses their front matter with PyYAML's C loader. Prints a table; asserts nothing (machines are noisy).
Usage: python benchmarks/bench_build.py [SIZES...]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10, 100, 1_000, 10_000)
CATEGORIES = ("lifecycle", "workflow", "step", "queue", "comm", "pattern", "test", "client", "advanced")
CATEGORY_IDS = dict(comm="communication", test="testing")

RULE = """---
title: Synthetic rule {n}
category: {category}
prefix: {prefix}-
priority: HIGH
summary: Synthetic rule {n} shows a step with retries inside a workflow.
tags: [DBOS.step, DBOS.workflow, retries_allowed, SetWorkflowID]
docs:
  - https://docs.dbos.dev/python/tutorials/step-tutorial
---

## Synthetic rule {n}

Steps that call flaky services need retries, or one transient error fails the workflow.

**Incorrect (no retries):**

```python
@DBOS.step()
def fetch_{n}() -> str:
    return "data"
```

**Correct (retries with backoff):**

<!-- example: prelude=config -->
```python
from dbos import DBOS, SetWorkflowID

@DBOS.step(retries_allowed=True, max_attempts=5, backoff_rate=2.0)
def fetch_{n}() -> str:
    return "data"

@DBOS.workflow()
def flow_{n}() -> str:
    return fetch_{n}()

with SetWorkflowID("flow-{n}"):
    DBOS.start_workflow(flow_{n})
```
"""

FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.md")):
    text = path.read_text(encoding="utf-8")
    end = text.index("\\n---\\n", 4)
    yaml.load(text[4:end], Loader=yaml.CSafeLoader)
"""


def make_pack(folder: Path, size: int) -> None:
    references = folder / "references"
    references.mkdir(parents=True)
    for name in ("_categories.yml", "_removed.yml"):
        shutil.copy2(ROOT / "references" / name, references / name)
    for n in range(size):
        prefix = CATEGORIES[n % len(CATEGORIES)]
        category = CATEGORY_IDS.get(prefix, prefix)
        (references / f"{prefix}-synthetic-{n}.md").write_text(
            RULE.format(n=n, category=category, prefix=prefix), encoding="utf-8"
        )


def timed(command: list[str], repeat: int) -> float:
    """Median wall time of a command, in seconds; fails loudly if the command fails."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(sizes: list[int]) -> None:
    print(f"{'rules':>7} {'build (s)':>10} {'floor (s)':>10} {'ratio':>6}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make_pack(folder, size)
            repeat = 3 if size <= 1_000 else 1
            build = timed([sys.executable, "-m", "skillpack", "--root", str(folder), "build"], repeat)
            floor = timed([sys.executable, "-c", FLOOR, str(folder / "references")], repeat)
            print(f"{size:>7} {build:>10.2f} {floor:>10.2f} {build / floor:>6.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or list(SIZES))

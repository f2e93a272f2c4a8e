"""Packs for the benchmarks: copies of the repository's real rules (the realistic input), and tiny synthetic ones.

``make_real_pack`` copies every file of ``references/`` (categories, removed and out-of-scope lists included) and
the sidecar drivers, then adds renamed copies of the rules until the pack has the asked number of rules: each copy
keeps its rule's size, examples, links and drivers, with a file name, title and heading of its own so that titles
stay unique.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from skillpack.load import rule_paths, split_front_matter

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ("lifecycle", "workflow", "step", "queue", "comm", "pattern", "test", "client", "advanced")
CATEGORY_IDS = dict(comm="communication", test="testing")

SYNTHETIC_RULE = """---
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


def _pack_files(folder: Path, source: Path = ROOT, names: tuple[str, ...] | None = None) -> Path:
    """Copy the pack's list files (``names``, default: everything in references/ that is not a rule)."""
    references = folder / "references"
    references.mkdir(parents=True)
    for path in sorted((source / "references").glob("_*.yml")):
        if names is None or path.name in names:
            shutil.copy2(path, references / path.name)
    return references


def make_synthetic_pack(folder: Path, size: int) -> None:
    """``size`` identical small rules (one Incorrect, one Correct block), spread over the nine categories; without
    the out-of-scope list, as such a pack teaches only a few dbos names."""
    references = _pack_files(folder, names=("_categories.yml", "_removed.yml"))
    for n in range(size):
        prefix = CATEGORIES[n % len(CATEGORIES)]
        category = CATEGORY_IDS.get(prefix, prefix)
        (references / f"{prefix}-synthetic-{n}.md").write_text(
            SYNTHETIC_RULE.format(n=n, category=category, prefix=prefix), encoding="utf-8"
        )


def retitle(text: str, copy: int, demote_critical: bool = True) -> str:
    """A rule's text with ``(copy N)`` after its title, in the front matter and in the heading; CRITICAL becomes
    HIGH unless ``demote_critical`` is false (SKILL.md shows every CRITICAL rule in full: a real pack keeps them
    few)."""
    front, body, _ = split_front_matter(text)
    title = yaml.safe_load(front)["title"]
    lines = []
    for line in front.split("\n"):
        if line.startswith("title:"):
            line = f"title: {json.dumps(f'{title} (copy {copy})')}"
        elif demote_critical and line.startswith("priority: CRITICAL"):
            line = "priority: HIGH"
        lines.append(line)
    body = body.replace(f"## {title}\n", f"## {title} (copy {copy})\n", 1)
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def copy_rule(rule: Path, references: Path, stem: str, copy: int, demote_critical: bool = True) -> Path:
    """Write rule file ``rule`` into the references folder ``references`` as ``<stem>.md`` (retitled unless ``copy``
    is 0), and its sidecar drivers (``tests/examples/<rule stem>/`` beside its own references folder) under the new
    stem beside ``references``."""
    text = rule.read_text(encoding="utf-8")
    path = references / f"{stem}.md"
    path.write_text(retitle(text, copy, demote_critical) if copy else text, encoding="utf-8")
    drivers = rule.parents[1] / "tests" / "examples" / rule.stem
    if drivers.is_dir():
        shutil.copytree(drivers, references.parent / "tests" / "examples" / stem)
    return path


def make_real_pack(folder: Path, size: int, source: Path = ROOT, demote_critical: bool = True) -> None:
    """The rules and drivers of the pack at ``source`` (default: this repository), plus renamed copies up to
    ``size`` rules (at least the real ones); see ``retitle`` for ``demote_critical``."""
    references = _pack_files(folder, source)
    originals = rule_paths(source / "references")
    for n in range(max(size, len(originals))):
        rule, copy = originals[n % len(originals)], n // len(originals)
        copy_rule(rule, references, rule.stem if copy == 0 else f"{rule.stem}-c{copy}", copy, demote_critical)

"""The data model of a skill pack: categories, rules, their code examples, and diagnostics."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

PRIORITIES = ("CRITICAL", "HIGH", "MEDIUM-HIGH", "MEDIUM", "LOW-MEDIUM", "LOW")
"""Rule and category impacts, most important first."""

CORRECT = "correct"
INCORRECT = "incorrect"

DRIVERS_FOLDER = Path("tests", "examples")
"""Where example drivers live, under the pack root: ``tests/examples/<rule stem>/<name>.py``."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a source file, reported as ``path:line: message``."""

    path: Path
    line: int
    message: str

    def format(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None:
            try:
                path = self.path.relative_to(root)
            except ValueError:
                pass
        return f"{path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Category:
    """A group of rules; defined once in ``references/_categories.yml``."""

    id: str
    title: str
    priority: int
    impact: str
    prefix: str
    description: str


@dataclass(frozen=True)
class Removed:
    """An API that DBOS 3 removed or renamed, with its replacement (from ``references/_removed.yml``)."""

    old: str
    new: str
    gone: tuple[str, ...]
    """Dotted names that must not exist in the installed dbos."""
    uses: tuple[str, ...]
    """Dotted names of the replacement that must exist."""
    line: int = 1
    """Line of the entry in its file."""


@dataclass(frozen=True)
class Example:
    """A fenced code block in a rule, with its label kind and its example directives."""

    kind: str | None
    """``correct``, ``incorrect`` or None when the block follows no label."""
    label: str
    language: str
    code: str
    line: int
    """Line of the opening fence in the rule file (1-based)."""
    options: dict[str, str] = field(default_factory=dict)
    """Options of the ``<!-- example: ... -->`` directive before the fence."""
    driver: str = ""
    """Code of the sidecar named by ``driver=NAME``, appended after the block when it runs."""


@dataclass(frozen=True)
class Rule:
    """One rule file: front matter, Markdown body and the examples found in it."""

    path: Path
    meta: dict
    body: str
    body_line: int
    """Line of the file on which the body starts."""
    meta_lines: dict[str, int] = field(default_factory=dict)
    """Line of each front-matter key, for diagnostics."""
    digest: str = ""
    """SHA-256 of the file's bytes."""

    @functools.cached_property
    def _parsed(self) -> tuple[tuple[Example, ...], tuple[Diagnostic, ...]]:
        from .load import parse_examples  # the parser lives with the loader; parsed on first use only

        examples, problems = parse_examples(self.path, self.body, self.body_line)
        return tuple(examples), tuple(problems)

    @property
    def examples(self) -> tuple[Example, ...]:
        """The fenced blocks of the body, found on first use (a build whose validation is cached never needs them)."""
        return self._parsed[0]

    @property
    def example_problems(self) -> tuple[Diagnostic, ...]:
        """What is wrong with the body's labels, directives and fences, and with reading the drivers they name."""
        return self._parsed[1]

    @functools.cached_property
    def stem(self) -> str:
        return self.path.stem

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @functools.cached_property
    def category(self) -> str:
        return str(self.meta.get("category", ""))

    @functools.cached_property
    def priority(self) -> str:
        return str(self.meta.get("priority", ""))

    @property
    def summary(self) -> str:
        return str(self.meta.get("summary", ""))

    @property
    def tags(self) -> list[str]:
        tags = self.meta.get("tags")
        return [str(t) for t in tags] if isinstance(tags, list) else []

    @property
    def docs(self) -> list[str]:
        docs = self.meta.get("docs")
        return [str(d) for d in docs] if isinstance(docs, list) else []

    @property
    def slug(self) -> str:
        """The file name without its category prefix."""
        prefix = str(self.meta.get("prefix", ""))
        return self.stem[len(prefix):] if prefix and self.stem.startswith(prefix) else self.stem

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


@dataclass
class Pack:
    """A whole skill pack: its root folder, categories and rules, plus what loading found wrong."""

    root: Path
    categories: list[Category]
    rules: list[Rule]
    removed: list[Removed] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def references(self) -> Path:
        return self.root / "references"

    @property
    def drivers(self) -> Path:
        return self.root / DRIVERS_FOLDER

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def rules_in(self, category: Category) -> list[Rule]:
        """The rules of a category, most important first, then by title."""
        rules = [r for r in self.rules if r.category == category.id]
        return sorted(rules, key=rule_order)

    def sections(self) -> list[tuple[Category, list[Rule]]]:
        """Categories in priority order, each with its rules."""
        return [(c, self.rules_in(c)) for c in sorted(self.categories, key=lambda c: c.priority)]


def rule_order(rule: Rule) -> tuple[int, str]:
    """Sort key: priority (most important first), then file name."""
    rank = PRIORITIES.index(rule.priority) if rule.priority in PRIORITIES else len(PRIORITIES)
    return rank, rule.stem


def driver_file(stem: str, name: str) -> Path:
    """The sidecar of driver ``name`` of rule ``stem``, relative to the pack root."""
    return DRIVERS_FOLDER / stem / f"{name}.py"


def driver_path(rule_path: Path, name: str) -> Path:
    """The sidecar of driver ``name`` of the rule file at ``rule_path`` (in ``<pack root>/references/``)."""
    return rule_path.parent.parent / driver_file(rule_path.stem, name)

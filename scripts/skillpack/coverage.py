"""API coverage: every public name of the installed dbos is taught by a rule or listed as out of scope.

Public names, read from the installed package (``dbos_api.surface()``), never from a hand-kept list:

- the package's exports: ``dbos.__all__``, or the names of ``dir(dbos)`` that do not start with ``_`` when the
  package declares no ``__all__``;
- the public attributes of the ``DBOS`` class: the names of ``dir(DBOS)`` that do not start with ``_``;
- ``<name>_async`` is the same name as ``<name>`` when ``<name>`` is public too (one name, two spellings).

A name is taught when it appears as a whole identifier (``DBOS.name``, ``name(``, `` `name` ``, not as part of a
longer identifier) in a rule's front matter or body, code included; ``<name>_async`` teaches ``<name>``.

The check applies to a pack that has ``references/_out_of_scope.yml``: listing what it leaves out, a pack claims
to teach the rest. The file is a YAML list of ``- name: <public name>`` / ``reason: <one line>`` entries.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import dbos_api
from .load import load_list
from .model import Diagnostic, Pack, Rule
from .parallel import map_in_order

OUT_OF_SCOPE_FILE = "_out_of_scope.yml"
ASYNC_SUFFIX = "_async"
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class OutOfScope:
    """A public dbos name that no rule teaches on purpose, and why (from ``references/_out_of_scope.yml``)."""

    name: str
    reason: str
    line: int = 1
    """Line of the entry in its file."""


@dataclass
class Coverage:
    """Which public dbos names the rules of a pack teach, and what the pack lists as out of scope."""

    version: str
    names: list[str]
    """Every public name, sorted (``_async`` twins folded into their name)."""
    taught: dict[str, list[str]]
    """Each taught name with the stems of the rules that teach it, in file name order."""
    out_of_scope: list[OutOfScope] = field(default_factory=list)
    claimed: bool = False
    """Whether the pack has an out-of-scope list, so claims to teach every other name."""

    @property
    def uncovered(self) -> list[str]:
        """Public names taught by no rule and not listed as out of scope."""
        listed = {entry.name for entry in self.out_of_scope}
        return [name for name in self.names if name not in self.taught and name not in listed]

    @property
    def percent(self) -> int:
        """Share of the public names taught by a rule, rounded down."""
        return 100 * len(self.taught) // len(self.names) if self.names else 100

    def summary(self) -> str:
        """``api: 107 of 119 public dbos 3.4.0 names taught by a rule (90%), 9 out of scope``."""
        return (
            f"api: {len(self.taught)} of {len(self.names)} public dbos {self.version} names taught by a rule "
            f"({self.percent}%), {len(self.out_of_scope)} out of scope"
        )


def public_names() -> list[str]:
    """Every public name of the installed dbos, as the module docstring defines it, sorted."""
    api = dbos_api.surface()
    exports = api.get("all")
    if exports is None:
        exports = [name for name in api["exports"] if not name.startswith("_")]
    names = set(exports) | {name for name in api["members"]["DBOS"] if not name.startswith("_")}
    return sorted(n for n in names if not (n.endswith(ASYNC_SUFFIX) and n[: -len(ASYNC_SUFFIX)] in names))


_NOT_WORD = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")})
"""Every ASCII character that is no word character, to a space."""


def words(text: str) -> set[str]:
    """The whole identifiers (runs of word characters) of a text."""
    if text.isascii():  # the common case, done faster without a regular expression
        return set(text.translate(_NOT_WORD).split())
    return set(_WORD_RE.findall(text))


def rule_words(rule: Rule) -> set[str]:
    """Every whole identifier of a rule: its body, code included, and its front matter values."""
    return words(rule.body + "\n" + "\n".join(str(value) for value in rule.meta.values()))


def _names_in(spellings: dict[str, str], rule: Rule) -> tuple[str, ...]:
    return tuple(sorted({spellings[word] for word in rule_words(rule) & spellings.keys()}))


@functools.lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    """Each way of writing a public name (``name``, ``name_async``) and the name it teaches."""
    names = public_names()
    spellings = {name + ASYNC_SUFFIX: name for name in names}
    spellings.update({name: name for name in names})
    return spellings


def rule_names(rule: Rule) -> tuple[str, ...]:
    """The public dbos names a rule teaches, sorted."""
    return _names_in(_spellings(), rule)


_known: dict[tuple[str, str], tuple[str, ...]] = {}
"""The names each rule teaches, by (file, digest), as the validation cache found them: not searched again."""


def remember(rules: list[Rule], names: list[tuple[str, ...]]) -> None:
    """Record what ``rule_names`` gave for these rules (from the validation cache)."""
    _known.update({(str(rule.path), rule.digest): found for rule, found in zip(rules, names) if rule.digest})


def taught_by(pack: Pack, names: list[str]) -> dict[str, list[str]]:
    """Each of ``names`` that a rule teaches, with the stems of the rules that teach it (file name order)."""
    rules = sorted(pack.rules, key=lambda r: r.stem)
    found = [_known.get((str(rule.path), rule.digest)) if rule.digest else None for rule in rules]
    missing = [index for index, names_found in enumerate(found) if names_found is None]
    for index, names_found in zip(missing, map_in_order(rule_names, [rules[i] for i in missing])):
        found[index] = names_found
    wanted = set(names)
    taught: dict[str, list[str]] = {}
    for rule, names_found in zip(rules, found):
        for name in names_found:
            if name in wanted:
                taught.setdefault(name, []).append(rule.stem)
    return {name: taught[name] for name in names if name in taught}


def out_of_scope_path(pack: Pack) -> Path:
    return pack.references / OUT_OF_SCOPE_FILE


def load_out_of_scope(pack: Pack) -> tuple[list[OutOfScope], list[Diagnostic]]:
    """The entries of the pack's out-of-scope list (none when it has none) and what is wrong with its syntax."""
    path = out_of_scope_path(pack)
    if not path.is_file():
        return [], []
    return load_list(path, OutOfScope)


def measure(pack: Pack, entries: list[OutOfScope] | None = None) -> Coverage:
    """The API coverage of a pack, against ``entries`` or else its out-of-scope list (entries with a syntax problem
    are left out)."""
    names = public_names()
    if entries is None:
        entries, _ = load_out_of_scope(pack)
    claimed = out_of_scope_path(pack).is_file()
    return Coverage(dbos_api.dbos_version(), names, taught_by(pack, names), entries, claimed)


def summary(pack: Pack) -> str | None:
    """The coverage line ``skillpack build`` prints; None when the pack has no out-of-scope list."""
    coverage = measure(pack)
    return coverage.summary() if coverage.claimed else None


def validate_coverage(pack: Pack) -> list[Diagnostic]:
    """Every out-of-scope entry real, unique, untaught, with a one-line reason; then, once the list is right, every
    public name taught or listed. Nothing to check for a pack without an out-of-scope list."""
    path = out_of_scope_path(pack)
    if not path.is_file():
        return []
    entries, problems = load_out_of_scope(pack)
    coverage = measure(pack, entries)
    version = coverage.version
    public = set(coverage.names)
    first: dict[str, OutOfScope] = {}
    for entry in entries:
        where = f"entry '{entry.name}'"
        if entry.name in first:
            problems.append(Diagnostic(path, entry.line, f"{where} is listed twice (first on line {first[entry.name].line})"))
            continue
        first[entry.name] = entry
        twin = entry.name[: -len(ASYNC_SUFFIX)] if entry.name.endswith(ASYNC_SUFFIX) else ""
        if twin in public:
            problems.append(Diagnostic(path, entry.line, f"{where} is the _async twin of '{twin}': list '{twin}'"))
        elif entry.name not in public:
            problems.append(Diagnostic(path, entry.line, f"{where} is no public name of dbos {version} (an export of dbos or a member of DBOS)"))
        elif entry.name in coverage.taught:
            stems = coverage.taught[entry.name]
            rules = ", ".join(f"{stem}.md" for stem in stems[:3]) + (f" and {len(stems) - 3} more" if len(stems) > 3 else "")
            problems.append(Diagnostic(path, entry.line, f"{where} is taught by {rules}: remove it from the list"))
        if not entry.reason.strip():
            problems.append(Diagnostic(path, entry.line, f"{where} needs a reason: one line on why no rule teaches it"))
        elif "\n" in entry.reason.strip():
            problems.append(Diagnostic(path, entry.line, f"{where}: the reason must be one line"))
    if problems:  # a list that cannot be read as it stands would make its names look untaught
        return problems
    for name in coverage.uncovered:
        message = (
            f"dbos {version}'s public name '{name}' is taught by no rule; teach it in a rule or list it in "
            f"references/{OUT_OF_SCOPE_FILE} with a reason"
        )
        problems.append(Diagnostic(path, 1, message))
    return problems

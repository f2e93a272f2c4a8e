"""What the linter reports (Finding) and the registry of checks, each tied to the rule it enforces."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Tuple

SYNTAX_ERROR = "syntax-error"
"""Id of the finding for a file that Python cannot parse."""
UNREADABLE = "unreadable-file"
"""Id of the finding for a file that cannot be read as UTF-8 Python source."""
PSEUDO_RULES = (SYNTAX_ERROR, UNREADABLE)
"""Finding ids that name no rule file: they are always reported."""


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at a place in a file; ``column`` is 1-based, in characters."""

    path: str
    line: int
    column: int
    rule: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.rule} {self.message}"


Report = Tuple[ast.AST, str]
"""What a check yields: the node to point at and the message (what to do instead)."""
CheckFunction = Callable[["object"], Iterable[Report]]


@dataclass(frozen=True)
class Check:
    """A function that looks at one analysed module and reports the mistakes of one rule."""

    rule: str
    function: CheckFunction

    @property
    def name(self) -> str:
        return self.function.__name__

    def run(self, module) -> Iterator[Report]:
        return iter(self.function(module))


CHECKS: list[Check] = []
"""Every registered check, in registration order."""


def check(rule: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as a check of ``rule`` (the rule file's stem)."""

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(rule, function))
        return function

    return register


def rules_with_checks() -> list[str]:
    """The rule ids that at least one check enforces, sorted."""
    from . import checks  # noqa: F401  (registers every check)

    return sorted({c.rule for c in CHECKS})

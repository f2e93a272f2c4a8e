"""The pack's tie to dbos-lint: which rules have a check, and the checks that name no rule of the pack."""

from __future__ import annotations

from .model import Diagnostic, Pack

LINTER_SCRIPT = "scripts/dbos_lint.py"


def checked_rules(pack: Pack) -> set[str] | None:
    """The rule ids that dbos-lint checks, or None when the pack ships no linter (``scripts/dbos_lint.py``)."""
    if not (pack.root / LINTER_SCRIPT).is_file():
        return None
    from dboslint.model import rules_with_checks

    return set(rules_with_checks())


def validate_checks(pack: Pack) -> list[Diagnostic]:
    """A check must name a rule of the pack: its id is the rule file's stem."""
    checked = checked_rules(pack)
    if not checked:
        return []
    stems = {rule.stem for rule in pack.rules}
    return [
        Diagnostic(pack.root / LINTER_SCRIPT, 1, f"dbos-lint has a check for '{rule}', but references/{rule}.md does not exist")
        for rule in sorted(checked - stems)
    ]


def coverage(pack: Pack) -> str | None:
    """``lint: 41 of 74 rules have a check`` (None when the pack ships no linter)."""
    checked = checked_rules(pack)
    if checked is None:
        return None
    covered = len(checked & {rule.stem for rule in pack.rules})
    return f"lint: {covered} of {len(pack.rules)} rules have a check"

"""Validate a loaded pack: categories, front matter, body structure, links, examples and DBOS API names."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from . import coverage, dbos_api, lint, validation_cache
from .load import DRIVER_NAME_RE, driver_files, relative_links
from .model import CORRECT, INCORRECT, PRIORITIES, Category, Diagnostic, Example, Pack, Rule, driver_file, driver_path
from .validation_cache import RuleCheck

REQUIRED_KEYS = ("title", "category", "prefix", "priority", "summary", "tags")
OPTIONAL_KEYS = ("docs",)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SENTENCE_BREAK_RE = re.compile(r"[.!?]\s+[A-Z]")
SUMMARY_MAX = 160
"""Longest summary, in characters: SKILL.md lists every summary and must stay within its token budget."""
IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
DIRECTIVE_OPTIONS = {"prelude", "run", "raises", "skip", "timeout", "driver"}
PRELUDES = Path(__file__).parent / "preludes"
PLACEHOLDER = "TODO(skillpack)"


def validate_pack(pack: Pack, use_cache: bool = True) -> list[Diagnostic]:
    """Every problem in the pack, in file and line order (loading problems included). Each rule's own checks come
    from the validation cache when neither it nor its drivers changed (``use_cache=False``: check every rule)."""
    problems = list(pack.diagnostics)
    problems += validate_categories(pack)
    problems += validate_removed(pack)
    problems += lint.validate_checks(pack)
    drivers = driver_files(pack.drivers)
    checks = validation_cache.cached_checks(pack, functools.partial(check_rule, pack), drivers, use_cache)
    for rule, check in zip(pack.rules, checks):
        problems += check.problems
        problems += link_problems(rule, check.links)
    coverage.remember(pack.rules, [check.names for check in checks])
    problems += coverage.validate_coverage(pack)
    named = {(rule.stem, name) for rule, check in zip(pack.rules, checks) for name in check.drivers}
    problems += validate_drivers(pack, drivers, named)
    titles: dict[str, Rule] = {}
    for rule in pack.rules:
        if rule.title:
            first = titles.setdefault(rule.title, rule)
            if first is not rule:
                problems.append(
                    Diagnostic(rule.path, rule.line_of("title"), f"title '{rule.title}' is also used by {first.path.name}")
                )
    return sorted(set(problems), key=lambda d: (str(d.path), d.line, d.message))


def validate_categories(pack: Pack) -> list[Diagnostic]:
    path = pack.references / "_categories.yml"
    problems = []
    for attr in ("id", "prefix", "priority"):
        values = [getattr(c, attr) for c in pack.categories]
        for value in sorted({v for v in values if values.count(v) > 1}, key=str):
            problems.append(Diagnostic(path, 1, f"category {attr} '{value}' is used twice"))
    for category in pack.categories:
        if category.impact not in PRIORITIES:
            problems.append(Diagnostic(path, 1, f"category '{category.id}': impact must be one of {', '.join(PRIORITIES)}"))
        if not category.prefix.endswith("-"):
            problems.append(Diagnostic(path, 1, f"category '{category.id}': prefix must end with '-'"))
    return problems


def validate_removed(pack: Pack) -> list[Diagnostic]:
    """Each removed name must really be absent from the installed dbos, each replacement present."""
    path = pack.references / "_removed.yml"
    problems = []
    for entry in pack.removed:
        for name in entry.gone:
            if dbos_api.name_exists(name):
                problems.append(Diagnostic(path, entry.line, f"'{entry.old}': {name} still exists in dbos {dbos_api.dbos_version()}"))
        for name in entry.uses:
            if not dbos_api.name_exists(name):
                problems.append(Diagnostic(path, entry.line, f"'{entry.old}': replacement {name} does not exist in dbos {dbos_api.dbos_version()}"))
    return problems


def validate_drivers(pack: Pack, drivers: dict[str, list[str]], named: set[tuple[str, str]]) -> list[Diagnostic]:
    """Every sidecar driver (``drivers``: see load.driver_files) belongs to a rule file and is named (``named``:
    rule stem, driver name) by one of its examples."""
    loaded = {rule.stem for rule in pack.rules}
    problems = []
    for stem, names in drivers.items():
        for name in names:
            if (stem, name) in named:
                continue
            path = pack.drivers / stem / f"{name}.py"
            if not (pack.references / f"{stem}.md").is_file():
                problems.append(Diagnostic(path, 1, f"driver of no rule: references/{stem}.md does not exist"))
            elif stem in loaded:
                message = f"driver '{name}' is not used: no example of references/{stem}.md has driver={name}"
                problems.append(Diagnostic(path, 1, message))
    return problems


def check_rule(pack: Pack, rule: Rule) -> RuleCheck:
    """One rule's own checks (front matter, body, examples), the relative links whose targets are checked on every
    build, and the drivers its examples name."""
    problems = list(rule.example_problems)
    problems += validate_front_matter(pack, rule)
    problems += validate_placeholders(rule)
    problems += validate_body(rule)
    for example in rule.examples:
        problems += validate_example(rule, example)
    drivers = sorted({e.options["driver"] for e in rule.examples if "driver" in e.options})
    links = tuple((rule.body_line + offset, target) for offset, target in relative_links(rule.body))
    return RuleCheck(tuple(problems), links, tuple(drivers), coverage.rule_names(rule))


def validate_placeholders(rule: Rule) -> list[Diagnostic]:
    """A scaffolded rule passes only once every placeholder of ``skillpack new`` is filled."""
    problems = [
        Diagnostic(rule.path, rule.line_of(str(key)), f"placeholder {PLACEHOLDER} left in '{key}'")
        for key, value in rule.meta.items()
        if PLACEHOLDER in str(value)
    ]
    for offset, line in enumerate(rule.body.split("\n")):
        if PLACEHOLDER in line:
            problems.append(Diagnostic(rule.path, rule.body_line + offset, f"placeholder {PLACEHOLDER} left in the body"))
    return problems


def validate_front_matter(pack: Pack, rule: Rule) -> list[Diagnostic]:
    meta, path = rule.meta, rule.path
    problems = []

    def problem(key: str, message: str) -> None:
        problems.append(Diagnostic(path, rule.line_of(key), message))

    for key in meta:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            problem(str(key), f"unknown front matter key '{key}' (allowed: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})")
    for key in REQUIRED_KEYS:
        if key not in meta:
            problems.append(Diagnostic(path, 1, f"front matter is missing required key '{key}'"))
    for key in ("title", "category", "prefix", "priority", "summary"):
        if key in meta and (not isinstance(meta[key], str) or not meta[key].strip()):
            problem(key, f"'{key}' must be a non-empty string")
    for key in ("tags", "docs"):
        value = meta.get(key)
        if key in meta and (
            not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            problem(key, f"'{key}' must be a non-empty list of strings")
    if isinstance(meta.get("docs"), list):
        for url in meta["docs"]:
            if isinstance(url, str) and not url.startswith("https://"):
                problem("docs", f"docs entry '{url}' must be an https:// URL")
    if isinstance(meta.get("priority"), str) and meta["priority"] not in PRIORITIES:
        problem("priority", f"priority '{meta['priority']}' must be one of {', '.join(PRIORITIES)}")
    if isinstance(meta.get("title"), str) and "\n" in meta["title"].strip():
        problem("title", "title must be a single line")
    summary = meta.get("summary")
    if isinstance(summary, str) and ("\n" in summary.strip() or SENTENCE_BREAK_RE.search(summary.strip())):
        problem("summary", "summary must be one sentence")
    if isinstance(summary, str) and len(summary.strip()) > SUMMARY_MAX:
        problem("summary", f"summary is {len(summary.strip())} characters; keep it within {SUMMARY_MAX}")
    category = pack.category(meta["category"]) if isinstance(meta.get("category"), str) else None
    if isinstance(meta.get("category"), str) and category is None:
        ids = ", ".join(c.id for c in pack.categories)
        problem("category", f"unknown category '{meta['category']}' (one of: {ids})")
    validate_name(rule, category, problem)
    return problems


def validate_name(rule: Rule, category: Category | None, problem) -> None:
    """Prefix matches the category's, the file name starts with it, the rest is a kebab-case slug."""
    prefix = rule.meta.get("prefix")
    if category is not None and isinstance(prefix, str) and prefix != category.prefix:
        problem("prefix", f"prefix '{prefix}' does not match category '{category.id}' (expected '{category.prefix}')")
    expected = category.prefix if category is not None else prefix
    if isinstance(expected, str) and expected:
        if not rule.stem.startswith(expected):
            problem("prefix", f"file name '{rule.path.name}' must start with '{expected}'")
        elif not SLUG_RE.match(rule.stem[len(expected):]):
            problem("prefix", f"slug '{rule.stem[len(expected):]}' must be lower-case kebab-case")


def validate_body(rule: Rule) -> list[Diagnostic]:
    path, lines = rule.path, rule.body.split("\n")
    problems = []
    first = next(((i, l) for i, l in enumerate(lines) if l.strip()), None)
    if first is None:
        return [Diagnostic(path, rule.body_line, "body is empty")]
    index, heading = first
    if rule.title and heading.strip() != f"## {rule.title}":
        problems.append(Diagnostic(path, rule.body_line + index, f"body must start with '## {rule.title}'"))
    labeled = [e for e in rule.examples if e.kind]
    first_label = min((e.line for e in labeled), default=rule.body_line + len(lines))
    between = lines[index + 1 : first_label - rule.body_line]
    if not any(l.strip() and not l.lstrip().startswith(("**", "<!--", "#")) for l in between):
        problems.append(
            Diagnostic(path, rule.body_line + index, "body must explain why the rule matters before the first example")
        )
    for kind, word in ((INCORRECT, "Incorrect"), (CORRECT, "Correct")):
        if not any(e.kind == kind for e in rule.examples):
            problems.append(Diagnostic(path, rule.body_line, f"body needs at least one '**{word} (...):**' example"))
    return problems


def link_problems(rule: Rule, links: tuple[tuple[int, str], ...]) -> list[Diagnostic]:
    """Every relative link outside code fences (``links``: line, target) must point to an existing file."""
    return [
        Diagnostic(rule.path, line, f"relative link '{target}' does not resolve")
        for line, target in links
        if (path := target.split("#", 1)[0]) and not (rule.path.parent / path).exists()
    ]


def validate_example(rule: Rule, example: Example) -> list[Diagnostic]:
    path = rule.path
    problems = []

    def problem(line: int, message: str) -> None:
        problems.append(Diagnostic(path, line, message))

    if example.kind and example.language != "python":
        problem(example.line, f"{example.kind} example must be a fenced 'python' block (found '{example.language or 'none'}')")
    for key, value in example.options.items():
        if key not in DIRECTIVE_OPTIONS:
            problem(example.line - 1, f"unknown example option '{key}' (allowed: {', '.join(sorted(DIRECTIVE_OPTIONS))})")
        elif key == "prelude" and not (PRELUDES / f"{value}.py").is_file():
            names = ", ".join(sorted(p.stem for p in PRELUDES.glob("*.py")))
            problem(example.line - 1, f"unknown prelude '{value}' (one of: {names})")
        elif key == "run" and value != "pytest":
            problem(example.line - 1, "option 'run' only takes 'pytest'")
        elif key == "raises" and not IDENTIFIER_RE.match(value):
            problem(example.line - 1, "option 'raises' takes an exception class name")
        elif key == "skip" and not value.strip():
            problem(example.line - 1, "option 'skip' needs a reason: skip=\"why it cannot run\"")
        elif key == "timeout" and not _positive_number(value):
            problem(example.line - 1, "option 'timeout' takes a positive number of seconds")
        elif key == "driver" and not DRIVER_NAME_RE.fullmatch(value):
            problem(
                example.line - 1,
                "option 'driver' takes a name of a-z, 0-9, '-' and '_', not test_* or *_test, e.g. driver=steps-recorded",
            )
        elif key == "driver" and not driver_path(path, value).is_file():
            problem(example.line - 1, f"driver '{value}': {driver_file(rule.stem, value).as_posix()} does not exist")
    if example.kind == CORRECT and "raises" in example.options:
        problem(example.line - 1, "a Correct example cannot expect an exception")
    if example.language != "python":
        return problems
    if example.kind == CORRECT:
        found = dbos_api.check_code(example.code)
    else:
        found = [p for p in [dbos_api.syntax_problem(example.code)] if p]
    for api_problem in found:
        problem(example.line + api_problem.line, api_problem.message)
    if example.driver:
        syntax = dbos_api.syntax_problem(example.driver)
        if syntax:
            problems.append(Diagnostic(driver_path(path, example.options["driver"]), syntax.line, syntax.message))
    return problems


def _positive_number(value: str) -> bool:
    try:
        return float(value) > 0
    except ValueError:
        return False

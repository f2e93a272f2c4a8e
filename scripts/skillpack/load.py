"""Load a pack from disk: categories, rule files, front matter (safe YAML) and the examples in each body."""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path

import yaml

from .model import CORRECT, INCORRECT, Category, Diagnostic, Example, Pack, Removed, Rule, driver_file, driver_path
from .parallel import map_in_order
from .validation_cache import known_front_matter

CATEGORIES_FILE = "_categories.yml"
REMOVED_FILE = "_removed.yml"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LABEL_RE = re.compile(r"^\*\*(Incorrect|Correct)\s*\((?P<reason>.*)\):\*\*\s*$")
LABEL_START_RE = re.compile(r"^\*\*\s*(Incorrect|Correct)\b", re.IGNORECASE)
FENCE_RE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")
MARKUP_STARTS = frozenset("`~*<")
"""First characters of the lines the example parser reads: fences, labels, directives (others are prose)."""
FENCE_STARTS = ("`", "~")
"""First characters of a code fence (a cheap test before FENCE_RE)."""
DIRECTIVE_RE = re.compile(r"^<!--\s*example:(?P<options>.*?)-->\s*$")
DRIVER_START = "<!-- example-driver"
"""Start of the retired hidden driver comment, now an error: drivers live in sidecar files named by ``driver=``."""
DRIVER_NAME_RE = re.compile(r"(?!test_)[a-z0-9_-]+(?<!_test)")
"""A ``driver=`` name, matched whole: lower-case letters, digits, '-' and '_'; never ``test_*`` or ``*_test``, which
pytest would collect from ``tests/``."""
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
OPTION_RE = re.compile(r"""\s*(?P<key>[^\s="']+)(?:=(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"']*))(?=\s|$))?(?=\s|$)""")
EXTERNAL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.IGNORECASE)


class YamlError(Exception):
    """A front matter that is not acceptable YAML; carries the 1-based line in the file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def parse_yaml(text: str, first_line: int = 1) -> tuple[object, dict[str, int]]:
    """Parse one YAML document safely.

    Rejects aliases (no alias bombs), duplicate mapping keys and any tag that would construct objects.
    Returns the data and the line of each top-level key (or list index, as a string).
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        key_lines = _check_nodes(node, first_line)
        return loader.construct_document(node), key_lines
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise YamlError(line, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node, first_line: int) -> dict[str, int]:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise YamlError(first_line + node.start_mark.line, "YAML anchors and aliases (&name, *name) are not allowed")
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in keys:
                    raise YamlError(first_line + key.start_mark.line, f"duplicate key '{name}'")
                keys.add(name)
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    if isinstance(root, yaml.MappingNode):
        return {str(k.value): first_line + k.start_mark.line for k, _ in root.value}
    if isinstance(root, yaml.SequenceNode):
        return {str(i): first_line + item.start_mark.line for i, item in enumerate(root.value)}
    return {}


def read_text(path: Path) -> str:
    """Read a file as strict UTF-8 (raises UnicodeDecodeError)."""
    data = path.read_bytes()
    return data.decode("utf-8")


def decode_error_line(path: Path, exc: UnicodeDecodeError) -> int:
    """The 1-based line of the first byte that is not UTF-8."""
    return path.read_bytes()[: exc.start].count(b"\n") + 1


def load_list(path: Path, cls: type, lists: tuple[str, ...] = ()) -> tuple[list, list[Diagnostic]]:
    """Read a YAML list of mappings whose keys are exactly the fields of dataclass ``cls``.

    Fields named in ``lists`` hold lists of strings (stored as tuples); ``priority`` holds an integer; the rest
    hold strings. A ``line`` field, if the class has one, receives the entry's line instead.
    """
    fields = [name for name in cls.__dataclass_fields__ if name != "line"]
    try:
        data, lines = parse_yaml(read_text(path))
    except FileNotFoundError:
        return [], [Diagnostic(path, 1, f"{path.name} is missing")]
    except UnicodeDecodeError as exc:
        return [], [Diagnostic(path, decode_error_line(path, exc), "file is not valid UTF-8")]
    except YamlError as exc:
        return [], [Diagnostic(path, exc.line, exc.message)]
    if not isinstance(data, list):
        return [], [Diagnostic(path, 1, f"{path.name} must be a YAML list of mappings")]
    items, problems = [], []
    for index, item in enumerate(data):
        line = lines.get(str(index), 1)
        if not isinstance(item, dict) or sorted(item) != sorted(fields):
            problems.append(Diagnostic(path, line, f"entry must have exactly the keys {', '.join(fields)}"))
            continue
        wrong = [k for k in fields if not _field_ok(k, item[k], lists)]
        if wrong:
            problems.append(Diagnostic(path, line, f"entry has the wrong type for {', '.join(wrong)}"))
            continue
        values = {k: tuple(v) if k in lists else v for k, v in item.items()}
        if "line" in cls.__dataclass_fields__:
            values["line"] = line
        items.append(cls(**values))
    return items, problems


def _field_ok(key: str, value: object, lists: tuple[str, ...]) -> bool:
    if key in lists:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if key == "priority":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---`` front matter from the body; returns (yaml, body, body's first line) or None."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r") == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None


def load_rule(path: Path, known: dict | None = None) -> tuple[Rule | None, list[Diagnostic]]:
    """Read one rule file. Returns the rule (None when unreadable) and what is wrong with its syntax. ``known``:
    front matter already parsed, by the SHA-256 of the file (see validation_cache.known_front_matter)."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Diagnostic(path, decode_error_line(path, exc), "file is not valid UTF-8")]
    parts = split_front_matter(text)
    if parts is None:
        return None, [Diagnostic(path, 1, "file must start with '---' YAML front matter closed by '---'")]
    front, body, body_line = parts
    if known and digest in known:
        meta, key_lines = known[digest]
        return Rule(path, meta, body, body_line, key_lines, digest), []
    try:
        meta, key_lines = parse_yaml(front, first_line=2)
    except YamlError as exc:
        return None, [Diagnostic(path, exc.line, exc.message)]
    if not isinstance(meta, dict):
        return None, [Diagnostic(path, 2, "front matter must be a YAML mapping of keys to values")]
    return Rule(path, meta, body, body_line, key_lines, digest), []


def parse_options(text: str) -> dict[str, str]:
    """Parse ``key=value key="quoted value" key='quoted' flag`` directive options (shell-like words, quotes only
    around a value). Raises ValueError on an unclosed quote or a stray character."""
    options, position = {}, 0
    for match in OPTION_RE.finditer(text):
        if text[position:match.start()].strip():
            break
        key = match["key"]
        value = next((v for v in (match["double"], match["single"], match["bare"]) if v is not None), "")
        options[key] = value
        position = match.end()
    rest = text[position:].strip()
    if rest:
        raise ValueError(f"cannot read '{rest}' (write key=value, quoting a value with spaces: key=\"a value\")")
    return options


def parse_examples(path: Path, body: str, first_line: int) -> tuple[list[Example], list[Diagnostic]]:
    """Find the fenced blocks of a body, the label before each, its example directives and the driver they name."""
    lines = body.split("\n")
    examples: list[Example] = []
    problems: list[Diagnostic] = []
    pending: tuple[str, str, int] | None = None  # kind, label, line
    options: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r")
        number = first_line + index
        if line[:1] not in MARKUP_STARTS:  # prose or blank: no fence, label or directive can start here
            if pending and line.strip():
                problems.append(Diagnostic(path, pending[2], "label is not followed by a code block"))
                pending = None
            index += 1
            continue
        fence = FENCE_RE.match(line)
        if fence:
            end = fence_end(lines, index)
            if end >= len(lines):
                problems.append(Diagnostic(path, number, "code fence is never closed"))
                break
            driver, problem = read_driver(path, options.get("driver", ""))
            if problem:
                problems.append(problem)
            kind, label, _ = pending or (None, "", 0)
            code = "\n".join(l.rstrip("\r") for l in lines[index + 1:end]) + "\n"
            examples.append(Example(kind, label, fence["info"].lower(), code, number, options, driver))
            pending, options = None, {}
            index = end + 1
            continue
        label = LABEL_RE.match(line)
        directive = DIRECTIVE_RE.match(line)
        if label:
            if pending:
                problems.append(Diagnostic(path, pending[2], "label is not followed by a code block"))
            kind = CORRECT if label.group(1) == "Correct" else INCORRECT
            pending = (kind, label["reason"].strip(), number)
        elif LABEL_START_RE.match(line):
            problems.append(
                Diagnostic(path, number, "malformed label: write '**Incorrect (reason):**' or '**Correct (reason):**'")
            )
        elif directive:
            try:
                options = parse_options(directive["options"])
            except ValueError as exc:
                problems.append(Diagnostic(path, number, f"example directive cannot be parsed: {exc}"))
            next_line = lines[index + 1].rstrip("\r") if index + 1 < len(lines) else ""
            if not FENCE_RE.match(next_line):
                problems.append(Diagnostic(path, number, "example directive must be directly before a code fence"))
        elif line.startswith(DRIVER_START):
            sidecar = driver_file(path.stem, "<name>").as_posix()
            message = f"example-driver comments are no longer allowed: move the code to {sidecar} and name it with driver=<name>"
            problems.append(Diagnostic(path, number, message))
            index = comment_end(lines, index)
        elif line.strip() and pending:
            problems.append(Diagnostic(path, pending[2], "label is not followed by a code block"))
            pending = None
        index += 1
    if pending:
        problems.append(Diagnostic(path, pending[2], "label is not followed by a code block"))
    return examples, problems


def body_runs(body: str):
    """Yield (kind, lines) runs of a body: ``text`` single lines and ``fence`` whole code blocks."""
    lines = [line.rstrip("\r") for line in body.split("\n")]
    index = 0
    while index < len(lines):
        line = lines[index]
        if line[:1] in FENCE_STARTS and FENCE_RE.match(line):
            end = fence_end(lines, index)
            yield "fence", lines[index : end + 1]
            index = end + 1
            continue
        yield "text", [line]
        index += 1


def fence_end(lines: list[str], start: int) -> int:
    """Index of the line that closes the code fence opened at ``start`` (``len(lines)`` when it is never closed)."""
    closing = FENCE_RE.match(lines[start].rstrip("\r"))["fence"]
    end = start + 1
    while end < len(lines) and lines[end].rstrip("\r").strip() != closing:
        end += 1
    return end


def comment_end(lines: list[str], start: int) -> int:
    """Index of the ``-->`` line that closes the comment opened at ``start`` (``len(lines)`` when never closed)."""
    end = start + 1
    while end < len(lines) and lines[end].rstrip("\r").strip() != "-->":
        end += 1
    return end


def read_driver(rule_path: Path, name: str) -> tuple[str, Diagnostic | None]:
    """The code of the sidecar driver ``name`` of a rule file ('' when there is none: validate reports a bad name
    or a missing file) and the problem reading it, if any."""
    if not DRIVER_NAME_RE.fullmatch(name):
        return "", None
    path = driver_path(rule_path, name)
    try:
        return read_text(path), None
    except OSError:
        return "", None
    except UnicodeDecodeError as exc:
        return "", Diagnostic(path, decode_error_line(path, exc), "file is not valid UTF-8")


def driver_files(drivers: Path) -> dict[str, list[str]]:
    """The sidecar drivers under a pack's drivers folder: each rule stem with the sorted names of its ``<name>.py``
    files (hidden names left out, as ``glob("*/*.py")`` leaves them)."""
    found: dict[str, list[str]] = {}
    try:
        with os.scandir(drivers) as stems:
            for entry in stems:
                if entry.is_dir() and not entry.name.startswith("."):
                    with os.scandir(entry.path) as files:
                        names = [
                            f.name[:-3] for f in files if f.name.endswith(".py") and f.name[0] != "." and f.is_file()
                        ]
                    if names:
                        found[entry.name] = sorted(names)
    except FileNotFoundError:
        pass
    return dict(sorted(found.items()))


def relative_links(markdown: str) -> list[tuple[int, str]]:
    """Relative link targets of a Markdown text outside code fences, as (0-based line, target with any #fragment)."""
    links, offset = [], 0
    for kind, lines in body_runs(markdown):
        if kind == "text" and "](" in lines[0]:
            links.extend((offset, t) for t in LINK_RE.findall(lines[0]) if not EXTERNAL_RE.match(t))
        offset += len(lines)
    return links


def rule_paths(references: Path) -> list[Path]:
    """Every rule file of a references folder, sorted by name (files starting with '_' or '.' are not rules)."""
    try:
        with os.scandir(references) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".md") and e.name[0] not in "_." and e.is_file())
    except FileNotFoundError:
        return []
    return [references / name for name in names]


def load_pack(root: Path, use_cache: bool = True) -> Pack:
    """Load categories and every rule under ``root/references`` (front matter that the validation cache already
    holds, for a file with the same bytes, is not parsed again unless ``use_cache`` is false)."""
    known = known_front_matter(root) if use_cache else {}
    references = root / "references"
    categories, diagnostics = load_list(references / CATEGORIES_FILE, Category)
    removed, problems = load_list(references / REMOVED_FILE, Removed, lists=("gone", "uses"))
    diagnostics += problems
    rules = []
    for rule, problems in map_in_order(functools.partial(load_rule, known=known), rule_paths(references)):
        diagnostics.extend(problems)
        if rule is not None:
            rules.append(rule)
    return Pack(root, categories, rules, removed, diagnostics)

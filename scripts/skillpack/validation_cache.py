"""A persistent cache of per-rule validation results, so that a rebuild re-checks only the rules that changed.

A rule's entry is keyed by the SHA-256 of its file and of its sidecar drivers (``tests/examples/<stem>/*.py``).
The whole cache belongs to one pack folder and one context: the installed dbos (its identity), the code of
skillpack itself and the pack's ``_categories.yml``; a change to any of them starts an empty cache. A cache that
cannot be read or does not have the expected shape is ignored with a warning, never trusted; one that cannot be
written only costs the next build its speed (with a warning).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import dbos_api
from .files import write_atomic
from .model import Diagnostic, Pack, Rule
from .parallel import map_in_order

FORMAT = 2
KEEP_FILES = 64
"""Most pack caches kept (the least recently written are removed): tests and benchmarks make many packs."""
_CODE = Path(__file__).parent


@dataclass(frozen=True)
class RuleCheck:
    """What validating one rule found from its own files (what other files of the pack do is checked apart)."""

    problems: tuple[Diagnostic, ...]
    links: tuple[tuple[int, str], ...]
    """Relative link targets and their lines, whose existence is checked on every build."""
    drivers: tuple[str, ...]
    """Names of the sidecar drivers its examples use."""
    names: tuple[str, ...] = ()
    """The public dbos names it teaches (see coverage)."""


def cache_file(root: Path) -> Path:
    """The cache file of the pack at ``root``."""
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return dbos_api.cache_dir() / "validation" / f"{digest}.json"


def context_key(root: Path) -> str:
    """The digest of everything a rule's result depends on besides the rule: dbos, skillpack's code, and the
    categories of the pack at ``root``."""
    digest = hashlib.sha256(f"{FORMAT}|{dbos_api.dbos_identity()}".encode())
    for path in sorted(_CODE.rglob("*.py")):
        digest.update(path.relative_to(_CODE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        digest.update((root / "references" / "_categories.yml").read_bytes())
    except OSError:
        digest.update(b"no categories")
    return digest.hexdigest()


def rule_key(pack: Pack, rule: Rule, drivers: dict[str, list[str]]) -> str:
    """The digest of a rule's file and of every sidecar driver in its folder (``drivers``: see load.driver_files)."""
    digest = hashlib.sha256((rule.digest or hashlib.sha256(rule.path.read_bytes()).hexdigest()).encode())
    folder = os.path.join(pack.drivers, rule.stem)
    for name in drivers.get(rule.stem, ()):
        try:
            with open(os.path.join(folder, f"{name}.py"), "rb") as handle:
                digest.update(b"\0" + name.encode() + b"\0" + handle.read())
        except OSError:
            digest.update(b"\0" + name.encode() + b"\0unreadable")
    return digest.hexdigest()


def warn(message: str) -> None:
    print(f"skillpack: warning: {message}", file=sys.stderr)


def cached_checks(
    pack: Pack, check: Callable[[Rule], RuleCheck], drivers: dict[str, list[str]], use_cache: bool = True
) -> list[RuleCheck]:
    """``[check(rule) for rule in pack.rules]``, taking unchanged rules' results from the cache (on all CPUs for
    the rest), then saving the cache (with every rule's front matter) when it changed. ``drivers``: the pack's
    sidecar drivers (see load.driver_files), part of each rule's key."""
    if not use_cache:
        return map_in_order(check, pack.rules)
    path = cache_file(pack.root)
    context = context_key(pack.root)
    root = pack.root
    data = _read(path, context)
    entries = _entries(path, data, "rules", lambda value: _decode(value, root))
    keys = map_in_order(functools.partial(rule_key, pack, drivers=drivers), pack.rules)
    missing = [index for index, key in enumerate(keys) if key not in entries]
    for index, result in zip(missing, map_in_order(check, [pack.rules[i] for i in missing])):
        entries[keys[index]] = result
    saved = (data or {}).get("front", {})
    fronts = {}
    for rule in pack.rules:
        entry = saved.get(rule.digest)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == rule.meta and entry[1] == rule.meta_lines:
            fronts[rule.digest] = entry  # as saved, and sound: it gave this rule its front matter
        elif rule.digest and _json_exact(rule.meta):
            fronts[rule.digest] = [rule.meta, rule.meta_lines]
    if missing or len(entries) != len(set(keys)) or fronts != saved:
        rules = {key: _encode(entries[key], root) for key in sorted(set(keys))}
        save(path, {"format": FORMAT, "context": context, "rules": rules, "front": fronts})
    return [entries[key] for key in keys]


def known_front_matter(root: Path) -> dict[str, tuple[dict, dict[str, int]]]:
    """The parsed front matter of the rule files the last build of the pack at ``root`` saw, by the SHA-256 of the
    file (a file whose digest is here needs no YAML parsing); empty when there is no usable cache."""
    path = cache_file(root)
    return _entries(path, _read(path, context_key(root)), "front", _decode_front)


_memo: dict[Path, tuple[tuple[int, int], dict | None]] = {}
"""The last cache file read by this process, by path, with its (mtime, size): load and validate share one read."""


def _read(path: Path, context: str) -> dict | None:
    """The cache file's data when it was made in the same context; None when there is none (with a warning when
    it cannot be read), or when another dbos, skillpack or categories made it."""
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if path in _memo and _memo[path][0] == stamp:
            data = _memo[path][1]
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
            _memo.clear()
            _memo[path] = (stamp, data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        warn(f"ignoring the validation cache {path}: {exc}")
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("context") != context:
        return None
    return data


def _entries(path: Path, data: dict | None, part: str, decode: Callable) -> dict:
    """One part of the cache's data, each value decoded; empty (with a warning) when any entry is damaged."""
    if data is None:
        return {}
    try:
        return {_str(key): decode(value) for key, value in data[part].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        warn(f"ignoring the validation cache {path}: it is damaged ({type(exc).__name__})")
        return {}


def save(path: Path, data: dict) -> None:
    try:
        write_atomic(path, json.dumps(data, separators=(",", ":"), sort_keys=True))
        _prune(path.parent)
    except OSError as exc:
        warn(f"cannot write the validation cache {path}: {exc.strerror or exc}")


def _json_exact(value: object) -> bool:
    """Whether JSON gives ``value`` back unchanged (YAML dates or integer keys do not survive it)."""
    try:
        return json.loads(json.dumps(value)) == value
    except (TypeError, ValueError):
        return False


def _decode_front(value: list) -> tuple[dict, dict[str, int]]:
    meta, lines = value
    if not isinstance(meta, dict) or not isinstance(lines, dict):
        raise TypeError("expected two mappings")
    return meta, {_str(key): _int(line) for key, line in lines.items()}


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)


def _encode(result: RuleCheck, root: Path) -> list:
    problems = [[_relative(d.path, root), d.line, d.message] for d in result.problems]
    return [problems, [list(link) for link in result.links], list(result.drivers), list(result.names)]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _decode(value: list, root: Path) -> RuleCheck:
    problems, links, drivers, names = value
    return RuleCheck(
        tuple(Diagnostic(root / _str(p), _int(line), _str(message)) for p, line, message in problems),
        tuple((_int(line), _str(target)) for line, target in links),
        tuple(_str(name) for name in drivers),
        tuple(_str(name) for name in names),
    )


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value

"""Check code examples against the installed ``dbos`` package by introspection (no hand-kept name lists)."""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import inspect
import json
import os
import typing
from dataclasses import dataclass
from pathlib import Path

from .files import write_atomic


@dataclass(frozen=True)
class ApiProblem:
    """A DBOS name or keyword used in code that the installed package does not have."""

    line: int
    """1-based line within the code block."""
    message: str


def _keywords_of(obj) -> list[str] | None:
    """Keyword names a callable accepts; None when it takes any keyword or has no readable signature.

    Classes are read from their constructor; TypedDicts (such as ``DBOSConfig``) accept their keys.
    """
    if typing.is_typeddict(obj):
        return sorted(typing.get_type_hints(obj))
    if not callable(obj):
        return None
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = signature.parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    kinds = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sorted(p.name for p in params if p.kind in kinds and p.name not in ("self", "cls"))


def _static_member(cls: type, name: str):
    """A class member's function, found without running properties (some DBOS ones need a live context)."""
    raw = inspect.getattr_static(cls, name, None)
    if isinstance(raw, classmethod):
        return getattr(cls, name)
    if isinstance(raw, staticmethod):
        return raw.__func__
    return raw if inspect.isfunction(raw) else None


def introspect() -> dict:
    """Read the public surface of the installed dbos: its exports, the members of each exported class, and the
    keywords of every exported callable and every ``DBOS`` attribute."""
    import dbos

    exports = sorted(n for n in dir(dbos) if not n.startswith("__"))
    members: dict[str, list[str]] = {}
    keywords: dict[str, list[str] | None] = {}
    for name in exports:
        obj = getattr(dbos, name)
        if inspect.isclass(obj):
            members[name] = sorted(dir(obj))
            for member in members[name]:
                if not member.startswith("_"):
                    keywords[f"{name}.{member}"] = _keywords_of(_static_member(obj, member))
        keywords[name] = _keywords_of(obj)
    declared = getattr(dbos, "__all__", None)
    exported = sorted(declared) if declared is not None else None  # the package's declared exports, if any
    return {"version": dbos_version(), "exports": exports, "all": exported, "members": members, "keywords": keywords}


def cache_dir() -> Path:
    """skillpack's folder in the user's cache (``$XDG_CACHE_HOME/skillpack``, else ``~/.cache/skillpack``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "skillpack"


@functools.lru_cache(maxsize=1)
def dbos_identity() -> str | None:
    """A digest of the installed dbos (its version, and the times and sizes of its files), found without importing
    it; None when dbos is not installed."""
    spec = importlib.util.find_spec("dbos")
    if spec is None or not spec.origin:
        return None
    package = Path(spec.origin).parent
    stamp = "|".join(f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in sorted(package.glob("*.py")))
    return hashlib.sha256(f"{dbos_version()}|{stamp}".encode()).hexdigest()


def _cache_path() -> Path | None:
    """Where the surface of this dbos installation is cached (keyed by its identity and this module's code)."""
    identity = dbos_identity()
    if identity is None:
        return None
    reader = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # a changed introspection makes a new cache
    digest = hashlib.sha256(f"{identity}|{reader}".encode()).hexdigest()[:16]
    return cache_dir() / f"dbos-{dbos_version()}-{digest}.json"


@functools.lru_cache(maxsize=1)
def surface() -> dict:
    """The dbos surface, from the cache when it is fresh, else by introspection (then cached)."""
    path = _cache_path()
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    data = introspect()
    if path is not None:
        try:
            write_atomic(path, json.dumps(data, sort_keys=True))
        except OSError:
            pass  # a read-only home: work without the cache
    return data


@functools.lru_cache(maxsize=None)
def has_export(name: str) -> bool:
    return name in _exports()


@functools.lru_cache(maxsize=1)
def _exports() -> frozenset[str]:
    return frozenset(surface()["exports"])


@functools.lru_cache(maxsize=None)
def has_dbos_attr(name: str) -> bool:
    return name in surface()["members"]["DBOS"]


@functools.lru_cache(maxsize=None)
def accepted_keywords(target: str) -> frozenset[str] | None:
    """Keywords a DBOS callable accepts: ``DBOS.<name>``, an export, or ``Class.method``; None means any."""
    keywords = surface()["keywords"].get(target)
    return None if keywords is None else frozenset(keywords)


def _config_keys() -> frozenset[str]:
    return accepted_keywords("DBOSConfig") or frozenset()


_SKIPPED_FIELDS = frozenset({"ctx", "type_comment"})


def _walk(tree: ast.AST):
    """Every node of a tree, parents first (a lean ast.walk: it skips context fields)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name in node._fields:
            if name in _SKIPPED_FIELDS:
                continue
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)


class _Checker:
    """Checks one module; records every DBOS name or keyword the installed package lacks."""

    def __init__(self) -> None:
        self.problems: list[ApiProblem] = []
        self.aliases: dict[str, str] = {"DBOS": "DBOS"}
        self.module_names: set[str] = set()

    def check(self, tree: ast.AST) -> None:
        nodes = list(_walk(tree))
        for node in nodes:  # imports first: they bind the names the rest is checked against
            if isinstance(node, ast.ImportFrom):
                self.check_import_from(node)
            elif isinstance(node, ast.Import):
                self.module_names.update(a.asname or "dbos" for a in node.names if a.name == "dbos")
        for node in nodes:
            if isinstance(node, ast.Attribute):
                self.check_attribute(node)
            elif isinstance(node, ast.Call):
                self.check_call(node)
            elif isinstance(node, ast.AnnAssign):
                if isinstance(node.value, ast.Dict) and self.target_of(node.annotation) == "DBOSConfig":
                    self.check_config(node.value)

    def report(self, node: ast.AST, message: str) -> None:
        self.problems.append(ApiProblem(getattr(node, "lineno", 1), message))

    def check_import_from(self, node: ast.ImportFrom) -> None:
        if node.module != "dbos" or node.level != 0:
            return
        for alias in node.names:
            if alias.name == "*":
                continue
            if not has_export(alias.name):
                self.report(node, f"'from dbos import {alias.name}': dbos {dbos_version()} has no '{alias.name}'")
            else:
                self.aliases[alias.asname or alias.name] = alias.name

    def target_of(self, node: ast.AST) -> str | None:
        """The DBOS API a call target names: 'DBOS.x', or an export name; None when it is not DBOS's."""
        if isinstance(node, ast.Name) and node.id in self.aliases:
            return self.aliases[node.id]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = node.value.id
            if self.aliases.get(owner) == "DBOS":
                return f"DBOS.{node.attr}"
            if owner in self.module_names:
                return node.attr
        return None

    def check_attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name):
            owner = node.value.id
            if self.aliases.get(owner) == "DBOS" and not has_dbos_attr(node.attr):
                self.report(node, f"DBOS.{node.attr} does not exist in dbos {dbos_version()}")
            elif owner in self.module_names and not has_export(node.attr):
                self.report(node, f"dbos.{node.attr} does not exist in dbos {dbos_version()}")

    def check_call(self, node: ast.Call) -> None:
        target = self.target_of(node.func)
        if target is None or not (has_dbos_attr(target[5:]) if target.startswith("DBOS.") else has_export(target)):
            return
        allowed = accepted_keywords(target)
        if allowed is not None:
            for keyword in node.keywords:
                if keyword.arg is not None and keyword.arg not in allowed:
                    self.report(keyword.value, f"{target}() has no keyword argument '{keyword.arg}'")
        if target == "DBOS":
            for keyword in node.keywords:
                if keyword.arg == "config" and isinstance(keyword.value, ast.Dict):
                    self.check_config(keyword.value)

    def check_config(self, node: ast.Dict) -> None:
        keys = _config_keys()
        for key in node.keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in keys:
                self.report(key, f"DBOSConfig has no key '{key.value}'")


@functools.lru_cache(maxsize=1)
def dbos_version() -> str:
    """The installed dbos version."""
    from importlib.metadata import version

    return version("dbos")


def check_code(code: str) -> list[ApiProblem]:
    """Parse a Python block and check its DBOS names and keywords; a syntax error is one problem."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return [ApiProblem(exc.lineno or 1, f"Python syntax error: {exc.msg}")]
    checker = _Checker()
    checker.check(tree)
    return sorted(checker.problems, key=lambda p: p.line)


def syntax_problem(code: str) -> ApiProblem | None:
    """The syntax error of a block, if any (for blocks that are parsed but not checked against the API)."""
    try:
        ast.parse(code)
    except SyntaxError as exc:
        return ApiProblem(exc.lineno or 1, f"Python syntax error: {exc.msg}")
    return None


@functools.lru_cache(maxsize=None)
def name_exists(dotted: str) -> bool:
    """Whether a dotted name exists in dbos: 'DBOS.launch', 'SQLAlchemyDatasource.create', or a keyword or
    TypedDict key as the last part ('DBOS.register_queue.worker_concurrency', 'DBOSConfig.name')."""
    parts = dotted.split(".")
    if not has_export(parts[0]):
        return False
    if len(parts) == 1:
        return True
    members = surface()["members"].get(parts[0], [])
    if len(parts) == 2:
        if parts[1] in members:
            return True
        keywords = accepted_keywords(parts[0])
        return keywords is not None and parts[1] in keywords
    if len(parts) == 3 and parts[1] in members:
        keywords = accepted_keywords(f"{parts[0]}.{parts[1]}")
        return keywords is not None and parts[2] in keywords
    return False

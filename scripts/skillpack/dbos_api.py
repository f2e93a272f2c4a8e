"""Check code examples against the installed ``dbos`` package by introspection (no hand-kept name lists)."""

from __future__ import annotations

import ast
import functools
import inspect
import typing
from dataclasses import dataclass


@dataclass(frozen=True)
class ApiProblem:
    """A DBOS name or keyword used in code that the installed package does not have."""

    line: int
    """1-based line within the code block."""
    message: str


@functools.lru_cache(maxsize=1)
def dbos_module():
    import dbos  # imported on first use only: loading dbos costs time that plain format checks do not need

    return dbos


@functools.lru_cache(maxsize=None)
def has_export(name: str) -> bool:
    return hasattr(dbos_module(), name)


@functools.lru_cache(maxsize=None)
def has_dbos_attr(name: str) -> bool:
    return hasattr(dbos_module().DBOS, name)


@functools.lru_cache(maxsize=None)
def accepted_keywords(target: str) -> frozenset[str] | None:
    """Keywords a DBOS callable accepts: ``DBOS.<name>`` or an export of ``dbos``; None means any keyword.

    Classes are read from ``__init__``; TypedDicts (such as ``DBOSConfig``) accept their keys.
    """
    module = dbos_module()
    if target.startswith("DBOS."):
        obj = getattr(module.DBOS, target[5:], None)
    else:
        obj = getattr(module, target, None)
    if obj is None:
        return None
    if typing.is_typeddict(obj):
        return frozenset(typing.get_type_hints(obj))
    try:
        signature = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    except (TypeError, ValueError):
        return None
    params = signature.parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return frozenset(
        p.name for p in params if p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    )


def _config_keys() -> frozenset[str]:
    return accepted_keywords("DBOSConfig") or frozenset()


class _Checker(ast.NodeVisitor):
    """Walks one module; records every DBOS name or keyword the installed package lacks."""

    def __init__(self) -> None:
        self.problems: list[ApiProblem] = []
        self.aliases: dict[str, str] = {"DBOS": "DBOS"}
        self.module_names: set[str] = set()

    def report(self, node: ast.AST, message: str) -> None:
        self.problems.append(ApiProblem(getattr(node, "lineno", 1), message))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == "dbos":
                self.module_names.add(alias.asname or "dbos")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module == "dbos" and node.level == 0:
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

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name):
            owner = node.value.id
            if self.aliases.get(owner) == "DBOS" and not has_dbos_attr(node.attr):
                self.report(node, f"DBOS.{node.attr} does not exist in dbos {dbos_version()}")
            elif owner in self.module_names and not has_export(node.attr):
                self.report(node, f"dbos.{node.attr} does not exist in dbos {dbos_version()}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        target = self.target_of(node.func)
        if target is not None and (target.startswith("DBOS.") and has_dbos_attr(target[5:]) or has_export(target)):
            allowed = accepted_keywords(target)
            if allowed is not None:
                for keyword in node.keywords:
                    if keyword.arg is not None and keyword.arg not in allowed:
                        self.report(keyword.value, f"{target}() has no keyword argument '{keyword.arg}'")
            if target == "DBOS":
                for keyword in node.keywords:
                    if keyword.arg == "config" and isinstance(keyword.value, ast.Dict):
                        self.check_config(keyword.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.value, ast.Dict) and self.target_of(node.annotation) == "DBOSConfig":
            self.check_config(node.value)
        self.generic_visit(node)

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
    checker.visit(tree)
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
    obj = dbos_module()
    for index, part in enumerate(parts):
        if hasattr(obj, part) and not typing.is_typeddict(obj):
            obj = getattr(obj, part)
            continue
        if index != len(parts) - 1:
            return False
        parent = ".".join(parts[:index])
        keywords = accepted_keywords(parent) if parent else None
        return keywords is not None and part in keywords
    return True

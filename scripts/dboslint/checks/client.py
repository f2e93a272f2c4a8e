"""Checks of the client rules: how a program outside the app builds, uses and releases a DBOSClient."""

from __future__ import annotations

import ast
import sys
from typing import Iterator, Optional, Tuple

from ..model import Report, check
from ..semantic import DBOS, NOT_LITERAL, Function, Module, Scope, literal, string_key_dict, unawait

CLIENT_CLASSES = ("dbos.DBOSClient", "dbos._client.DBOSClient")

ENQUEUE_OPTION_KEYS = frozenset({
    "workflow_name", "queue_name", "workflow_id", "workflow_id_reuse_policy", "app_version", "workflow_timeout",
    "delay_seconds", "deduplication_id", "duplication_policy", "priority", "queue_partition_key",
    "authenticated_user", "authenticated_roles", "serialization_type", "class_name", "instance_name", "attributes",
    "application_name", "otel_context", "shard_key",
})
"""The keys of ``dbos.EnqueueOptions`` in dbos 3.4.0 (a TypedDict: unknown keys are silently ignored)."""
REQUIRED_ENQUEUE_OPTION_KEYS = ("workflow_name", "queue_name")
ENQUEUE_OPTIONS_MAKERS = ("builtins.dict", "dbos.EnqueueOptions", "dbos._client.EnqueueOptions")
"""The calls that make an options dict: ``dict(...)`` and ``EnqueueOptions(...)``."""

ENQUEUE_METHODS = {"enqueue": 0, "enqueue_async": 0, "enqueue_in_transaction": 1}
"""DBOSClient methods that take an EnqueueOptions dict, with the position of that argument."""

HANDLE_METHODS = frozenset({
    "enqueue", "enqueue_async", "enqueue_in_transaction", "retrieve_workflow", "retrieve_workflow_async",
    "resume_workflow", "resume_workflow_async", "resume_workflows", "resume_workflows_async", "fork_workflow",
    "fork_workflow_async", "rewind_workflow", "rewind_workflow_async", "read_stream", "read_stream_async",
    "read_stream_offset", "read_stream_offset_async", "wait_first", "wait_first_async",
})
"""DBOSClient methods whose result keeps using the client (handles, stream generators)."""

LIST_METHODS = frozenset({"list_workflows", "list_workflows_async", "list_queued_workflows",
                          "list_queued_workflows_async"})
"""DBOSClient methods that return a list of ``WorkflowStatus`` objects (attributes, not dict keys)."""

CLIENT_TWINS = {f"{DBOS}.{name}": name for name in ("send", "send_async", "get_event", "get_event_async")}
"""DBOS methods that need a DBOS instance and have a DBOSClient method of the same name."""


# --- shared helpers (also used by the advanced and testing checks) ------------------------------------------------


Binding = Tuple[bool, Optional[ast.expr], Optional[ast.expr]]
"""``(is_parameter, annotation, value)``."""


def bindings(module: Module, name: str, scope: Scope) -> Optional[list[Binding]]:
    """How ``name`` (seen from ``scope``) gets its value: one ``(is_parameter, annotation, value)`` for each plain
    ``name = value`` / ``name: T = value`` assignment or parameter of the scope that binds it.

    None when any other binding exists (tuple unpacking, loop target, ``with``, ``global`` from elsewhere, import,
    def...), so that the caller knows nothing for sure about the name.
    """
    owner = module.owner_of(name, scope)
    if owner is None:
        return None
    return module.memo(("bindings", name, id(owner)), lambda: _bindings_in(module, name, owner))


def _bindings_in(module: Module, name: str, owner: Scope) -> Optional[list[Binding]]:
    """``bindings`` of ``name`` in the scope ``owner`` that binds it."""
    if name in owner.imports:
        return None
    if any(name in s.declared_global for s in module.scopes):
        return None
    found: list[Binding] = []
    explained: set[int] = set()
    if isinstance(owner, Function):
        args = owner.node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if arg.arg == name:
                found.append((True, arg.annotation, None))
        if args.vararg is not None and args.vararg.arg == name or args.kwarg is not None and args.kwarg.arg == name:
            return None
    for node in owner.nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    found.append((False, None, node.value))
                    explained.add(id(target))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            found.append((False, node.annotation, node.value))
            explained.add(id(node.target))
    for node in owner.nodes:
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del)):
            if id(node) not in explained:
                return None
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return None
        elif isinstance(node, ast.ExceptHandler) and node.name == name:
            return None
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name == name:
            return None
        elif isinstance(node, ast.MatchMapping) and node.rest == name:
            return None
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and any(
            (a.asname or a.name.split(".", 1)[0]) == name for a in node.names
        ):
            return None
    return found


def is_client_class(module: Module, node: Optional[ast.AST], scope: Scope) -> bool:
    return node is not None and module.qualname(node, scope) in CLIENT_CLASSES


def is_client_construction(module: Module, node: Optional[ast.AST], scope: Scope) -> bool:
    """``DBOSClient(...)``."""
    return isinstance(node, ast.Call) and is_client_class(module, node.func, scope)


def is_client(module: Module, node: ast.AST, scope: Optional[Scope] = None) -> bool:
    """True when an expression is certainly a DBOSClient: ``DBOSClient(...)``, or a name whose every binding is
    ``= DBOSClient(...)`` or is annotated ``DBOSClient``."""
    if scope is None:
        scope = module.scope_of(node)
    if is_client_construction(module, node, scope):
        return True
    if not isinstance(node, ast.Name):
        return False
    found = bindings(module, node.id, scope)
    if not found:
        return False
    owner = module.owner_of(node.id, scope)
    assert owner is not None
    for is_parameter, annotation, value in found:
        if annotation is not None:
            where = owner.parent if is_parameter and owner.parent is not None else owner
            if not is_client_class(module, annotation, where):
                return False
        elif not is_client_construction(module, value, owner):
            return False
    return True


def client_method_call(module: Module, call: ast.Call) -> Optional[str]:
    """The method name when ``call`` calls a method of a certain DBOSClient (``client.enqueue(...)``)."""
    func = call.func
    if not module.may_refer_to(*CLIENT_CLASSES):
        return None
    if isinstance(func, ast.Attribute) and is_client(module, func.value, module.scope_of(call)):
        return func.attr
    return None


# --- client-create-and-destroy ------------------------------------------------------------------------------------


@check("client-create-and-destroy")
def client_positional_arguments(module: Module) -> Iterator[Report]:
    """``DBOSClient(url)``: the constructor takes keywords only (the 1.x positional database URL is gone)."""
    if not module.may_refer_to(*CLIENT_CLASSES):
        return
    for scope in module.scopes:
        for node in scope.nodes:
            if isinstance(node, ast.Call) and is_client_class(module, node.func, scope):
                if any(not isinstance(a, ast.Starred) for a in node.args):
                    yield node, "DBOSClient takes keywords only: DBOSClient(system_database_url=...)"


@check("client-create-and-destroy")
def client_never_destroyed(module: Module) -> Iterator[Report]:
    """A function (not ``main``) that builds a DBOSClient in a local variable that never leaves it and never calls
    its ``destroy()``: every call leaks a connection pool."""
    if not module.may_refer_to(*CLIENT_CLASSES):
        return
    called_from_main = _functions_called_from_main_guard(module)
    for function in module.functions:
        if function.name == "main" or function in called_from_main:
            continue
        for node in function.nodes:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            if not is_client_construction(module, node.value, function):
                continue
            if any(not isinstance(a, ast.Starred) for a in node.value.args):  # type: ignore[attr-defined]
                continue  # reported as positional arguments already
            name = node.targets[0].id
            found = bindings(module, name, function)
            if found is None or len(found) != 1 or module.owner_of(name, function) is not function:
                continue
            if _stays_local_and_undestroyed(module, function, name):
                yield node.value, "this DBOSClient is never destroyed: call client.destroy() in a finally block"


def _functions_called_from_main_guard(module: Module) -> set[Function]:
    called = set()
    for node in module.scope.nodes:
        if isinstance(node, ast.Call) and module.under_main_guard(node):
            function = module.local_function(node.func, module.scope)
            if function is not None:
                called.add(function)
    return called


def _stays_local_and_undestroyed(module: Module, function: Function, name: str) -> bool:
    """True when every use of ``name`` in ``function`` is a method call of it other than ``destroy``, and nothing
    those calls return (handles, streams) leaves the function either."""
    up = module.parents
    own = {id(n) for n in function.nodes}
    handle_names: set[str] = set()
    for node in ast.walk(function.node):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            if id(node) not in own:
                return False  # used by a nested function, lambda or class
            parent = up.get(id(node))
            if not isinstance(parent, ast.Attribute) or parent.value is not node:
                return False  # passed, returned, stored, compared...
            if parent.attr == "destroy":
                return False
            if parent.attr in HANDLE_METHODS:
                call = up.get(id(parent))
                if not isinstance(call, ast.Call) or call.func is not parent:
                    return False
                target = _result_name(call, up)
                if target is False:
                    return False
                if isinstance(target, str):
                    handle_names.add(target)
    for handle in handle_names:
        if handle == name:
            return False
        found = bindings(module, handle, function)
        if found is None or module.owner_of(handle, function) is not function:
            return False
        for node in ast.walk(function.node):
            if isinstance(node, ast.Name) and node.id == handle and isinstance(node.ctx, ast.Load):
                parent = up.get(id(node))
                if id(node) not in own or not isinstance(parent, ast.Attribute) or parent.value is not node:
                    return False
    return True


def _result_name(call: ast.Call, up: dict[int, ast.AST]):
    """Where a call's result goes: None when it is used up in place (a statement, a chained method call), the name
    it is assigned to, or False when it goes anywhere else."""
    node: ast.AST = call
    parent = up.get(id(node))
    if isinstance(parent, ast.Await):
        node, parent = parent, up.get(id(parent))
    if isinstance(parent, ast.Expr):
        return None
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return None
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id
    return False


# --- client-enqueue-by-name ---------------------------------------------------------------------------------------


@check("client-enqueue-by-name")
def client_enqueue_options(module: Module) -> Iterator[Report]:
    """``client.enqueue(options, ...)`` whose options are not a dict (``client.enqueue("queue", ...)``), or a dict
    that misses ``workflow_name`` / ``queue_name`` or has a key EnqueueOptions does not know."""
    if not module.may_refer_to(*CLIENT_CLASSES):
        return
    for scope in module.scopes:
        for call in scope.nodes:
            if not isinstance(call, ast.Call):
                continue
            method = client_method_call(module, call)
            if method not in ENQUEUE_METHODS:
                continue
            position = ENQUEUE_METHODS[method]
            if len(call.args) <= position or any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
                continue
            options = call.args[position]
            value = literal(options)
            if (value is not NOT_LITERAL and not isinstance(value, dict)) or isinstance(options, ast.JoinedStr):
                yield options, (f"client.{method} takes an EnqueueOptions dict first: "
                                "{\"workflow_name\": ..., \"queue_name\": ...}, then the workflow's arguments")
                continue
            entries = _options_dict(module, options, scope)
            if entries is None:
                continue
            missing = [k for k in REQUIRED_ENQUEUE_OPTION_KEYS if k not in entries]
            if missing:
                yield options, f"EnqueueOptions needs {' and '.join(repr(k) for k in missing)} (KeyError otherwise)"
            for key in sorted(set(entries) - ENQUEUE_OPTION_KEYS):
                yield options, f"EnqueueOptions has no key {key!r}: it is silently ignored"


def _options_dict(module: Module, node: ast.expr, scope: Scope) -> Optional[dict[str, ast.expr]]:
    """The entries of an options argument given as a dict display, or as a name bound once to one and used only as
    an argument of client enqueue calls."""
    entries = string_key_dict(module, node, ENQUEUE_OPTIONS_MAKERS)
    if entries is not None or not isinstance(node, ast.Name):
        return entries
    found = bindings(module, node.id, scope)
    if not found or len(found) != 1 or found[0][2] is None:
        return None
    owner = module.owner_of(node.id, scope)
    entries = string_key_dict(module, found[0][2], ENQUEUE_OPTIONS_MAKERS)
    if entries is None or owner is None:
        return None
    only_options = module.memo(("only-enqueue-options", node.id, id(owner)),
                               lambda: _used_only_as_options(module, node.id, owner))
    return entries if only_options else None


def _used_only_as_options(module: Module, name: str, owner: Scope) -> bool:
    """Whether every use of ``name`` bound in ``owner`` is an options argument of a client enqueue call."""
    for s in module.scopes:
        for n in s.nodes:
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load):
                if module.owner_of(n.id, s) is owner and not _is_options_argument(module, n):
                    return False
    return True


def _is_options_argument(module: Module, name: ast.Name) -> bool:
    """Whether ``name`` is the options argument of the client enqueue call it sits in."""
    call = module.parents.get(id(name))
    if not isinstance(call, ast.Call):
        return False
    method = client_method_call(module, call)
    if method not in ENQUEUE_METHODS:
        return False
    position = ENQUEUE_METHODS[method]
    return len(call.args) > position and call.args[position] is name


# --- client-retrieve-and-list-workflows ---------------------------------------------------------------------------


@check("client-retrieve-and-list-workflows")
def client_listed_workflow_as_dict(module: Module) -> Iterator[Report]:
    """``wf["key"]`` on an entry of ``client.list_workflows(...)`` / ``list_queued_workflows(...)`` (a for loop or
    comprehension over the call, or the call indexed directly): the entries are WorkflowStatus objects."""
    if not module.may_refer_to(*CLIENT_CLASSES):
        return
    for scope in module.scopes:
        for node in scope.nodes:
            if isinstance(node, (ast.For, ast.AsyncFor)) and _is_client_listing(module, node.iter):
                if isinstance(node.target, ast.Name):
                    yield from _subscripts_of(node.target.id, node.body + node.orelse)
            elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                yield from _comprehension_subscripts(module, node)
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _string_key(node) is not None:
                inner = node.value
                if isinstance(inner, ast.Subscript) and _string_key(inner) is None and _is_client_listing(
                    module, inner.value
                ):
                    yield node, _DICT_MESSAGE.format(key=_string_key(node))


_DICT_MESSAGE = "workflows listed by the client are WorkflowStatus objects: read .{key}, not [\"{key}\"]"


def _is_client_listing(module: Module, node: ast.expr) -> bool:
    node = unawait(node)
    return isinstance(node, ast.Call) and client_method_call(module, node) in LIST_METHODS


def _string_key(node: ast.Subscript) -> Optional[str]:
    key = node.slice
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    return None


def _subscripts_of(name: str, body: list[ast.stmt]) -> Iterator[Report]:
    """``name["key"]`` loads in a loop body, unless the body rebinds ``name``."""
    nodes = [n for stmt in body for n in ast.walk(stmt)]
    if any(isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load) for n in nodes):
        return
    if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) for n in nodes):
        nodes = _outside_nested_scopes(body)
    for n in nodes:
        if (isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Load) and isinstance(n.value, ast.Name)
                and n.value.id == name and _string_key(n) is not None):
            yield n, _DICT_MESSAGE.format(key=_string_key(n))


def _outside_nested_scopes(body: list[ast.stmt]) -> list[ast.AST]:
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _comprehension_subscripts(module: Module, node: ast.AST) -> Iterator[Report]:
    generators = node.generators  # type: ignore[attr-defined]
    if len(generators) != 1:
        return
    generator = generators[0]
    if not isinstance(generator.target, ast.Name) or not _is_client_listing(module, generator.iter):
        return
    parts: list[ast.AST] = [*generator.ifs]
    if isinstance(node, ast.DictComp):
        parts += [node.key, node.value]
    else:
        parts.append(node.elt)  # type: ignore[attr-defined]
    yield from _subscripts_of(generator.target.id, [ast.Expr(p) for p in parts])  # type: ignore[arg-type]


# --- client-send-and-get-event ------------------------------------------------------------------------------------


@check("client-send-and-get-event")
def dbos_send_without_dbos(module: Module) -> Iterator[Report]:
    """``DBOS.send`` / ``DBOS.get_event`` run by a script (module level or a function its main guard calls) that
    imports only the standard library and dbos and never creates DBOS nor defines a workflow or step."""
    if not _standalone_client_program(module):
        return
    places: list[Scope] = [module.scope, *_functions_called_from_main_guard(module)]
    for scope in places:
        for node in scope.nodes:
            if isinstance(node, ast.Call):
                name = module.call_name(node)
                if name in CLIENT_TWINS:
                    method = CLIENT_TWINS[name]
                    yield node, (f"no DBOS exists in this program: use DBOSClient(system_database_url=...).{method}"
                                 "(...) to reach the app's workflows")


def _standalone_client_program(module: Module) -> bool:
    stdlib = getattr(sys, "stdlib_module_names", frozenset())
    if not stdlib:
        return False
    for scope in module.scopes:
        for node in scope.nodes:
            if isinstance(node, ast.ImportFrom):
                if node.level or not node.module:
                    return False
                top = node.module.split(".", 1)[0]
                if top != "dbos" and top != "__future__" and top not in stdlib:
                    return False
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".", 1)[0]
                    if top != "dbos" and top not in stdlib:
                        return False
            elif isinstance(node, ast.Call):
                name = module.call_name(node)
                if name == DBOS or name in (f"{DBOS}.launch", "builtins.__import__", "importlib.import_module",
                                            "runpy.run_path", "runpy.run_module", "builtins.exec", "builtins.eval"):
                    return False
    if any(f.kind is not None for f in module.functions):
        return False
    return True

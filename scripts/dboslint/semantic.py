"""The one pass over a module's tree that every check shares.

It works out, once per file:
- what each name refers to (imports with their aliases, shadowing by local bindings, builtins), so that
  ``qualname(node, scope)`` turns ``D.sleep`` into ``dbos.DBOS.sleep`` and ``now()`` into ``datetime.datetime.now``;
- every function and what DBOS makes of it (workflow, step, datasource transaction), with its decorator call;
- each scope's own nodes (nested functions, lambdas and classes excluded), in source order;
- the DBOS lifecycle events of each body (construct, datasource, listen_queues, launch, queues, workflow runs,
  schedules, destroy), in source order, which the order checks read.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional, TypeVar, Union

_T = TypeVar("_T")

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
ScopeNode = Union[ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef]

DBOS = "dbos.DBOS"
WORKFLOW, STEP, TRANSACTION = "workflow", "step", "transaction"
DATASOURCE_CREATE = ("dbos.SQLAlchemyDatasource.create", "dbos.AsyncSQLAlchemyDatasource.create")

# Lifecycle events, in the order a program must reach them.
CONSTRUCT = "construct"
DATASOURCE = "datasource"
LISTEN_QUEUES = "listen_queues"
RESET_SYSTEM_DATABASE = "reset_system_database"
LAUNCH = "launch"
REGISTER_QUEUE = "register_queue"
RUN_WORKFLOW = "run_workflow"
SCHEDULE = "schedule"
DESTROY = "destroy"

_EVENT_OF_CALL = {
    DBOS: CONSTRUCT,
    **{name: DATASOURCE for name in DATASOURCE_CREATE},
    f"{DBOS}.listen_queues": LISTEN_QUEUES,
    f"{DBOS}.reset_system_database": RESET_SYSTEM_DATABASE,
    f"{DBOS}.launch": LAUNCH,
    f"{DBOS}.destroy": DESTROY,
    **{f"{DBOS}.{name}": REGISTER_QUEUE for name in ("register_queue", "register_queue_async")},
    **{
        f"{DBOS}.{name}{suffix}": RUN_WORKFLOW
        for name in ("start_workflow", "enqueue_workflow", "enqueue_workflow_with_options")
        for suffix in ("", "_async")
    },
    **{
        f"{DBOS}.{name}{suffix}": SCHEDULE
        for name in ("apply_schedules", "create_schedule")
        for suffix in ("", "_async")
    },
}

_BUILTINS = frozenset(dir(builtins))
_SCOPE_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_SCOPE_SET = frozenset(_SCOPE_TYPES)


@dataclass(eq=False)
class Scope:
    """A module, function, lambda or class body: the names it binds and the nodes that are its own."""

    node: ScopeNode
    parent: Optional["Scope"]
    imports: dict[str, str] = field(default_factory=dict)
    """Names this scope binds by an import, with the dotted name each refers to."""
    bound: set[str] = field(default_factory=set)
    """Names this scope binds otherwise (assignment, parameter, def, loop target...)."""
    declared_global: set[str] = field(default_factory=set)
    """Names declared ``global``: they refer to the module's binding."""
    declared_nonlocal: set[str] = field(default_factory=set)
    """Names declared ``nonlocal``: they refer to an enclosing function's binding."""
    nodes: list[ast.AST] = field(default_factory=list)
    """Every node of this scope's own body, nested scopes excluded, in source order."""

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    def enclosing_function(self) -> Optional["Function"]:
        """The nearest function scope (this one included), or None at module level."""
        scope: Optional[Scope] = self
        while scope is not None and not isinstance(scope, Function):
            scope = scope.parent
        return scope


@dataclass(eq=False)
class Function(Scope):
    """A ``def`` or ``async def`` and what DBOS makes of it."""

    kind: Optional[str] = None
    """``workflow``, ``step``, ``transaction`` or None."""
    decorator: Optional[ast.expr] = None
    """The DBOS decorator expression (a Call when it has arguments)."""
    class_name: Optional[str] = None
    """The class it is a method of, when it is defined directly in a class body."""

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef)

    @property
    def parameters(self) -> list[str]:
        args = self.node.args
        return [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]

    @property
    def takes_var_keywords(self) -> bool:
        return self.node.args.kwarg is not None

    def decorator_keywords(self) -> dict[str, ast.expr]:
        """The keyword arguments of the DBOS decorator call (empty for a bare decorator)."""
        return keywords(self.decorator) if isinstance(self.decorator, ast.Call) else {}

    def calls(self) -> Iterator[ast.Call]:
        return (n for n in self.nodes if isinstance(n, ast.Call))


@dataclass(frozen=True)
class Event:
    """A DBOS lifecycle call in a body, in source order."""

    kind: str
    node: ast.Call
    name: str
    """The dotted name of the call (or the workflow's name for a direct call)."""


class Module:
    """A parsed file and everything the checks need to know about it, worked out once."""

    def __init__(self, tree: ast.Module, source: str = "", path: str = "<string>"):
        self.tree = tree
        self.source = source
        self.path = path
        self.scope = Scope(tree, None)
        self.scopes: list[Scope] = [self.scope]
        self.functions: list[Function] = []
        self.classes: dict[str, ast.ClassDef] = {}
        self._scope_of: dict[int, Scope] = {}
        self.attributes: dict[str, list[ast.Attribute]] = {}
        """Every ``x.name`` expression of the file, by ``name``."""
        self._build(self.scope, tree.body)
        self._module_functions = {f.name: f for f in self.functions if f.parent is self.scope}
        self._methods = {(f.class_name, f.name): f for f in self.functions if f.class_name}
        self._resolved: dict[tuple[int, str], Optional[str]] = {}
        self._call_names: dict[int, Optional[str]] = {}
        self.calls_by_name: dict[str, list[ast.Call]] = {}
        """Every call of the file whose callee resolves, by the callee's dotted name, in source order."""
        self._index_calls()
        self.datasources = self._find_datasources()
        for function in self.functions:
            self._classify(function)
        self._classify_wrapped()
        self._events: dict[int, list[Event]] = {}

    # --- building the scopes ------------------------------------------------------------------------------------

    def _build(self, scope: Scope, body: list[ast.stmt]) -> None:
        """Record the nodes of ``body`` (depth first, in source order) and the names they bind in ``scope``."""
        nodes, scope_of, binders, attributes = scope.nodes, self._scope_of, _BINDERS, self.attributes
        stack: list = list(reversed(body))
        pop, push, record = stack.pop, stack.append, nodes.append
        Name, Constant, Attribute, AST = ast.Name, ast.Constant, ast.Attribute, ast.AST
        while stack:
            node = pop()
            kind = type(node)
            record(node)
            scope_of[id(node)] = scope
            if kind is Name:
                if type(node.ctx) is not ast.Load:
                    scope.bound.add(node.id)
                continue
            if kind is Constant:
                continue
            if kind in _SCOPE_SET:
                self._enter(scope, node)
                continue
            if kind is Attribute:
                attributes.setdefault(node.attr, []).append(node)
                push(node.value)
                continue
            binder = binders.get(kind)
            if binder is not None:
                binder(scope, node)
            for name in _child_fields_reversed(kind):
                value = getattr(node, name, None)
                if type(value) is list:
                    for item in reversed(value):
                        if isinstance(item, AST):
                            push(item)
                elif value is not None and isinstance(value, AST):
                    push(value)

    def _enter(self, scope: Scope, node: ast.AST) -> None:
        """A nested scope: its decorators, defaults and bases run in ``scope``; its body gets a scope of its own."""
        outer: list[ast.AST] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.bound.add(node.name)
            outer += node.decorator_list
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            outer += [d for d in [*args.defaults, *args.kw_defaults] if d is not None]
        if isinstance(node, ast.ClassDef):
            outer += [*node.bases, *(k.value for k in node.keywords)]
        for child in outer:
            self._build_expression(scope, child)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            class_name = scope.node.name if scope.is_class else None  # type: ignore[union-attr]
            inner: Scope = Function(node, scope, class_name=class_name)
            self.functions.append(inner)  # type: ignore[arg-type]
        else:
            inner = Scope(node, scope)
            if isinstance(node, ast.ClassDef) and scope is self.scope:
                self.classes[node.name] = node
        self.scopes.append(inner)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            inner.bound.update(a.arg for a in every if a is not None)
            for a in every:
                if a is not None and a.annotation is not None:
                    self._build_expression(scope, a.annotation)
            if not isinstance(node, ast.Lambda) and node.returns is not None:
                self._build_expression(scope, node.returns)
        body = node.body if isinstance(node.body, list) else [node.body]  # a lambda's body is one expression
        self._build(inner, body)  # type: ignore[arg-type]

    def _build_expression(self, scope: Scope, node: ast.AST) -> None:
        self._build(scope, [node])  # type: ignore[list-item]

    # --- names --------------------------------------------------------------------------------------------------

    def scope_of(self, node: ast.AST) -> Scope:
        """The scope whose own body holds ``node``."""
        return self._scope_of.get(id(node), self.scope)

    def resolve_name(self, name: str, scope: Scope) -> Optional[str]:
        """The dotted name a bare name refers to in ``scope`` (None for a local variable or an unknown name).

        An import is trusted only when the scope that imports the name binds it no other way.
        """
        key = (id(scope), name)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(name, scope)
        return self._resolved[key]

    def _resolve(self, name: str, scope: Scope) -> Optional[str]:
        current: Optional[Scope] = scope
        while current is not None:
            if name in current.declared_global and current is not self.scope:
                current = self.scope
                continue
            if (current.is_class and current is not scope) or name in current.declared_nonlocal:
                current = current.parent  # class bodies are not visible from their methods
                continue
            if name in current.imports:
                return None if name in current.bound else current.imports[name]
            if name in current.bound:
                return None
            current = current.parent
        return f"builtins.{name}" if name in _BUILTINS else None

    def qualname(self, node: ast.AST, scope: Optional[Scope] = None) -> Optional[str]:
        """The dotted name an expression refers to: ``D.sleep`` -> ``dbos.DBOS.sleep`` (None when unknown)."""
        if scope is None:
            scope = self.scope_of(node)
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self.resolve_name(node.id, scope)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])

    def _index_calls(self) -> None:
        for scope in self.scopes:
            for node in scope.nodes:
                if type(node) is ast.Call:
                    name = self.qualname(node.func, scope)  # type: ignore[attr-defined]
                    self._call_names[id(node)] = name
                    if name is not None:
                        self.calls_by_name.setdefault(name, []).append(node)  # type: ignore[arg-type]

    def call_name(self, call: ast.Call) -> Optional[str]:
        """The dotted name of the function a call calls (None when unknown)."""
        key = id(call)
        if key in self._call_names:
            return self._call_names[key]
        return self.qualname(call.func, self.scope_of(call))

    def calls_to(self, *names: str) -> list[ast.Call]:
        """The calls of any of these dotted names, in source order within each name."""
        return [call for name in names for call in self.calls_by_name.get(name, ())]

    def may_refer_to(self, *names: str) -> bool:
        """False when no import of the file can lead to any of these dotted names (a cheap guard for checks)."""
        if not hasattr(self, "_imported"):
            self._imported = {target for scope in self.scopes for target in scope.imports.values()}
        for name in names:
            parts = name.split(".")
            if any(".".join(parts[:end]) in self._imported for end in range(1, len(parts) + 1)):
                return True
        return False

    def calls_any(self, *names: str) -> bool:
        """True when the file calls any of these dotted names."""
        return any(name in self.calls_by_name for name in names)

    def local_function(self, node: ast.AST, scope: Optional[Scope] = None) -> Optional[Function]:
        """The function of this file an expression refers to: ``name``, ``self.name``, ``cls.name``, ``Class.name``."""
        if scope is None:
            scope = self.scope_of(node)
        if isinstance(node, ast.Name):
            owner = self.owner_of(node.id, scope)
            return self._module_functions.get(node.id) if owner is self.scope else None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            base = node.value.id
            function = scope.enclosing_function()
            if base in ("self", "cls") and function is not None and function.class_name:
                return self._methods.get((function.class_name, node.attr))
            if base in self.classes and self.owner_of(base, scope) is self.scope:
                return self._methods.get((base, node.attr))
        return None

    def owner_of(self, name: str, scope: Scope) -> Optional[Scope]:
        """The scope that binds ``name`` as seen from ``scope`` (None when nothing binds it, e.g. a builtin)."""
        current: Optional[Scope] = scope
        while current is not None:
            if name in current.declared_global:
                return self.scope
            if (current.is_class and current is not scope) or name in current.declared_nonlocal:
                current = current.parent
                continue
            if name in current.bound or name in current.imports:
                return current
            current = current.parent
        return None

    # --- what DBOS makes of each function -----------------------------------------------------------------------

    def _find_datasources(self) -> set[str]:
        """Module-level names assigned a ``SQLAlchemyDatasource.create(...)`` (awaited or not)."""
        names = set()
        for node in self.scope.nodes:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                value = unawait(node.value)
                if isinstance(value, ast.Call) and self.call_name(value) in DATASOURCE_CREATE:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    names.update(t.id for t in targets if isinstance(t, ast.Name))
        return names

    def decorator_kind(self, decorator: ast.expr, scope: Scope) -> Optional[str]:
        """``workflow``, ``step`` or ``transaction`` for a DBOS decorator, else None."""
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = self.qualname(target, scope)
        if name in (f"{DBOS}.workflow", f"{DBOS}.scheduled"):
            return WORKFLOW
        if name == f"{DBOS}.step":
            return STEP
        if name == f"{DBOS}.transaction":
            return TRANSACTION
        if (
            isinstance(target, ast.Attribute)
            and target.attr == "transaction"
            and isinstance(target.value, ast.Name)
            and target.value.id in self.datasources
            and self.owner_of(target.value.id, scope) is self.scope
        ):
            return TRANSACTION
        return None

    def _classify(self, function: Function) -> None:
        for decorator in function.node.decorator_list:
            kind = self.decorator_kind(decorator, function.parent)  # type: ignore[arg-type]
            if kind:
                function.kind, function.decorator = kind, decorator
                return

    def _classify_wrapped(self) -> None:
        """``DBOS.workflow()(fn)`` and ``DBOS.step()(fn)`` at module level make ``fn`` a workflow or a step."""
        for node in self.scope.nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Call) and node.args:
                kind = self.decorator_kind(node.func, self.scope)
                function = self.local_function(node.args[0], self.scope)
                if kind and function is not None and function.kind is None:
                    function.kind, function.decorator = kind, node.func

    def functions_of_kind(self, kind: str) -> list[Function]:
        return [f for f in self.functions if f.kind == kind]

    def function_for(self, node: ast.AST) -> Optional[Function]:
        """The innermost function whose own body holds ``node`` (lambdas and classes inside it count as it)."""
        return self.scope_of(node).enclosing_function()

    def workflow_of(self, call: ast.Call) -> Optional[Function]:
        """The workflow of this file that a call calls directly, or None."""
        function = self.local_function(call.func, self.scope_of(call))
        return function if function is not None and function.kind == WORKFLOW else None

    # --- lifecycle order ----------------------------------------------------------------------------------------

    def events(self, scope: Scope) -> list[Event]:
        """The DBOS lifecycle calls of a body in source order (module level includes ``if __name__ == ...``)."""
        key = id(scope)
        if key not in self._events:
            found = []
            for node in scope.nodes:
                if not isinstance(node, ast.Call):
                    continue
                name = self.call_name(node)
                kind = _EVENT_OF_CALL.get(name or "")
                workflow = None if kind else self.workflow_of(node)
                if kind:
                    found.append(Event(kind, node, name or ""))
                elif workflow is not None:
                    found.append(Event(RUN_WORKFLOW, node, workflow.name))
            self._events[key] = found
        return self._events[key]

    def bodies(self) -> list[Scope]:
        """The module and every function: the bodies whose statements run in order."""
        return [self.scope, *self.functions]

    def is_main_guard(self, node: ast.AST) -> bool:
        """``if __name__ == "__main__":`` (either side)."""
        if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
            return False
        test = node.test
        if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
            return False
        sides = [test.left, test.comparators[0]]
        names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
        strings = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
        return len(names) == 1 and len(strings) == 1

    def under_main_guard(self, node: ast.AST) -> bool:
        """True when a module-level node sits inside an ``if __name__ == "__main__":`` block."""
        for guard in self._main_guards():
            if guard.lineno <= node.lineno <= (guard.end_lineno or guard.lineno) and node is not guard:
                return True
        return False

    def _main_guards(self) -> list[ast.If]:
        if not hasattr(self, "_guards"):
            self._guards = [n for n in self.scope.nodes if self.is_main_guard(n)]
        return self._guards

    def memo(self, key: tuple, compute: Callable[[], _T]) -> _T:
        """``compute()`` the first time ``key`` is asked of this file, the same answer after: for facts a check
        derives and asks again for many nodes (a key starts with the name of what it caches)."""
        if not hasattr(self, "_memo"):
            self._memo: dict[tuple, object] = {}
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    @property
    def parents(self) -> dict[int, ast.AST]:
        """Each node's parent, by node id (worked out on first use: few checks need it)."""
        if not hasattr(self, "_parents"):
            self._parents = {id(child): node for node in ast.walk(self.tree) for child in ast.iter_child_nodes(node)}
        return self._parents

    @property
    def mentions_dbos(self) -> bool:
        return any(q == "dbos" or q.startswith("dbos.") for s in self.scopes for q in s.imports.values())


def _bind_import(scope: Scope, node: ast.Import) -> None:
    for alias in node.names:
        if alias.asname:
            scope.imports[alias.asname] = alias.name
        else:
            top = alias.name.split(".", 1)[0]
            scope.imports[top] = top


def _bind_import_from(scope: Scope, node: ast.ImportFrom) -> None:
    if node.module and not node.level:
        for alias in node.names:
            if alias.name != "*":
                scope.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    else:
        scope.bound.update(alias.asname or alias.name for alias in node.names)


def _bind_global(scope: Scope, node: ast.Global) -> None:
    scope.declared_global.update(node.names)


def _bind_nonlocal(scope: Scope, node: ast.Nonlocal) -> None:
    scope.declared_nonlocal.update(node.names)


def _bind_handler_name(scope: Scope, node: ast.AST) -> None:
    name = getattr(node, "name", None)
    if name:
        scope.bound.add(name)


_BINDERS = {
    ast.Import: _bind_import,
    ast.ImportFrom: _bind_import_from,
    ast.Global: _bind_global,
    ast.Nonlocal: _bind_nonlocal,
    ast.ExceptHandler: _bind_handler_name,
    ast.MatchAs: _bind_handler_name,
    ast.MatchStar: _bind_handler_name,
}
"""What each node type binds in its scope."""
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "type_comment", "type_ignores"})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields_reversed(kind: type) -> tuple[str, ...]:
    """The fields of a node type that can hold child nodes, last first (they are pushed on a stack)."""
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(reversed([f for f in kind._fields if f not in _NOT_CHILDREN]))
    return fields


def literal(node: Optional[ast.AST]) -> object:
    """The value of a literal expression (numbers, strings, True/False/None, -x), or the ``NOT_LITERAL`` marker."""
    if node is None:
        return NOT_LITERAL
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return NOT_LITERAL


class _NotLiteral:
    def __repr__(self) -> str:
        return "NOT_LITERAL"


NOT_LITERAL = _NotLiteral()


def string_key_dict(
    module: "Module", node: Optional[ast.AST], constructors: tuple[str, ...] = ("builtins.dict",)
) -> Optional[dict[str, ast.expr]]:
    """The entries of a dict display whose keys are all string constants (no ``**spread``), or of a call of one of
    ``constructors`` (dotted names) with keyword arguments only (no ``**kwargs``); None for anything else."""
    if isinstance(node, ast.Dict):
        entries: dict[str, ast.expr] = {}
        for key, value in zip(node.keys, node.values):
            if key is None or not isinstance(key, ast.Constant) or not isinstance(key.value, str):
                return None
            entries[key.value] = value
        return entries
    if isinstance(node, ast.Call) and not node.args and all(k.arg for k in node.keywords):
        if module.call_name(node) in constructors:
            return keywords(node)
    return None


def keywords(call: ast.Call) -> dict[str, ast.expr]:
    """A call's keyword arguments by name (``**kwargs`` left out)."""
    return {k.arg: k.value for k in call.keywords if k.arg}


def dbos_method(module: "Module", call: ast.Call) -> Optional[str]:
    """``start_workflow`` for a call of ``DBOS.start_workflow`` (however DBOS is imported), else None."""
    name = module.call_name(call)
    if name and name.startswith(DBOS + ".") and name.count(".") == 2:
        return name.rsplit(".", 1)[1]
    return None


def unawait(node: Optional[ast.AST]) -> Optional[ast.AST]:
    """The awaited expression of ``await x``, else the node itself."""
    return node.value if isinstance(node, ast.Await) else node


def argument(call: ast.Call, position: int, name: str) -> Optional[ast.expr]:
    """The argument passed at ``position`` or as ``name=`` (None when absent or hidden behind ``*args``)."""
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return None
        if index == position:
            return arg
    return keywords(call).get(name)


def has_star_args(call: ast.Call) -> bool:
    """True when a call passes ``*args`` or ``**kwargs``: its arguments cannot be known."""
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)

"""Checks of where and in which order a program configures, launches and shuts down DBOS.

The order checks read ``module.events(body)`` for the module body and for each function body. A body is judged
only when it launches DBOS (``DBOS.launch()``, or a call of a function of this file that does); ``DBOS.destroy()``
(or a call that may destroy: see ``may_destroy``) ends one launch cycle, and the next one is judged afresh.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Iterator, Optional

from ..model import Report, check
from ..semantic import (
    CONSTRUCT,
    DATASOURCE,
    DBOS,
    DESTROY,
    LAUNCH,
    REGISTER_QUEUE,
    RESET_SYSTEM_DATABASE,
    RUN_WORKFLOW,
    SCHEDULE,
    Event,
    Module,
    Scope,
    NOT_LITERAL,
    argument,
    literal,
)

DBOS_CONFIG = "dbos.DBOSConfig"
REMOVED_CONFIG_KEYS = ("database_url", "application_database_url")
APP_NAME_RE = re.compile("^[a-z0-9-_]+$")  # dbos._dbos_config._is_valid_app_name, with its 3..256 length bounds
REMOVED_INTEGRATIONS = ("fastapi", "flask")


# --- helpers shared by this group's checks (lifecycle, queue, pattern) ------------------------------------------


def lifecycle_stream(module: Module, body: Scope) -> list[Event]:
    """A body's lifecycle events in source order, plus the calls of this file's functions that launch DBOS (as
    launches) and the calls that may shut it down (as destroys: see ``may_destroy``)."""
    events = {id(e.node): e for e in module.events(body)}
    stream = []
    for node in body.nodes:
        if not isinstance(node, ast.Call):
            continue
        event = events.get(id(node))
        if event is not None:
            stream.append(event)
        elif may_destroy(module, node):
            stream.append(Event(DESTROY, node, "a call that may destroy DBOS"))
        elif _may_launch(module, node):
            stream.append(Event(LAUNCH, node, "a call that launches DBOS"))
    return stream


def launch_cycles(events: list[Event]) -> Iterator[list[Event]]:
    """The events of a body split at each destroy: each part is one configure-launch-use cycle."""
    cycle: list[Event] = []
    for event in events:
        if event.kind == DESTROY:
            yield cycle
            cycle = []
        else:
            cycle.append(event)
    yield cycle


def before_and_after_launch(module: Module) -> Iterator[tuple[list[Event], list[Event]]]:
    """For each body and launch cycle that launches DBOS: the events before and after its first launch."""
    if not module.calls_any(f"{DBOS}.launch"):
        return
    for body in module.bodies():
        for cycle in launch_cycles(lifecycle_stream(module, body)):
            for index, event in enumerate(cycle):
                if event.kind == LAUNCH:
                    yield cycle[:index], cycle[index + 1 :]
                    break


def reaching(module: Module, direct: Callable[[Module, ast.Call], bool]) -> set[int]:
    """The ids of this file's functions that make a ``direct`` call themselves or call (transitively) one of this
    file's functions that does; worked out once per file and predicate."""

    def compute() -> set[int]:
        found = {id(f) for f in module.functions if any(direct(module, call) for call in f.calls())}
        grown = True
        while grown:
            grown = False
            for function in module.functions:
                if id(function) not in found and any(
                    id(callee) in found for call in function.calls() if (callee := module.local_function(call.func))
                ):
                    found.add(id(function))
                    grown = True
        return found

    return module.memo(("reaching", direct), compute)


def _calls_local_reaching(module: Module, call: ast.Call, direct: Callable[[Module, ast.Call], bool]) -> bool:
    function = module.local_function(call.func)
    return function is not None and id(function) in reaching(module, direct)


def _launches(module: Module, call: ast.Call) -> bool:
    return module.call_name(call) == f"{DBOS}.launch"


def _may_launch(module: Module, call: ast.Call) -> bool:
    """True when a call of a function of this file (transitively) calls ``DBOS.launch()``."""
    return _calls_local_reaching(module, call, _launches)


def constant_string(module: Module, node: Optional[ast.AST]) -> Optional[str]:
    """A string literal, or a name assigned a string literal once (and bound no other way); else None."""
    if node is None:
        return None
    value = literal(node)
    if isinstance(value, str):
        return value
    bound = single_assignment(module, node) if isinstance(node, ast.Name) else None
    if bound is not None:
        value = literal(bound)
        if isinstance(value, str):
            return value
    return None


def number(node: Optional[ast.AST]) -> Optional[float]:
    """The value of a numeric literal or of arithmetic on numeric literals (``3 * 24 * 3600``), else None."""
    if node is None:
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, right = number(node.left), number(node.right)
        if left is None or right is None:
            return None
        try:
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            return left / right
        except (ZeroDivisionError, OverflowError):
            return None
    value = literal(node)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def statement_of(module: Module, node: ast.AST) -> Optional[ast.stmt]:
    """The innermost statement holding ``node``."""
    parent_of = module.parents
    current: Optional[ast.AST] = node
    while current is not None and not isinstance(current, ast.stmt):
        current = parent_of.get(id(current))
    return current  # type: ignore[return-value]


def block_of(module: Module, statement: ast.stmt) -> Optional[tuple[int, int]]:
    """(id of the statement list that directly holds ``statement``, its index there)."""
    parent = module.parents.get(id(statement))
    if parent is None:
        return None
    for field in ("body", "orelse", "finalbody", "handlers"):
        block = getattr(parent, field, None)
        if isinstance(block, list):
            for index, item in enumerate(block):
                if item is statement:
                    return id(block), index
    return None


def inside_try(module: Module, node: ast.AST, stop: ast.AST) -> bool:
    """True when ``node`` sits in the body of a ``try`` (with handlers) below ``stop``."""
    parent_of = module.parents
    child: ast.AST = node
    current = parent_of.get(id(node))
    while current is not None and current is not stop:
        if isinstance(current, ast.Try) and current.handlers and any(child is s for s in current.body):
            return True
        child, current = current, parent_of.get(id(current))
    return False


# --- checks ------------------------------------------------------------------------------------------------------


@check("lifecycle-launch-in-main")
def launch_at_import_time(module: Module) -> Iterator[Report]:
    """``DBOS(...)`` or ``DBOS.launch()`` at module level, outside ``if __name__ == "__main__":``."""
    for event in module.events(module.scope):
        if event.kind in (CONSTRUCT, LAUNCH) and not module.under_main_guard(event.node):
            what = "DBOS(...)" if event.kind == CONSTRUCT else "DBOS.launch()"
            yield event.node, f"{what} runs at import time: call it in main() or under if __name__ == \"__main__\":"


USES_BEFORE_LAUNCH = {
    REGISTER_QUEUE: "registering a queue",
    SCHEDULE: "applying or creating a schedule",
    RUN_WORKFLOW: "running a workflow",
}


@check("lifecycle-after-launch")
def system_database_used_before_launch(module: Module) -> Iterator[Report]:
    """``register_queue`` / ``apply_schedules`` / ``create_schedule`` / a workflow start, enqueue or call, earlier
    in the same body than the ``DBOS.launch()`` (or launching helper call) that follows it, with no destroy between."""
    for before, _ in before_and_after_launch(module):
        for event in before:
            if event.kind in USES_BEFORE_LAUNCH:
                yield event.node, (
                    f"{USES_BEFORE_LAUNCH[event.kind]} before DBOS.launch() raises DBOSException: "
                    "move it after DBOS.launch()"
                )


@check("lifecycle-before-launch")
def configured_after_launch(module: Module) -> Iterator[Report]:
    """``SQLAlchemyDatasource.create`` / ``AsyncSQLAlchemyDatasource.create`` / ``DBOS.reset_system_database()``
    later in the same body than ``DBOS.launch()`` (or a launching helper call), with no destroy between."""
    for _, after in before_and_after_launch(module):
        for event in after:
            if event.kind == DATASOURCE:
                yield event.node, "a datasource created after DBOS.launch() raises DBOSException: create it before launch"
            elif event.kind == RESET_SYSTEM_DATABASE:
                yield event.node, "reset_system_database() after DBOS.launch() fails: call it between DBOS(config=...) and launch"


def dbos_constructions(module: Module) -> Iterator[ast.Call]:
    """Every ``DBOS(...)`` call of the file."""
    return iter(module.calls_to(DBOS))


@check("lifecycle-fastapi-lifespan")
def removed_framework_argument(module: Module) -> Iterator[Report]:
    """``DBOS(fastapi=...)`` or ``DBOS(flask=...)``: DBOS 3 takes neither (TypeError)."""
    for call in dbos_constructions(module):
        for keyword in call.keywords:
            if keyword.arg in REMOVED_INTEGRATIONS:
                yield keyword.value, (
                    f"DBOS({keyword.arg}=...) raises TypeError in DBOS 3: call DBOS(config=...) and DBOS.launch() in "
                    "the app's startup (FastAPI lifespan) and DBOS.destroy() at shutdown"
                )


def single_assignment(module: Module, name: ast.Name) -> Optional[ast.expr]:
    """The value of the only binding of ``name`` in the scope that binds it, when that binding is a plain
    ``name = value`` (or ``name: T = value``); None when it is bound any other way or more than once."""
    scope = module.scope_of(name)
    current: Optional[Scope] = scope
    while current is not None:
        if current.is_class and current is not scope:
            current = current.parent
            continue
        if name.id in current.declared_global:
            if current is not module.scope:
                return None  # global / nonlocal: rebound from elsewhere
        if name.id in current.imports:
            return None
        if name.id in current.bound:
            break
        current = current.parent
    if current is None:
        return None
    return module.memo(("single-assignment", name.id, id(current)), lambda: _only_plain_assignment(module, name.id, current))


def _only_plain_assignment(module: Module, name: str, current: Scope) -> Optional[ast.expr]:
    """``single_assignment`` of ``name`` in ``current``, the scope that binds it."""
    if current is module.scope and any(name in s.declared_global for s in module.scopes if s is not module.scope):
        return None  # some function rebinds it with ``global``
    stores = [n for n in current.nodes if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)]
    others = [
        n
        for n in current.nodes
        if (isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name)
        or (isinstance(n, ast.ExceptHandler) and n.name == name)
        or (isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name == name)
    ]
    if isinstance(current.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = current.node.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        if any(a is not None and a.arg == name for a in every):
            return None
    if len(stores) != 1 or others:
        return None
    for node in current.nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and node.targets[0] is stores[0]:
            return node.value
        if isinstance(node, ast.AnnAssign) and node.target is stores[0]:
            return node.value
    return None


def config_dicts(module: Module) -> Iterator[tuple[ast.AST, bool]]:
    """Literal DBOS configs: (a ``{...}`` or a ``DBOSConfig(...)`` call, whether it is passed to DBOS() directly)."""
    seen: set[int] = set()
    for call in dbos_constructions(module):
        config = argument(call, 0, "config")
        direct = isinstance(config, ast.Dict)
        if isinstance(config, ast.Name):
            config = single_assignment(module, config)
        if isinstance(config, (ast.Dict, ast.Call)) and id(config) not in seen:
            if isinstance(config, ast.Dict) or module.call_name(config) == DBOS_CONFIG:
                seen.add(id(config))
                yield config, direct
    if not module.may_refer_to(DBOS_CONFIG):
        return
    for scope in module.scopes:
        for node in scope.nodes:
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.value, ast.Dict)
                and module.qualname(node.annotation, scope) == DBOS_CONFIG
                and id(node.value) not in seen
            ):
                seen.add(id(node.value))
                yield node.value, False
            elif isinstance(node, ast.Call) and module.call_name(node) == DBOS_CONFIG and id(node) not in seen:
                seen.add(id(node))
                yield node, False


def config_entries(config: ast.AST) -> Optional[dict[str, tuple[ast.AST, ast.expr]]]:
    """The keys a literal config surely ends up with: key -> (key node, value), keys overridable by ``**`` left out.

    None when the config has a positional argument we cannot read (``DBOSConfig(other)``).
    """
    entries: dict[str, tuple[ast.AST, ast.expr]] = {}
    if isinstance(config, ast.Dict):
        for key, value in zip(config.keys, config.values):
            if key is None:
                entries.clear()  # ``**other`` may override every key written before it
                continue
            name = literal(key)
            if isinstance(name, str):
                entries[name] = (key, value)
        return entries
    assert isinstance(config, ast.Call)
    if config.args:
        return None
    for keyword in config.keywords:
        if keyword.arg is None:
            entries.clear()
        else:
            entries[keyword.arg] = (keyword, keyword.value)
    return entries


def has_unpacking(config: ast.AST) -> bool:
    if isinstance(config, ast.Dict):
        return any(key is None for key in config.keys)
    assert isinstance(config, ast.Call)
    return bool(config.args) or any(k.arg is None for k in config.keywords)


MUTATING_METHODS = ("update", "pop", "popitem", "setdefault", "clear", "__setitem__", "__delitem__")


def _changed_later(module: Module, config: ast.AST) -> bool:
    """True when the config is assigned to a name that the file changes in place (``config["name"] = ...``,
    ``config.update(...)``, ``del config[...]``): its literal keys are not the final ones."""
    parent = module.parents.get(id(config))
    if isinstance(parent, ast.Assign):
        names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
    elif isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name):
        names = {parent.target.id}
    else:
        return False
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, (ast.Store, ast.Del))
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            return True
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MUTATING_METHODS
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            return True
    return False


@check("lifecycle-config-name-and-database-url")
def invalid_literal_config(module: Module) -> Iterator[Report]:
    """In a literal DBOS config (``{...}`` passed to ``DBOS(config=...)``, annotated ``DBOSConfig``, or
    ``DBOSConfig(...)``): a ``database_url`` / ``application_database_url`` key, a literal ``name`` DBOS 3.4 rejects,
    or (for a dict written inside ``DBOS(config={...})``) no ``name`` at all."""
    for config, direct in config_dicts(module):
        entries = config_entries(config)
        if entries is None or _changed_later(module, config):
            continue
        for key in REMOVED_CONFIG_KEYS:
            if key in entries:
                node, value = entries[key]
                current = literal(value)
                if current is NOT_LITERAL or current:
                    yield node, (
                        f"'{key}' was removed in DBOS 3 (DBOSInitializationError): pass system_database_url, and "
                        "create the app database with SQLAlchemyDatasource.create(url)"
                    )
        if "name" in entries:
            _, value = entries["name"]
            name = literal(value)
            if isinstance(name, str) and not (3 <= len(name) <= 256 and APP_NAME_RE.match(name)):
                yield value, (
                    f"app name {name!r} is rejected (DBOSInitializationError): use 3-256 lower-case letters, "
                    "digits, '-' or '_'"
                )
        elif direct and not has_unpacking(config):
            yield config, "a DBOS config without 'name' raises DBOSInitializationError: add \"name\": \"my-app\""


DESTROYING_WORDS = ("destroy", "shutdown", "shut_down", "teardown", "tear_down", "reset", "cleanup", "clean_up", "stop")


def may_destroy(module: Module, call: ast.Call) -> bool:
    """True when a call may shut DBOS down: ``DBOS.destroy()``, a function of this file that does, or a helper
    whose name says so."""
    return _destroys(module, call) or _calls_local_reaching(module, call, _destroys)


def _destroys(module: Module, call: ast.Call) -> bool:
    """``DBOS.destroy()``, or a call of a helper from elsewhere whose name says it shuts something down (a function
    of this file counts by what it calls: see ``may_destroy``)."""
    name = module.call_name(call) or ""
    if name == f"{DBOS}.destroy":
        return True
    if module.local_function(call.func) is not None:
        return False
    if name == "dbos" or name.startswith("dbos."):
        return False  # a DBOS call other than destroy (reset_system_database does not shut DBOS down)
    last = name.rsplit(".", 1)[-1] if name else (call.func.attr if isinstance(call.func, ast.Attribute) else "")
    return any(word in last.lower() for word in DESTROYING_WORDS)


def _same_arguments(first: ast.Call, second: ast.Call) -> bool:
    """Both calls pass the very same arguments (``DBOS(config=config)`` twice is a harmless no-op)."""
    return ast.dump(ast.Call(ast.Name("f"), first.args, first.keywords)) == ast.dump(
        ast.Call(ast.Name("f"), second.args, second.keywords)
    )


@check("lifecycle-destroy-on-shutdown")
def configured_twice_without_destroy(module: Module) -> Iterator[Report]:
    """A second ``DBOS(config=...)`` with other arguments, in the same block of statements as an earlier one, with
    no ``DBOS.destroy()`` (or call that may destroy) between them: DBOS returns the first instance, ignoring the
    new config."""
    if len(module.calls_to(DBOS)) < 2:
        return
    for body in module.bodies():
        calls = [n for n in body.nodes if isinstance(n, ast.Call)]
        previous: Optional[tuple[ast.Call, tuple[int, int]]] = None
        for index, call in enumerate(calls):
            if may_destroy(module, call):
                previous = None
                continue
            if module.call_name(call) != DBOS:
                continue
            statement = statement_of(module, call)
            block = block_of(module, statement) if statement is not None else None
            if block is None:
                previous = None
                continue
            if (
                previous is not None
                and previous[1][0] == block[0]
                and previous[1][1] < block[1]
                and not _same_arguments(previous[0], call)
            ):
                yield call, (
                    "DBOS(config=...) again without DBOS.destroy() returns the running instance and ignores this "
                    "config: call DBOS.destroy() first"
                )
            previous = (call, block)


ALERT_HANDLER = f"{DBOS}.alert_handler"


def alert_handler_registrations(module: Module, body: Scope) -> Iterator[ast.AST]:
    """The ``DBOS.alert_handler`` expressions of a body that register a handler: ``DBOS.alert_handler(fn)`` and
    ``@DBOS.alert_handler`` on a ``def`` of that body."""
    for node in body.nodes:
        if isinstance(node, ast.Call) and module.call_name(node) == ALERT_HANDLER:
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                if module.qualname(decorator, body) == ALERT_HANDLER:
                    yield decorator


def _follows_in_block(module: Module, earlier: ast.AST, later: ast.AST) -> bool:
    """True when ``later`` runs after ``earlier`` on every path through it: it sits in a statement after
    ``earlier``'s statement, in the same statement list (nested below that statement counts)."""
    statement = statement_of(module, earlier)
    place = block_of(module, statement) if statement is not None else None
    if place is None:
        return False
    current: Optional[ast.AST] = later
    while current is not None:
        if isinstance(current, ast.stmt):
            other = block_of(module, current)
            if other is not None and other[0] == place[0]:
                return other[1] > place[1]
        current = module.parents.get(id(current))
    return False


def _constructs(module: Module, call: ast.Call) -> bool:
    return module.call_name(call) == DBOS


def _may_construct(module: Module, call: ast.Call) -> bool:
    """True when a call is ``DBOS(...)`` or calls a function of this file that (transitively) does."""
    return _constructs(module, call) or _calls_local_reaching(module, call, _constructs)


@check("lifecycle-alert-handler-before-launch")
def alert_handler_out_of_order(module: Module) -> Iterator[Report]:
    """``DBOS.alert_handler`` registered later in the same block than ``DBOS.launch()`` (or a launching helper call)
    with no destroy between; or at module level in a file whose every ``DBOS(...)`` comes later or in a function."""
    if "alert_handler" not in module.attributes:
        return
    reported: set[int] = set()
    for body in module.bodies():
        registrations = list(alert_handler_registrations(module, body))
        if not registrations:
            continue
        order = {id(node): index for index, node in enumerate(body.nodes)}
        events = [e for e in lifecycle_stream(module, body) if e.kind in (LAUNCH, DESTROY)]
        for node in registrations:
            before = [e for e in events if order.get(id(e.node), -1) < order[id(node)]]
            if before and before[-1].kind == LAUNCH and _follows_in_block(module, before[-1].node, node):
                reported.add(id(node))
                yield node, (
                    "DBOS.alert_handler after DBOS.launch() raises DBOSException: register the handler between "
                    "DBOS(config=...) and DBOS.launch()"
                )
    if not module.calls_to(DBOS):
        return
    constructs = [
        n for n in module.scope.nodes if isinstance(n, ast.Call) and _may_construct(module, n)
    ]
    for node in alert_handler_registrations(module, module.scope):
        if id(node) not in reported and not any(c.lineno < node.lineno for c in constructs):
            yield node, (
                "DBOS.alert_handler here runs before this file's DBOS(config=...) (DBOSException: No DBOS was "
                "created yet): call DBOS.alert_handler(fn) after DBOS(config=...) and before DBOS.launch()"
            )

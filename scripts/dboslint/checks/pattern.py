"""Checks of the pattern rules: schedules, debouncers, configured instances, reminders, request IDs."""

from __future__ import annotations

import ast
import os
from typing import Iterator, Optional

from ..model import Report, check
from ..semantic import DBOS, STEP, WORKFLOW, Function, Module, Scope, argument
from .lifecycle import inside_try, number
from .queue import calls_named

SCHEDULED = f"{DBOS}.scheduled"
DBOS_CLASS = f"{DBOS}.dbos_class"
DEBOUNCER = "dbos.Debouncer"
TIMER = "threading.Timer"
SET_WORKFLOW_ID = "dbos.SetWorkflowID"
FRESH_IDS = ("uuid.uuid1", "uuid.uuid4")
CREATE_SCHEDULE = (f"{DBOS}.create_schedule", f"{DBOS}.create_schedule_async")
SCHEDULE_LOOKUPS = (
    f"{DBOS}.delete_schedule", f"{DBOS}.delete_schedule_async",
    f"{DBOS}.get_schedule", f"{DBOS}.get_schedule_async",
    f"{DBOS}.list_schedules", f"{DBOS}.list_schedules_async",
)
LONG_TIMER_SECONDS = 3600.0


def in_test_code(module: Module, node: ast.AST) -> bool:
    """True in a test file (``test_*.py``, ``*_test.py``, ``conftest.py``) or inside a ``test*`` function."""
    base = os.path.basename(module.path)
    if base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py":
        return True
    scope: Optional[Scope] = module.scope_of(node)
    while scope is not None:
        if isinstance(scope, Function) and scope.name.startswith("test"):
            return True
        scope = scope.parent
    return False


@check("pattern-schedules-apply-after-launch")
def scheduled_decorator(module: Module) -> Iterator[Report]:
    """``DBOS.scheduled`` (the removed ``@DBOS.scheduled(cron)`` decorator): AttributeError in DBOS 3."""
    for node in module.attributes.get("scheduled", ()):
        if module.qualname(node) == SCHEDULED:
            yield node, (
                "@DBOS.scheduled is gone in DBOS 3 (AttributeError): take (scheduled_time, context) and call "
                "DBOS.apply_schedules([...]) after DBOS.launch()"
            )


def _classes_registered_by_call(module: Module) -> set[str]:
    """Names of classes passed to a DBOS class decorator without the decorator syntax: ``DBOS.dbos_class()(Cls)``,
    ``DBOS.default_required_roles([...])(Cls)``."""
    names = set()
    for scope in module.scopes:
        for node in scope.nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Call):
                name = module.qualname(node.func.func, scope) or ""
                if name.startswith(f"{DBOS}."):
                    names.update(a.id for a in node.args if isinstance(a, ast.Name))
    return names


@check("pattern-configured-instance-classes")
def instance_workflow_on_unregistered_class(module: Module) -> Iterator[Report]:
    """A ``@DBOS.workflow()`` method whose first parameter is ``self`` in a class with no DBOS class decorator
    (``@DBOS.dbos_class()``, ``@DBOS.default_required_roles()``), no unknown decorator, and no
    ``DBOS.dbos_class()(Cls)`` call in the file: calling it raises."""
    methods = [w for w in module.functions_of_kind(WORKFLOW) if w.class_name]
    registered = _classes_registered_by_call(module) if methods else set()
    for workflow in methods:
        if not workflow.class_name or workflow.class_name in registered:
            continue
        parameters = [*workflow.node.args.posonlyargs, *workflow.node.args.args]
        if not parameters or parameters[0].arg != "self":
            continue
        outer = workflow.parent
        if outer is None or not isinstance(outer.node, ast.ClassDef) or outer.node.keywords:
            continue  # (a metaclass may register the class)
        names = [module.qualname(d.func if isinstance(d, ast.Call) else d, outer.parent) for d in outer.node.decorator_list]
        if any(name is None or name == "dbos" or name.startswith("dbos.") for name in names):
            continue  # @DBOS.dbos_class() or @DBOS.default_required_roles(...) register it; or one we cannot see into
        if any(
            module.qualname(d.func if isinstance(d, ast.Call) else d, outer) in ("builtins.staticmethod", "builtins.classmethod")
            for d in workflow.node.decorator_list
        ):
            continue
        yield workflow.decorator or workflow.node, (
            f"workflow method {workflow.name}(self, ...) on a class without @DBOS.dbos_class() raises when called: "
            f"decorate {outer.node.name} with @DBOS.dbos_class() and extend DBOSConfiguredInstance"
        )


@check("pattern-debounce-with-debouncer-create")
def debouncer_given_a_function(module: Module) -> Iterator[Report]:
    """``Debouncer(fn)`` (``dbos.Debouncer``) with a function of this file or a lambda: the constructor wants a
    workflow name."""
    for call in calls_named(module, (DEBOUNCER,)):
        target = argument(call, 0, "workflow_name")
        if isinstance(target, ast.Lambda) or (target is not None and module.local_function(target) is not None):
            yield call, "Debouncer(...) takes a workflow name and fails on first use: build it with Debouncer.create(workflow_fn, ...)"


@check("pattern-durable-reminder-sleep")
def long_in_process_timer(module: Module) -> Iterator[Report]:
    """``threading.Timer(seconds, ...)`` with a literal delay of an hour or more: it dies with the process."""
    for call in calls_named(module, (TIMER,)):
        seconds = number(argument(call, 0, "interval"))
        if seconds is not None and seconds >= LONG_TIMER_SECONDS:
            yield call, (
                "an in-process timer is lost on every restart: enqueue the work with "
                "SetEnqueueOptions(delay_seconds=...) under a deterministic workflow ID"
            )


@check("pattern-request-id-as-workflow-id")
def fresh_uuid_as_workflow_id(module: Module) -> Iterator[Report]:
    """``SetWorkflowID(...)`` whose argument calls ``uuid.uuid4()`` / ``uuid.uuid1()``, outside test code: a new ID
    per call deduplicates nothing."""
    for call in calls_named(module, (SET_WORKFLOW_ID,)):
        value = argument(call, 0, "workflow_id")
        if value is None or in_test_code(module, call):
            continue
        scope = module.scope_of(call)
        if any(isinstance(n, ast.Call) and module.qualname(n.func, scope) in FRESH_IDS for n in ast.walk(value)):
            yield value, (
                "a fresh uuid per call makes every retry a new workflow: derive the ID from the caller's request or "
                "idempotency key (e.g. f\"place-order-{idempotency_key}\")"
            )


@check("pattern-schedules-idempotent-registration")
def static_schedule_created_at_startup(module: Module) -> Iterator[Report]:
    """``DBOS.create_schedule(schedule_name="literal", ...)`` outside workflows, steps, functions they call, ``try``
    bodies and test code, in a body that never looks the schedule up or deletes it: the next start raises
    "already exists"."""
    durable_callees = {
        callee
        for durable in module.functions
        if durable.kind in (WORKFLOW, STEP)
        for inner in durable.calls()
        for callee in [module.local_function(inner.func)]
        if callee is not None
    }
    for call in calls_named(module, CREATE_SCHEDULE):
        name = argument(call, -1, "schedule_name")
        if not isinstance(name, ast.Constant) or not isinstance(name.value, str):
            continue
        function = module.function_for(call)
        if in_test_code(module, call) or (
            function is not None and (function.kind in (WORKFLOW, STEP) or function in durable_callees)
        ):
            continue
        body = function if function is not None else module.scope
        if inside_try(module, call, body.node):
            continue
        if any(isinstance(n, ast.Call) and module.call_name(n) in SCHEDULE_LOOKUPS for n in body.nodes):
            continue
        yield call, (
            f"create_schedule raises once {name.value!r} exists (the next start or replica): register static "
            "schedules with DBOS.apply_schedules([...]), an upsert"
        )


# --- pattern-required-roles-set-auth ------------------------------------------------------------------------------

SET_AUTHENTICATION = f"{DBOS}.set_authentication"
ROUTE_DECORATORS = frozenset({
    "get", "post", "put", "patch", "delete", "head", "options", "route", "api_route", "websocket", "middleware",
})
"""``@app.post("/x")``, ``@router.get(...)``, ``@bp.route(...)``, ``@app.middleware("http")``: the web framework
calls these functions, never from inside a DBOS context."""


def _is_route_handler(function: Function) -> bool:
    for decorator in function.node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in ROUTE_DECORATORS
            and isinstance(decorator.func.value, ast.Name)
        ):
            return True
    return False


def _inside_dbos_with(module: Module, node: ast.AST, stop: ast.AST) -> bool:
    """True when ``node`` sits in the body of a ``with`` whose context manager is a call of a ``dbos`` name
    (``DBOSContextSetAuth``, ``DBOSContextEnsure``...), up to ``stop``."""
    parents = module.parents
    current = parents.get(id(node))
    while current is not None and current is not stop:
        if isinstance(current, (ast.With, ast.AsyncWith)) and any(
            isinstance(item.context_expr, ast.Call)
            and (module.call_name(item.context_expr) or "").startswith("dbos.")
            for item in current.items
        ):
            return True
        current = parents.get(id(current))
    return False


@check("pattern-required-roles-set-auth")
def set_authentication_without_context(module: Module) -> Iterator[Report]:
    """``DBOS.set_authentication(...)`` at module level or in the own body of a web route handler (neither a workflow
    nor a step), outside any ``with <dbos context manager>``: there is no DBOS context, so it raises AssertionError."""
    for call in calls_named(module, (SET_AUTHENTICATION,)):
        scope = module.scope_of(call)
        if scope is module.scope:
            stop: ast.AST = module.tree
        elif isinstance(scope, Function) and scope.kind is None and _is_route_handler(scope):
            stop = scope.node
        else:
            continue
        if _inside_dbos_with(module, call, stop):
            continue
        yield call, (
            "DBOS.set_authentication needs an existing DBOS context and raises AssertionError here: call the "
            "workflow inside `with DBOSContextSetAuth(user, roles):`"
        )

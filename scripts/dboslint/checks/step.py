"""Checks of how steps are declared and what a step body may do: retries, timeouts, inline steps, child workflows."""

from __future__ import annotations

import ast
import builtins
from typing import Iterator, Optional

from ..model import Report, check
from ..semantic import STEP, TRANSACTION, WORKFLOW, Function, Module, Scope, dbos_method, has_star_args, literal, string_key_dict, unawait
from .workflow import refers_to_module, target_function

RUN_STEP = ("run_step", "run_step_async")
RETRY_OPTIONS = ("max_attempts", "interval_seconds", "backoff_rate", "should_retry")
STEP_OPTIONS = "dbos.StepOptions"


def step_functions(module: Module) -> list[Function]:
    """Steps and datasource transactions: bodies that run inside a step context."""
    return [f for f in module.functions if f.kind in (STEP, TRANSACTION)]


def _step_decorator_options(function: Function) -> Optional[dict[str, ast.expr]]:
    """The keywords of a ``@DBOS.step(...)`` decorator call (None when bare or given ``**kwargs``)."""
    decorator = function.decorator
    if function.kind != STEP or not isinstance(decorator, ast.Call) or has_star_args(decorator):
        return None
    return function.decorator_keywords()


# --- step-enable-retries --------------------------------------------------------------------------------------------


def _retry_options_ignored(options: dict[str, ast.expr]) -> Optional[str]:
    """The first retry option given while ``retries_allowed`` is absent or literally False, else None."""
    if "retries_allowed" in options and literal(options["retries_allowed"]) is not False:
        return None
    given = [
        name
        for name in RETRY_OPTIONS
        if name in options and not (name == "should_retry" and literal(options[name]) is None)
    ]
    if not given:
        return None
    attempts = literal(options.get("max_attempts"))
    if isinstance(attempts, int) and not isinstance(attempts, bool) and attempts <= 1:
        return None  # a single attempt: nothing to retry, said explicitly
    return given[0]


@check("step-enable-retries")
def retry_options_without_retries(module: Module) -> Iterator[Report]:
    """max_attempts/interval_seconds/backoff_rate/should_retry in step options without retries_allowed."""
    for function in module.functions:
        options = _step_decorator_options(function)
        if options:
            ignored = _retry_options_ignored(options)
            if ignored:
                yield options[ignored], f"{ignored} has no effect without retries_allowed=True: the step runs once"
    if "run_step" not in module.source:
        return
    for scope in module.bodies():
        for node in scope.nodes:
            if isinstance(node, ast.Call) and dbos_method(module, node) in RUN_STEP and node.args:
                options = string_key_dict(module, node.args[0], (STEP_OPTIONS,))
                if options:
                    ignored = _retry_options_ignored(options)
                    if ignored:
                        yield options[ignored], (
                            f"{ignored} has no effect without \"retries_allowed\": True: the step runs once"
                        )


# --- step-timeout-async-only ----------------------------------------------------------------------------------------


def _has_timeout(options: dict[str, ast.expr]) -> bool:
    value = literal(options.get("timeout_seconds"))
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@check("step-timeout-async-only")
def timeout_on_sync_step(module: Module) -> Iterator[Report]:
    """timeout_seconds=<number> on @DBOS.step of a plain def, or in run_step options with a sync function."""
    for function in module.functions:
        options = _step_decorator_options(function)
        if (
            options
            and _has_timeout(options)
            and not function.is_async
            and function.node.decorator_list
            and function.node.decorator_list[-1] is function.decorator
        ):
            yield options["timeout_seconds"], (
                "timeout_seconds on a sync step raises DBOSException at import: make the step async def, "
                "or pass a timeout to the client call"
            )
    for workflow in module.functions_of_kind(WORKFLOW):
        for call in workflow.calls():
            if dbos_method(module, call) not in RUN_STEP or len(call.args) < 2 or has_star_args(call):
                continue
            options = string_key_dict(module, call.args[0], (STEP_OPTIONS,))
            if not options or not _has_timeout(options):
                continue
            func = call.args[1]
            local = module.local_function(func, workflow) if not isinstance(func, ast.Lambda) else None
            plain_def = local is not None and not local.is_async and not local.node.decorator_list
            if isinstance(func, ast.Lambda) or plain_def:
                yield options["timeout_seconds"], (
                    "a step timeout needs an async function: run_step raises DBOSException for a sync one; "
                    "pass a timeout to the client call instead"
                )


# --- step-run-step-inline -------------------------------------------------------------------------------------------


@check("step-run-step-inline")
def run_step_function_first(module: Module) -> Iterator[Report]:
    """DBOS.run_step(_async) whose first argument (the options) is a lambda or a function of this file."""
    if "run_step" not in module.source:
        return
    for scope in module.bodies():
        for node in scope.nodes:
            if not isinstance(node, ast.Call) or dbos_method(module, node) not in RUN_STEP or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Starred):
                continue
            if isinstance(first, ast.Lambda) or module.local_function(first, scope) is not None:
                method = dbos_method(module, node)
                yield first, f"the first argument of DBOS.{method} is the step options: DBOS.{method}(None, fn, *args)"


# --- step-no-workflows-inside-steps ---------------------------------------------------------------------------------

STARTS = frozenset(
    f"{name}{suffix}"
    for name in ("start_workflow", "enqueue_workflow", "enqueue_workflow_with_options")
    for suffix in ("", "_async")
)
SLEEPS = ("sleep", "sleep_async")


@check("step-no-workflows-inside-steps")
def workflow_inside_step(module: Module) -> Iterator[Report]:
    """In a step body: DBOS.start_workflow*/enqueue_workflow*/sleep*, or a call of a workflow of this file."""
    for step in step_functions(module):
        for call in step.calls():
            method = dbos_method(module, call)
            if method in STARTS:
                yield call, f"DBOS.{method} inside a step raises AssertionError: start workflows from the workflow body"
            elif method in SLEEPS:
                yield call, f"DBOS.{method} inside a step raises AssertionError: sleep in the workflow body"
            else:
                workflow = module.workflow_of(call)
                if workflow is not None:
                    yield call, (
                        f"calling workflow {workflow.name} inside a step raises AssertionError: "
                        "call it from the workflow body"
                    )


# --- step-should-retry-and-exhaustion -------------------------------------------------------------------------------

def _exception_class(module: Module, node: ast.expr, scope: Scope, depth: int = 0) -> bool:
    """True for ``Exception``, a builtin subclass of it, or a class of this file that derives only from those."""
    name = module.qualname(node, scope)
    if name is not None:
        if not name.startswith("builtins.") or name.count(".") != 1:
            return False
        value = getattr(builtins, name.split(".", 1)[1], None)
        return isinstance(value, type) and issubclass(value, Exception)
    if isinstance(node, ast.Name) and node.id in module.classes and depth < 20:
        cls = module.classes[node.id]
        if not refers_to_module(module, node.id, scope):  # not the module-level class of that name
            return False
        return bool(cls.bases) and not cls.keywords and all(
            _exception_class(module, base, module.scope, depth + 1) for base in cls.bases
        )
    return False


def _never_exhaustion(module: Module, node: ast.expr, scope: Scope) -> bool:
    """True for an exception class that DBOSMaxStepRetriesExceeded can never be an instance of, while every
    exception of that class a step raises is an Exception (so the retry loop wraps it)."""
    if module.qualname(node, scope) == "builtins.Exception":
        return False
    return _exception_class(module, node, scope)


def _caught_original(module: Module, handler: ast.ExceptHandler, workflow: Function) -> Optional[ast.expr]:
    """The first exception class a handler names, when none of the classes it names can catch the exhaustion."""
    if handler.type is None:
        return None
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    if types and all(_never_exhaustion(module, t, workflow) for t in types):
        return types[0]
    return None


def _retried_step(module: Module, call: ast.Call, workflow: Function) -> Optional[Function]:
    """The step of this file a call calls when it retries every exception (retries_allowed=True, no should_retry)."""
    function = target_function(module, call.func, workflow)
    if function is None or function.kind != STEP:
        return None
    options = _step_decorator_options(function)
    if not options or literal(options.get("retries_allowed")) is not True:
        return None
    if "should_retry" in options and literal(options["should_retry"]) is not None:
        return None
    return function


def _only_call(statement: ast.stmt) -> Optional[ast.Call]:
    """The call of ``return f(a)``, ``x = f(a)``, ``f(a)`` (each also with ``await``) when its arguments are plain
    names or constants: then the step call is the only thing in the statement that can raise."""
    if isinstance(statement, (ast.Return, ast.Expr)):
        value = statement.value
    elif isinstance(statement, ast.Assign) and all(isinstance(t, ast.Name) for t in statement.targets):
        value = statement.value
    else:
        return None
    call = unawait(value)
    if not isinstance(call, ast.Call):
        return None
    arguments = [*call.args, *(k.value for k in call.keywords)]
    if any(k.arg is None for k in call.keywords) or not all(isinstance(a, (ast.Name, ast.Constant)) for a in arguments):
        return None
    return call


@check("step-should-retry-and-exhaustion")
def except_original_around_retried_step(module: Module) -> Iterator[Report]:
    """In a workflow: `try: <step with retries, no should_retry>` and `except <non-DBOS Exception>`."""
    for workflow in module.functions_of_kind(WORKFLOW):
        for node in workflow.nodes:
            if not isinstance(node, ast.Try) or len(node.body) != 1:
                continue
            call = _only_call(node.body[0])
            step = _retried_step(module, call, workflow) if call is not None else None
            if step is None:
                continue
            for handler in node.handlers:
                caught = _caught_original(module, handler, workflow)
                if caught is not None:
                    shown = ast.unparse(caught) if hasattr(ast, "unparse") else "it"
                    yield caught, (
                        f"{step.name} retries every error, so exhaustion raises DBOSMaxStepRetriesExceeded, never "
                        f"{shown}: pass should_retry or catch error.DBOSMaxStepRetriesExceeded"
                    )


# --- step-datasource-transactions -----------------------------------------------------------------------------------

REMOVED = {
    "dbos.DBOS.transaction": "@DBOS.transaction is gone in DBOS 3.x (AttributeError): use "
    "ds = SQLAlchemyDatasource.create(url) before launch, then @ds.transaction()",
    "dbos.DBOS.sql_session": "DBOS.sql_session is gone in DBOS 3.x (AttributeError): use ds.sql_session() "
    "inside a @ds.transaction() function",
}


@check("step-datasource-transactions")
def removed_transaction_api(module: Module) -> Iterator[Report]:
    """``DBOS.transaction`` or ``DBOS.sql_session`` (removed in DBOS 3.x), however DBOS is imported."""
    for node in [*module.attributes.get("transaction", ()), *module.attributes.get("sql_session", ())]:
        message = REMOVED.get(module.qualname(node) or "")
        if message:
            yield node, message


# --- step-idempotency-key-from-step-id ------------------------------------------------------------------------------

FRESH_KEYS = ("uuid.uuid1", "uuid.uuid4")


def _is_idempotency_name(name: object) -> bool:
    """``idempotency_key``, ``idempotencyKey``, ``"Idempotency-Key"``: a name that says it carries the key."""
    return isinstance(name, str) and "idempotency" in name.lower()


def _calls_fresh_uuid(module: Module, node: ast.AST, scope: Scope) -> bool:
    """True when the expression always makes a new uuid (``key or uuid4()`` and ``a if c else b`` may not)."""
    nodes = list(ast.walk(node))
    if any(isinstance(n, (ast.BoolOp, ast.IfExp, ast.Lambda)) for n in nodes):
        return False
    return any(isinstance(n, ast.Call) and module.qualname(n.func, scope) in FRESH_KEYS for n in nodes)


def _fresh_key(module: Module, value: ast.expr, step: Function) -> bool:
    """True when ``value`` calls uuid4/uuid1 itself, or is a local name of the step bound only by plain
    assignments whose every value does."""
    from .client import bindings  # here, not at the top: client is a sibling group of checks

    if _calls_fresh_uuid(module, value, step):
        return True
    if not isinstance(value, ast.Name) or module.owner_of(value.id, step) is not step:
        return False
    found = bindings(module, value.id, step)
    return bool(found) and all(
        not is_parameter and bound is not None and _calls_fresh_uuid(module, bound, step)
        for is_parameter, _, bound in found
    )


@check("step-idempotency-key-from-step-id")
def fresh_uuid_idempotency_key(module: Module) -> Iterator[Report]:
    """In a step body: ``idempotency_key=<uuid4()/uuid1()>`` or ``{"Idempotency-Key": <uuid4()>}`` (directly, or
    through a local name bound only to such a value): a new key on every attempt protects nothing."""
    if "uuid" not in module.source or "dempotency" not in module.source:
        return
    for step in step_functions(module):
        for node in step.nodes:
            pairs: list[tuple[ast.expr, object]] = []
            if isinstance(node, ast.Call):
                pairs = [(k.value, k.arg) for k in node.keywords if k.arg]
            elif isinstance(node, ast.Dict):
                pairs = [(v, literal(k)) for k, v in zip(node.keys, node.values) if k is not None]
            for value, name in pairs:
                if _is_idempotency_name(name) and _fresh_key(module, value, step):
                    yield value, (
                        "a uuid made inside the step is a new idempotency key on every retry and recovery, so the "
                        "remote call happens twice: use f\"{DBOS.workflow_id}:{DBOS.step_id}\""
                    )

"""Checks of messages and events: where recv may run, idempotent sends, None on timeout."""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from ..model import Report, check
from ..semantic import DBOS, Function, Module, Scope, dbos_method, has_star_args, keywords, unawait
from .step import step_functions

RECV = ("recv", "recv_async")
SENDS = ("send", "send_async")
MAYBE_NONE = ("recv", "recv_async", "get_event", "get_event_async")


@check("comm-recv-in-workflow-body")
def recv_in_step(module: Module) -> Iterator[Report]:
    """``DBOS.recv`` / ``DBOS.recv_async`` in a step (or datasource transaction) body."""
    for step in step_functions(module):
        for call in step.calls():
            method = dbos_method(module, call)
            if method in RECV:
                yield call, (
                    f"DBOS.{method} inside a step raises DBOSException: receive in the workflow body "
                    "and pass the message to the step"
                )


def _with_body_nodes(module: Module, statement: ast.With, scope: Scope) -> Iterator[ast.AST]:
    for child in statement.body:
        for node in ast.walk(child):
            if module.scope_of(node) is scope:
                yield node


@check("comm-send-idempotency-key")
def send_deduplicated_by_workflow_id(module: Module) -> Iterator[Report]:
    """DBOS.send without idempotency_key= in a `with SetWorkflowID(...)` that only sends, off-workflow."""
    if not module.calls_any("dbos.SetWorkflowID"):
        return
    scopes: list[Scope] = [module.scope, *[f for f in module.functions if f.kind is None]]
    for scope in scopes:
        for statement in scope.nodes:
            if not isinstance(statement, (ast.With, ast.AsyncWith)):
                continue
            if not any(
                isinstance(item.context_expr, ast.Call) and module.call_name(item.context_expr) == "dbos.SetWorkflowID"
                for item in statement.items
            ):
                continue
            sends: list[ast.Call] = []
            other_work = False
            for node in _with_body_nodes(module, statement, scope):  # type: ignore[arg-type]
                if not isinstance(node, ast.Call):
                    continue
                method = dbos_method(module, node)
                name = module.call_name(node)
                if method in SENDS:
                    sends.append(node)
                elif name is None or name.startswith("dbos") or module.local_function(node.func, scope) is not None:
                    other_work = True  # may start a workflow, which is what the ID is for
            if other_work:
                continue
            for send in sends:
                if "idempotency_key" not in keywords(send) and not has_star_args(send):
                    yield send, (
                        "SetWorkflowID does not deduplicate DBOS.send: pass idempotency_key= "
                        "(e.g. the webhook's event ID)"
                    )


def _maybe_none_call(module: Module, node: Optional[ast.AST]) -> Optional[str]:
    node = unawait(node)
    if isinstance(node, ast.Call):
        method = dbos_method(module, node)
        if method in MAYBE_NONE:
            return method
    return None


def _dereferences(module: Module, scope: Scope) -> Iterator[tuple[ast.AST, ast.AST]]:
    """(use, base) for every ``base[...]``, ``base.attr`` and ``base(...)`` read in a body."""
    for node in scope.nodes:
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            yield node, node.value
        elif isinstance(node, ast.Call):
            yield node, node.func


def _protected(scope: Scope) -> set[int]:
    """Ids of the nodes inside the body of a ``try`` that has handlers."""
    inside: set[int] = set()
    for node in scope.nodes:
        if isinstance(node, ast.Try) and node.handlers:
            for statement in node.body:
                inside.update(id(n) for n in ast.walk(statement))
    return inside


def _unchecked_results(module: Module, scope: Scope) -> Iterator[tuple[ast.AST, str, str]]:
    """Names bound once to a recv/get_event result and only ever dereferenced, never tested: (use, name, method)."""
    bindings: dict[str, int] = {}
    for node in scope.nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bindings[node.id] = bindings.get(node.id, 0) + 1
    candidates: dict[str, str] = {}
    for node in scope.nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            method = _maybe_none_call(module, node.value)
            name = node.targets[0].id
            if method and bindings.get(name) == 1 and name not in scope.declared_global:
                if not (isinstance(scope, Function) and name in scope.parameters):
                    candidates[name] = method
    if not candidates:
        return
    bases = {id(base): use for use, base in _dereferences(module, scope) if isinstance(base, ast.Name)}
    bare: set[str] = set()
    for node in scope.nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in candidates:
            if id(node) not in bases:
                bare.add(node.id)
    # A nested function or lambda that names it: its use cannot be judged here.
    for node in ast.walk(scope.node):
        if isinstance(node, ast.Name) and node.id in candidates and module.scope_of(node) is not scope:
            bare.add(node.id)
    protected = _protected(scope)
    reported: set[str] = set()
    for node in scope.nodes:
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and node.id in candidates
            and node.id not in bare
            and node.id not in reported
        ):
            use = bases[id(node)]
            if id(use) in protected:
                bare.add(node.id)
                continue
            reported.add(node.id)
            yield use, node.id, candidates[node.id]


@check("comm-handle-none-on-timeout")
def result_used_without_none_check(module: Module) -> Iterator[Report]:
    """DBOS.recv/get_event result subscripted, dotted or called, never tested for None."""
    if not module.calls_any(*(f"{DBOS}.{name}" for name in MAYBE_NONE)):
        return
    for scope in module.bodies():
        protected: Optional[set[int]] = None
        for use, base in _dereferences(module, scope):
            method = _maybe_none_call(module, base)
            if method:
                protected = _protected(scope) if protected is None else protected
                if id(use) not in protected:
                    yield use, f"DBOS.{method} returns None on timeout: check the result for None before using it"
        for use, name, method in _unchecked_results(module, scope):
            yield use, f"{name} is None when DBOS.{method} times out: check `if {name} is None:` before using it"


# --- comm-kafka-consumer-workflow ---------------------------------------------------------------------------------

KAFKA_CONSUMER = f"{DBOS}.kafka_consumer"


@check("comm-kafka-consumer-workflow")
def kafka_consumer_on_plain_function(module: Module) -> Iterator[Report]:
    """``@DBOS.kafka_consumer(...)`` as the only decorator of a function that is no workflow or step: DBOS cannot
    enqueue it, so every message is logged as unprocessable and its offset committed."""
    if not module.calls_any(KAFKA_CONSUMER):
        return
    for function in module.functions:
        decorators = function.node.decorator_list
        if function.kind is not None or len(decorators) != 1 or not isinstance(decorators[0], ast.Call):
            continue
        if module.call_name(decorators[0]) == KAFKA_CONSUMER:
            yield decorators[0], (
                "@DBOS.kafka_consumer needs a workflow: put @DBOS.workflow() under it, or every message is "
                "dropped as unprocessable"
            )

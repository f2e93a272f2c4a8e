"""Checks of the testing rules: pytest fixtures and tests of DBOS apps."""

from __future__ import annotations

import ast
from typing import Iterator

from ..model import Report, check
from ..semantic import DBOS, Function, Module, keywords, literal, unawait
from .client import client_method_call

FIXTURE_DECORATORS = ("pytest.fixture", "pytest_asyncio.fixture")

ENQUEUE_CALLS = frozenset(
    f"{DBOS}.{name}{suffix}"
    for name in ("enqueue_workflow", "enqueue_workflow_with_options")
    for suffix in ("", "_async")
)
CLIENT_ENQUEUE_METHODS = ("enqueue", "enqueue_async")
SLEEPS = ("time.sleep", "asyncio.sleep")
WAITS = frozenset({
    "get_result", "get_result_async", "get_status", "get_status_async", "retrieve_workflow",
    "retrieve_workflow_async", "get_workflow_status", "get_workflow_status_async", "list_workflows",
    "list_workflows_async", "list_queued_workflows", "list_queued_workflows_async", "wait_first", "wait_first_async",
    "list_workflow_steps", "list_workflow_steps_async",
})
"""Method names through which a test looks at its workflows (any object's method: handles, DBOS, a client)."""


def is_fixture(module: Module, function: Function) -> bool:
    """Decorated ``@pytest.fixture``, ``@pytest.fixture(...)``, ``@fixture`` (from pytest) or pytest_asyncio's."""
    outer = function.parent or module.scope
    for decorator in function.node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if module.qualname(target, outer) in FIXTURE_DECORATORS:
            return True
    return False


def is_test(module: Module, function: Function) -> bool:
    """A function pytest collects: ``test*`` at module level or in a ``Test*`` class of the module."""
    parent = function.parent
    if parent is module.scope:
        return function.name.startswith("test")
    return (parent is not None and parent.is_class and parent.parent is module.scope
            and parent.node.name.startswith("Test") and function.name.startswith("test"))  # type: ignore[union-attr]


# --- test-keep-registry-on-destroy --------------------------------------------------------------------------------


@check("test-keep-registry-on-destroy")
def destroy_registry_in_fixture(module: Module) -> Iterator[Report]:
    """``DBOS.destroy(destroy_registry=True)`` in a pytest fixture of a file that defines workflows or steps at
    import time (module level or in a module-level class): the next DBOS no longer knows them."""
    registered_at_import = any(
        f.kind is not None and (f.parent is module.scope or (f.parent is not None and f.parent.is_class
                                                             and f.parent.parent is module.scope))
        for f in module.functions
    )
    if not registered_at_import:
        return
    for function in module.functions:
        if not is_fixture(module, function):
            continue
        for call in function.calls():
            if module.call_name(call) == f"{DBOS}.destroy":
                flag = keywords(call).get("destroy_registry")
                if flag is not None and literal(flag) is True:
                    yield call, ("destroy_registry=True forgets the workflows and steps registered at import: "
                                 "call DBOS.destroy() in fixtures")


# --- test-queue-wait-on-handles -----------------------------------------------------------------------------------


@check("test-queue-wait-on-handles")
def sleep_instead_of_handles(module: Module) -> Iterator[Report]:
    """In a ``test*`` function that never looks at a handle or a workflow status, ``time.sleep`` /
    ``asyncio.sleep`` after an enqueue whose handle is thrown away (``DBOS.enqueue_workflow(...)`` as a
    statement)."""
    for function in module.functions:
        if not is_test(module, function) or is_fixture(module, function):
            continue
        nodes = list(function.nodes)
        if any(isinstance(n, ast.Attribute) and n.attr in WAITS for n in nodes):
            continue
        first_discarded = None
        for node in nodes:
            if isinstance(node, ast.Expr) and first_discarded is None and _is_enqueue(module, node.value):
                first_discarded = node
            elif isinstance(node, ast.Call) and first_discarded is not None and _after(node, first_discarded):
                name = module.call_name(node)
                if name in SLEEPS:
                    yield node, ("sleeping does not wait for queued workflows: keep the handles the enqueue "
                                 "returns and call get_result() on each")


def _is_enqueue(module: Module, value: ast.expr) -> bool:
    value = unawait(value)
    if not isinstance(value, ast.Call):
        return False
    return module.call_name(value) in ENQUEUE_CALLS or client_method_call(module, value) in CLIENT_ENQUEUE_METHODS


def _after(node: ast.AST, statement: ast.stmt) -> bool:
    end = (statement.end_lineno or statement.lineno, statement.end_col_offset or 0)
    return (node.lineno, node.col_offset) >= end  # type: ignore[attr-defined]


# --- test-fresh-dbos-per-test -------------------------------------------------------------------------------------


@check("test-fresh-dbos-per-test")
def reset_after_import_time_launch(module: Module) -> Iterator[Report]:
    """``DBOS.reset_system_database()`` in a function of a file that launches DBOS at import time (a module-level
    ``DBOS.launch()`` statement outside ``if __name__ == "__main__":``) and never destroys it: the reset runs after
    the launch and fails."""
    launched = any(
        isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
        and module.call_name(stmt.value) == f"{DBOS}.launch"
        for stmt in module.tree.body
    )
    if not launched:
        return
    destroy = f"{DBOS}.destroy"
    if any(isinstance(n, ast.Call) and module.call_name(n) == destroy for s in module.scopes for n in s.nodes):
        return
    for function in module.functions:
        for call in function.calls():
            if module.call_name(call) == f"{DBOS}.reset_system_database":
                yield call, ("DBOS was launched at import, and a launched system database cannot be reset: in a "
                             "fixture call DBOS.destroy(), DBOS(config=...), reset_system_database(), then launch()")

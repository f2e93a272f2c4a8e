"""Checks of the queue rules: how queues are registered, configured, enqueued to and retired."""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from ..model import Report, check
from ..semantic import DBOS, LISTEN_QUEUES, NOT_LITERAL, WORKFLOW, Function, Module, argument, keywords, literal, unawait
from .client import ENQUEUE_OPTION_KEYS
from .lifecycle import (
    before_and_after_launch,
    block_of,
    constant_string,
    number,
    single_assignment,
    statement_of,
)

QUEUE_CLASS = ("dbos.Queue", "dbos._queue.Queue")
REGISTER_QUEUE = (f"{DBOS}.register_queue", f"{DBOS}.register_queue_async")
ENQUEUE_WORKFLOW = (f"{DBOS}.enqueue_workflow", f"{DBOS}.enqueue_workflow_async")
SET_ENQUEUE_OPTIONS = "dbos.SetEnqueueOptions"
QUEUE_HANDLE_SOURCES = (*REGISTER_QUEUE, f"{DBOS}.retrieve_queue", f"{DBOS}.retrieve_queue_async")
"""The calls whose result is a queue handle (``q.enqueue(...)``)."""
MIN_PRIORITY, MAX_PRIORITY = 1, 2**31 - 1  # dbos._context.MinPriority / MaxPriority
SLEEPS = ("time.sleep", "asyncio.sleep", f"{DBOS}.sleep", f"{DBOS}.sleep_async")
LONG_WAIT_SECONDS = 60.0


def calls_named(module: Module, names: tuple[str, ...]) -> Iterator[ast.Call]:
    """The calls of any of ``names`` in the file, in source order."""
    return iter(sorted(module.calls_to(*names), key=lambda call: (call.lineno, call.col_offset)))


def is_queue_handle(module: Module, node: ast.expr) -> bool:
    """A name whose only assignment, in the scope that binds it, is ``DBOS.register_queue(...)`` (awaited or not) or
    ``DBOS.retrieve_queue(...)``."""
    if not isinstance(node, ast.Name):
        return False
    value = unawait(single_assignment(module, node))
    return isinstance(value, ast.Call) and module.call_name(value) in QUEUE_HANDLE_SOURCES


def enqueues(module: Module) -> Iterator[tuple[ast.Call, Optional[ast.expr], list[ast.expr]]]:
    """Every enqueue of a workflow function: (call, the function expression, the workflow's positional args);
    found once per file (two checks ask)."""
    return iter(module.memo(("enqueues",), lambda: list(_find_enqueues(module))))


def _find_enqueues(module: Module) -> Iterator[tuple[ast.Call, Optional[ast.expr], list[ast.expr]]]:
    if not module.calls_any(*ENQUEUE_WORKFLOW, *QUEUE_HANDLE_SOURCES):
        return
    for scope in module.scopes:
        for node in scope.nodes:
            if not isinstance(node, ast.Call):
                continue
            if module.call_name(node) in ENQUEUE_WORKFLOW:
                if len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):
                    yield node, node.args[1], node.args[2:]
            elif (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in ("enqueue", "enqueue_async")
                and is_queue_handle(module, node.func.value)
                and node.args
                and not isinstance(node.args[0], ast.Starred)
            ):
                yield node, node.args[0], node.args[1:]


def enqueued_workflow(module: Module, function: Optional[ast.expr]) -> Optional[Function]:
    if function is None:
        return None
    target = module.local_function(function)
    return target if target is not None and target.kind == WORKFLOW else None


@check("queue-register-after-launch")
def queue_constructor(module: Module) -> Iterator[Report]:
    """``Queue(...)`` where ``Queue`` is ``dbos.Queue``: the constructor raises DBOSException in DBOS 3."""
    for call in calls_named(module, QUEUE_CLASS):
        yield call, "Queue(...) raises DBOSException in DBOS 3: call DBOS.register_queue(name, ...) after DBOS.launch()"


@check("queue-priority")
def removed_priority_flag(module: Module) -> Iterator[Report]:
    """``DBOS.register_queue(..., priority_enabled=...)`` (TypeError in 3.4), or ``SetEnqueueOptions(priority=N)``
    with a literal N outside 1..2**31-1 (raises)."""
    for call in calls_named(module, REGISTER_QUEUE):
        value = keywords(call).get("priority_enabled")
        if value is not None:
            yield value, "register_queue has no priority_enabled in DBOS 3.4 (TypeError): every queue honours SetEnqueueOptions(priority=...)"
    for call in calls_named(module, (SET_ENQUEUE_OPTIONS,)):
        value = keywords(call).get("priority")
        priority = literal(value)
        if isinstance(priority, int) and not isinstance(priority, bool) and not MIN_PRIORITY <= priority <= MAX_PRIORITY:
            yield value, f"priority {priority} raises: use 1 (most urgent) to 2**31-1, or leave it unset"  # type: ignore[arg-type]


def _present(node: Optional[ast.expr]) -> bool:
    """An argument that is passed and not a literal None."""
    return node is not None and literal(node) is not None


def _int(node: Optional[ast.expr]) -> Optional[int]:
    value = literal(node)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@check("queue-worker-vs-global-concurrency")
def conflicting_concurrency(module: Module) -> Iterator[Report]:
    """``register_queue`` with both ``concurrency=`` and ``global_concurrency=``, or a literal ``worker_concurrency``
    above the literal global one (``partition_worker_concurrency`` above ``partition_concurrency`` or
    ``worker_concurrency``): ValueError."""
    for call in calls_named(module, REGISTER_QUEUE):
        given = keywords(call)
        old, new = given.get("concurrency"), given.get("global_concurrency")
        if _present(old) and _present(new):
            yield old, "concurrency= is the deprecated name of global_concurrency; passing both raises ValueError: keep global_concurrency"  # type: ignore[misc]
            continue
        worker = _int(given.get("worker_concurrency"))
        overall = _int(new if _present(new) else old)
        if worker is not None and overall is not None and worker > overall:
            yield given["worker_concurrency"], (
                f"worker_concurrency={worker} above the global limit {overall} raises ValueError: the global "
                "(fleet-wide) limit must be >= the per-process one; for a per-process cap use worker_concurrency alone"
            )
        partition_worker = _int(given.get("partition_worker_concurrency"))
        if partition_worker is not None:
            for bound in ("partition_concurrency", "worker_concurrency"):
                limit = _int(given.get(bound))
                if limit is not None and partition_worker > limit:
                    yield given["partition_worker_concurrency"], (
                        f"partition_worker_concurrency={partition_worker} above {bound}={limit} raises ValueError"
                    )


@check("queue-partition-by-key")
def partition_mistakes(module: Module) -> Iterator[Report]:
    """``register_queue(..., partition_queue=...)`` (TypeError in 3.4), or ``SetEnqueueOptions`` given both
    ``queue_partition_key`` and ``deduplication_id`` (partitioned queues do not deduplicate)."""
    for call in calls_named(module, REGISTER_QUEUE):
        value = keywords(call).get("partition_queue")
        if value is not None:
            yield value, "register_queue has no partition_queue in DBOS 3.4 (TypeError): set partition_concurrency=N and enqueue with SetEnqueueOptions(queue_partition_key=...)"
    for call in calls_named(module, (SET_ENQUEUE_OPTIONS,)):
        given = keywords(call)
        key, dedup = given.get("queue_partition_key"), given.get("deduplication_id")
        if key is not None and dedup is not None and _truthy(key) and _truthy(dedup):
            yield dedup, "partitioned queues do not support deduplication (the enqueue raises): drop deduplication_id or the partition key"


def _truthy(node: ast.expr) -> bool:
    value = literal(node)
    return value is NOT_LITERAL or bool(value)


@check("queue-enqueue-with-options")
def options_as_workflow_kwargs(module: Module) -> Iterator[Report]:
    """``DBOS.enqueue_workflow(queue, wf, ..., priority=...)`` (or ``queue.enqueue(wf, ...)`` on a module-level
    ``register_queue`` result) with an enqueue option as keyword, where ``wf`` is a workflow of this file that has no
    such parameter and no ``**kwargs``."""
    for call, function, _ in enqueues(module):
        workflow = enqueued_workflow(module, function)
        if workflow is None or workflow.takes_var_keywords:
            continue
        for keyword in call.keywords:
            if keyword.arg in ENQUEUE_OPTION_KEYS and keyword.arg not in workflow.parameters:
                yield keyword.value, (
                    f"{keyword.arg}= is passed to {workflow.name}() as an argument (TypeError when it runs): "
                    f"use with SetEnqueueOptions({keyword.arg}=...) around the enqueue"
                )


@check("queue-listen-queues-before-launch")
def listen_queues_after_launch(module: Module) -> Iterator[Report]:
    """``DBOS.listen_queues(...)`` later in the same body than ``DBOS.launch()`` (before any destroy): raises."""
    for _, after in before_and_after_launch(module):
        for event in after:
            if event.kind == LISTEN_QUEUES:
                yield event.node, "listen_queues after DBOS.launch() raises DBOSException: call it between DBOS(config=...) and launch"


def _first_statement(function: Function) -> Optional[ast.stmt]:
    body = function.node.body
    for statement in body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str):
            continue  # docstring
        return statement
    return None


@check("queue-delay-with-delay-seconds")
def queued_workflow_starts_by_sleeping(module: Module) -> Iterator[Report]:
    """A workflow of this file that is enqueued here and whose first statement sleeps a literal >= 60 s
    (``time.sleep`` / ``DBOS.sleep`` / ``await asyncio.sleep`` / ``await DBOS.sleep_async``)."""
    reported: set[int] = set()
    for _, function, _ in enqueues(module):
        workflow = enqueued_workflow(module, function)
        if workflow is None or id(workflow) in reported:
            continue
        statement = _first_statement(workflow)
        if not isinstance(statement, ast.Expr):
            continue
        call = unawait(statement.value)
        if not isinstance(call, ast.Call) or module.call_name(call) not in SLEEPS:
            continue
        seconds = number(argument(call, 0, "seconds") or argument(call, 0, "delay"))
        if seconds is not None and seconds >= LONG_WAIT_SECONDS:
            reported.add(id(workflow))
            yield call, (
                "a queued workflow that starts by sleeping holds its queue slot the whole time: enqueue it with "
                "SetEnqueueOptions(delay_seconds=...) instead"
            )


def _near_miss(a: str, b: str) -> bool:
    """True when two different queue names look like one typo apart (case, separators, one letter added or
    dropped, two adjacent letters swapped). Substitutions are not counted: "cpu_jobs" vs "gpu_jobs" are two queues."""
    if a == b:
        return False

    def norm(s: str) -> str:
        return "".join(c for c in s.lower() if c not in "-_ .")

    x, y = norm(a), norm(b)
    if x == y:
        return True
    if min(len(x), len(y)) < 4:
        return False
    if abs(len(x) - len(y)) == 1:
        short, long_ = (x, y) if len(x) < len(y) else (y, x)
        for i in range(len(long_)):
            if long_[:i] + long_[i + 1 :] == short:
                return not long_[i].isdigit()
        return False
    if len(x) == len(y):
        diff = [i for i in range(len(x)) if x[i] != y[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]
    return False


@check("queue-enqueue-only-to-registered-queues")
def enqueue_to_misspelled_queue(module: Module) -> Iterator[Report]:
    """``DBOS.enqueue_workflow("name", ...)`` where "name" is registered nowhere in a file whose every
    ``register_queue`` has a literal name, and is one typo away from one of them ("invoice" vs "invoices")."""
    registered: set[str] = set()
    if not module.calls_any(*REGISTER_QUEUE):
        return
    for scope in module.scopes:
        for node in scope.nodes:
            if not isinstance(node, ast.Call):
                continue
            name = module.call_name(node)
            if name in REGISTER_QUEUE:
                queue = constant_string(module, argument(node, 0, "name"))
                if queue is None:
                    return
                registered.add(queue)
            elif isinstance(node.func, ast.Attribute) and node.func.attr in ("register_queue", "register_queue_async"):
                return  # e.g. a DBOSClient registers queues we cannot name
    if not registered:
        return
    for call in calls_named(module, ENQUEUE_WORKFLOW):
        queue = constant_string(module, argument(call, 0, "queue_name"))
        if queue is None or queue in registered:
            continue
        close = sorted(r for r in registered if _near_miss(queue, r))
        if close:
            yield call.args[0], (
                f"queue {queue!r} is never registered (the workflow would stay ENQUEUED forever); did you mean "
                f"{close[0]!r}? Keep queue names in constants"
            )


@check("queue-manage-at-runtime")
def delete_queue_right_after_enqueue(module: Module) -> Iterator[Report]:
    """``DBOS.delete_queue(name)`` right after ``DBOS.enqueue_workflow(name, ...)`` in the same block, nothing
    called in between: the work just enqueued is stranded."""
    if not module.calls_any(f"{DBOS}.delete_queue"):
        return
    for body in module.bodies():
        calls = [n for n in body.nodes if isinstance(n, ast.Call)]
        for index, call in enumerate(calls):
            if module.call_name(call) != f"{DBOS}.delete_queue":
                continue
            queue = constant_string(module, argument(call, 0, "queue_name"))
            if queue is None:
                continue
            # the call just before, skipping calls nested in this one's arguments and in the enqueue's arguments
            previous = [c for c in calls[:index] if statement_of(module, c) is not statement_of(module, call)]
            enqueue = next(
                (c for c in reversed(previous) if module.call_name(c) in ENQUEUE_WORKFLOW),
                None,
            )
            if enqueue is None:
                continue
            between = [c for c in previous if c.lineno > enqueue.lineno or (c.lineno == enqueue.lineno and c.col_offset > enqueue.col_offset)]
            if any(not _within(c, enqueue) for c in between):
                continue
            if constant_string(module, argument(enqueue, 0, "queue_name")) != queue:
                continue
            first, second = statement_of(module, enqueue), statement_of(module, call)
            if first is None or second is None:
                continue
            a, b = block_of(module, first), block_of(module, second)
            if a is None or b is None or a[0] != b[0] or b[1] != a[1] + 1:
                continue
            yield call, (
                f"deleting queue {queue!r} right after enqueueing to it strands that work in ENQUEUED: wait for the "
                "handles, or cancel the queued workflows (list_queued_workflows) first"
            )


def _within(node: ast.AST, container: ast.AST) -> bool:
    return any(child is node for child in ast.walk(container))

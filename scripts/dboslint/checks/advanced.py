"""Checks of the advanced rules: async workflows, serialization, tracing configuration."""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from ..model import Report, check
from ..semantic import DBOS, STEP, TRANSACTION, WORKFLOW, Function, Module, Scope, dbos_method, literal, string_key_dict
from .client import ENQUEUE_OPTIONS_MAKERS, bindings, client_method_call
from .workflow import DICT_ATTRIBUTES

RAISING_IN_EVENT_LOOP = frozenset({
    "cancel_workflow", "cancel_workflows", "close_stream", "delete_queue", "delete_workflow", "delete_workflows",
    "deprecate_patch", "fork_workflow", "get_all_events", "get_event", "get_result", "get_workflow_status",
    "list_queued_workflows", "list_queues", "list_workflow_steps", "list_workflows", "patch", "read_stream_offset",
    "recv", "register_queue", "resume_workflow", "resume_workflows", "retrieve_queue", "retrieve_workflow",
    "rewind_workflow", "run_step", "send", "send_bulk", "set_event", "set_workflow_delay", "sleep",
    "update_workflow_attributes", "wait_first", "write_stream",
})
"""The ``DBOS`` methods of dbos 3.4.0 that have an ``X_async`` twin and raise ``RuntimeError: X() was called while
an event loop is running`` when called on a thread that runs an event loop (``check_async`` in dbos/_dbos.py).
``read_stream`` is left out: it is a generator that only checks when iterated."""


OWNED_BY_STEP_CHECKS = frozenset({"sleep", "recv"})
"""In a step these calls are wrong anyway: step-no-workflows-inside-steps and comm-recv-in-workflow-body say so."""


def _starts_async_workflow(module: Module, call: ast.Call) -> bool:
    """``DBOS.start_workflow(wf, ...)`` where ``wf`` is an ``async def`` workflow of this file."""
    if dbos_method(module, call) != "start_workflow" or not call.args or isinstance(call.args[0], ast.Starred):
        return False
    target = module.local_function(call.args[0], module.scope_of(call))
    return target is not None and target.kind == WORKFLOW and target.is_async


def _sync_waits_on_async_start(module: Module, function: Function) -> Iterator[ast.Call]:
    """The ``DBOS.start_workflow(<async workflow>, ...)`` calls of an async body whose handle's ``get_result()`` the
    same body calls without ``await`` (chained, or through a name bound once): that wait blocks the event loop the
    workflow needs."""
    if not module.calls_any(f"{DBOS}.start_workflow"):
        return
    up = module.parents
    for call in function.calls():
        if not _starts_async_workflow(module, call):
            continue
        parent = up.get(id(call))
        if isinstance(parent, ast.Attribute) and parent.attr == "get_result" and _sync_call_of(parent, up):
            yield call
        elif (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
            name = parent.targets[0].id
            found = bindings(module, name, function)
            if found is None or len(found) != 1 or module.owner_of(name, function) is not function:
                continue
            if any(
                isinstance(n, ast.Attribute) and n.attr == "get_result" and isinstance(n.value, ast.Name)
                and n.value.id == name and _sync_call_of(n, up)
                for n in function.nodes
            ):
                yield call


def _sync_call_of(attribute: ast.Attribute, up: dict[int, ast.AST]) -> bool:
    """``x.get_result(...)`` called and not awaited."""
    call = up.get(id(attribute))
    return isinstance(call, ast.Call) and call.func is attribute and not isinstance(up.get(id(call)), ast.Await)


def _expected_to_raise(module: Module, function: Function) -> set[int]:
    """Ids of the nodes inside ``with pytest.raises(...)`` / ``with self.assertRaises(...)`` blocks of a body."""
    found: set[int] = set()
    for node in function.nodes:
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
            isinstance(item.context_expr, ast.Call) and (
                module.call_name(item.context_expr) == "pytest.raises"
                or (isinstance(item.context_expr.func, ast.Attribute)
                    and item.context_expr.func.attr in ("assertRaises", "assertRaisesRegex"))
            )
            for item in node.items
        ):
            for statement in node.body:
                found.update(id(n) for n in ast.walk(statement))
    return found


def _async_functions(module: Module) -> list[Function]:
    return [f for f in module.functions if f.is_async]


# --- advanced-async-await-async-apis ------------------------------------------------------------------------------


@check("advanced-async-await-async-apis")
def sync_dbos_api_in_async_code(module: Module) -> Iterator[Report]:
    """In the body of an ``async def``, a call of a blocking ``DBOS.X(...)`` that raises in an event loop
    (``DBOS.sleep``, ``recv``, ``send``, ``set_event``, ``get_event``, ``run_step``, ``list_workflows``...) outside
    ``with pytest.raises(...)``; in an async workflow also ``DBOS.start_workflow(<async workflow>, ...)`` whose
    handle's ``get_result()`` it calls without ``await``."""
    for function in _async_functions(module):
        in_step = function.kind in (STEP, TRANSACTION)
        expected = _expected_to_raise(module, function)
        for call in function.calls():
            method = dbos_method(module, call)
            if (in_step and method in OWNED_BY_STEP_CHECKS) or id(call) in expected:
                continue
            if method in RAISING_IN_EVENT_LOOP:
                yield call, (f"DBOS.{method}() raises RuntimeError in async code: "
                             f"use await DBOS.{method}_async(...)")
        if function.kind == WORKFLOW:
            for call in _sync_waits_on_async_start(module, function):
                yield call, ("a sync get_result() on this handle blocks the event loop (a deadlock if the child "
                             "runs on it): handle = await DBOS.start_workflow_async(...); await handle.get_result()")


# --- advanced-async-start-workflow-async --------------------------------------------------------------------------


@check("advanced-async-start-workflow-async")
def sync_start_of_async_workflow(module: Module) -> Iterator[Report]:
    """In an ``async def`` that is no DBOS workflow or step (e.g. a FastAPI handler), ``DBOS.start_workflow(wf, ...)``
    of an async workflow of this file whose handle's ``get_result()`` is then called without ``await``."""
    for function in _async_functions(module):
        if function.kind is not None:
            continue  # workflows: advanced-async-await-async-apis; steps: step-no-workflows-inside-steps
        for call in _sync_waits_on_async_start(module, function):
            yield call, ("a sync get_result() on this handle blocks the event loop (a deadlock if the workflow "
                         "runs on it): handle = await DBOS.start_workflow_async(...); await handle.get_result()")


# --- advanced-async-gather-deterministic --------------------------------------------------------------------------

RECORDED_KINDS = (WORKFLOW, STEP, TRANSACTION)


@check("advanced-async-gather-deterministic")
def gather_of_step_sequences(module: Module) -> Iterator[Report]:
    """In an async workflow, ``asyncio.gather(...)`` of two or more calls of plain (undecorated) local async
    functions that each await two or more steps: the later steps start in an order that depends on timing."""
    for workflow in module.functions_of_kind(WORKFLOW):
        if not workflow.is_async:
            continue
        for call in workflow.calls():
            if module.call_name(call) != "asyncio.gather":
                continue
            sequences = 0
            for argument in call.args:
                if not isinstance(argument, ast.Call):
                    continue
                helper = _local_async_helper(module, argument.func, module.scope_of(argument))
                if helper is not None and _recorded_operations(module, helper) >= 2:
                    sequences += 1
            if sequences >= 2:
                yield call, ("gathered coroutines that each run several steps start them in a timing-dependent "
                             "order: gather single steps, or run each sequence as a child workflow")


def _local_async_helper(module: Module, func: ast.expr, scope: Scope) -> Optional[Function]:
    """The undecorated ``async def`` of this file (module level or nested) that a called name refers to."""
    if not isinstance(func, ast.Name):
        return None
    owner = module.owner_of(func.id, scope)
    if owner is None or func.id in owner.imports:
        return None
    candidates = [f for f in module.functions if f.parent is owner and f.name == func.id]
    if len(candidates) != 1:
        return None
    stores = [n for n in owner.nodes if isinstance(n, ast.Name) and n.id == func.id and not isinstance(n.ctx, ast.Load)]
    helper = candidates[0]
    if stores or not helper.is_async or helper.kind is not None or helper.node.decorator_list:
        return None
    return helper


def _recorded_operations(module: Module, helper: Function) -> int:
    """How many awaited calls in the helper's own body are checkpointed by DBOS: steps, transactions and child
    workflows of this file, and ``DBOS.*_async`` calls."""
    count = 0
    for node in helper.nodes:
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            call = node.value
            target = module.local_function(call.func, module.scope_of(call))
            method = dbos_method(module, call)
            if target is not None and target.kind in RECORDED_KINDS:
                count += 1
            elif method is not None and method.endswith("_async"):
                count += 1
    return count


# --- advanced-otel-enable-otlp ------------------------------------------------------------------------------------

OTLP_ENDPOINT_KEYS = ("otlp_traces_endpoints", "otlp_logs_endpoints")


@check("advanced-otel-enable-otlp")
def otlp_endpoints_without_enable(module: Module) -> Iterator[Report]:
    """A DBOS config dict (passed to ``DBOS(config=...)``, directly or through a name used for nothing else) that
    sets ``otlp_traces_endpoints`` / ``otlp_logs_endpoints`` but has no ``enable_otlp`` key."""
    for call in module.calls_to(DBOS):
        scope = module.scope_of(call)
        config = next((k.value for k in call.keywords if k.arg == "config"), None)
        entries = _config_entries(module, config, scope) if config is not None else None
        if entries is None or "enable_otlp" in entries:
            continue
        endpoints = [k for k in OTLP_ENDPOINT_KEYS if k in entries and literal(entries[k]) not in ([], None)]
        if endpoints:
            yield entries[endpoints[0]], (f"{endpoints[0]} does nothing without \"enable_otlp\": True in the "
                                         "config (needs pip install \"dbos[otel]\")")


def _config_entries(module: Module, node: ast.expr, scope: Scope) -> Optional[dict[str, ast.expr]]:
    """The string-keyed entries of a config dict display, given directly or by a name bound once to one and used
    only as ``DBOS(config=name)``."""
    if isinstance(node, ast.Dict):
        return string_key_dict(module, node, ENQUEUE_OPTIONS_MAKERS)
    if not isinstance(node, ast.Name):
        return None
    found = bindings(module, node.id, scope)
    if not found or len(found) != 1 or not isinstance(found[0][2], ast.Dict):
        return None
    owner = module.owner_of(node.id, scope)
    for other in module.scopes:
        for n in other.nodes:
            if (isinstance(n, ast.Name) and n.id == node.id and isinstance(n.ctx, ast.Load)
                    and module.owner_of(n.id, other) is owner and not _is_config_argument(module, n, other)):
                return None
    return string_key_dict(module, found[0][2], ENQUEUE_OPTIONS_MAKERS)


def _is_config_argument(module: Module, name: ast.Name, scope: Scope) -> bool:
    return any(
        isinstance(n, ast.Call) and module.call_name(n) == DBOS and any(k.value is name for k in n.keywords)
        for n in scope.nodes
    )


# --- advanced-serializable-inputs-outputs -------------------------------------------------------------------------

UNPICKLABLE_TYPES = frozenset({
    "sqlite3.Connection", "sqlite3.Cursor", "socket.socket",
    "threading.Lock", "threading.RLock", "threading.Event", "threading.Condition", "threading.Semaphore",
    "threading.BoundedSemaphore", "threading.Thread",
    "queue.Queue", "queue.LifoQueue", "queue.PriorityQueue", "queue.SimpleQueue",
    "io.TextIOWrapper", "io.BufferedReader", "io.BufferedWriter", "io.FileIO",
    "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor", "subprocess.Popen",
    "types.GeneratorType", "types.CoroutineType", "types.AsyncGeneratorType",
    "typing.Generator", "typing.AsyncGenerator", "typing.Coroutine",
    "collections.abc.Generator", "collections.abc.AsyncGenerator", "collections.abc.Coroutine",
    "sqlalchemy.Engine", "sqlalchemy.engine.Engine", "sqlalchemy.Connection", "sqlalchemy.engine.Connection",
    "sqlalchemy.orm.Session", "httpx.Client", "httpx.AsyncClient",
})
"""Types whose instances ``pickle.dumps`` rejects (each checked with Python 3.11, SQLAlchemy 2.1, httpx)."""


@check("advanced-serializable-inputs-outputs")
def unpicklable_workflow_data(module: Module) -> Iterator[Report]:
    """A workflow parameter without a default, or the return of a workflow or step, annotated with a type that
    cannot be pickled (``sqlite3.Connection``, ``socket.socket``, ``threading.Lock``, an open file, an SQLAlchemy
    engine or session, an httpx client, a generator...): DBOS checkpoints these values."""
    for function in module.functions:
        if function.kind not in (WORKFLOW, STEP):
            continue
        outer = function.parent or module.scope
        annotated = [(function.node.returns, "return value")]
        if function.kind == WORKFLOW:
            annotated += [(a.annotation, f"parameter {a.arg!r}") for a in _parameters_without_default(function)]
        for annotation, what in annotated:
            name = _annotation_type(module, annotation, outer)
            if name in UNPICKLABLE_TYPES:
                short = name.rsplit(".", 1)[1]
                yield annotation, (f"the {function.kind}'s {what} is checkpointed with pickle and a {short} cannot be: "
                                   "pass plain data (an ID, a path) and open the resource inside a step")


def _parameters_without_default(function: Function) -> list[ast.arg]:
    """The parameters a caller must pass (one with a default may never be passed, and then is not stored)."""
    args = function.node.args
    positional = [*args.posonlyargs, *args.args]
    required = positional[: len(positional) - len(args.defaults)]
    required += [a for a, default in zip(args.kwonlyargs, args.kw_defaults) if default is None]
    return required


def _annotation_type(module: Module, annotation: Optional[ast.expr], scope: Scope) -> Optional[str]:
    """The dotted name of an annotation that names one type, with or without type arguments (``Generator[...]``)."""
    if annotation is None:
        return None
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    if isinstance(annotation, (ast.Name, ast.Attribute)):
        return module.qualname(annotation, scope)
    return None


# --- advanced-validate-args-pydantic ------------------------------------------------------------------------------


@check("advanced-validate-args-pydantic")
def dict_enqueued_for_model_parameter(module: Module) -> Iterator[Report]:
    """``client.enqueue({"workflow_name": "wf", ...}, {...})`` passing a dict display for a parameter of workflow
    ``wf`` (of this file, without ``validate_args=``) that is annotated with a pydantic model of this file and whose
    attributes the body reads: without validation the workflow gets the dict."""
    workflows = _unvalidated_workflows_by_name(module)
    if not workflows:
        return
    for scope in module.scopes:
        for call in scope.nodes:
            if not isinstance(call, ast.Call) or client_method_call(module, call) not in ("enqueue", "enqueue_async"):
                continue
            if not call.args or any(isinstance(a, ast.Starred) for a in call.args):
                continue
            entries = string_key_dict(module, call.args[0], ENQUEUE_OPTIONS_MAKERS)
            name = literal(entries.get("workflow_name")) if entries else None
            workflow = workflows.get(name) if isinstance(name, str) else None
            if workflow is None:
                continue
            for argument, parameter in _bound_arguments(workflow, call.args[1:], call.keywords):
                if isinstance(argument, ast.Dict) and _model_parameter_read(module, workflow, parameter):
                    yield argument, (f"{workflow.name} gets this dict, not a model, without validation: use "
                                     "@DBOS.workflow(validate_args=pydantic_args_validator)")


def _unvalidated_workflows_by_name(module: Module) -> dict[str, Function]:
    """Module-level workflows without ``validate_args=``, by the name a client enqueues them under."""
    found = {}
    for workflow in module.functions_of_kind(WORKFLOW):
        if workflow.parent is not module.scope:
            continue
        options = workflow.decorator_keywords()
        if "validate_args" in options:
            continue
        name = literal(options["name"]) if "name" in options else workflow.name
        if isinstance(name, str):
            found[name] = workflow
    return found


def _bound_arguments(workflow: Function, args: list[ast.expr], keywords_: list[ast.keyword]):
    """(argument, parameter) pairs of a call of ``workflow`` with these arguments."""
    node = workflow.node.args
    positional = [a for a in [*node.posonlyargs, *node.args]]
    for argument, parameter in zip(args, positional):
        yield argument, parameter
    by_name = {a.arg: a for a in [*node.args, *node.kwonlyargs]}
    for keyword in keywords_:
        if keyword.arg in by_name:
            yield keyword.value, by_name[keyword.arg]


def _model_parameter_read(module: Module, workflow: Function, parameter: ast.arg) -> bool:
    """The parameter is annotated with a pydantic model class of this file, is never rebound, and the body reads
    an attribute of it that a dict does not have."""
    annotation = parameter.annotation
    if not isinstance(annotation, ast.Name) or not _is_local_pydantic_model(module, annotation.id):
        return False
    if module.resolve_name(annotation.id, workflow.parent or module.scope) is not None:
        return False  # an imported name of the same spelling
    name = parameter.arg
    if any(isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load) for n in workflow.nodes):
        return False
    return any(
        isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == name
        and n.attr not in DICT_ATTRIBUTES
        for n in workflow.nodes
    )


def _is_local_pydantic_model(module: Module, name: str) -> bool:
    cls = module.classes.get(name)
    if cls is None:
        return False
    return any(module.qualname(base, module.scope) in ("pydantic.BaseModel", "pydantic.main.BaseModel")
               for base in cls.bases)

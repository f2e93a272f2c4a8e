"""Checks of what a workflow body may do: durable sleep, determinism, threads, globals, polling, IDs, shapes."""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from ..model import Report, check
from ..semantic import DBOS, STEP, TRANSACTION, WORKFLOW, Function, Module, Scope, argument, dbos_method, literal, unawait

BLOCKING_SLEEPS = {"time.sleep": "DBOS.sleep(seconds)", "asyncio.sleep": "await DBOS.sleep_async(seconds)"}


# --- helpers shared by the workflow, step and comm checks -----------------------------------------------------------


def own_subtree(module: Module, root: ast.AST, scope: Scope) -> Iterator[ast.AST]:
    """The nodes under ``root`` that belong to ``scope`` itself (nested functions, lambdas and classes left out)."""
    for node in ast.walk(root):
        if node is not root and module.scope_of(node) is scope:
            yield node


CONTAINER_FACTORIES = frozenset(
    ["builtins.list", "builtins.dict", "builtins.set", "builtins.bytearray"]
    + [f"collections.{name}" for name in ("deque", "defaultdict", "Counter", "OrderedDict")]
)
CONTAINER_DISPLAYS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)


def module_containers(module: Module) -> set[str]:
    """Module variables only ever bound to mutable containers (list/dict/set displays, list(), deque()...) by
    assignments at module level: never by an import, def, class, loop or any other binding."""
    containers: set[str] = set()
    others: set[str] = set(module.scope.imports)
    assigned: set[int] = set()
    for node in module.scope.nodes:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            is_container = isinstance(node, ast.AugAssign) or isinstance(value, CONTAINER_DISPLAYS) or (
                isinstance(value, ast.Call) and module.call_name(value) in CONTAINER_FACTORIES
            )
            for target in targets:
                if isinstance(target, ast.Name):
                    assigned.add(id(target))
                    (containers if is_container else others).add(target.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            others.add(node.name)
    for node in module.scope.nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) and id(node) not in assigned:
            others.add(node.id)
    return containers - others


def refers_to_module(module: Module, name: str, scope: Scope) -> bool:
    """True when the bare ``name`` used in ``scope`` is the module's own binding."""
    return module.owner_of(name, scope) is module.scope


def target_function(module: Module, node: Optional[ast.AST], scope: Scope) -> Optional[Function]:
    """The step or workflow of this file that an expression names (``fn``, ``self.fn``, ``Class.fn``)."""
    if node is None:
        return None
    function = module.local_function(node, scope)
    return function if function is not None and function.kind in (WORKFLOW, STEP) else None


# --- workflow-durable-sleep -------------------------------------------------------------------------------------------


@check("workflow-durable-sleep")
def sleep_in_workflow(module: Module) -> Iterator[Report]:
    """``time.sleep`` / ``asyncio.sleep`` in a workflow body: the wait starts over after every recovery."""
    for workflow in module.functions_of_kind(WORKFLOW):
        for call in workflow.calls():
            name = module.call_name(call)
            if name in BLOCKING_SLEEPS:
                yield call, f"{name} in a workflow is not durable: use {BLOCKING_SLEEPS[name]}"


# --- workflow-nondeterminism-in-steps ------------------------------------------------------------------------------

_RANDOM_FUNCTIONS = (
    "random randint randrange choice choices shuffle sample uniform triangular gauss normalvariate lognormvariate "
    "expovariate vonmisesvariate gammavariate betavariate paretovariate weibullvariate getrandbits randbytes "
    "binomialvariate"
).split()
VALUE = "returns a different value on replay"
EFFECT = "runs again on every replay"
NONDETERMINISTIC = {
    **{f"random.{f}": VALUE for f in _RANDOM_FUNCTIONS},
    **{f"secrets.{f}": VALUE for f in ("token_bytes", "token_hex", "token_urlsafe", "choice", "randbelow", "randbits")},
    "os.urandom": VALUE,
    **{f"uuid.{f}": VALUE for f in ("uuid1", "uuid4", "uuid6", "uuid7")},
    **{name: VALUE for name in (
        "time.time", "time.time_ns", "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
        "datetime.date.today", "os.getenv", "os.getenvb",
    )},
    **{f"{lib}.{f}": EFFECT for lib in ("requests", "httpx")
       for f in ("get", "post", "put", "patch", "delete", "head", "options", "request")},
    "httpx.stream": EFFECT,
    "urllib.request.urlopen": EFFECT,
    "socket.create_connection": EFFECT,
    "builtins.open": EFFECT,
    "io.open": EFFECT,
}
ENVIRONMENT = ("os.environ", "os.environb")


@check("workflow-nondeterminism-in-steps")
def nondeterminism_in_workflow(module: Module) -> Iterator[Report]:
    """random/secrets/uuid4/time.time/datetime.now/os.environ/getenv/requests/httpx/urlopen/open in a workflow."""
    for workflow in module.functions_of_kind(WORKFLOW):
        stored = {
            id(node.value)
            for node in workflow.nodes
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del))
        }
        for node in workflow.nodes:
            if isinstance(node, ast.Call):
                name = module.call_name(node)
                what = NONDETERMINISTIC.get(name or "")
                if what:
                    shown = "open" if name == "builtins.open" else name
                    yield node, (
                        f"{shown}() in a workflow body {what}: call it in a @DBOS.step (or DBOS.run_step) "
                        "so the result is recorded"
                    )
            elif isinstance(node, (ast.Attribute, ast.Name)) and isinstance(node.ctx, ast.Load):
                if id(node) in stored:
                    continue
                name = module.qualname(node, workflow)
                if name in ENVIRONMENT:
                    yield node, (
                        f"{name} read in a workflow body may differ on replay: read it in a @DBOS.step, "
                        "or once at import into a constant"
                    )


# --- workflow-no-threads / workflow-start-in-background ---------------------------------------------------------

THREAD_CLASSES = ("threading.Thread",)
EXECUTORS = ("concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor")
EVENT_LOOPS = ("asyncio.get_running_loop", "asyncio.get_event_loop")


def _thread_target(module: Module, call: ast.Call, scope: Scope) -> Optional[Function]:
    """The step or workflow of this file that ``threading.Thread(target=...)`` runs."""
    if module.call_name(call) not in THREAD_CLASSES:
        return None
    return target_function(module, argument(call, 1, "target"), scope)


def _executor_names(module: Module, scope: Scope, creators: tuple[str, ...]) -> set[str]:
    """Names a body binds to a new executor (``with X(...) as pool`` or ``pool = X(...)``)."""
    names = set()
    for node in scope.nodes:
        pairs: list[tuple[ast.AST, Optional[ast.AST]]] = []
        if isinstance(node, ast.withitem):
            pairs.append((node.context_expr, node.optional_vars))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            pairs.append((node.value, node.targets[0]))
        for value, target in pairs:
            value = unawait(value)
            if isinstance(value, ast.Call) and isinstance(target, ast.Name) and module.call_name(value) in creators:
                names.add(target.id)
    return names


def _pool_submission(
    module: Module, call: ast.Call, workflow: Function, pools: set[str], module_pools: set[str], loops: set[str]
) -> Optional[Function]:
    """The step or workflow a pool or event-loop executor call in a workflow body runs, else None."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    receiver = unawait(func.value)
    if func.attr in ("submit", "map"):
        created_here = isinstance(receiver, ast.Call) and module.call_name(receiver) in EXECUTORS
        named = (
            isinstance(receiver, ast.Name)
            and (
                receiver.id in pools
                or (receiver.id in module_pools and refers_to_module(module, receiver.id, workflow))
            )
        )
        if created_here or named:
            return target_function(module, argument(call, 0, "fn"), workflow)
    if func.attr == "run_in_executor":
        is_loop = (isinstance(receiver, ast.Call) and module.call_name(receiver) in EVENT_LOOPS) or (
            isinstance(receiver, ast.Name) and receiver.id in loops
        )
        if is_loop:
            return target_function(module, argument(call, 1, "func"), workflow)
    return None


@check("workflow-no-threads")
def threads_in_workflow(module: Module) -> Iterator[Report]:
    """In a workflow: Thread(target=<step/workflow>), or a thread pool's submit/map/run_in_executor of one."""
    module_pools = _executor_names(module, module.scope, EXECUTORS)
    for workflow in module.functions_of_kind(WORKFLOW):
        pools = _executor_names(module, workflow, EXECUTORS)
        loops = _executor_names(module, workflow, EVENT_LOOPS)
        for call in workflow.calls():
            target = _thread_target(module, call, workflow) or _pool_submission(
                module, call, workflow, pools, module_pools, loops
            )
            if target is not None:
                what = "child workflow" if target.kind == WORKFLOW else "step"
                yield call, (
                    f"{what} {target.name} run on another thread is not recorded by this workflow: "
                    "use DBOS.start_workflow / DBOS.enqueue_workflow from the workflow body"
                )


@check("workflow-start-in-background")
def thread_starts_workflow(module: Module) -> Iterator[Report]:
    """``threading.Thread(target=<workflow of this file>)`` outside a workflow."""
    if not module.calls_any(*THREAD_CLASSES):
        return
    for scope in module.bodies():
        if isinstance(scope, Function) and scope.kind == WORKFLOW:
            continue
        for node in scope.nodes:
            if isinstance(node, ast.Call):
                target = _thread_target(module, node, scope)
                if target is not None and target.kind == WORKFLOW:
                    yield node, (
                        f"a thread running {target.name} gives no workflow ID and no durable start: "
                        "use DBOS.start_workflow and keep the handle's workflow_id"
                    )


# --- workflow-no-mutable-globals ------------------------------------------------------------------------------------

MUTATORS = frozenset(
    "append extend insert pop popleft remove clear add discard update setdefault popitem appendleft extendleft "
    "sort reverse".split()
)


def _mutated_module_names(module: Module, function: Function, containers: set[str]) -> dict[str, ast.AST]:
    """Module globals a body changes: a name it declares ``global`` and binds, or a module-level container it
    changes in place (``X.append(...)``, ``X[k] = v``, ``del X[k]``)."""
    found: dict[str, ast.AST] = {}
    declared = function.declared_global
    for node in function.nodes:
        name = None
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) and node.id in declared:
            found.setdefault(node.id, node)
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            if isinstance(node.func.value, ast.Name):
                name = node.func.value.id
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
            if isinstance(node.value, ast.Name):
                name = node.value.id
        if name is not None and name in containers and refers_to_module(module, name, function):
            found.setdefault(name, node)
    return found


@check("workflow-no-mutable-globals")
def mutable_globals_in_workflow(module: Module) -> Iterator[Report]:
    """A workflow that rebinds a `global` or mutates a module list/dict/set, or reads one a step mutates."""
    containers = module_containers(module)
    changed_by_steps: set[str] = set()
    for step in module.functions:
        if step.kind in (STEP, TRANSACTION):
            changed_by_steps |= set(_mutated_module_names(module, step, containers))
    for workflow in module.functions_of_kind(WORKFLOW):
        written = _mutated_module_names(module, workflow, containers)
        for name, node in written.items():
            yield node, (
                f"workflow changes the global {name}: per-process state is lost on recovery; "
                "pass data through arguments and return values"
            )
        reported = set(written)
        for node in workflow.nodes:
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and node.id in changed_by_steps
                and node.id not in reported
                and refers_to_module(module, node.id, workflow)
            ):
                reported.add(node.id)
                yield node, (
                    f"workflow reads the global {node.id}, which a step changes: replayed steps do not redo it; "
                    "use the step's return value"
                )


# --- workflow-wait-first ------------------------------------------------------------------------------------------

HANDLE_MAKERS = frozenset(
    f"{name}{suffix}"
    for name in ("start_workflow", "enqueue_workflow", "enqueue_workflow_with_options", "retrieve_workflow")
    for suffix in ("", "_async")
)
STATUS_CALLS = ("get_workflow_status", "get_workflow_status_async")


def _is_handle_call(module: Module, node: Optional[ast.AST]) -> bool:
    node = unawait(node)
    return isinstance(node, ast.Call) and dbos_method(module, node) in HANDLE_MAKERS


def _handle_names(module: Module, workflow: Function) -> tuple[set[str], set[str]]:
    """Names bound in a body to one handle, and to a list of handles."""
    handles: set[str] = set()
    lists: set[str] = set()
    for node in workflow.nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if _is_handle_call(module, value):
                handles.add(node.targets[0].id)
            elif isinstance(value, ast.ListComp) and _is_handle_call(module, value.elt):
                lists.add(node.targets[0].id)
            elif isinstance(value, (ast.List, ast.Tuple)) and value.elts and all(
                _is_handle_call(module, e) for e in value.elts
            ):
                lists.add(node.targets[0].id)
    for node in workflow.nodes:
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) and isinstance(node.target, ast.Name):
            if isinstance(node.iter, ast.Name) and node.iter.id in lists:
                handles.add(node.target.id)
    return handles, lists


@check("workflow-wait-first")
def status_polling_in_workflow(module: Module) -> Iterator[Report]:
    """In a workflow's `while` loop: <handle>.get_status() or DBOS.get_workflow_status(...)."""
    for workflow in module.functions_of_kind(WORKFLOW):
        handles, _ = _handle_names(module, workflow)
        seen: set[int] = set()
        for loop in workflow.nodes:
            if not isinstance(loop, ast.While):
                continue
            for node in own_subtree(module, loop, workflow):
                if not isinstance(node, ast.Call) or id(node) in seen:
                    continue
                func = node.func
                polled = dbos_method(module, node) in STATUS_CALLS or (
                    isinstance(func, ast.Attribute)
                    and func.attr in ("get_status", "get_status_async")
                    and (
                        (isinstance(func.value, ast.Name) and func.value.id in handles)
                        or _is_handle_call(module, func.value)
                    )
                )
                if polled:
                    seen.add(id(node))
                    yield node, (
                        "polling a workflow's status in a loop checkpoints every check: "
                        "wait with DBOS.wait_first(handles) or handle.get_result()"
                    )


# --- workflow-ids-idempotency -----------------------------------------------------------------------------------------


def _started_workflow(module: Module, body: list[ast.stmt], scope: Scope) -> Optional[Function]:
    """The first workflow of this file a ``with`` body calls, starts or enqueues directly."""
    for statement in body:
        for node in [statement, *own_subtree(module, statement, scope)]:
            if not isinstance(node, ast.Call):
                continue
            workflow = module.workflow_of(node)
            if workflow is None:
                method = dbos_method(module, node)
                fn = None
                if method in ("start_workflow", "start_workflow_async"):
                    fn = argument(node, 0, "func")
                elif method in ("enqueue_workflow", "enqueue_workflow_async"):
                    fn = argument(node, 1, "func")
                if fn is not None:
                    found = module.local_function(fn, scope)
                    workflow = found if found is not None and found.kind == WORKFLOW else None
            if workflow is not None:
                return workflow
    return None


def _literal_workflow_id(module: Module, statement: ast.stmt, scope: Scope) -> Optional[str]:
    """The literal ID of ``with SetWorkflowID("..."):`` (one item), else None."""
    if not isinstance(statement, ast.With) or len(statement.items) != 1:
        return None
    expr = statement.items[0].context_expr
    if not isinstance(expr, ast.Call) or module.call_name(expr) != "dbos.SetWorkflowID":
        return None
    value = literal(argument(expr, 0, "wfid"))
    return value if isinstance(value, str) else None


NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
FORGET = frozenset(
    [DBOS, f"{DBOS}.destroy", f"{DBOS}.reset_system_database"]
    + [f"{DBOS}.{name}{suffix}" for name in ("delete_workflow", "delete_workflows") for suffix in ("", "_async")]
)


def _forgets_workflows(module: Module, statement: ast.stmt, scope: Scope) -> bool:
    """True when a statement may drop recorded workflows: a new DBOS, destroy, reset, delete_workflow(s)."""
    return any(
        isinstance(node, ast.Call) and module.call_name(node) in FORGET
        for node in [statement, *own_subtree(module, statement, scope)]
    )


@check("workflow-ids-idempotency")
def one_id_two_workflows(module: Module) -> Iterator[Report]:
    """Two sibling ``with SetWorkflowID("<same literal>"):`` blocks that run two different workflows of this file."""
    if not module.calls_any("dbos.SetWorkflowID"):
        return
    for scope in module.bodies():
        bodies = [scope.node.body] if isinstance(scope.node.body, list) else []
        bodies += [
            getattr(node, field)
            for node in scope.nodes
            if isinstance(node, ast.stmt) and not isinstance(node, NESTED_SCOPES)
            for field in ("body", "orelse", "finalbody")
            if isinstance(getattr(node, field, None), list)
        ]
        for body in bodies:
            first_use: dict[str, Function] = {}
            for statement in body:
                if _forgets_workflows(module, statement, scope):
                    first_use.clear()
                workflow_id = _literal_workflow_id(module, statement, scope)
                if workflow_id is None:
                    continue
                workflow = _started_workflow(module, statement.body, scope)  # type: ignore[attr-defined]
                if workflow is None:
                    continue
                earlier = first_use.setdefault(workflow_id, workflow)
                if earlier is not workflow:
                    yield statement.items[0].context_expr, (  # type: ignore[attr-defined]
                        f"workflow ID {workflow_id!r} already names {earlier.name}: derive one ID per workflow, "
                        f"e.g. f\"{workflow.name}-{{key}}\""
                    )


# --- workflow-introspection-shapes ----------------------------------------------------------------------------------

STATUS_MANY = ("list_workflows", "list_workflows_async", "list_queued_workflows", "list_queued_workflows_async")
STEPS_MANY = ("list_workflow_steps", "list_workflow_steps_async")
DICT_ATTRIBUTES = frozenset(dir(dict))


class _Shapes:
    """What each expression of one scope is known to hold: a WorkflowStatus, a list of them, a step dict, a list."""

    def __init__(self, module: Module, scope: Scope):
        self.module = module
        self.scope = scope
        self.names: dict[str, str] = {}
        counts: dict[str, int] = {}
        candidates: dict[str, str] = {}
        for node in scope.nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                counts[node.id] = counts.get(node.id, 0) + 1
        for name in scope.bound & scope.imports.keys():
            counts[name] = counts.get(name, 0) + 2
        for node in scope.nodes:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                kind = self.kind(node.value)
                if kind:
                    candidates[node.targets[0].id] = kind
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) and isinstance(node.target, ast.Name):
                kind = self.kind(node.iter)
                if kind in ("statuses", "steps"):
                    candidates[node.target.id] = kind[:-1] if kind == "steps" else "status"
        # Only names bound once (by the assignment or the loop seen above) keep their shape.
        self.names = {name: kind for name, kind in candidates.items() if counts.get(name) == 1}
        # Parameters shadowing: a parameter is bound without a Store node.
        if isinstance(scope, Function):
            for parameter in scope.parameters:
                self.names.pop(parameter, None)

    def kind(self, node: Optional[ast.AST]) -> Optional[str]:
        node = unawait(node)
        if isinstance(node, ast.Call):
            method = dbos_method(self.module, node)
            if method in STATUS_CALLS:
                return "status"
            if method in STATUS_MANY:
                return "statuses"
            if method in STEPS_MANY:
                return "steps"
            return None
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
            inner = self.kind(node.value)
            if inner == "statuses":
                return "status"
            if inner == "steps":
                return "step"
        return None


@check("workflow-introspection-shapes")
def wrong_shape_access(module: Module) -> Iterator[Report]:
    """`x[...]` on a WorkflowStatus (list_workflows, get_workflow_status); `x.attr` on a list_workflow_steps dict."""
    if not module.calls_any(*(f"{DBOS}.{name}" for name in STATUS_CALLS + STATUS_MANY + STEPS_MANY)):
        return
    for scope in module.bodies():
        shapes: Optional[_Shapes] = None
        for node in scope.nodes:
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                shapes = shapes or _Shapes(module, scope)
                if shapes.kind(node.value) == "status":
                    yield node, "WorkflowStatus is an object, not a dict: read attributes (wf.status, wf.workflow_id)"
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                if node.attr in DICT_ATTRIBUTES:
                    continue
                shapes = shapes or _Shapes(module, scope)
                if shapes.kind(node.value) == "step":
                    yield node, (
                        f"list_workflow_steps returns dicts: use step[\"{node.attr}\"], not step.{node.attr}"
                    )

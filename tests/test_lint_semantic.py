"""The linter's shared pass: names, function kinds and lifecycle order, worked out once per file."""

from __future__ import annotations

import ast

from dboslint.semantic import CONSTRUCT, DESTROY, LAUNCH, REGISTER_QUEUE, RUN_WORKFLOW, STEP, TRANSACTION, WORKFLOW, Module


def analyse(source: str) -> Module:
    return Module(ast.parse(source), source)


def call_names(module: Module, function: str) -> list[str | None]:
    (target,) = [f for f in module.functions if f.name == function]
    return [module.call_name(c) for c in target.calls()]


def test_aliases_and_module_imports_resolve():
    module = analyse(
        "import dbos\nimport datetime as dt\nfrom dbos import DBOS as D\nfrom time import sleep\n"
        "def f():\n    D.sleep(1)\n    dbos.DBOS.recv()\n    dt.datetime.now()\n    sleep(1)\n    open('x')\n"
    )
    assert call_names(module, "f") == ["dbos.DBOS.sleep", "dbos.DBOS.recv", "datetime.datetime.now", "time.sleep",
                                       "builtins.open"]


def test_local_bindings_shadow_imports_and_builtins():
    module = analyse(
        "import time\nfrom dbos import DBOS\n"
        "def f(time):\n    time.sleep(1)\n"
        "def g():\n    open = lambda p: p\n    open('x')\n"
        "def h():\n    for DBOS in []:\n        pass\n    DBOS.sleep(1)\n"
        "def k():\n    import random\n    random.random()\n"
    )
    assert call_names(module, "f") == [None]
    assert call_names(module, "g") == [None]
    assert call_names(module, "h") == [None]
    assert call_names(module, "k") == ["random.random"]


def test_a_rebound_import_is_not_trusted():
    module = analyse("from dbos import Queue\nQueue = list\ndef f():\n    Queue()\n")
    assert call_names(module, "f") == [None]


def test_global_declaration_reads_the_module_binding():
    module = analyse("import time\ndef f():\n    global time\n    time.sleep(1)\n")
    assert call_names(module, "f") == ["time.sleep"]


def test_class_body_names_are_not_visible_in_methods():
    module = analyse("import time\nclass C:\n    time = 1\n    def m(self):\n        time.sleep(1)\n")
    assert call_names(module, "m") == ["time.sleep"]


def test_function_kinds():
    module = analyse(
        "from dbos import DBOS as D, SQLAlchemyDatasource\n"
        "ds = SQLAlchemyDatasource.create('sqlite://')\n"
        "@D.workflow()\ndef wf(): pass\n"
        "@D.step(retries_allowed=True)\nasync def st(): pass\n"
        "@ds.transaction()\ndef tx(): pass\n"
        "@D.dbos_class()\nclass C:\n    @D.workflow()\n    def m(self): pass\n"
        "def plain(): pass\n"
        "def wrapped(): pass\n"
        "registered = D.workflow()(wrapped)\n"
        "other = object()\n@other.transaction()\ndef not_tx(): pass\n"
    )
    kinds = {f.name: f.kind for f in module.functions}
    assert kinds == {"wf": WORKFLOW, "st": STEP, "tx": TRANSACTION, "m": WORKFLOW, "plain": None,
                     "wrapped": WORKFLOW, "not_tx": None}
    (st,) = [f for f in module.functions if f.name == "st"]
    assert st.is_async and ast.literal_eval(st.decorator_keywords()["retries_allowed"]) is True


def test_workflow_calls_through_self_cls_and_class():
    module = analyse(
        "from dbos import DBOS\n@DBOS.dbos_class()\nclass C:\n"
        "    @DBOS.workflow()\n    def w(self): pass\n"
        "    def run(self):\n        self.w()\n        C.w(self)\n"
    )
    (run,) = [f for f in module.functions if f.name == "run"]
    assert [module.workflow_of(c).name for c in run.calls()] == ["w", "w"]


def test_lifecycle_events_in_source_order_including_the_main_block():
    module = analyse(
        "from dbos import DBOS\n@DBOS.workflow()\ndef wf(): pass\n"
        "def helper():\n    DBOS.launch()\n"
        "DBOS(config={})\n"
        "if __name__ == '__main__':\n    q = DBOS.register_queue('q')\n    DBOS.launch()\n    wf()\n    DBOS.destroy()\n"
    )
    events = module.events(module.scope)
    assert [e.kind for e in events] == [CONSTRUCT, REGISTER_QUEUE, LAUNCH, RUN_WORKFLOW, DESTROY]
    assert [module.under_main_guard(e.node) for e in events] == [False, True, True, True, True]


def test_client_calls_are_not_dbos_calls():
    module = analyse(
        "from dbos import DBOSClient\nclient = DBOSClient(system_database_url='x')\n"
        "def f():\n    client.register_queue('q')\n    client.enqueue({}, 1)\n"
    )
    assert module.events(module.functions[0]) == []
    assert call_names(module, "f") == [None, None]


def test_nonlocal_reads_the_enclosing_function_binding():
    module = analyse(
        "import time\ndef outer():\n    time = object()\n    def inner():\n        nonlocal time\n        time.time()\n"
        "    return inner\n"
    )
    assert call_names(module, "inner") == [None]


def test_a_long_chain_of_helpers_that_launch_is_followed_to_its_end():
    """A launch reached through 400 helpers of the file still counts as a launch, and the file is checked (no
    recursion limit turns it into a false syntax error)."""
    from dboslint.engine import lint_source

    source = "from dbos import DBOS, Queue\n\n\ndef f0():\n    DBOS.launch()\n"
    source += "".join(f"\n\ndef f{i}():\n    f{i - 1}()\n" for i in range(1, 400))
    source += "\n\nDBOS(config={'name': 'app', 'system_database_url': 'sqlite:///x.sqlite'})\nf399()\nlate = Queue('late')\n"
    found = [(f.line, f.rule) for f in lint_source(source, "chain.py")]
    assert found == [(1604, "lifecycle-launch-in-main"), (1606, "queue-register-after-launch")]

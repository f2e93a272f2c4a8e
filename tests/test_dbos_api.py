"""The DBOS API check reads the installed dbos (cached per installation) and catches wrong names and keywords."""

from __future__ import annotations

import json

from skillpack import dbos_api


def test_surface_is_introspected_then_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    dbos_api.surface.cache_clear()
    try:
        data = dbos_api.surface()
        cached = list((tmp_path / "skillpack").glob("dbos-3.4.0-*.json"))
        assert len(cached) == 1
        assert json.loads(cached[0].read_text()) == data
        assert "register_queue" in data["members"]["DBOS"] and "transaction" not in data["members"]["DBOS"]
        cached[0].write_text("{not json")
        dbos_api.surface.cache_clear()
        assert dbos_api.surface() == data  # a corrupt cache is rebuilt from the package
    finally:
        dbos_api.surface.cache_clear()


def test_check_code_finds_removed_and_misspelled_api():
    code = (
        "from dbos import DBOS, SetWorkflowID, Queue\n"
        "@DBOS.transaction()\n"
        "def f(): pass\n"
        "DBOS.register_queue('q', concurrency_limit=3)\n"
        "with SetWorkflowID(workflow_id='x'):\n"
        "    pass\n"
    )
    messages = [(p.line, p.message) for p in dbos_api.check_code(code)]
    assert (2, "DBOS.transaction does not exist in dbos 3.4.0") in messages
    assert (4, "DBOS.register_queue() has no keyword argument 'concurrency_limit'") in messages
    assert (5, "SetWorkflowID() has no keyword argument 'workflow_id'") in messages  # its parameter is wfid
    assert not dbos_api.check_code("from dbos import SetWorkflowID\nwith SetWorkflowID(wfid='x'):\n    pass\n")


def test_aliases_and_module_imports_are_followed():
    code = "import dbos as d\nfrom dbos import DBOS as D\nD.sleepp(1)\nd.Nope()\n"
    messages = [p.message for p in dbos_api.check_code(code)]
    assert "DBOS.sleepp does not exist in dbos 3.4.0" in messages
    assert "dbos.Nope does not exist in dbos 3.4.0" in messages


def test_name_exists_resolves_members_and_keywords():
    assert dbos_api.name_exists("DBOS.register_queue.worker_concurrency")
    assert dbos_api.name_exists("SQLAlchemyDatasource.transaction")
    assert dbos_api.name_exists("DBOSConfig.system_database_url")
    assert not dbos_api.name_exists("DBOSConfig.application_database_url")
    assert not dbos_api.name_exists("DBOS.scheduled")

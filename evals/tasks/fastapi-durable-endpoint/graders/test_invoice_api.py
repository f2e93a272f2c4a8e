"""The invoice endpoint starts a durable workflow; DBOS lives in the FastAPI lifespan."""

import importlib

import dbos._dbos as dbos_module
from dbos import DBOS
from fastapi.testclient import TestClient


def outbox_lines(env: dict) -> list[str]:
    if not env["outbox"].exists():
        return []
    return env["outbox"].read_text(encoding="utf-8").splitlines()


def test_importing_main_does_not_start_dbos(env):
    importlib.import_module("main")
    instance = dbos_module._dbos_global_instance
    assert instance is None or not instance._launched, "importing main launched DBOS"
    assert not env["db"].exists(), "importing main opened the system database"


def test_send_starts_a_durable_workflow_once_and_shuts_down(env):
    main = importlib.import_module("main")
    with TestClient(main.app) as client:
        assert client.get("/invoices/inv-42").status_code == 404, "an invoice never sent must answer 404"
        response = client.post("/invoices/inv-42/send")
        assert response.status_code == 202, response.text
        assert response.json() == {"invoice_id": "inv-42", "workflow_id": "invoice-inv-42"}
        DBOS.retrieve_workflow("invoice-inv-42").get_result(polling_interval_sec=0.05)
        assert client.get("/invoices/inv-42").json() == {"status": "SUCCESS"}

        again = client.post("/invoices/inv-42/send")
        assert again.status_code == 202, again.text
        assert again.json()["workflow_id"] == "invoice-inv-42"
        DBOS.retrieve_workflow("invoice-inv-42").get_result(polling_interval_sec=0.05)
        ids = [w.workflow_id for w in DBOS.list_workflows()]
        assert ids.count("invoice-inv-42") == 1
    assert outbox_lines(env) == ["inv-42 /invoices/inv-42.pdf"], "the invoice must be e-mailed exactly once"
    assert env["db"].exists(), "the workflow must be recorded in DBOS_SYSTEM_DATABASE_URL"
    assert dbos_module._dbos_global_instance is None, "DBOS must be destroyed when the app shuts down"

"""Each test gets its own SQLite system database and ledger, a fresh import of the app and no DBOS left over."""

import json
import os
import sys
from pathlib import Path

import pytest
from dbos import DBOS

APP_MODULES = ("checkout", "shop_services")


def ledger_entries(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture()
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    db = tmp_path / "dbos.sqlite"
    ledger = tmp_path / "ledger.jsonl"
    monkeypatch.setenv("DBOS_SYSTEM_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("SHOP_LEDGER", str(ledger))
    monkeypatch.delenv("SHOP_HANG_AFTER", raising=False)
    DBOS.destroy(destroy_registry=True)
    for name in APP_MODULES:
        sys.modules.pop(name, None)
    yield {"db": db, "ledger": ledger, "workdir": Path(os.environ.get("DBOS_EVAL_WORKDIR", "."))}
    DBOS.destroy(destroy_registry=True)
    for name in APP_MODULES:
        sys.modules.pop(name, None)

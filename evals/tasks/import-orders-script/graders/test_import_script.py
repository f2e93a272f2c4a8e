"""python import_orders.py runs each order once as a queued DBOS workflow, also when run twice."""

import json
import os
import subprocess
import sys
from pathlib import Path

from dbos import DBOSClient

ORDERS = [("A-1", "mug", "2"), ("A-2", "tea", "1"), ("A-3", "pot", "3")]


def run_script(tmp_path: Path, csv_file: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["DBOS_SYSTEM_DATABASE_URL"] = f"sqlite:///{tmp_path / 'dbos.sqlite'}"
    env["WAREHOUSE_FILE"] = str(tmp_path / "warehouse.jsonl")
    return subprocess.run(
        [sys.executable, "import_orders.py", str(csv_file)],
        cwd=os.environ.get("DBOS_EVAL_WORKDIR", "."),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_import_twice_stores_each_order_once(tmp_path):
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text("order_id,sku,quantity\n" + "".join(f"{o},{s},{q}\n" for o, s, q in ORDERS))

    first = run_script(tmp_path, csv_file)
    assert first.returncode == 0, first.stderr[-3000:]
    imported = [line for line in first.stdout.splitlines() if line.startswith("imported ")]
    assert imported == ["imported A-1", "imported A-2", "imported A-3"]

    second = run_script(tmp_path, csv_file)
    assert second.returncode == 0, second.stderr[-3000:]

    stored = [json.loads(line) for line in (tmp_path / "warehouse.jsonl").read_text().splitlines()]
    assert sorted(o["order_id"] for o in stored) == ["A-1", "A-2", "A-3"], "each order must be stored exactly once"
    assert {"order_id": "A-1", "quantity": 2, "sku": "mug"} in stored

    client = DBOSClient(system_database_url=f"sqlite:///{tmp_path / 'dbos.sqlite'}")
    try:
        runs = {w.workflow_id: w for w in client.list_workflows()}
    finally:
        client.destroy()
    for order_id, _, _ in ORDERS:
        run = runs.get(f"import-{order_id}")
        assert run is not None, f"no workflow import-{order_id}"
        assert run.status == "SUCCESS"
        assert run.queue_name == "orders", "each import must run through the orders queue"

"""A checkout killed in the middle of the charge finishes once on restart; a repeated checkout charges once."""

import importlib
import os
import signal
import subprocess
import sys
import time

from dbos import DBOS

from conftest import ledger_entries

ORDER = ["order-1", "4242424242424242", "mug", "2", "ann@example.com"]


def kinds(entries: list[dict], kind: str) -> list[dict]:
    return [e for e in entries if e["kind"] == kind]


def test_a_checkout_killed_during_the_charge_finishes_exactly_once_on_restart(shop, tmp_path):
    command = [sys.executable, "checkout.py", *ORDER]
    env = dict(os.environ, SHOP_HANG_AFTER="charge")
    log = (tmp_path / "first.log").open("wb")
    first = subprocess.Popen(command, cwd=shop["workdir"], env=env, stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not kinds(ledger_entries(shop["ledger"]), "charge"):
            assert first.poll() is None, "checkout.py exited before charging:\n" + (tmp_path / "first.log").read_text()
            assert time.monotonic() < deadline, "checkout.py did not charge the card within 60 s"
            time.sleep(0.02)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the card is charged, the reply never arrived: the worst moment
        first.wait()
        log.close()

    env.pop("SHOP_HANG_AFTER")
    again = subprocess.run(command, cwd=shop["workdir"], env=env, capture_output=True, text=True, timeout=90,
                           stdin=subprocess.DEVNULL)
    assert again.returncode == 0, again.stdout + again.stderr
    entries = ledger_entries(shop["ledger"])
    charges, reserves, receipts = (kinds(entries, k) for k in ("charge", "reserve", "receipt"))
    assert len(charges) == 1, f"the card was charged {len(charges)} times: {charges}"
    assert charges[0]["amount_cents"] == 2400 and charges[0]["card"] == ORDER[1]
    assert len(reserves) == 1, f"the stock was reserved {len(reserves)} times: {reserves}"
    assert (reserves[0]["sku"], reserves[0]["quantity"]) == ("mug", 2)
    assert len(receipts) == 1, f"{len(receipts)} receipts were sent: {receipts}"
    assert receipts[0]["charge_id"] == charges[0]["id"] and receipts[0]["order_id"] == "order-1"
    assert again.stdout.strip().splitlines()[-1] == charges[0]["id"], "checkout.py must print the charge ID"


def test_a_repeated_checkout_of_the_same_order_returns_the_first_charge(shop):
    checkout = importlib.import_module("checkout")
    DBOS(config={
        "name": "checkout-graders",
        "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
        "notification_listener_polling_interval_sec": 0.01,
        "log_level": "WARNING",
    })
    DBOS.launch()
    first = checkout.checkout("order-7", "4000000000000002", "tee", 1, "bo@example.com")
    again = checkout.checkout("order-7", "4000000000000002", "tee", 1, "bo@example.com")
    other = checkout.checkout("order-8", "4000000000000002", "poster", 3, "bo@example.com")
    assert again == first, "a repeated checkout must return the first charge ID"
    assert other != first
    entries = ledger_entries(shop["ledger"])
    assert [c["amount_cents"] for c in kinds(entries, "charge")] == [2500, 2700]
    assert len(kinds(entries, "reserve")) == 2 and len(kinds(entries, "receipt")) == 2
    receipt_numbers = [r["receipt_number"] for r in kinds(entries, "receipt")]
    assert len(set(receipt_numbers)) == 2, "each order gets its own receipt number"
    status = DBOS.get_workflow_status("checkout-order-7")
    assert status is not None, "the checkout of order-7 must run as the DBOS workflow checkout-order-7"
    assert status.status == "SUCCESS" and status.output == first

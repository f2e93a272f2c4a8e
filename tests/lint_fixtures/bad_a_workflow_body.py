"""Workflow bodies that break the workflow-* rules: nondeterminism, threads, globals, status polling, one ID for
two workflows, a fire-and-forget thread, and introspection results read in the wrong shape."""

import os
import random
import secrets
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime as dt

import httpx
from dbos import DBOS as D, SetWorkflowID

orders_seen = 0
charged: list[str] = []
POOL = ThreadPoolExecutor(max_workers=4)


@D.step()
def charge(order_id: str) -> str:
    charged.append(order_id)
    return f"ch_{order_id}"


@D.workflow()
def resize_image(image_id: str) -> str:
    return f"{image_id}-small.png"


@D.workflow()
def checkout(order_id: str) -> dict:
    global orders_seen
    orders_seen += 1  # expect: workflow-no-mutable-globals
    if dt.now().hour >= 22:  # expect: workflow-nondeterminism-in-steps
        time.sleep(5)  # expect: workflow-durable-sleep
    coupon = random.choice(["A", "B"])  # expect: workflow-nondeterminism-in-steps
    ref = uuid.uuid4().hex  # expect: workflow-nondeterminism-in-steps
    token = secrets.token_hex(8)  # expect: workflow-nondeterminism-in-steps
    flag = os.environ.get("FEATURE_X")  # expect: workflow-nondeterminism-in-steps
    started = time.time()  # expect: workflow-nondeterminism-in-steps
    today = date.today()  # expect: workflow-nondeterminism-in-steps
    rates = httpx.get("https://rates.example.com").json()  # expect: workflow-nondeterminism-in-steps
    page = urllib.request.urlopen("https://example.com")  # expect: workflow-nondeterminism-in-steps
    with open("/tmp/audit.log", "a") as log:  # expect: workflow-nondeterminism-in-steps
        log.write(order_id)
    charge(order_id)
    return {"n": len(charged), "coupon": coupon, "ref": ref, "token": token, "flag": flag,  # expect: workflow-no-mutable-globals
            "t": started, "d": today, "r": rates, "p": page}


@D.workflow()
def resize_all(image_ids: list[str]) -> list[str]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        out = list(pool.map(resize_image, image_ids))  # expect: workflow-no-threads
    POOL.submit(charge, "o-1")  # expect: workflow-no-threads
    worker = threading.Thread(target=resize_image, args=("x",))  # expect: workflow-no-threads
    worker.start()
    return out


@D.workflow()
def first_done(image_ids: list[str]) -> str:
    handles = [D.start_workflow(resize_image, i) for i in image_ids]
    while True:
        for h in handles:
            if h.get_status().status == "SUCCESS":  # expect: workflow-wait-first
                return h.get_result()
        D.sleep(0.5)


def on_upload(image_id: str) -> dict:
    threading.Thread(target=resize_image, args=(image_id,)).start()  # expect: workflow-start-in-background
    return {"status": "accepted"}


def charge_then_ship(order_id: str) -> None:
    with SetWorkflowID("order-A-100"):
        checkout(order_id)
    with SetWorkflowID("order-A-100"):  # expect: workflow-ids-idempotency
        resize_all([order_id])


def report() -> None:
    for wf in D.list_workflows(name="checkout"):
        print(wf["workflow_id"], wf["status"])  # expect: workflow-introspection-shapes
        for step in D.list_workflow_steps(wf.workflow_id):
            print(step.function_name)  # expect: workflow-introspection-shapes
    status = D.get_workflow_status("order-A-100")
    print(status["status"])  # expect: workflow-introspection-shapes

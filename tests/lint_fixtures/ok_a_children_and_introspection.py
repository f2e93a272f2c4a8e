"""Child workflows started from the workflow body and awaited with wait_first, a retry loop that is not status
polling, one literal workflow ID reused for the same workflow (idempotency), and introspection results read in
their real shapes (WorkflowStatus attributes, step dicts)."""

import os

from dbos import DBOS, SetWorkflowID


@DBOS.step()
def resize(image_id: str) -> str:
    return f"{image_id}-small.png"


@DBOS.workflow()
def resize_image(image_id: str) -> str:
    return resize(image_id)


@DBOS.workflow()
def resize_all(image_ids: list[str]) -> list[str]:
    handles = [DBOS.start_workflow(resize_image, i) for i in image_ids]
    done = []
    while handles:
        first = DBOS.wait_first(handles, polling_interval_sec=0.05)
        handles = [h for h in handles if h.workflow_id != first.workflow_id]
        done.append(first.get_result())
    status = DBOS.get_workflow_status(DBOS.workflow_id)  # one read, not a polling loop
    return sorted(done) + [status.status if status is not None else "?"]


@DBOS.step()
def attempt(n: int) -> bool:
    return n >= 2


@DBOS.workflow()
def until_ready() -> int:
    n = 0
    while not attempt(n):  # a loop over a step, with no status polling
        n += 1
    return n


def report(workflow_id: str) -> list[str]:
    lines = []
    for wf in DBOS.list_workflows(name="resize_all"):
        lines.append(f"{wf.workflow_id} {wf.status}")
    for step in DBOS.list_workflow_steps(workflow_id):
        lines.append(f"{step['function_id']} {step['function_name']} {step.get('error')}")
    steps = DBOS.list_workflow_steps(workflow_id)
    lines.append(str(len(steps)))
    status = DBOS.get_workflow_status(workflow_id)
    if status is not None:
        lines.append(status.status)
    return lines


def main() -> None:
    DBOS(
        config={
            "name": "lint-fixture",
            "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"],
            "notification_listener_polling_interval_sec": 0.01,
            "log_level": "WARNING",
        }
    )
    DBOS.launch()
    with SetWorkflowID("batch-1"):
        first = resize_all(["a", "b"])
    with SetWorkflowID("batch-1"):
        again = resize_all(["a", "b"])  # same ID, same workflow: the recorded result
    assert first == again == ["a-small.png", "b-small.png", "PENDING"], first
    assert until_ready() == 2
    lines = report("batch-1")
    assert lines[-1] == "SUCCESS" and any("resize_image" in line for line in lines), lines
    DBOS.destroy()


if __name__ == "__main__":
    main()

# Checks each value by offset, the end of the stream, a timeout before a value is written, resuming, and one checkpoint.
handle = DBOS.start_workflow(write_report, ["intro", "costs", "risks"])
assert handle.get_result() == 3
wid = handle.workflow_id
assert [chunk_at(wid, n) for n in range(3)] == [
    {"chunk": "Intro", "next": 1}, {"chunk": "Costs", "next": 2}, {"chunk": "Risks", "next": 3}
]
assert chunk_at(wid, 3) == {"done": True}
assert list(chunks_after(wid, 0)) == ["Costs", "Risks"]


@DBOS.workflow()
def write_after_go() -> None:
    DBOS.recv("go", timeout_seconds=30)
    DBOS.write_stream("chunks", "late")
    DBOS.close_stream("chunks")


@DBOS.workflow()
def read_third(workflow_id: str) -> str:
    return DBOS.read_stream_offset(workflow_id, "chunks", 2)


pending = DBOS.start_workflow(write_after_go)
assert chunk_at(pending.workflow_id, 0, wait_seconds=0.2) == {"next": 0}
DBOS.send(pending.workflow_id, "now", "go")
assert chunk_at(pending.workflow_id, 0) == {"chunk": "late", "next": 1}

assert read_third(wid) == "Risks"
[reader] = DBOS.list_workflows(name="read_third")
steps = DBOS.list_workflow_steps(reader.workflow_id)
assert [s["function_name"] for s in steps] == ["DBOS.readStreamOffset"], steps
DBOS.destroy()

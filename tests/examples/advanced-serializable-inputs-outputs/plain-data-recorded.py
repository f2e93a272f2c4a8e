# Checks that inputs, outputs and step results are recorded as plain data.
with closing(sqlite3.connect("app.db")) as conn:
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.executemany("INSERT INTO users VALUES (?)", [("ana",), ("bo",)])
    conn.commit()
DBOS.launch()
assert count_users("app.db") == TableCount("users", 2)
[wf] = DBOS.list_workflows(name="count_users")
assert wf.input == {"args": ("app.db",), "kwargs": {}}, wf.input
assert wf.output == TableCount("users", 2)
[step] = DBOS.list_workflow_steps(wf.workflow_id)
assert step["output"] == 2
DBOS.destroy()

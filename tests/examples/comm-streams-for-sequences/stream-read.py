# Checks that the stream is read back in order.
assert list(stream_summary("durable workflows stream")) == ["DURABLE", "WORKFLOWS", "STREAM"]
DBOS.destroy()

# Checks that debounced calls share one workflow that runs with the last input.
h1 = reindex_debouncer.debounce("doc-1", 0.3, "doc-1", "h")
h2 = reindex_debouncer.debounce("doc-1", 0.3, "doc-1", "he")
h3 = on_edit("doc-1", "hello")
assert h1.workflow_id == h2.workflow_id == h3.workflow_id  # one pending run per key
assert h3.get_result(polling_interval_sec=0.05) == "hello"
assert indexed == ["hello"], indexed
DBOS.destroy()

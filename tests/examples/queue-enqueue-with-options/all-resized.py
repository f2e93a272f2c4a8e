# Checks that every enqueued workflow runs.
results = [h.get_result(polling_interval_sec=0.1) for h in (first, second, third)]
assert results == ["resized img-1", "resized img-2", "resized img-3"], results

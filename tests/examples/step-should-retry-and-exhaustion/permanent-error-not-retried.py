# Checks that permanent errors are not retried; exhaustion is handled.
DBOS.launch()
assert load_user("u-404") == {"id": "u-404", "profile": None}
assert attempts["u-404"] == 1, attempts  # not retried
assert load_user("u-1") == {"id": "u-1", "profile": None, "failures": 3}
assert attempts["u-1"] == 3, attempts

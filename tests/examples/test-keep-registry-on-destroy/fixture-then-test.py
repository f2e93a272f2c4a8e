# Runs the fixture's setup, then the test, the way pytest would.
setup = dbos.__wrapped__()
next(setup)
test_greet(None)

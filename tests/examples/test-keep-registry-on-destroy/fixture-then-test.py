# Runs the fixture's setup, then the test, the way pytest would.
setup = dbos.__wrapped__()
next(setup)
from dbos._error import DBOSException
try:
    test_greet(None)
except DBOSException as e:  # the message 3.4.0 prints, though DBOS was just launched
    assert "Function greet invoked before DBOS initialized" in str(e), e
    raise

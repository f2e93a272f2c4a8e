# Checks that spans exist only when a collector is configured.
@DBOS.step()
def span_seen() -> bool:
    return DBOS.span is not None
@DBOS.workflow()
def probe() -> bool:
    return span_seen()
assert config["enable_otlp"] is (collector is not None)
assert probe() is (collector is not None)
assert checkout("o-1") == "charged"
DBOS.destroy()

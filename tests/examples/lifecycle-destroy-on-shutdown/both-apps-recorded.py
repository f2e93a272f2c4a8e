# Checks that both launches ran and were recorded under their own names.
assert run_once("reports-eu") == "report done"
DBOS(config={"name": "checker", "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"]})
DBOS.launch()
owners = {w.application_name for w in DBOS.list_workflows(application_name=["reports", "reports-eu"])}
assert owners == {"reports", "reports-eu"}, owners
DBOS.destroy()

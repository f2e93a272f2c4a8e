# Prelude "launched": a launched DBOS instance on a fresh SQLite system database.
import os

from dbos import DBOS, DBOSConfig

config: DBOSConfig = {
    "name": "example-app",
    "system_database_url": os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite"),
}
DBOS(config=config)
DBOS.launch()

"""One DBOS launched at import for the whole test session; the fixture resets it after launch."""

import os

import pytest
from dbos import DBOS, DBOSConfig

config: DBOSConfig = {"name": "my-app", "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"]}
DBOS(config=config)  # expect: lifecycle-launch-in-main
DBOS.launch()  # expect: lifecycle-launch-in-main


@pytest.fixture()
def clean_db():
    DBOS.reset_system_database()  # expect: test-fresh-dbos-per-test

"""Operations mistakes: an alert handler decorated at import before this file's DBOS(config=...), and handlers
registered after DBOS.launch() (directly, and after a helper that launches)."""

import os
from contextlib import asynccontextmanager
from typing import Any, Dict

from dbos import DBOS


@DBOS.alert_handler  # expect: lifecycle-alert-handler-before-launch
def page_on_call(name: str, message: str, metadata: Dict[str, str]) -> None:
    print(name, message, metadata)


def notify_slack(name: str, message: str, metadata: Dict[str, str]) -> None:
    print(name, message)


def launch_dbos() -> None:
    DBOS(config={"name": "ops", "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"]})
    DBOS.launch()


def main() -> None:
    DBOS(config={"name": "ops", "system_database_url": os.environ["DBOS_SYSTEM_DATABASE_URL"]})
    DBOS.launch()
    DBOS.alert_handler(notify_slack)  # expect: lifecycle-alert-handler-before-launch


@asynccontextmanager
async def lifespan(app: Any):
    launch_dbos()

    @DBOS.alert_handler  # expect: lifecycle-alert-handler-before-launch
    def late(name: str, message: str, metadata: Dict[str, str]) -> None:
        print(name)

    yield
    DBOS.destroy()

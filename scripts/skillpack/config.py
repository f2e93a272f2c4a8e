"""Facts about the pack that every output shares: its name, versions and licence."""

from . import __version__

SKILL_NAME = "dbos-python"
PACK_VERSION = __version__
DBOS_VERSION = "3.4.0"
"""The dbos release every rule is written and tested against (pinned in pyproject.toml)."""
LICENSE = "MIT"
DOCS_HOME = "https://docs.dbos.dev/python/programming-guide"

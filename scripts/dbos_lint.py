#!/usr/bin/env python3
"""dbos-lint: check Python code that uses DBOS Transact against the dbos-python rules.

Run it by path from the skill folder: ``python3 scripts/dbos_lint.py [options] PATH...`` (stdlib only).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dboslint.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

"""``python -m skillpack``: the same CLI as the ``skillpack`` command."""

import sys

from .cli import main

sys.exit(main())

"""skillpack: validate, render and publish the dbos-python skill pack."""

__version__ = "1.0.0"

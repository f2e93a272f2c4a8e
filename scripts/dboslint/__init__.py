"""dbos-lint: finds the mistakes that the dbos-python rules describe in Python code that uses DBOS Transact.

Stdlib only; it reads the syntax tree and never imports ``dbos`` or the code it checks.
"""

__version__ = "1.0.0"

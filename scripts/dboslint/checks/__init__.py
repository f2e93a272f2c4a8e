"""The checks, one module a group of rules; importing this package registers them all."""

from . import advanced, client, comm, lifecycle, pattern, queue, step, testing, workflow  # noqa: F401

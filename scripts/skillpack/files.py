"""Atomic, deterministic file output."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename: readers see the old file
    or the new one, never half of it."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_stale(path: Path, data: str | bytes) -> bool:
    """Whether ``path`` is missing or differs from ``data``."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        return path.read_bytes() != payload
    except FileNotFoundError:
        return True


def staging_folder(target: Path) -> Path:
    """A new empty folder beside ``target``, to be filled and then put in its place with ``replace_folder``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))


def replace_folder(new: Path, target: Path) -> None:
    """Put the finished folder ``new`` in place of ``target`` by renames: readers see the old folder or the new
    one, never a half-written one, and no stale file of the old one survives."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

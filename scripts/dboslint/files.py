"""Find the Python files under the paths a user gives, and read each one as text, reporting what cannot be read."""

from __future__ import annotations

import io
import os
import sys
import tokenize
from typing import Iterator, Union

from .model import UNREADABLE, Finding

SKIPPED_FOLDERS = frozenset({".venv", "venv", "node_modules", "site-packages", "__pycache__"})
"""Folders never entered when a folder is walked (hidden folders are skipped too)."""
PREFILTER = b"dbos"
"""A file whose bytes never contain this word cannot use DBOS: it is not decoded or parsed."""


class PathError(Exception):
    """A path given on the command line that cannot be linted (a usage error)."""


def python_files(paths: list[str]) -> Iterator[str]:
    """Each file to lint: files given by name as they are, folders walked for ``*.py`` in sorted order."""
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path)
        elif os.path.isfile(path) or path == "-":
            yield path
        elif os.path.islink(path):
            raise PathError(f"{path}: broken symbolic link or symbolic link loop")
        else:
            raise PathError(f"{path}: no such file or folder")


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(root, name)


def read_source(path: str, data: bytes) -> Union[str, Finding, None]:
    """The text of a Python file; None when it never mentions dbos; a finding when it is not readable text."""
    if PREFILTER not in data:
        return None
    if b"\0" in data:
        return Finding(path, 1, 1, UNREADABLE, "binary file (it contains NUL bytes): not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError) as exc:
        return Finding(path, 1, 1, UNREADABLE, f"cannot decode the file: {exc}")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Finding(path, line, 1, UNREADABLE, f"not valid {exc.encoding} text (byte {exc.start}): save it as UTF-8")


def read_bytes(path: str) -> Union[bytes, Finding]:
    """The bytes of a file, or a finding that says why it cannot be read."""
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        return Finding(path, 1, 1, UNREADABLE, f"cannot read the file: {exc.strerror or exc}")

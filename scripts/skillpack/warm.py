"""Run example programs in forks of a warm interpreter that has already imported dbos and pytest.

Importing dbos costs about a second of CPU, more than most examples take to run. A server process
(``warm_child``, started once per calling process) imports dbos, pytest and the harness's polling tweak, then forks
a fresh child for each program: the child gets its own process group, folder, environment, standard streams and
SQLite database, runs the program as ``__main__`` (or under pytest), then ends as a Python process ends
(non-daemon threads joined, atexit handlers run), so a program cannot tell it from ``python example.py`` except
by its speed.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT = 120.0
HEADER = 8
"""Bytes of the big-endian length before each request."""


@dataclass(frozen=True)
class Finished:
    returncode: int | None
    """The exit status; -1 when a signal ended the program; None when its time limit did."""
    stdout: str
    stderr: str


class _Server:
    """The warm interpreter of this process, started on first use."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="skillpack-warm-")
        self.address = os.path.join(self.folder, "socket")
        self.log = os.path.join(self.folder, "server.log")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "skillpack.warm_child", self.address],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
            )
        ready, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        if not ready or self.process.stdout.readline() != b"ready\n":
            problem = f"the warm interpreter did not start: {self.log_tail()}"
            self.close()
            raise RuntimeError(problem)

    def log_tail(self) -> str:
        """The end of the server's standard error (what went wrong, if anything did)."""
        try:
            with open(self.log, "rb") as log:
                return log.read()[-2000:].decode("utf-8", errors="replace").strip() or "(nothing on its stderr)"
        except OSError:
            return "(no log)"

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()  # the server ends when its input closes
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def fork(self, request: dict, fds: list[int]) -> int:
        """Send a request; the pid of the child that runs it. Raises _NotSent when the server did not get all of
        it (so it forked nothing)."""
        payload = json.dumps(request).encode()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            message = len(payload).to_bytes(HEADER, "big") + payload
            try:
                connection.connect(self.address)
                sent = socket.send_fds(connection, [message], fds)
                if sent < len(message):  # never an empty send: once the server has it all, it may have replied and
                    connection.sendall(message[sent:])  # closed, and a send would fail on a request already forked
            except OSError as exc:
                raise _NotSent(exc) from exc
            reply = b""
            while chunk := connection.recv(64):
                reply += chunk
        return int(reply)


class _NotSent(Exception):
    """A request the warm interpreter did not receive whole: nothing was forked, so it may be sent again."""


_server: _Server | None = None
_owner = 0
_lock = threading.Lock()


def _warm_server(broken: _Server | None = None) -> _Server:
    """This process's warm interpreter: started on first use, and again when it ended or ``broken`` failed."""
    global _server, _owner
    with _lock:
        if _server is not None and _owner == os.getpid() and (_server is broken or _server.process.poll() is not None):
            _server.close()  # also removes the folder of a server that died (it could not remove it itself)
            _server = None
        if _server is None or _owner != os.getpid() or _server.process.poll() is not None:
            _server, _owner = _Server(), os.getpid()
        return _server


def _fork(request: dict, fds: list[int]) -> int:
    """Ask the warm interpreter to fork ``request``; once more with a new one when the first cannot answer."""
    server = _warm_server()
    try:
        return server.fork(request, fds)
    except _NotSent as first:
        log = server.log_tail()
        try:
            return _warm_server(broken=server).fork(request, fds)
        except _NotSent as second:
            raise RuntimeError(f"the warm interpreter failed twice ({first}; {second}); its log: {log}") from second


def run(folder: Path, name: str, env: dict[str, str], timeout: float, pytest: list[str] | None = None) -> Finished:
    """Run ``folder/name`` with ``env`` in a fork of the warm interpreter; with ``pytest``, run pytest with those
    arguments instead (``python -m pytest <args>`` in ``folder``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        status_read, status_write = os.pipe()
        try:
            request = {"folder": str(folder), "name": name, "env": env, "pytest": pytest}
            pid = _fork(request, [out.fileno(), err.fileno(), status_write])
            os.close(status_write)
            status_write = -1
            ready, _, _ = select.select([status_read], [], [], timeout)
            if not ready:
                try:
                    os.killpg(pid, signal.SIGKILL)  # the program and whatever it started
                except ProcessLookupError:
                    pass
            status = os.read(status_read, 32) if ready else b""
        finally:
            os.close(status_read)
            if status_write != -1:
                os.close(status_write)
        returncode = int(status) if status else (-1 if ready else None)
        return Finished(returncode, _text(out), _text(err))


def _text(handle) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")


def available() -> bool:
    """Whether this platform can fork a warm interpreter (else each example starts a fresh ``python``)."""
    return hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds") and hasattr(os, "fork")

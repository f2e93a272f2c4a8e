"""The server side of ``warm``: a Python process that imports dbos and pytest once, then forks one child per program.

It listens on a Unix socket. A request is a length-prefixed JSON message with three file descriptors attached (the
program's standard output, its standard error, and a pipe for its exit status). The reply is the child's pid. The
server ends when its standard input closes (its caller is gone).
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import runpy
import select
import shutil
import signal
import socket
import sys
import threading
import traceback
from pathlib import Path

import dbos  # noqa: F401 (preloaded: the reason this process exists)
import pytest

_SITE = Path(__file__).parent / "harness_site" / "sitecustomize.py"
_spec = importlib.util.spec_from_file_location("_skillpack_harness_site", _SITE)
_spec.loader.exec_module(importlib.util.module_from_spec(_spec))  # the harness's polling tweak, as in a fresh process

from skillpack.warm import HEADER  # noqa: E402


def serve(address: str) -> None:
    """Accept requests on ``address`` until standard input closes (its caller is gone), fork a child for each, then
    remove the folder the caller made for the socket and the log."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)
    server.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children; their status comes by pipe
    os.write(1, b"ready\n")
    while True:
        readable, _, _ = select.select([server, 0], [], [])
        if 0 in readable and not os.read(0, 1024):
            shutil.rmtree(os.path.dirname(address), ignore_errors=True)
            os._exit(0)
        if server in readable:
            connection, _ = server.accept()
            with connection:
                try:
                    _serve_one(server, connection)
                except Exception:  # noqa: BLE001 (one bad request must not end the server; its caller sees it)
                    traceback.print_exc()


def _serve_one(server: socket.socket, connection: socket.socket) -> None:
    data, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    try:
        while len(data) < HEADER or len(data) < HEADER + int.from_bytes(data[:HEADER], "big"):
            more = connection.recv(1 << 20)
            if not more:
                break
            data += more
        request = json.loads(data[HEADER:])
        pid = os.fork()
        if pid == 0:
            server.close()
            connection.close()
            _run(request, *fds)  # never returns
    finally:
        for fd in fds:  # the child has its copies; a request that failed keeps none open here
            os.close(fd)
    connection.sendall(str(pid).encode())


def _run(request: dict, out: int, err: int, status: int) -> None:
    """In the child: become ``python <name>`` (or ``python -m pytest <args>``) in the request's folder; never
    returns."""
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        for source, target in ((devnull, 0), (out, 1), (err, 2)):
            os.dup2(source, target)
            os.close(source)
        sys.stdin = open(0, encoding="utf-8", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)
        os.chdir(request["folder"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.dont_write_bytecode = True
        sys.argv = [request["name"]] if request["pytest"] is None else ["pytest", *request["pytest"]]
        extra = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
        first = request["folder"] if request["pytest"] is not None else os.path.dirname(os.path.abspath(request["name"]))
        sys.path[0:0] = [first, *extra]  # as python puts the script's folder (pytest: the cwd) and PYTHONPATH first
        code = _program(request["name"], request["pytest"])
        code = _finish(code)
    finally:
        try:
            os.write(status, str(code).encode())
        finally:
            os._exit(code)


def _program(name: str, pytest_args: list[str] | None) -> int:
    try:
        if pytest_args is not None:
            return int(pytest.main(pytest_args))
        runpy.run_path(name, run_name="__main__")
        return 0
    except SystemExit as exc:
        return _exit_status(exc.code)
    except BaseException:  # noqa: BLE001 (a program's uncaught exception: print it as Python does)
        traceback.print_exc()
        return 1


def _exit_status(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def _finish(code: int) -> int:
    """What the interpreter does at exit: join non-daemon threads, run atexit handlers, flush the streams."""
    try:
        threading._shutdown()  # noqa: SLF001 (the interpreter's own exit step)
        atexit._run_exitfuncs()  # noqa: SLF001
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
        code = code or 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    return code


if __name__ == "__main__":
    serve(sys.argv[1])

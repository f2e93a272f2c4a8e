"""A program forked from the warm interpreter behaves as it does in a new ``python``: same exit status, output,
traceback, working folder, environment, thread joining and atexit handlers; the time limit ends it and what it
started."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from skillpack import warm
from skillpack.examples import last_exception, program_env, run_program

PROGRAMS = {
    "exit-status": "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.exit(3)\n",
    "exception": "def f():\n    raise KeyError('missing')\nf()\n",
    "environment": "import os, sys\nprint(os.getcwd() == os.environ['EXPECTED_CWD'], sys.argv, __name__)\n",
    "thread-and-atexit": (
        "import atexit, threading, time\n"
        "atexit.register(lambda: print('atexit ran'))\n"
        "threading.Thread(target=lambda: (time.sleep(0.2), print('thread finished'))).start()\n"
        "print('main done')\n"
    ),
    "dbos-workflow": (
        "from dbos import DBOS\n"
        "DBOS(config={'name': 'warm-check'})\n"
        "@DBOS.workflow()\n"
        "def double(x: int) -> int:\n"
        "    return 2 * x\n"
        "DBOS.launch()\n"
        "print('result', double(21))\n"
    ),
    "pytest-file": "def test_ok():\n    assert True\n\ndef test_bad():\n    assert 1 == 2\n",
}


def run_both(tmp_path: Path, key: str):
    results = []
    for fresh in (False, True):
        folder = tmp_path / f"{key}-{'fresh' if fresh else 'warm'}"
        folder.mkdir()
        name = "test_program.py" if key == "pytest-file" else "program.py"
        (folder / name).write_text(PROGRAMS[key], encoding="utf-8")
        results.append(run_program(folder, name, program_env(folder, EXPECTED_CWD=str(folder)), 60, key == "pytest-file", fresh))
    return results


@pytest.mark.skipif(not warm.available(), reason="no fork or Unix sockets on this platform")
@pytest.mark.parametrize("key", sorted(PROGRAMS))
def test_a_warm_run_is_like_a_fresh_one(tmp_path, key):
    forked, fresh = run_both(tmp_path, key)
    assert forked.returncode == fresh.returncode
    assert last_exception(forked.stderr) == last_exception(fresh.stderr)
    if key == "pytest-file":
        assert "1 failed, 1 passed" in forked.stdout and "1 failed, 1 passed" in fresh.stdout
    else:
        lines = lambda text: [line for line in text.splitlines() if "[    INFO]" not in line]  # noqa: E731
        assert lines(forked.stdout) == lines(fresh.stdout)
    expected = {"exit-status": 3, "exception": 1, "environment": 0, "thread-and-atexit": 0, "dbos-workflow": 0, "pytest-file": 1}
    assert fresh.returncode == expected[key]
    if key == "thread-and-atexit":
        assert forked.stdout.splitlines() == ["main done", "thread finished", "atexit ran"]
    if key == "environment":
        assert forked.stdout.strip() == "True ['program.py'] __main__"


@pytest.mark.skipif(not warm.available(), reason="no fork or Unix sockets on this platform")
def test_the_time_limit_ends_the_program_and_what_it_started(tmp_path):
    marker = tmp_path / "child-still-alive"
    (tmp_path / "child.py").write_text(f"import time\ntime.sleep(3)\nopen({str(marker)!r}, 'w').close()\n")
    program = "import subprocess, sys, time\nsubprocess.Popen([sys.executable, 'child.py'])\ntime.sleep(60)\n"
    (tmp_path / "program.py").write_text(program, encoding="utf-8")
    started = time.perf_counter()
    finished = warm.run(tmp_path, "program.py", dict(os.environ), timeout=1.5)
    assert finished.returncode is None and time.perf_counter() - started < 10
    time.sleep(4)
    assert not marker.exists()


@pytest.mark.skipif(not warm.available(), reason="no fork or Unix sockets on this platform")
def test_a_warm_interpreter_that_ended_or_stopped_answering_is_replaced(tmp_path):
    (tmp_path / "program.py").write_text("print('ran')\n", encoding="utf-8")
    assert warm.run(tmp_path, "program.py", dict(os.environ), 60).stdout == "ran\n"
    first = warm._warm_server()
    first.process.kill()
    first.process.wait()
    assert warm.run(tmp_path, "program.py", dict(os.environ), 60).stdout == "ran\n"
    second = warm._warm_server()
    assert second is not first
    assert not os.path.exists(first.folder)  # the dead server's socket folder is removed for it
    os.unlink(second.address)  # alive, but no request reaches it: sent again to a new one
    assert warm.run(tmp_path, "program.py", dict(os.environ), 60).stdout == "ran\n"
    assert warm._warm_server() is not second and second.process.poll() is not None


@pytest.mark.skipif(not warm.available(), reason="no fork or Unix sockets on this platform")
def test_a_request_runs_once_even_when_the_server_answers_before_the_client_is_done(tmp_path, monkeypatch):
    """The server forks as soon as it has the whole request, replies and closes; a client still busy after its
    last byte must not take the closed connection for a request that never arrived (and send it again)."""
    program = "import os\nwith open('runs.txt', 'a') as f:\n    f.write(f'{os.getpid()}\\n')\n"
    (tmp_path / "program.py").write_text(program, encoding="utf-8")
    server = warm._warm_server()
    send_fds = socket.send_fds

    def send_then_stall(connection, buffers, fds):
        sent = send_fds(connection, buffers, fds)
        time.sleep(0.2)  # the server replies and closes meanwhile
        return sent

    monkeypatch.setattr(socket, "send_fds", send_then_stall)
    for _ in range(3):
        assert warm.run(tmp_path, "program.py", dict(os.environ), 60).returncode == 0
    assert len((tmp_path / "runs.txt").read_text().splitlines()) == 3
    assert warm._warm_server() is server

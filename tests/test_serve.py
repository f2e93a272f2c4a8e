"""The site server over real HTTP: HTML or the Markdown twin by ?format=md or Accept, clean 400/404, no file outside
the site folder, a burst of concurrent requests, and the `skillpack serve` command."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ROOT
from skillpack.serve import prefers_markdown, serving
from test_site import pack_site  # noqa: F401 (the session fixture)


@pytest.fixture(scope="module")
def server(pack_site):  # noqa: F811
    with serving(pack_site.site) as running:
        yield running


def request(server, target: str, method: str = "GET", headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One request, with the target sent exactly as given (no client-side normalisation)."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def first_rule(pack_site):  # noqa: F811
    rule = pack_site.pack.sections()[0][1][0]
    return rule, "/" + pack_site.rule_url(rule), pack_site.site / pack_site.rule_src(rule)


def test_pages_answer_html(server, pack_site):  # noqa: F811
    _, url, _ = first_rule(pack_site)
    for target in ("/", url, url + "index.html", "/tags/"):
        status, headers, body = request(server, target)
        assert status == 200, target
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert body.lstrip().startswith(b"<!doctype html>")
        assert headers["vary"] == "Accept"


def test_markdown_by_query_or_accept_header(server, pack_site):  # noqa: F811
    rule, url, twin = first_rule(pack_site)
    expected = twin.read_bytes()
    for target, headers in (
        (url + "?format=md", {}),
        (url, {"Accept": "text/markdown"}),
        (url, {"Accept": "text/markdown, text/html;q=0.9"}),
        (url + "index.html?format=md", {}),
        ("/" + pack_site.rule_src(rule), {}),
    ):
        status, response_headers, body = request(server, target, headers=headers)
        assert status == 200, target
        assert response_headers["content-type"] == "text/markdown; charset=utf-8", target
        assert body == expected, target
    status, headers, body = request(server, url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert headers["content-type"].startswith("text/html")
    assert f'</{pack_site.rule_src(rule)}>' in headers["link"] and 'type="text/markdown"' in headers["link"]
    status, headers, body = request(server, "/?format=md")
    assert status == 200 and body == (pack_site.site / "index.md").read_bytes()
    status, headers, body = request(server, "/rules/queue/?format=md")
    assert status == 200 and body == (pack_site.site / "rules/queue/index.md").read_bytes()
    status, headers, body = request(server, "/SKILL.md")
    assert status == 200 and headers["content-type"] == "text/markdown; charset=utf-8" and body.startswith(b"---\nname: dbos-python")
    status, headers, body = request(server, "/llms.txt")
    assert status == 200 and headers["content-type"] == "text/plain; charset=utf-8" and body.startswith(b"# dbos-python")


def test_head_redirect_and_not_found(server, pack_site):  # noqa: F811
    _, url, _ = first_rule(pack_site)
    status, headers, body = request(server, url, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    status, headers, _ = request(server, url.rstrip("/") + "?format=md")
    assert status == 301 and headers["location"] == url + "?format=md"
    status, headers, body = request(server, "/no/such/page/")
    assert status == 404 and headers["content-type"].startswith("text/html")
    status, headers, body = request(server, "/no/such/page/", headers={"Accept": "text/markdown"})
    assert status == 404 and body == b"404 Not Found\n"
    status, _, body = request(server, "/assets/stylesheets/skillpack.css?format=md")
    assert status == 404 and b"no Markdown form" in body
    status, headers, _ = request(server, "/", method="POST")
    assert status == 405 and headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "target",
    [
        "/../../../../etc/passwd",
        "/rules/../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/rules/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2f..%2fetc/passwd",
        "/%2fetc/passwd",
        "/.%2e/.%2e/etc/passwd",
        "/index.html%00.md",
        "/%ff%fe",
        "/rules\\..\\..\\etc\\passwd",
        "http://127.0.0.1/../../etc/passwd",
        "etc/passwd",
    ],
)
def test_traversal_is_refused(server, target):
    status, headers, body = request(server, target)
    assert status == 400, (target, status)
    assert b"root:" not in body


def test_absolute_and_encoded_paths_stay_in_the_site(server):
    for target in ("/etc/passwd", "//etc/passwd", "/%252e%252e/%252e%252e/etc/passwd", "/proc/self/environ", "/tmp/"):
        status, _, body = request(server, target)
        assert status == 404, target
        assert b"root:" not in body


def test_symlinks_out_of_the_site_are_not_followed(tmp_path):
    site = tmp_path / "site"
    (site / "inner").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><p>home</p>", encoding="utf-8")
    (site / "inner" / "page.md").write_text("# inner\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    (site / "leak.txt").symlink_to(secret)
    (site / "outside").symlink_to(tmp_path)
    (site / "alias.md").symlink_to(site / "inner" / "page.md")
    with serving(site) as running:
        for target in ("/leak.txt", "/outside/secret.txt", "/outside/", "/leak.txt?format=md"):
            status, _, body = request(running, target)
            assert status == 404, target
            assert b"root:" not in body
        status, headers, body = request(running, "/alias.md")
        assert status == 200 and body == b"# inner\n", "a symlink inside the site is served"


def test_accept_header_parsing():
    assert prefers_markdown("text/markdown")
    assert prefers_markdown("text/markdown;q=0.9, text/html;q=0.5")
    assert prefers_markdown("TEXT/MARKDOWN; charset=utf-8")
    assert not prefers_markdown("*/*")
    assert not prefers_markdown("text/html, text/markdown;q=0.5")
    assert not prefers_markdown("text/markdown;q=0")
    assert not prefers_markdown("text/markdown;q=abc")
    assert not prefers_markdown("")


def test_a_burst_of_concurrent_requests_all_succeed(server, pack_site):  # noqa: F811
    """2,000 requests from 50 clients on loopback, each on a new connection; none may fail."""
    _, url, _ = first_rule(pack_site)
    targets = ["/", url, url + "?format=md", "/search/search_index.json", "/llms.txt"]
    total, clients = 2_000, 50
    failures: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        for n in range(index, total, clients):
            target = targets[n % len(targets)]
            try:
                status, _, body = request(server, target)
                if status != 200 or not body:
                    raise AssertionError(f"{target}: {status}")
            except Exception as exc:  # noqa: BLE001 (every failure counts)
                with lock:
                    failures.append(f"{target}: {exc!r}")

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    print(f"\nserve burst: {total} requests from {clients} clients in {elapsed:.2f} s: {total / elapsed:.0f} requests/s")
    assert failures == [], failures[:5]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_command_serves_until_stopped(pack_site, tmp_path):  # noqa: F811
    port = free_port()
    command = [sys.executable, "-m", "skillpack", "--root", str(ROOT), "serve", "--port", str(port), "--site-dir", str(pack_site.site)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/llms.txt", headers={"Accept": "text/markdown"})
        response = connection.getresponse()
        assert response.status == 200 and response.read().startswith(b"# dbos-python")
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    missing = subprocess.run(
        [sys.executable, "-m", "skillpack", "--root", str(ROOT), "serve", "--site-dir", str(tmp_path / "none")],
        capture_output=True, text=True, timeout=30,
    )
    assert missing.returncode == 2 and "has no built site" in missing.stderr


def test_a_client_that_goes_away_is_no_traceback_but_a_real_error_is(tmp_path, capsys):
    with serving(tmp_path) as server:
        for error, printed in ((BrokenPipeError(32, "Broken pipe"), False), (ConnectionResetError(104, "reset"), False),
                               (ValueError("a bug"), True)):
            try:
                raise error
            except Exception:
                server.handle_error(None, ("127.0.0.1", 1))
            err = capsys.readouterr().err
            assert ("Exception occurred during processing of request" in err) is printed, err

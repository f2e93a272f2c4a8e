"""Serve a built site over HTTP: HTML pages, and each page's Markdown twin to clients that ask for it.

A page URL (``/rules/queue/x/``) answers HTML, or its Markdown twin (``/rules/queue/x.md``) with
``Content-Type: text/markdown; charset=utf-8`` when the query has ``format=md`` or the ``Accept`` header prefers
``text/markdown``. Only files inside the site folder are served: ``..`` segments (plain or percent-encoded) and
malformed targets get 400, anything else that is not a file under the folder (symlinks resolved) gets 404.
Standard library only: a threading HTTP/1.1 server, meant for local use and tests.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import sys
import threading
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, quote, unquote, urlsplit

MARKDOWN = "text/markdown; charset=utf-8"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".md": MARKDOWN,
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}


class BadRequest(Exception):
    """A request target that cannot name a file of the site."""


def content_type(path: str) -> str:
    suffix = posixpath.splitext(path)[1].lower()
    return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def prefers_markdown(accept: str) -> bool:
    """Whether an Accept header names text/markdown with a quality at least that of text/html."""
    quality: dict[str, float] = {}
    for item in accept.split(","):
        media, *params = [part.strip() for part in item.split(";")]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.lower()
        quality[media] = max(q, quality.get(media, 0.0))
    markdown = quality.get("text/markdown", 0.0)
    return markdown > 0 and markdown >= quality.get("text/html", 0.0)


def url_segments(target: str) -> tuple[list[str], bool, str]:
    """Split a request target into decoded path segments, whether it ends with '/', and its query.

    Raises BadRequest for targets that are not origin-form paths, that decode to NUL, a backslash or invalid UTF-8,
    or that contain '.' or '..' segments (plain or encoded).
    """
    if not target.startswith("/") or target.startswith("//"):
        raise BadRequest("the request target must be a path starting with a single '/'")
    parts = urlsplit(target)
    raw_segments = parts.path.split("/")[1:]
    segments = []
    for raw in raw_segments:
        try:
            segment = unquote(raw, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            raise BadRequest("the path is not valid UTF-8") from None
        if segment in (".", "..") or "/" in segment or "\\" in segment or "\x00" in segment:
            raise BadRequest("the path may not contain '.', '..', encoded '/', '\\' or NUL")
        segments.append(segment)
    trailing = parts.path.endswith("/")
    return [s for s in segments if s], trailing, parts.query


class SiteServer(ThreadingHTTPServer):
    """A threading HTTP server for one site folder."""

    daemon_threads = True
    request_queue_size = 512
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site_dir: Path):
        self.site_dir = os.path.realpath(site_dir)
        super().__init__(address, SiteHandler)

    def handle_error(self, request, client_address) -> None:
        """A client that went away mid-answer (a closed tab, an aborted download) is no error worth a traceback."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"

    def inside(self, path: str) -> str | None:
        """The real path of ``path`` when it is a regular file inside the site folder, else None."""
        real = os.path.realpath(path)
        if os.path.commonpath([real, self.site_dir]) != self.site_dir or not os.path.isfile(real):
            return None
        return real


class SiteHandler(BaseHTTPRequestHandler):
    server: SiteServer
    server_version = "skillpack-serve"
    protocol_version = "HTTP/1.1"
    timeout = 30
    quiet = False

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def do_POST(self) -> None:
        self.send_text(HTTPStatus.METHOD_NOT_ALLOWED, "405 Method Not Allowed\n", send_body=True, allow="GET, HEAD")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        if not self.server_quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    @property
    def server_quiet(self) -> bool:
        return getattr(self.server, "quiet", False)

    def respond(self, send_body: bool) -> None:
        try:
            segments, trailing, query = url_segments(self.path)
        except BadRequest as exc:
            self.send_text(HTTPStatus.BAD_REQUEST, f"400 Bad Request: {exc}\n", send_body)
            return
        params = parse_qs(query)
        forced = params.get("format", [""])[-1].lower()
        wants_markdown = forced in ("md", "markdown") or (not forced and prefers_markdown(self.headers.get("Accept", "")))
        base = os.path.join(self.server.site_dir, *segments)
        if not trailing and segments and os.path.isdir(base) and self.server.inside(os.path.join(base, "index.html")):
            location = "/" + "/".join(quote(s) for s in segments) + "/" + (f"?{query}" if query else "")
            self.send_text(HTTPStatus.MOVED_PERMANENTLY, f"301 Moved Permanently: {location}\n", send_body, location=location)
            return
        page = self.server.inside(os.path.join(base, "index.html")) if (trailing or not segments) else self.server.inside(base)
        twin = self.find_twin(segments, trailing)
        if wants_markdown and twin:
            self.send_file(twin, MARKDOWN, send_body)
        elif forced in ("md", "markdown") and page and not page.endswith((".md", ".txt")):
            self.send_text(HTTPStatus.NOT_FOUND, "404 Not Found: this file has no Markdown form\n", send_body)
        elif page:
            link = None
            if twin and page.endswith(".html"):
                twin_url = "/" + quote(os.path.relpath(twin, self.server.site_dir).replace(os.sep, "/"))
                link = f'<{twin_url}>; rel="alternate"; type="text/markdown"'
            self.send_file(page, content_type(page), send_body, link=link)
        else:
            self.send_not_found(send_body, wants_markdown)

    def find_twin(self, segments: list[str], trailing: bool) -> str | None:
        """The Markdown twin of a page URL: ``x/`` -> ``x/index.md`` or ``x.md``; ``x.html`` -> ``x.md``."""
        candidates = []
        if segments and segments[-1] in ("index.html",):
            segments, trailing = segments[:-1], True
        if trailing or not segments:
            candidates.append([*segments, "index.md"])
            if segments:
                candidates.append([*segments[:-1], segments[-1] + ".md"])
        elif segments[-1].endswith(".html"):
            candidates.append([*segments[:-1], segments[-1][: -len(".html")] + ".md"])
        elif segments[-1].endswith((".md", ".txt")):
            candidates.append(segments)
        for candidate in candidates:
            found = self.server.inside(os.path.join(self.server.site_dir, *candidate))
            if found:
                return found
        return None

    def send_not_found(self, send_body: bool, wants_markdown: bool) -> None:
        page = None if wants_markdown else self.server.inside(os.path.join(self.server.site_dir, "404.html"))
        if page:
            self.send_file(page, content_type(page), send_body, status=HTTPStatus.NOT_FOUND)
        else:
            self.send_text(HTTPStatus.NOT_FOUND, "404 Not Found\n", send_body)

    def send_file(self, path: str, ctype: str, send_body: bool, status: int = HTTPStatus.OK, link: str | None = None) -> None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            self.send_text(HTTPStatus.NOT_FOUND, "404 Not Found\n", send_body)
            return
        headers = {"Vary": "Accept"}
        if link:
            headers["Link"] = link
        self.send_bytes(status, ctype, data, send_body, **headers)

    def send_text(self, status: int, text: str, send_body: bool, **headers: str) -> None:
        self.send_bytes(status, "text/plain; charset=utf-8", text.encode("utf-8"), send_body, **headers)

    def send_bytes(self, status: int, ctype: str, data: bytes, send_body: bool, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-").title() if name.islower() else name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(data)


def make_server(site_dir: Path, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False) -> SiteServer:
    """A server for ``site_dir`` bound to ``host:port`` (port 0: any free port), not yet serving."""
    server = SiteServer((host, port), site_dir)
    server.quiet = quiet
    return server


@contextmanager
def serving(site_dir: Path, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> Iterator[SiteServer]:
    """A server of ``site_dir`` running in a daemon thread (port 0: any free port) for the ``with`` block; it is
    shut down and closed when the block ends, however it ends."""
    server = make_server(site_dir, host, port, quiet)
    threading.Thread(target=server.serve_forever, name="skillpack-serve", daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def serve(site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve ``site_dir`` until interrupted (the ``skillpack serve`` command)."""
    if not (site_dir / "index.html").is_file():
        print(f"skillpack serve: {site_dir} has no built site (run 'make build' or 'skillpack site')", file=sys.stderr)
        return 2
    try:
        server = make_server(site_dir, host, port)
    except OSError as exc:
        print(f"skillpack serve: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"Serving {site_dir} at {server.url} (Markdown: add ?format=md or send Accept: text/markdown; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0

"""A real HTTP server on 127.0.0.1 for feed tests and benches: fixtures, 304s, hostile replies.

Routes map a path to a :class:`Reply` (status, headers, body; optional
ETag / Last-Modified handling and a delay) or to a function that writes the
raw response itself (for servers that misbehave on purpose).  Every request
is recorded so tests can check what brief sent.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Reply:
    """A well-behaved response; with ``etag``/``last_modified`` it answers conditional GETs."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    gzip: bool = False


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]


RawHandler = Callable[["_Handler", "FeedServer"], None]


class _Handler(BaseHTTPRequestHandler):
    server_version = "brief-test/1"
    protocol_version = "HTTP/1.1"
    feed_server: FeedServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        fs = self.feed_server
        with fs.lock:
            fs.requests.append(
                Recorded("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
            )
        route = fs.routes.get(self.path.split("?", 1)[0]) or fs.routes.get(self.path)
        try:
            if route is None:
                self._send(Reply(b"no such page", status=404, content_type="text/plain"))
            elif callable(route):
                route(self, fs)
            else:
                self._send(route)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def _send(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = (reply.etag is not None and inm == reply.etag) or (
            reply.etag is None and reply.last_modified is not None and ims == reply.last_modified
        )
        status = 304 if not_modified and reply.status == 200 else reply.status
        body = b"" if status == 304 else reply.body
        if reply.gzip and body:
            body = gzip.compress(body)
        self.send_response(status)
        if reply.content_type and status != 304:
            self.send_header("Content-Type", reply.content_type)
        if reply.etag:
            self.send_header("ETag", reply.etag)
        if reply.last_modified:
            self.send_header("Last-Modified", reply.last_modified)
        if reply.gzip and body:
            self.send_header("Content-Encoding", "gzip")
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connection attempts from a client opening
    # dozens at once, and each drop costs a one-second SYN retry.
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up mid-response is what half these tests provoke.
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 (a free port), used as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | RawHandler] = {}
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        handler = type("Handler", (_Handler,), {"feed_server": self})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, reply: Reply | RawHandler) -> str:
        """Serve ``reply`` at ``path``; returns its URL."""
        self.routes[path] = reply
        return self.url(path)

    def requests_for(self, path: str) -> list[Recorded]:
        """Requests received for ``path``."""
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> FeedServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release hanging handlers and shut down."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- hostile behaviours (raw handlers) ------------------------------------------------


def never_answers(handler: _Handler, server: FeedServer) -> None:
    """Accept the request, then say nothing until the server stops."""
    server.stopping.wait(120)
    handler.close_connection = True


def trickle(handler: _Handler, server: FeedServer) -> None:
    """Send headers, then one byte per second, forever (until the client leaves)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    while not server.stopping.wait(1.0):
        handler.wfile.write(b" ")
        handler.wfile.flush()


def huge_body(size: int) -> RawHandler:
    """A chunked (no Content-Length) body of ``size`` bytes, streamed."""

    def write(handler: _Handler, server: FeedServer) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"<rss>" + b"x" * (64 * 1024 - 5)
        sent = 0
        while sent < size and not server.stopping.is_set():
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        handler.wfile.write(b"0\r\n\r\n")
        handler.close_connection = True

    return write


def gzip_bomb(decompressed_size: int) -> RawHandler:
    """A small gzip body that inflates to ``decompressed_size`` zero bytes."""
    payload = _bomb(decompressed_size)

    def write(handler: _Handler, server: FeedServer) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    return write


_BOMBS: dict[int, bytes] = {}


def _bomb(size: int) -> bytes:
    if size not in _BOMBS:
        import zlib

        compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b"\0" * (1 << 20)
        parts = [compressor.compress(block) for _ in range(size >> 20)]
        parts.append(compressor.flush())
        _BOMBS[size] = b"".join(parts)
    return _BOMBS[size]


def redirect_loop(handler: _Handler, server: FeedServer) -> None:
    """Redirect to itself, with a growing query string, forever."""
    n = int(handler.path.rsplit("=", 1)[-1]) if "?n=" in handler.path else 0
    base = handler.path.split("?", 1)[0]
    handler.send_response(302)
    handler.send_header("Location", f"{base}?n={n + 1}")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


# --- feed documents ----------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One feed item for the document builders below."""

    title: str
    body: str
    link: str | None = None
    guid: str | None = None
    published: datetime | None = None


def rss(title: str, items: list[Item], *, link: str = "http://example.test/") -> bytes:
    """An RSS 2.0 document (bodies as HTML in <description>)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link><description>d</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.published:
            parts.append(f"<pubDate>{format_datetime(item.published, usegmt=True)}</pubDate>")
        parts.append(f"<description>{escape(item.body)}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def atom(title: str, items: list[Item]) -> bytes:
    """An Atom 1.0 document (bodies as HTML content)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>",
        "<updated>2026-11-28T06:00:00Z</updated>",
    ]
    for item in items:
        parts.append("<entry>")
        parts.append(f"<title>{escape(item.title)}</title>")
        parts.append(f"<id>{escape(item.guid or item.link or item.title)}</id>")
        if item.link:
            parts.append(f'<link rel="alternate" href="{escape(item.link)}"/>')
        if item.published:
            stamp = item.published.strftime("%Y-%m-%dT%H:%M:%SZ")
            parts.append(f"<published>{stamp}</published><updated>{stamp}</updated>")
        parts.append(f'<content type="html">{escape(item.body)}</content>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


def json_feed(title: str, items: list[Item], version: str = "1.1") -> bytes:
    """A JSON Feed document."""
    doc: dict[str, Any] = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": title,
        "items": [],
    }
    for item in items:
        entry: dict[str, Any] = {"id": item.guid or item.link or item.title, "title": item.title}
        entry["content_html"] = item.body
        if item.link:
            entry["url"] = item.link
        if item.published:
            entry["date_published"] = item.published.isoformat()
        doc["items"].append(entry)
    return json.dumps(doc).encode("utf-8")

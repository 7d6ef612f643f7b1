"""Bounded HTTP downloads (httpx): deadlines, size caps after decompression, clients, charsets.

Politeness and safety, per request: one User-Agent, a total deadline (so a
server trickling one byte a second still ends), a body cap applied after
decompression (we decode gzip and deflate ourselves, in bounded steps, so a
gzip bomb never inflates past the cap), a redirect cap, proxies from the
environment.  Nothing here raises for network trouble: every failure is a
one-line :attr:`Download.error`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import os
import re
import ssl
import sys
import threading
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from brief.collect.cleantext import one_line
from brief.config import FetchConfig

# httpx's package imports its command-line client (httpx._main), which imports rich and
# click when they are installed (Textual brings rich).  The core never imports rich, and
# it would cost 60 ms of every start-up: marking that module absent makes httpx skip it.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx  # noqa: E402

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, "
    "application/json;q=0.7, */*;q=0.5"
)
# Only the encodings we decode ourselves, in bounded steps (see _BodyDecoder).
ACCEPT_ENCODING = "gzip, deflate"
# Connections per HTTP client; a run needing more uses several clients (see make_clients).
CLIENT_CONNECTIONS = 2


class BodyTooLarge(Exception):
    """The response body (after decompression) exceeds the cap."""


class _BodyDecoder:
    """Undo Content-Encoding (gzip, deflate, chained) without ever producing more than a cap."""

    def __init__(self, encodings: Sequence[str], limit: int) -> None:
        self._limit = limit
        self._stages: list[Any] = []
        for name in reversed([e for e in encodings if e not in ("", "identity")]):
            if name in ("gzip", "x-gzip"):
                self._stages.append(zlib.decompressobj(16 + zlib.MAX_WBITS))
            elif name == "deflate":
                self._stages.append(_Deflate())
            else:
                raise ValueError(f"unsupported Content-Encoding {name!r}")
        self.size = 0

    def feed(self, data: bytes) -> bytes:
        """Decode one network chunk; raise BodyTooLarge past the cap."""
        for stage in self._stages:
            # max_length bounds the output of this step: a bomb stops here.
            data = stage.decompress(data, self._limit - self.size + 1)
        self.size += len(data)
        if self.size > self._limit:
            raise BodyTooLarge
        return data

    def flush(self) -> bytes:
        """Whatever the decompressors still hold at the end of the body."""
        data = b""
        for stage in self._stages:
            data = stage.decompress(data, self._limit - self.size + 1) + stage.flush()
        self.size += len(data)
        if self.size > self._limit:
            raise BodyTooLarge
        return data


class _Deflate:
    """HTTP "deflate" is zlib-wrapped by the spec but raw deflate on some servers."""

    def __init__(self) -> None:
        self._z: Any = None

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._z is None:
            if not data:
                return b""
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
            try:
                return bytes(self._z.decompress(data, max_length))
            except zlib.error:
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        return bytes(self._z.decompress(data, max_length))

    def flush(self) -> bytes:
        return bytes(self._z.flush()) if self._z is not None else b""


@dataclass(frozen=True, slots=True)
class Download:
    """One HTTP exchange: status, headers, body (decoded) or a one-line error."""

    url: str
    status: int | None = None
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    body: bytes = b""
    final_url: str | None = None
    moved_permanently: bool = False
    error: str | None = None
    retry_after: timedelta | None = None


# A server cannot push a feed away for longer than this (a year of Retry-After
# would silently end the subscription); the back-off's own maximum is the same.
MAX_RETRY_AFTER = timedelta(hours=24)


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as a delay (seconds or an HTTP date), capped at :data:`MAX_RETRY_AFTER`.

    None when absent or unreadable.  Never raises, however many digits it has.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        if len(value) > 9:  # more than 30 years: and int() of 5000 digits raises
            return MAX_RETRY_AFTER
        return min(timedelta(seconds=int(value)), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return min(max(timedelta(0), when - now), MAX_RETRY_AFTER)
    except OverflowError:  # pragma: no cover - dates are bounded by datetime itself
        return MAX_RETRY_AFTER


def _reason(response: httpx.Response) -> str:
    phrase = one_line(response.reason_phrase or "", 60)
    return f"HTTP {response.status_code}" + (f" {phrase}" if phrase else "")


def _describe_http_error(exc: BaseException, url: str, fetch: FetchConfig) -> str:
    """One readable line for a transport failure."""
    if isinstance(exc, httpx.TooManyRedirects):
        return f"more than {fetch.max_redirects} redirects (a redirect loop?)"
    if isinstance(exc, httpx.ConnectTimeout):
        return "timed out connecting to the server"
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return f"timed out after {fetch.timeout_seconds:g} s"
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect: " + one_line(str(exc) or type(exc).__name__, 120)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        if url.lower().startswith(("http://", "https://")):
            # The feed's own URL is http(s): what failed is where it redirected to.
            return "redirected to an invalid or non-http(s) URL: " + one_line(str(exc), 100)
        return "invalid URL: " + one_line(str(exc), 120)
    if isinstance(exc, httpx.RemoteProtocolError):
        return "broken HTTP response: " + one_line(str(exc) or "protocol error", 120)
    if isinstance(exc, httpx.HTTPError):
        return f"{type(exc).__name__}: " + one_line(str(exc), 120)
    return f"{type(exc).__name__}: " + one_line(str(exc), 120)


async def download(
    client: httpx.AsyncClient,
    url: str,
    fetch: FetchConfig,
    *,
    now: datetime,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = ACCEPT,
) -> Download:
    """GET ``url`` within the config's deadline and size cap; never raises for network trouble."""
    # The feed Accept and Accept-Encoding are the client's own headers (make_client): most
    # requests of a first fetch add none, and httpx then merges nothing.  Another Accept
    # comes with Accept-Encoding again, so the two are sent in the same order as ever.
    headers = {} if accept == ACCEPT else {"Accept": accept, "Accept-Encoding": ACCEPT_ENCODING}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        # The total deadline covers connect, headers and body: a trickling
        # server that keeps every read under the read timeout still ends here.
        async with asyncio.timeout(fetch.timeout_seconds):
            return await _download(client, url, fetch, headers, now)
    except (httpx.HTTPError, TimeoutError, httpx.StreamError, httpx.InvalidURL) as exc:
        # InvalidURL is not an HTTPError: a redirect to "javascript:..." raises it.
        return Download(url=url, error=_describe_http_error(exc, url, fetch))
    except (ValueError, UnicodeError) as exc:
        # httpx raises these for URLs it cannot even represent.
        return Download(url=url, error="invalid URL: " + one_line(str(exc), 120))


async def _download(
    client: httpx.AsyncClient,
    url: str,
    fetch: FetchConfig,
    headers: dict[str, str],
    now: datetime,
) -> Download:
    async with client.stream("GET", url, headers=headers or None) as response:
        final_url = str(response.url)
        permanent = bool(response.history) and all(
            r.status_code in (301, 308) for r in response.history
        )
        # Lower-cased names, repeated headers joined by ", ": what response.headers.get gives.
        received = dict(response.headers.items())
        info = Download(
            url=url,
            status=response.status_code,
            headers=received,
            final_url=final_url,
            moved_permanently=permanent,
        )
        status = response.status_code
        if status == 304:
            # Reading the (empty) body completes the exchange, so the connection goes
            # back to the pool for the next feed instead of being closed.
            await response.aread()
            return info
        if status in (429, 503):
            delay = parse_retry_after(received.get("retry-after"), now)
            return dataclasses.replace(info, error=_reason(response), retry_after=delay)
        if status == 410:
            return dataclasses.replace(
                info,
                error=f"{_reason(response)}: the feed was removed; unsubscribe with "
                "`brief feeds remove`",
            )
        if status >= 400:
            return dataclasses.replace(info, error=_reason(response))
        if not 200 <= status < 300:
            return dataclasses.replace(info, error=f"{_reason(response)} (not followed)")
        declared = received.get("content-length", "")
        encodings = [e.strip().lower() for e in received.get("content-encoding", "").split(",")]
        if (
            declared.isdigit()
            and int(declared) > fetch.max_bytes
            and encodings in ([""], ["identity"])
        ):
            return dataclasses.replace(info, error=_too_large(fetch))
        try:
            decoder = _BodyDecoder(encodings, fetch.max_bytes)
        except ValueError as exc:
            return dataclasses.replace(info, error=str(exc))
        chunks: list[bytes] = []
        try:
            async for raw in response.aiter_raw():
                chunks.append(decoder.feed(raw))
            chunks.append(decoder.flush())
        except BodyTooLarge:
            return dataclasses.replace(info, error=_too_large(fetch))
        except zlib.error as exc:
            return dataclasses.replace(
                info, error=f"corrupt compressed response: {one_line(str(exc), 80)}"
            )
        return dataclasses.replace(info, body=b"".join(chunks))


def _too_large(fetch: FetchConfig) -> str:
    return f"response larger than {fetch.max_bytes:,} bytes (raise [fetch] max_bytes to allow it)"


def make_client(
    fetch: FetchConfig,
    *,
    connections: int | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.AsyncClient:
    """The shared HTTP client: limits, timeouts, redirects, one User-Agent, proxies from env."""
    timeout = httpx.Timeout(fetch.timeout_seconds, connect=min(10.0, fetch.timeout_seconds))
    size = connections or fetch.concurrency
    limits = httpx.Limits(
        max_connections=size, max_keepalive_connections=size, keepalive_expiry=10.0
    )
    return httpx.AsyncClient(
        # httpx moves each header it is given after its defaults, so in this order the
        # request is sent byte for byte as when each carried Accept and Accept-Encoding.
        headers={
            "User-Agent": fetch.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        timeout=timeout,
        limits=limits,
        follow_redirects=True,
        max_redirects=fetch.max_redirects,
        verify=ssl_context if ssl_context is not None else tls_context(),
        trust_env=True,  # HTTP(S)_PROXY, ALL_PROXY and NO_PROXY from the environment
    )


def make_clients(fetch: FetchConfig) -> list[httpx.AsyncClient]:
    """Clients of at most CLIENT_CONNECTIONS connections each, ``concurrency`` in all.

    httpcore 1.0's connection pool does work quadratic in its size on every
    request (encode/httpcore#1035): one pool of 32 connections cost 1.1 s of
    CPU for 200 requests where four pools of 8 cost 0.26 s; on the 200-feed
    first fetch at concurrency 16, pools of 4 call its expiry check 1,900
    times where pools of 8 call it 5,600 (about 0.2 s less CPU), and pools of 2
    make 7% fewer Python calls than pools of 4 (572k against 616k for 200
    downloads) for 0.25 ms per extra client.  They share one TLS context
    (loading the CA bundle is the slow part of making a client).
    """
    lanes, per_lane = client_lanes(fetch.concurrency)
    context = tls_context()
    return [make_client(fetch, connections=per_lane, ssl_context=context) for _ in range(lanes)]


class _BackgroundCAContext(ssl.SSLContext):
    """A client TLS context whose CA bundle is read in a thread; every handshake waits for it.

    Reading a CA bundle costs 20-30 ms of CPU, on the thread that makes the
    clients: here it happens while the run opens its first connections (the
    stdlib reads the file without the GIL), and a run of plain-http feeds never
    waits for it.  Every TLS connection starts in ``wrap_bio`` (asyncio, anyio)
    or ``wrap_socket`` (blocking sockets), so none can start unverified.
    """

    def load_in_background(self, cafile: str) -> None:
        """Start reading ``cafile`` into this context."""
        self._ca_loaded = threading.Event()
        self._ca_error: BaseException | None = None
        threading.Thread(
            target=self._load_ca, args=(cafile,), name="brief-tls-ca", daemon=True
        ).start()

    def _load_ca(self, cafile: str) -> None:
        try:
            self.load_verify_locations(cafile=cafile)
        except BaseException as exc:  # re-raised by every handshake, never lost
            self._ca_error = exc
        finally:
            self._ca_loaded.set()

    def wait_for_ca(self) -> None:
        """Block until the CA bundle is loaded; raise what loading it raised."""
        self._ca_loaded.wait()
        if self._ca_error is not None:
            raise self._ca_error

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self.wait_for_ca()
        return super().wrap_bio(*args, **kwargs)

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self.wait_for_ca()
        return super().wrap_socket(*args, **kwargs)


def tls_context() -> ssl.SSLContext:
    """What ``httpx.create_ssl_context(trust_env=True)`` makes, its CA file read in a thread.

    The file is SSL_CERT_FILE's, else certifi's bundle, as for httpx.  With
    SSL_CERT_DIR (OpenSSL reads a folder lazily: nothing to save), or a file
    that is not there to read (so that it fails here, at once, as it always
    did), httpx's own context.  The context is made the way
    ``ssl.create_default_context(cafile=...)`` makes it
    (tests/unit/test_http_tls.py compares the two).
    """
    import certifi  # httpx's own dependency, for its CA bundle

    cafile = os.environ.get("SSL_CERT_FILE") or ("" if os.environ.get("SSL_CERT_DIR") else None)
    if cafile is None:
        cafile = certifi.where()
    if not (cafile and os.path.isfile(cafile) and os.access(cafile, os.R_OK)):
        return httpx.create_ssl_context(trust_env=True)
    # As ssl.create_default_context(cafile=...) makes it, but for reading the file.
    context = _BackgroundCAContext(ssl.PROTOCOL_TLS_CLIENT)
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    if sys.version_info >= (3, 13):
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment:
        context.keylog_filename = keylog
    context.load_in_background(cafile)
    return context


def client_lanes(concurrency: int) -> tuple[int, int]:
    """How many clients a run of ``concurrency`` uses, and connections per client."""
    lanes = max(1, math.ceil(concurrency / CLIENT_CONNECTIONS))
    return lanes, math.ceil(concurrency / lanes)


_CHARSET_RE = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", re.IGNORECASE)


def decode_html(body: bytes, content_type: str) -> str:
    """HTML bytes as text, by the charset the headers or a meta tag declare (else UTF-8)."""
    for match in (_CHARSET_RE.search(content_type), _META_CHARSET_RE.search(body[:4096])):
        if match:
            name = match.group(1)
            charset = name.decode("ascii", "replace") if isinstance(name, bytes) else name
            try:
                return body.decode(charset, errors="replace")
            except LookupError:
                continue
    return body.decode("utf-8", errors="replace")

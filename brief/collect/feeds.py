"""Fetch feeds over HTTP (httpx), parse them (feedparser, JSON Feed) and store their articles.

Politeness and safety, per request: one User-Agent, bounded concurrency
overall and per host, a total deadline (so a server trickling one byte a
second still ends), a body cap applied after decompression (we decode gzip
and deflate ourselves, in bounded steps, so a gzip bomb never inflates past
the cap), a redirect cap, proxies from the environment.  Per feed: ETag and
Last-Modified make a refresh of an unchanged feed a 304 that costs no
parsing; ``Retry-After`` on 429/503 and exponential back-off after repeated
failures decide when to try again; a minimum refresh interval stops
hammering.

Every failure becomes one line in the feed's health; nothing here raises for
a bad feed, so one broken subscription never stops the others.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import functools
import hashlib
import html
import io
import json
import math
import multiprocessing
import os
import re
import ssl
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from brief.config import Config, FeedConfig, FetchConfig
from brief.models import Article, Source, SourceHealth
from brief.store import FetchState, Store

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

MAX_BACKOFF = timedelta(hours=24)
MIN_BACKOFF = timedelta(minutes=5)
FULL_TEXT_PER_FEED = 20
TEASER_CHARS = 600
ERROR_CHARS = 200
# Parsing moves from a thread to a process pool when a run has this many feeds due and,
# judging by the feeds parsed so far (at least a tenth of them), this many CPU seconds of
# parsing still to come (a pool costs ~0.4 s of CPU per worker to start; light runs never
# pay it), and then only for bodies of at least PROCESS_POOL_MIN_BYTES (smaller ones cost
# less to parse than the trip to a worker and back).
PROCESS_POOL_MIN_FEEDS = 8
PROCESS_POOL_MIN_REMAINING_CPU = 1.5
PROCESS_POOL_MIN_BYTES = 8_000
# Connections per HTTP client; a run needing more uses several clients (see make_clients).
CLIENT_CONNECTIONS = 8


# --- plain data ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a parsed feed, already turned into plain text."""

    title: str
    text: str
    url: str | None = None
    guid: str | None = None
    author: str | None = None
    published: datetime | None = None
    teaser: bool = False


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """The result of parsing one response body: entries, or a one-line reason there are none."""

    version: str = ""
    title: str | None = None
    entries: tuple[FeedEntry, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    discovered: tuple[str, ...] = ()
    old_entries: int = 0  # entries dated before ``since``, left out unconverted

    @property
    def ok(self) -> bool:
        """True when the body was a feed (possibly with warnings)."""
        return self.error is None

    @property
    def entry_count(self) -> int:
        """Every entry the feed carries, old ones included."""
        return len(self.entries) + self.old_entries


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What happened to one feed in one fetch run."""

    source: Source
    health: SourceHealth
    fetched: bool = False
    not_modified: bool = False
    skipped: str | None = None
    added: int = 0
    updated: int = 0
    discovered: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FetchReport:
    """Every feed's outcome in one run, with totals."""

    outcomes: tuple[FeedOutcome, ...] = ()
    purged: int = 0

    @property
    def health(self) -> tuple[SourceHealth, ...]:
        """Each feed's health, in config order."""
        return tuple(o.health for o in self.outcomes)

    @property
    def added(self) -> int:
        """New articles stored."""
        return sum(o.added for o in self.outcomes)

    @property
    def failed(self) -> tuple[FeedOutcome, ...]:
        """Outcomes whose feed is in error."""
        return tuple(o for o in self.outcomes if o.health.error)

    def summary_line(self) -> str:
        """One line for logs: feeds fetched, unchanged, skipped, failed, new articles."""
        total = len(self.outcomes)
        fetched = sum(
            1 for o in self.outcomes if o.fetched and not o.health.error and not o.not_modified
        )
        unchanged = sum(1 for o in self.outcomes if o.not_modified)
        skipped = sum(1 for o in self.outcomes if o.skipped)
        parts = [f"{total} feed{'s' if total != 1 else ''}", f"{fetched} updated"]
        parts.append(f"{unchanged} unchanged")
        if skipped:
            parts.append(f"{skipped} not due")
        parts.append(f"{len(self.failed)} failed")
        line = ", ".join(parts) + f"; {self.added} new article{'s' if self.added != 1 else ''}"
        if self.purged:
            line += f"; {self.purged} old purged"
        return line


# --- sources and health ----------------------------------------------------------


def feed_source_id(url: str) -> str:
    """The store id of the feed subscribed at ``url``."""
    return "feed:" + url.strip()


def feed_source(feed: FeedConfig, title: str | None = None) -> Source:
    """The Source for a configured feed (named by config, else by the feed's title, else URL)."""
    return Source(
        id=feed_source_id(feed.url),
        name=feed.name or title or feed.url,
        kind="feed",
        location=feed.url,
        tags=tuple(feed.tags),
    )


def health_from_state(source: Source, state: FetchState | None) -> SourceHealth:
    """A feed's health as last recorded in the store."""
    if state is None:
        return SourceHealth(source=source, warnings=("not fetched yet (run `brief fetch`)",))
    return SourceHealth(
        source=source,
        article_count=state.article_count,
        error=state.error,
        warnings=state.warnings,
        last_success=state.last_success,
        status=state.status,
    )


def _one_line(text: str, limit: int = ERROR_CHARS) -> str:
    line = " ".join(_CONTROL_RE.sub(" ", str(text)).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- body decoding ---------------------------------------------------------------


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


# --- HTTP --------------------------------------------------------------------------


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


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as a delay: seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(timedelta(0), when - now)


def _reason(response: httpx.Response) -> str:
    phrase = _one_line(response.reason_phrase or "", 60)
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
        return "cannot connect: " + _one_line(str(exc) or type(exc).__name__, 120)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return "invalid URL: " + _one_line(str(exc), 120)
    if isinstance(exc, httpx.RemoteProtocolError):
        return "broken HTTP response: " + _one_line(str(exc) or "protocol error", 120)
    if isinstance(exc, httpx.HTTPError):
        return f"{type(exc).__name__}: " + _one_line(str(exc), 120)
    return f"{type(exc).__name__}: " + _one_line(str(exc), 120)


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
    headers = {"Accept": accept, "Accept-Encoding": ACCEPT_ENCODING}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        # The total deadline covers connect, headers and body: a trickling
        # server that keeps every read under the read timeout still ends here.
        async with asyncio.timeout(fetch.timeout_seconds):
            return await _download(client, url, fetch, headers, now)
    except (httpx.HTTPError, TimeoutError, httpx.StreamError) as exc:
        return Download(url=url, error=_describe_http_error(exc, url, fetch))
    except (ValueError, UnicodeError) as exc:
        # httpx raises these for URLs it cannot even represent.
        return Download(url=url, error="invalid URL: " + _one_line(str(exc), 120))


async def _download(
    client: httpx.AsyncClient,
    url: str,
    fetch: FetchConfig,
    headers: dict[str, str],
    now: datetime,
) -> Download:
    async with client.stream("GET", url, headers=headers) as response:
        final_url = str(response.url)
        permanent = bool(response.history) and all(
            r.status_code in (301, 308) for r in response.history
        )
        info = Download(
            url=url,
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
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
            delay = parse_retry_after(response.headers.get("retry-after"), now)
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
        declared = response.headers.get("content-length", "")
        encodings = [
            e.strip().lower() for e in response.headers.get("content-encoding", "").split(",")
        ]
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
                info, error=f"corrupt compressed response: {_one_line(str(exc), 80)}"
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
        headers={"User-Agent": fetch.user_agent},
        timeout=timeout,
        limits=limits,
        follow_redirects=True,
        max_redirects=fetch.max_redirects,
        verify=ssl_context if ssl_context is not None else True,
        trust_env=True,  # HTTP(S)_PROXY, ALL_PROXY and NO_PROXY from the environment
    )


def make_clients(fetch: FetchConfig) -> list[httpx.AsyncClient]:
    """Clients of at most CLIENT_CONNECTIONS connections each, ``concurrency`` in all.

    httpcore 1.0's connection pool does work quadratic in its size on every
    request (encode/httpcore#1035): one pool of 32 connections cost 1.1 s of
    CPU for 200 requests where four pools of 8 cost 0.26 s.  They share one
    TLS context (loading the CA bundle is the slow part of making a client).
    """
    lanes, per_lane = client_lanes(fetch.concurrency)
    context = httpx.create_ssl_context(trust_env=True)
    return [make_client(fetch, connections=per_lane, ssl_context=context) for _ in range(lanes)]


def client_lanes(concurrency: int) -> tuple[int, int]:
    """How many clients a run of ``concurrency`` uses, and connections per client."""
    lanes = max(1, math.ceil(concurrency / CLIENT_CONNECTIONS))
    return lanes, math.ceil(concurrency / lanes)


# --- text ------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_DROP_RE = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|math|head|select|button)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_CDATA_RE = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.DOTALL)
_BLOCK_RE = re.compile(
    r"<(?:/?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|table|section|article|header|footer|"
    r"figure|figcaption|dd|dt|dl|aside|main|nav|address)|br|hr)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>|<![^>]*>|<\?[^>]*>")
_PARA_SPLIT_RE = re.compile(r"\n\s*\n+")


def html_fragment_to_text(fragment: str) -> str:
    """Entry HTML → plain text: tags gone, entities decoded, paragraphs kept as blank-line breaks.

    A fast, forgiving converter for the small fragments feeds carry; whole
    article pages go through trafilatura (:mod:`brief.collect.extract`).
    """
    if "<" not in fragment and "&" not in fragment:
        return clean_text(fragment)
    text = _CDATA_RE.sub(r"\1", fragment)
    text = _COMMENT_RE.sub(" ", text)
    text = _DROP_RE.sub(" ", text)
    text = _BLOCK_RE.sub("\n\n", text)
    text = _TAG_RE.sub("", text)
    return clean_text(html.unescape(text))


def clean_text(text: str) -> str:
    """Plain text tidied: control characters out, spaces collapsed, paragraphs kept."""
    text = _CONTROL_RE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " "))
    paragraphs = (" ".join(p.split()) for p in _PARA_SPLIT_RE.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def _title_text(value: str, html_type: bool) -> str:
    text = html_fragment_to_text(value) if html_type else clean_text(value)
    return " ".join(text.split())


def _looks_like_teaser(text: str) -> bool:
    stripped = text.rstrip()
    if len(stripped) < TEASER_CHARS:
        return True
    tail = stripped[-40:].lower()
    return stripped.endswith(("…", "...", "[…]", "[...]")) or any(
        marker in tail for marker in ("read more", "continue reading", "read the full")
    )


def _fallback_title(text: str) -> str:
    first = text.split("\n\n", 1)[0]
    if len(first) <= 100:
        return first or "(untitled)"
    cut = first[:100].rsplit(" ", 1)[0]
    return cut + "…"


# --- parsing -----------------------------------------------------------------------


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = (int(v) for v in value[:6])
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _parse_date_text(value: Any) -> datetime | None:
    """An RFC 3339 / RFC 822 / W3C date string → aware UTC datetime, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        parsed_struct = _feedparser().datetimes._parse_date(value)
        return _struct_to_datetime(parsed_struct)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _bozo_warning(exc: Any, parsed: Any) -> str:
    name = type(exc).__name__
    if name == "NonXMLContentType":
        message = str(exc)
        if "no Content-type" in message:
            return "served without a Content-Type; read anyway"
        return (
            "served as "
            + _one_line(message.split(" is not", 1)[0], 60)
            + " (not a feed type); read anyway"
        )
    if name == "CharacterEncodingOverride":
        return f"wrong or missing character encoding; read as {parsed.get('encoding') or 'unknown'}"
    if name == "CharacterEncodingUnknown":
        return "unknown character encoding; bytes read as best as possible"
    if name == "SAXParseException":
        return "not well-formed XML (" + _one_line(str(exc), 100) + "); read leniently"
    return f"{name}: {_one_line(str(exc), 100)}"


def _field(mapping: Any, key: str) -> Any:
    # dict.get, not FeedParserDict.get: the latter remaps keys (updated → published)
    # and warns about it, which is noise here and an error under pytest.
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


def _str_field(mapping: Any, key: str) -> str:
    value = _field(mapping, key)
    return value if isinstance(value, str) else ""


def _entry_date(item: Any) -> datetime | None:
    """When a feedparser entry was published (else updated), as aware UTC."""
    return _struct_to_datetime(_field(item, "published_parsed")) or _struct_to_datetime(
        _field(item, "updated_parsed")
    )


def _entry_from_feedparser(item: Any) -> FeedEntry | None:
    """A feedparser entry → FeedEntry (None when it has neither title, text nor link)."""
    best_html = ""
    best_text = ""
    for content in _field(item, "content") or ():
        value = _str_field(content, "value")
        ctype = (_str_field(content, "type") or "text/html").lower()
        candidate = html_fragment_to_text(value) if "html" in ctype else clean_text(value)
        if len(candidate) > len(best_html):
            best_html = candidate
    summary = _str_field(item, "summary")
    if summary:
        stype = (_str_field(_field(item, "summary_detail"), "type") or "text/html").lower()
        best_text = html_fragment_to_text(summary) if "html" in stype else clean_text(summary)
    has_content = bool(best_html)
    text = best_html if len(best_html) >= len(best_text) else best_text
    title_type = _str_field(_field(item, "title_detail"), "type")
    title = _title_text(_str_field(item, "title"), "html" in title_type)
    link = _str_field(item, "link").strip() or None
    if not title and not text and not link:
        return None
    published = _entry_date(item)
    guid = _str_field(item, "id").strip() or _str_field(item, "guid").strip()
    author = clean_text(_str_field(item, "author")) or None
    if not title:
        title = _fallback_title(text) if text else (link or "(untitled)")
    return FeedEntry(
        title=title,
        text=text,
        url=link,
        guid=guid[:2000] or None,
        author=author,
        published=published,
        teaser=not has_content and _looks_like_teaser(text),
    )


def _parse_json_feed(body: bytes, since: datetime | None = None) -> ParsedFeed | None:
    """JSON Feed 1.0/1.1 (feedparser 6 reads XML feeds only); None when the body is not one."""
    warnings: list[str] = []
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
        warnings.append("invalid UTF-8 in JSON; bad bytes replaced")
    try:
        # strict=False: raw control characters inside strings are common in the wild.
        data = json.loads(text, strict=False)
    except (json.JSONDecodeError, RecursionError) as exc:
        if text.lstrip().startswith("{"):
            return ParsedFeed(error="not a feed: invalid JSON (" + _one_line(str(exc), 80) + ")")
        return None
    if not isinstance(data, dict):
        return None
    declared = str(data.get("version", ""))
    items = data.get("items")
    if declared.startswith(("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")):
        version = "json" + declared.rstrip("/").rsplit("/", 1)[-1].replace(".", "")
    elif isinstance(items, list) and ("title" in data or "feed_url" in data):
        # Some generators leave out "version"; the shape is unmistakable.
        version = "json"
        warnings.append("JSON Feed without a version; read anyway")
    else:
        return None
    if not isinstance(items, list):
        return ParsedFeed(version=version, error="not a feed: JSON Feed without an items list")
    feed_author = _json_author(data)
    entries = []
    old = 0
    for item in items:
        if not isinstance(item, dict):
            continue
        published = _parse_date_text(item.get("date_published")) or _parse_date_text(
            item.get("date_modified")
        )
        if since is not None and published is not None and published < since:
            old += 1
            continue
        content_html = item.get("content_html")
        content_text = item.get("content_text")
        summary = item.get("summary")
        text = ""
        has_content = False
        if isinstance(content_html, str) and content_html.strip():
            text, has_content = html_fragment_to_text(content_html), True
        if isinstance(content_text, str) and len(clean_text(content_text)) > len(text):
            text, has_content = clean_text(content_text), True
        if not text and isinstance(summary, str):
            text = clean_text(summary)
        raw_title = item.get("title")
        title = _title_text(raw_title, False) if isinstance(raw_title, str) else ""
        url = item.get("url") if isinstance(item.get("url"), str) else None
        url = url or (
            item.get("external_url") if isinstance(item.get("external_url"), str) else None
        )
        if not title and not text and not url:
            continue
        guid = item.get("id")
        entries.append(
            FeedEntry(
                title=title or (_fallback_title(text) if text else (url or "(untitled)")),
                text=text,
                url=url,
                guid=str(guid)[:2000]
                if isinstance(guid, (str, int, float)) and str(guid)
                else None,
                author=_json_author(item) or feed_author,
                published=published,
                teaser=not has_content and _looks_like_teaser(text),
            )
        )
    feed_title = data.get("title")
    return ParsedFeed(
        version=version,
        title=_title_text(feed_title, False) if isinstance(feed_title, str) else None,
        entries=tuple(entries),
        warnings=tuple(warnings),
        old_entries=old,
    )


def _json_author(data: Mapping[str, Any]) -> str | None:
    authors = data.get("authors")
    if isinstance(authors, list):
        names = [
            str(a["name"])
            for a in authors
            if isinstance(a, dict) and isinstance(a.get("name"), str)
        ]
        if names:
            return clean_text(", ".join(names)) or None
    author = data.get("author")
    if isinstance(author, dict) and isinstance(author.get("name"), str):
        return clean_text(author["name"]) or None
    return None


_HTML_SNIFF_RE = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html\b|<head\b|<body\b)", re.I | re.S
)


def _looks_like_html(body: bytes, content_type: str) -> bool:
    head = body[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_SNIFF_RE.match(head):
        return True
    return (
        "html" in content_type
        and b"<rss" not in head
        and b"<feed" not in head
        and b"<rdf" not in head.lower()
    )


def parse_feed(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    since: datetime | None = None,
) -> ParsedFeed:
    """Parse one response body as RSS 0.9x/1.0/2.0, Atom, RDF or JSON Feed; never raises.

    "Not a feed" is decided from the detected format and entries, not from
    feedparser's ``bozo`` flag: a bozo feed with entries is a warning.  An
    HTML page yields the feed URLs it links to (``<link rel="alternate">``).
    Entries dated before ``since`` are only counted (``old_entries``): brief
    would not keep them, so their text is never converted.
    """
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    content_type = headers.get("content-type", "").lower()
    if not body.strip():
        return ParsedFeed(error="not a feed: empty response")
    try:
        return _parse_feed(body, url, headers, content_type, since)
    except Exception as exc:  # a parser bug must not take the run down
        return ParsedFeed(
            error=f"could not parse: {type(exc).__name__}: {_one_line(str(exc), 100)}"
        )


def _parse_feed(
    body: bytes, url: str, headers: dict[str, str], content_type: str, since: datetime | None
) -> ParsedFeed:
    first = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if first.startswith(b"{") or "json" in content_type:
        json_feed = _parse_json_feed(body, since)
        if json_feed is not None:
            return json_feed
        if first.startswith(b"{"):
            return ParsedFeed(error="not a feed: JSON, but not a JSON Feed (jsonfeed.org)")
    if _looks_like_html(body, content_type):
        links = discover_feed_links(body, url)
        if links:
            return ParsedFeed(
                error=f"not a feed but an HTML page; it links to the feed {links[0]}: use that URL",
                discovered=tuple(links),
            )
        return ParsedFeed(error="not a feed: an HTML page with no feed link")
    response_headers = dict(headers)
    response_headers.setdefault("content-location", url)
    # Blank lines before the XML declaration (a common server slip) make the XML not
    # well-formed, which sends feedparser to its lenient parser, 2-3x slower, for the
    # whole feed; the entries read are the same either way (checked on the corpus).
    if body[:1] in b" \t\r\n" and body.lstrip(b" \t\r\n").startswith(b"<?xml"):
        body = body.lstrip(b" \t\r\n")
    cut = 0
    if since is not None:
        # Old entries would only be counted: cut them before the slow parse (exactly).
        feed_body, cut = _without_old_entries(body, response_headers, since)
        parsed = _feedparser_parse(feed_body, response_headers)
        if cut and not parsed.get("version") and not parsed.get("entries"):
            parsed, cut = _feedparser_parse(body, response_headers), 0  # never lose a feed
    else:
        parsed = _feedparser_parse(body, response_headers)
    version = parsed.get("version") or ""
    raw_entries = parsed.get("entries") or []
    warnings: list[str] = []
    if parsed.get("bozo"):
        warnings.append(_bozo_warning(parsed.get("bozo_exception"), parsed))
    if not version and not raw_entries:
        exc = parsed.get("bozo_exception")
        if exc is not None and type(exc).__name__ == "SAXParseException":
            return ParsedFeed(
                error="not a feed: not well-formed XML (" + _one_line(str(exc), 100) + ")"
            )
        return ParsedFeed(error="not a feed: no RSS, Atom, RDF or JSON Feed content found")
    entries = []
    empty, old = 0, cut
    for item in raw_entries:
        if since is not None:
            when = _entry_date(item)
            if when is not None and when < since:
                old += 1
                continue
        entry = _entry_from_feedparser(item)
        if entry is None:
            empty += 1
        else:
            entries.append(entry)
    if empty:
        warnings.append(f"{empty} empty entr{'y' if empty == 1 else 'ies'} skipped")
    feed_info = _field(parsed, "feed") or {}
    title_type = _str_field(_field(feed_info, "title_detail"), "type")
    title = _title_text(_str_field(feed_info, "title"), "html" in title_type)
    return ParsedFeed(
        version=version or "unknown",
        title=title or None,
        entries=tuple(entries),
        warnings=tuple(warnings),
        old_entries=old,
    )


_FEEDPARSER_LOCK = threading.Lock()
_FEEDPARSER: Any = None


def _feedparser() -> Any:
    """The feedparser module (with the old-entry cutter that reads dates with it), imported once.

    Imported on first use, not at start-up: a refresh that is all 304s never
    needs it.  Under a lock, because parsing runs in several threads at once
    and two threads importing feedparser together can get it half-initialised
    ("cannot import name ... from partially initialized module").
    """
    global _FEEDPARSER
    if _FEEDPARSER is None:
        with _FEEDPARSER_LOCK:
            if _FEEDPARSER is None:
                import feedparser
                import feedparser.api
                import feedparser.datetimes
                import feedparser.encodings
                import feedparser.mixin

                import brief.collect.oldentries  # noqa: F401 - imports feedparser's internals

                # feedparser's documented reader hook: expat with buffered text (feedsax).
                feedparser.api.PREFERRED_XML_PARSERS = ["brief.collect.feedsax"]
                _memoize_base_uri(feedparser.mixin)
                _FEEDPARSER = feedparser
    return _FEEDPARSER


def _memoize_base_uri(mixin: Any) -> None:
    """Cache feedparser's ``make_safe_absolute_uri``, which it calls for every element.

    To track ``xml:base`` feedparser joins the base URI with itself at each
    start tag: urljoin and urlparse twice, a third of its time on a typical
    feed.  The function is pure (two strings in, one out), so a cache returns
    exactly what it would.  It is a module-level name, not public API: when a
    feedparser release renames it, this does nothing.
    """
    function = getattr(mixin, "make_safe_absolute_uri", None)
    if callable(function) and not hasattr(function, "cache_info"):
        mixin.make_safe_absolute_uri = functools.lru_cache(maxsize=1024)(function)


def _feedparser_parse(body: bytes, response_headers: dict[str, str]) -> Any:
    # Never a path or URL: feedparser would open files or fetch by itself.
    return _feedparser().parse(
        io.BytesIO(body),
        response_headers=response_headers,
        sanitize_html=False,  # brief turns entry HTML into escaped plain text itself
        resolve_relative_uris=False,  # and has no use for rewritten links inside it
    )


def _without_old_entries(
    body: bytes, response_headers: dict[str, str], since: datetime
) -> tuple[bytes, int]:
    """``body`` minus the entries certainly older than ``since`` (see brief.collect.oldentries).

    The cut body is used only when feedparser picks the same character
    encoding, with the same complaint, as for the whole body: then it reads
    exactly the same text, less the old entries.
    """
    convert_to_utf8 = _feedparser().encodings.convert_to_utf8
    from brief.collect.oldentries import cuttable_encoding, drop_old_entries

    trimmed, cut = drop_old_entries(body, since)
    if not cut:
        return body, 0
    whole: dict[str, Any] = {}
    convert_to_utf8(response_headers, body, whole)
    if not cuttable_encoding(whole.get("encoding")):
        return body, 0
    if "bozo_exception" in whole:
        # feedparser fell back from its first choice of encoding for the whole body:
        # the cut body might not need to, and would then be read differently.
        part: dict[str, Any] = {}
        convert_to_utf8(response_headers, trimmed, part)
        if part.get("encoding") != whole.get("encoding") or repr(
            part.get("bozo_exception")
        ) != repr(whole["bozo_exception"]):
            return body, 0
    # Else its first choice decoded the whole body, so it decodes the cut one (whole
    # characters removed, in an encoding where '<' and '>' are bytes of their own).
    return trimmed, cut


_FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "text/xml",
    "application/xml",
}


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        if tag != "link":
            return
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in _FEED_TYPES and values.get("href"):
            self.links.append((kind, values["href"].strip()))


def discover_feed_links(page: bytes | str, base_url: str) -> list[str]:
    """Feed URLs a web page announces with ``<link rel="alternate" type="...">``, best first."""
    text = page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page
    finder = _LinkFinder()
    try:
        finder.feed(text[:2_000_000])
        finder.close()
    except Exception:  # HTMLParser is forgiving; whatever it found so far stands
        pass
    base = urljoin(base_url, finder.base) if finder.base else base_url
    order = {t: i for i, t in enumerate(sorted(_FEED_TYPES, key=_feed_type_rank))}
    seen: list[str] = []
    for _kind, href in sorted(finder.links, key=lambda link: order[link[0]]):
        absolute = urljoin(base, href)
        if absolute.startswith(("http://", "https://")) and absolute not in seen:
            seen.append(absolute)
    return seen


def _feed_type_rank(kind: str) -> int:
    ranks = [
        "application/atom+xml",
        "application/rss+xml",
        "application/feed+json",
        "application/rdf+xml",
    ]
    return ranks.index(kind) if kind in ranks else len(ranks)


def entries_to_articles(
    source: Source, entries: Iterable[FeedEntry], *, fetched: datetime | None = None
) -> list[Article]:
    """Turn parsed entries into Articles of ``source`` (ids are assigned by the store)."""
    return [
        Article(
            id="",
            source_id=source.id,
            source_name=source.name,
            title=entry.title,
            text=entry.text,
            url=entry.url,
            published=entry.published,
            fetched=fetched,
            author=entry.author,
            guid=entry.guid,
        )
        for entry in entries
    ]


# --- parsing off the event loop ------------------------------------------------------


def _parse_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> ParsedFeed:
    return parse_feed(body, url, headers, since=since)


def _timed_parse_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> tuple[ParsedFeed, float]:
    started = time.thread_time()
    parsed = _parse_job(body, url, headers, since)
    return parsed, time.thread_time() - started


def _warm_worker() -> None:
    """First job of a pool worker: import feedparser before real work arrives."""
    _feedparser()


def _warm_parser(first_fetch: bool) -> None:
    """Import feedparser while the first responses are still on their way.

    On a first fetch of many feeds, also load the character-set detector
    feedparser falls back on for feeds that misdeclare their encoding: its
    first use costs about 80 ms, which would otherwise land mid-run.
    """
    feedparser = _feedparser()
    detect = getattr(feedparser.encodings, "lazy_chardet_encoding", None)
    if first_fetch and callable(detect):
        detect("Últimas notícias".encode("latin-1"))


def _exit_with_parent(parent: int) -> None:
    """Pool-worker initializer: leave when brief goes (even by ``kill -9``), never linger."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="brief-parent-watch", daemon=True).start()


class _Parsers:
    """Runs parse_feed off the event loop: in one thread, or in processes when parsing is heavy.

    A thread is enough while parsing is light (most refreshes: few changed
    feeds, old entries cut before feedparser sees them), and costs nothing to
    start.  One thread, not several: parsing holds the GIL, so more threads
    only take turns with the event loop downloading the other feeds.  When
    the work measured so far says more than PROCESS_POOL_MIN_REMAINING_CPU
    seconds of parsing remain (a first fetch of big feeds whose entries are
    all recent), a process pool starts, and large bodies go to it once its
    workers are up: feedparser is pure Python, and processes use every core.
    """

    def __init__(self, expected: int, workers: int | None = None) -> None:
        cpus = os.cpu_count() or 1
        self._workers = workers if workers is not None else min(cpus, 8)
        self._processes = expected >= PROCESS_POOL_MIN_FEEDS and self._workers > 1
        self._expected = expected
        self._thread = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="brief-parse"
        )
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._warming: list[concurrent.futures.Future[None]] = []
        self._broken = False
        self._parsed = 0
        self._cpu = 0.0

    def prepare(self, likely: int, first_fetch: int) -> None:
        """Warm the parse thread up when ``likely`` feeds will probably need parsing."""
        if likely:
            self._thread.submit(_warm_parser, first_fetch >= PROCESS_POOL_MIN_FEEDS)

    def _start(self) -> None:
        # spawn, never fork: the TUI runs threads, and forking those is unsafe.
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )
        # Start every worker now (interpreter, feedparser import), not on first use.
        self._warming = [self._pool.submit(_warm_worker) for _ in range(self._workers)]

    def _pool_ready(self) -> bool:
        if self._pool is None or self._broken:
            return False
        if not all(f.done() for f in self._warming):
            return False  # bodies meanwhile go to the thread rather than queue behind start-up
        if any(f.exception() is not None for f in self._warming):
            self._broken = True
            return False
        return True

    def _maybe_start(self) -> None:
        if not self._processes or self._pool is not None or self._broken:
            return
        if self._parsed < max(PROCESS_POOL_MIN_FEEDS, self._expected // 10):
            return  # too few feeds parsed yet to judge the rest by (sizes vary a lot)
        remaining = max(0, self._expected - self._parsed) * (self._cpu / self._parsed)
        if remaining >= PROCESS_POOL_MIN_REMAINING_CPU:
            try:
                self._start()
            except OSError:
                self._broken = True

    async def parse(
        self, body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
    ) -> ParsedFeed:
        """Parse one body in a worker (thread or process); never raises for bad input."""
        loop = asyncio.get_running_loop()
        if len(body) >= PROCESS_POOL_MIN_BYTES and self._pool_ready():
            assert self._pool is not None
            try:
                return await loop.run_in_executor(self._pool, _parse_job, body, url, headers, since)
            except (concurrent.futures.process.BrokenProcessPool, OSError):
                self._broken = True  # fall back to the thread for the rest of the run
        parsed, cpu = await loop.run_in_executor(
            self._thread, _timed_parse_job, body, url, headers, since
        )
        self._parsed += 1
        self._cpu += cpu
        self._maybe_start()
        return parsed

    def close(self) -> None:
        """Stop the parse thread and the pool's workers (if it was started)."""
        self._thread.shutdown(wait=True, cancel_futures=True)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# --- the fetch run -------------------------------------------------------------------


ProgressCallback = Callable[[FeedOutcome, int, int], None]


def _backoff(failures: int, fetch: FetchConfig) -> timedelta | None:
    """How long to leave a feed alone after ``failures`` failures in a row."""
    if failures < 2:
        return None
    base = max(timedelta(minutes=fetch.min_interval_minutes), MIN_BACKOFF)
    delay: timedelta = min(base * (2 ** min(failures - 2, 20)), MAX_BACKOFF)
    return delay


def due(state: FetchState | None, fetch: FetchConfig, now: datetime) -> str | None:
    """None when the feed may be fetched now, else why not (one line)."""
    if state is None:
        return None
    if state.gone:
        return "gone"
    if state.not_before is not None and now < state.not_before:
        return f"waiting until {state.not_before:%Y-%m-%d %H:%M} UTC"
    interval = timedelta(minutes=fetch.min_interval_minutes)
    if (
        state.error is None
        and state.last_attempt is not None
        and interval
        and now - state.last_attempt < interval
    ):
        return f"fetched less than {fetch.min_interval_minutes} min ago"
    return None


class _Run:
    """One fetch run over many feeds, sharing clients, semaphores, parsers and the store."""

    def __init__(
        self,
        store: Store,
        fetch: FetchConfig,
        clients: Sequence[httpx.AsyncClient],
        parsers: _Parsers,
        *,
        now: datetime,
        keep_since: datetime | None,
    ) -> None:
        self.store = store
        self.fetch = fetch
        self.clients = list(clients)
        self.busy = [0] * len(self.clients)  # requests in flight per client
        self.parsers = parsers
        self.now = now
        self.keep_since = keep_since
        self.overall = asyncio.Semaphore(fetch.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}

    def _host_gate(self, url: str) -> asyncio.Semaphore:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        gate = self.hosts.get(host)
        if gate is None:
            gate = self.hosts[host] = asyncio.Semaphore(self.fetch.per_host)
        return gate

    async def get(self, url: str, **kw: Any) -> Download:
        async with self.overall, self._host_gate(url):
            lane = min(range(len(self.clients)), key=self.busy.__getitem__)
            self.busy[lane] += 1
            try:
                return await download(self.clients[lane], url, self.fetch, now=self.now, **kw)
            finally:
                self.busy[lane] -= 1

    async def feed(
        self, feed: FeedConfig, source: Source, state: FetchState | None, force: bool
    ) -> FeedOutcome:
        if not force:
            reason = due(state, self.fetch, self.now)
            if reason is not None:
                return FeedOutcome(
                    source=source, health=health_from_state(source, state), skipped=reason
                )
        previous = state or FetchState(source_id=source.id)
        target = previous.final_url or feed.url
        got = await self.get(target, etag=previous.etag, last_modified=previous.last_modified)
        if got.error is not None or got.status is None:
            return self._failed(source, previous, got, got.error or "no response")
        warnings: list[str] = []
        final_url = previous.final_url
        if got.moved_permanently and got.final_url and got.final_url != target:
            final_url = got.final_url
        if final_url and final_url != feed.url:
            warnings.append(f"moved permanently to {final_url}; update the feed URL")
        if got.status == 304:
            state = dataclasses.replace(
                previous,
                last_attempt=self.now,
                last_success=self.now,
                status=304,
                etag=got.headers.get("etag") or previous.etag,
                last_modified=got.headers.get("last-modified") or previous.last_modified,
                error=None,
                failures=0,
                not_before=None,
                final_url=final_url,
            )
            self.store.save_fetch_state(state, touch_articles=True)
            return FeedOutcome(
                source=source,
                health=health_from_state(source, state),
                fetched=True,
                not_modified=True,
            )
        body_hash = hashlib.sha256(got.body).hexdigest()
        if previous.body_hash == body_hash and previous.error is None and previous.last_success:
            # Same bytes as last time (a server without validators): nothing to parse.
            state = dataclasses.replace(
                previous,
                last_attempt=self.now,
                status=got.status,
                final_url=final_url,
                last_success=self.now,
                etag=got.headers.get("etag"),
                last_modified=got.headers.get("last-modified"),
                failures=0,
                not_before=None,
            )
            self.store.save_fetch_state(state, touch_articles=True)
            return FeedOutcome(
                source=source,
                health=health_from_state(source, state),
                fetched=True,
                not_modified=True,
            )
        parsed = await self.parsers.parse(
            got.body, got.final_url or target, dict(got.headers), self.keep_since
        )
        if not parsed.ok:
            return self._failed(
                source, previous, got, parsed.error or "not a feed", discovered=parsed.discovered
            )
        entries = list(parsed.entries)
        articles = entries_to_articles(source, entries, fetched=self.now)
        update_text = True
        if feed.full_text:
            articles, full_warnings = await self._full_text(source, entries, articles)
            warnings.extend(full_warnings)
            update_text = False  # never overwrite a fetched full text with the teaser again
        warnings = list(parsed.warnings) + warnings
        state = FetchState(
            source_id=source.id,
            last_attempt=self.now,
            last_success=self.now,
            status=got.status,
            etag=got.headers.get("etag"),
            last_modified=got.headers.get("last-modified"),
            error=None,
            warnings=tuple(_one_line(w) for w in warnings),
            failures=0,
            not_before=None,
            gone=False,
            final_url=final_url,
            article_count=parsed.entry_count,
            body_hash=body_hash,
        )
        result = self.store.upsert_articles(
            source,
            articles,
            fetched=self.now,
            state=state,
            title=parsed.title,
            update_text=update_text,
        )
        if not feed.name and parsed.title:
            source = dataclasses.replace(source, name=parsed.title)
        return FeedOutcome(
            source=source,
            health=health_from_state(source, state),
            fetched=True,
            added=result.added,
            updated=result.updated,
        )

    def _failed(
        self,
        source: Source,
        previous: FetchState,
        got: Download,
        error: str,
        *,
        discovered: tuple[str, ...] = (),
    ) -> FeedOutcome:
        failures = previous.failures + 1
        not_before = None
        if got.retry_after is not None:
            not_before = self.now + min(got.retry_after, MAX_BACKOFF)
            error += f"; retrying after {not_before:%Y-%m-%d %H:%M:%S} UTC"
        else:
            delay = _backoff(failures, self.fetch)
            if delay is not None:
                not_before = self.now + delay
        state = dataclasses.replace(
            previous,
            last_attempt=self.now,
            status=got.status,
            error=_one_line(error, ERROR_CHARS + 100),
            warnings=(),
            failures=failures,
            not_before=not_before,
            gone=got.status == 410,
        )
        self.store.save_fetch_state(state)
        return FeedOutcome(
            source=source,
            health=health_from_state(source, state),
            fetched=got.status is not None,
            discovered=discovered,
        )

    async def _full_text(
        self, source: Source, entries: list[FeedEntry], articles: list[Article]
    ) -> tuple[list[Article], list[str]]:
        """Replace teasers of new entries with the article page's main text."""
        known = self.store.existing_article_ids(source, articles)
        wanted = [
            i
            for i, (entry, article_id) in enumerate(zip(entries, known, strict=True))
            if article_id is None
            and entry.teaser
            and entry.url
            and entry.url.startswith(("http://", "https://"))
        ][:FULL_TEXT_PER_FEED]
        if not wanted:
            return articles, []
        pages = await asyncio.gather(*(self._page_text(entries[i].url or "") for i in wanted))
        failures = [error for _text, error in pages if error]
        result = list(articles)
        for i, (text, _error) in zip(wanted, pages, strict=True):
            if text and len(text) > len(articles[i].text):
                result[i] = dataclasses.replace(articles[i], text=text)
        warnings = []
        if failures:
            warnings.append(
                f"full text of {len(failures)} article{'s' if len(failures) != 1 else ''} "
                f"not fetched ({failures[0]})"
            )
        return result, warnings

    async def _page_text(self, url: str) -> tuple[str, str | None]:
        got = await self.get(url, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        if got.error is not None:
            return "", got.error
        page = decode_html(got.body, got.headers.get("content-type", ""))
        text = await asyncio.to_thread(_page_main_text, page, got.final_url or url)
        return text, None if text else "no article text found on the page"


def _page_main_text(page: str, url: str) -> str:
    """An article page's main text (trafilatura), page furniture removed."""
    from brief.collect.extract import html_to_text, strip_furniture

    return clean_text(strip_furniture(html_to_text(page, url)))


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


async def fetch_feeds_async(
    feeds: Sequence[FeedConfig],
    store: Store,
    fetch: FetchConfig,
    *,
    now: datetime,
    retention_days: int | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    parse_workers: int | None = None,
) -> FetchReport:
    """Fetch every feed concurrently into ``store``; return each one's outcome, in config order."""
    sources = [_source_with_title(feed, store) for feed in feeds]
    # The store keeps the configured name ('' = use the feed's own title), not the display name.
    store.upsert_sources(
        dataclasses.replace(s, name=f.name) for f, s in zip(feeds, sources, strict=True)
    )
    states = store.fetch_states()
    keep_since = now - timedelta(days=retention_days) if retention_days else None
    due_states = [
        states.get(s.id) for s in sources if force or due(states.get(s.id), fetch, now) is None
    ]
    parsers = _Parsers(len(due_states), parse_workers)
    # Feeds never fetched, or whose server gives no validators, will be parsed.
    parsers.prepare(
        likely=sum(1 for st in due_states if st is None or not (st.etag or st.last_modified)),
        first_fetch=sum(1 for st in due_states if st is None or not st.last_success),
    )
    done = 0
    try:
        async with contextlib.AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(c) for c in make_clients(fetch)]
            run = _Run(store, fetch, clients, parsers, now=now, keep_since=keep_since)

            async def one(feed: FeedConfig, source: Source) -> FeedOutcome:
                nonlocal done
                try:
                    outcome = await run.feed(feed, source, states.get(source.id), force)
                except Exception as exc:  # a bug or a store error for one feed: report, go on
                    outcome = FeedOutcome(
                        source=source,
                        health=SourceHealth(
                            source=source,
                            error=f"internal error: {type(exc).__name__}: "
                            + _one_line(str(exc), 120),
                        ),
                    )
                done += 1
                if progress is not None:
                    progress(outcome, done, len(sources))
                return outcome

            outcomes = await asyncio.gather(
                *(one(f, s) for f, s in zip(feeds, sources, strict=True))
            )
    finally:
        parsers.close()
    purged = store.purge(keep_since) if keep_since is not None else 0
    return FetchReport(outcomes=tuple(outcomes), purged=purged)


def _source_with_title(feed: FeedConfig, store: Store) -> Source:
    stored = store.source(feed_source_id(feed.url))
    title = stored.name if stored is not None and stored.name != stored.location else None
    return feed_source(feed, title if not feed.name else None)


def fetch_feeds(
    config: Config,
    store: Store,
    *,
    now: datetime,
    force: bool = False,
    progress: ProgressCallback | None = None,
    feeds: Sequence[FeedConfig] | None = None,
) -> FetchReport:
    """Fetch the configured feeds (or ``feeds``) into the store; blocking, for CLI and workers."""
    return asyncio.run(
        fetch_feeds_async(
            config.feeds if feeds is None else feeds,
            store,
            config.fetch,
            now=now,
            retention_days=config.store.retention_days,
            force=force,
            progress=progress,
        )
    )


def stored_feed_health(config: Config, store: Store) -> tuple[SourceHealth, ...]:
    """Each configured feed's health from the store, without touching the network."""
    states = store.fetch_states()
    return tuple(
        health_from_state(_source_with_title(feed, store), states.get(feed_source_id(feed.url)))
        for feed in config.feeds
    )


def collect_feeds(
    config: Config,
    *,
    now: datetime,
    start: datetime,
    end: datetime,
    fetch: bool = True,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> tuple[list[Article], list[SourceHealth]]:
    """The configured feeds' stored articles in ``[start, end)``, fetched first unless offline.

    Each feed's health counts its articles in the window.  When the store
    cannot be opened, every feed reports that (one line) and the run goes on
    with local sources only.
    """
    from brief.errors import BriefError
    from brief.store import open_store

    if not config.feeds:
        return [], []
    try:
        store = open_store(config.store_path())
    except BriefError as exc:
        error = "article store unavailable: " + _one_line(exc.message, 160)
        return [], [SourceHealth(source=feed_source(f), error=error) for f in config.feeds]
    with store:
        if fetch:
            health = list(
                fetch_feeds(config, store, now=now, force=force, progress=progress).health
            )
        else:
            health = list(stored_feed_health(config, store))
        ids = [h.source.id for h in health]
        articles = store.articles_between(start, end, source_ids=ids)
        counts = store.counts_between(start, end)
    health = [dataclasses.replace(h, article_count=counts.get(h.source.id, 0)) for h in health]
    return articles, health


# --- probing one URL (brief feeds add) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Probe:
    """What one URL turned out to be: a feed (with title and entry count), or an error."""

    url: str
    title: str | None = None
    entries: int = 0
    error: str | None = None
    discovered: tuple[str, ...] = ()


async def probe_feed_async(url: str, fetch: FetchConfig, *, now: datetime) -> Probe:
    """Fetch ``url`` once; follow a web page's feed link if it has one."""
    async with make_client(fetch) as client:
        got = await download(client, url, fetch, now=now)
        if got.error is not None:
            return Probe(url=url, error=got.error)
        parsed = await asyncio.to_thread(
            parse_feed, got.body, got.final_url or url, dict(got.headers)
        )
        if parsed.ok:
            return Probe(url=url, title=parsed.title, entries=len(parsed.entries))
        if parsed.discovered:
            link = parsed.discovered[0]
            again = await download(client, link, fetch, now=now)
            if again.error is None:
                found = await asyncio.to_thread(
                    parse_feed, again.body, again.final_url or link, dict(again.headers)
                )
                if found.ok:
                    return Probe(
                        url=link,
                        title=found.title,
                        entries=len(found.entries),
                        discovered=parsed.discovered,
                    )
        return Probe(url=url, error=parsed.error, discovered=parsed.discovered)


def probe_feed(url: str, fetch: FetchConfig, *, now: datetime | None = None) -> Probe:
    """Blocking :func:`probe_feed_async`."""
    return asyncio.run(probe_feed_async(url, fetch, now=now or datetime.now(UTC)))

"""Parse one response body into entries: RSS/Atom/RDF through feedparser, JSON Feed by brief.

Entry HTML becomes plain text here; entries older than the retention window
are only counted (and, in XML feeds, cut out before feedparser reads them:
see :mod:`brief.collect.oldentries`).
"""

from __future__ import annotations

import functools
import io
import json
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from brief.collect.cleantext import clean_text, html_fragment_to_text, one_line
from brief.collect.discover import discover_feed_links
from brief.collect.fastparse import fast_parse
from brief.collect.links import (
    NO_LINKS,
    ArticleLinks,
    feedparser_entry_links,
    json_feed_item_links,
)
from brief.models import Article, Enclosure, Link, Source
from brief.wording import plural

TEASER_CHARS = 600

# Field caps, applied as each entry is parsed, so one hostile entry can neither
# become a megabyte-long heading nor hold hundreds of megabytes per feed.
# Longer fields are cut on a word boundary and end in "…" (README: Robustness).
TITLE_MAX_CHARS = 300
AUTHOR_MAX_CHARS = 200
TEXT_MAX_CHARS = 200_000  # description or content, as plain text (a long-read is ~60,000)
RAW_MAX_CHARS = 4 * TEXT_MAX_CHARS  # raw HTML kept for conversion: markup is most of it
URL_MAX_CHARS = 4000  # a longer link is no link (browsers and servers refuse them too)
GUID_MAX_CHARS = 2000


def cap_chars(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, on a word boundary, ending in "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ", max(0, limit - 200))
    return (cut[:space] if space > 0 else cut).rstrip() + "…"


# feedparser looks for an e-mail address in every author with a regex that
# backtracks quadratically (a 20 kB author takes 3.6 s, 50 kB 25 s), so overlong
# author-like element texts are cut in the raw XML before feedparser sees them.
_AUTHOR_RAW_BYTES = AUTHOR_MAX_CHARS * 4
_AUTHORISH_RE = re.compile(
    rb"(<(?:[\w.-]+:)?(?:author|creator|publisher|contributor|managingEditor|webMaster|name|email)"
    rb"(?:\s[^<>]{0,500})?>)([^<]{%d,})" % (_AUTHOR_RAW_BYTES + 1)
)


def _cut_raw(match: re.Match[bytes]) -> bytes:
    text = match.group(2)[:_AUTHOR_RAW_BYTES]
    # Not inside an entity or a multi-byte character: keep the XML well-formed.
    amp = text.rfind(b"&")
    if amp >= 0 and b";" not in text[amp:]:
        text = text[:amp]
    while text and text[-1] >= 0x80:
        text = text[:-1]
    return match.group(1) + text


def cap_raw_authors(body: bytes) -> bytes:
    """``body`` with every overlong author/creator/name element text cut (see above)."""
    return _AUTHORISH_RE.sub(_cut_raw, body) if len(body) > _AUTHOR_RAW_BYTES else body


def _capped_entry(
    *,
    title: str,
    text: str,
    url: str | None,
    guid: str | None,
    author: str | None,
    published: datetime | None,
    teaser: bool,
    links: ArticleLinks = NO_LINKS,
) -> FeedEntry:
    """A FeedEntry with every field inside its cap."""
    return FeedEntry(
        title=cap_chars(title, TITLE_MAX_CHARS),
        text=cap_chars(text, TEXT_MAX_CHARS),
        url=url if url is None or len(url) <= URL_MAX_CHARS else None,
        guid=guid[:GUID_MAX_CHARS] if guid else None,
        author=cap_chars(author, AUTHOR_MAX_CHARS) if author else None,
        published=published,
        teaser=teaser,
        links=links.links,
        enclosures=links.enclosures,
        links_cut=links.cut,
    )


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
    links: tuple[Link, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    links_cut: int = 0  # links and enclosures beyond the caps (brief.collect.links)


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


def _title_text(value: str, html_type: bool) -> str:
    value = value[: TITLE_MAX_CHARS * 20]  # markup and entities included; the rest is never shown
    text = html_fragment_to_text(value) if html_type else clean_text(value)
    return cap_chars(" ".join(text.split()), TITLE_MAX_CHARS)


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
        parsed_struct = load_feedparser().datetimes._parse_date(value)
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
            + one_line(message.split(" is not", 1)[0], 60)
            + " (not a feed type); read anyway"
        )
    if name == "CharacterEncodingOverride":
        return f"wrong or missing character encoding; read as {parsed.get('encoding') or 'unknown'}"
    if name == "CharacterEncodingUnknown":
        return "unknown character encoding; bytes read as best as possible"
    if name == "SAXParseException":
        return "not well-formed XML (" + one_line(str(exc), 100) + "); read leniently"
    return f"{name}: {one_line(str(exc), 100)}"


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


def _converted(done: dict[tuple[str, bool], str], value: str, html_type: bool) -> str:
    """``value`` as plain text (from HTML when ``html_type``), converted once per entry."""
    key = (value, html_type)
    text = done.get(key)
    if text is None:
        text = done[key] = html_fragment_to_text(value) if html_type else clean_text(value)
    return text


def _entry_from_feedparser(item: Any) -> FeedEntry | None:
    """A feedparser entry → FeedEntry (None when it has neither title, text nor link)."""
    best_html = ""
    best_text = ""
    # Half the entries of a typical first fetch carry their content again as the summary
    # (feedparser copies it there): each distinct text is converted once.
    converted: dict[tuple[str, bool], str] = {}
    for content in _field(item, "content") or ():
        value = _str_field(content, "value")[:RAW_MAX_CHARS]
        ctype = (_str_field(content, "type") or "text/html").lower()
        candidate = _converted(converted, value, "html" in ctype)
        if len(candidate) > len(best_html):
            best_html = candidate
    summary = _str_field(item, "summary")[:RAW_MAX_CHARS]
    # Conversion never lengthens a text (tags, entities and runs of space only shrink):
    # a summary no longer than the content's text cannot be chosen, so is not converted.
    if summary and len(summary) > len(best_html):
        stype = (_str_field(_field(item, "summary_detail"), "type") or "text/html").lower()
        best_text = _converted(converted, summary, "html" in stype)
    has_content = bool(best_html)
    text = best_html if len(best_html) >= len(best_text) else best_text
    title_type = _str_field(_field(item, "title_detail"), "type")
    title = _title_text(_str_field(item, "title"), "html" in title_type)
    link = _str_field(item, "link").strip() or None
    if not title and not text and not link:
        return None
    published = _entry_date(item)
    guid = _str_field(item, "id").strip() or _str_field(item, "guid").strip()
    author = clean_text(_str_field(item, "author")[: AUTHOR_MAX_CHARS * 4]) or None
    if not title:
        title = _fallback_title(text) if text else (link or "(untitled)")
    return _capped_entry(
        title=title,
        text=text,
        url=link,
        guid=guid or None,
        author=author,
        published=published,
        teaser=not has_content and _looks_like_teaser(text),
        links=feedparser_entry_links(item),
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
            return ParsedFeed(error="not a feed: invalid JSON (" + one_line(str(exc), 80) + ")")
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
        content_html = _raw(item.get("content_html"))
        content_text = _raw(item.get("content_text"))
        summary = _raw(item.get("summary"))
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
            _capped_entry(
                title=title or (_fallback_title(text) if text else (url or "(untitled)")),
                text=text,
                url=url,
                guid=str(guid) if isinstance(guid, (str, int, float)) and str(guid) else None,
                author=_json_author(item) or feed_author,
                published=published,
                teaser=not has_content and _looks_like_teaser(text),
                links=json_feed_item_links(item),
            )
        )
    feed_title = data.get("title")
    return ParsedFeed(
        version=version,
        title=_title_text(feed_title, False) if isinstance(feed_title, str) else None,
        entries=tuple(entries),
        warnings=(*warnings, *_links_cut_warning(entries)),
        old_entries=old,
    )


def _links_cut_warning(entries: Iterable[FeedEntry]) -> tuple[str, ...]:
    """A warning naming how many links and enclosures were beyond the per-entry caps."""
    cut = sum(entry.links_cut for entry in entries)
    return (
        (
            plural(cut, "link or enclosure", "links or enclosures")
            + " beyond the per-entry caps not kept",
        )
        if cut
        else ()
    )


def _raw(value: Any) -> Any:
    """A JSON Feed string field cut to what conversion needs (other types pass through)."""
    return value[:RAW_MAX_CHARS] if isinstance(value, str) else value


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
    engine: Literal["auto", "feedparser"] = "auto",
) -> ParsedFeed:
    """Parse one response body as RSS 0.9x/1.0/2.0, Atom, RDF or JSON Feed; never raises.

    "Not a feed" is decided from the detected format and entries, not from
    feedparser's ``bozo`` flag: a bozo feed with entries is a warning.  An
    HTML page yields the feed URLs it links to (``<link rel="alternate">``).
    Entries dated before ``since`` are only counted (``old_entries``): brief
    would not keep them, so their text is never converted.  With
    ``engine="auto"`` (the default) the fast path (:mod:`brief.collect.fastparse`)
    reads the bodies it accepts and feedparser the rest; ``engine="feedparser"``
    is feedparser alone, the reference the fast path is tested against.
    """
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    content_type = headers.get("content-type", "").lower()
    if not body.strip():
        return ParsedFeed(error="not a feed: empty response")
    try:
        return _parse_feed(body, url, headers, content_type, since, engine)
    except Exception as exc:  # a parser bug must not take the run down
        return ParsedFeed(error=f"could not parse: {type(exc).__name__}: {one_line(str(exc), 100)}")


def _parse_feed(
    body: bytes,
    url: str,
    headers: dict[str, str],
    content_type: str,
    since: datetime | None,
    engine: str,
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
    body = cap_raw_authors(body)
    cut = 0
    fast = fast_parse(body, response_headers, load_feedparser()) if engine == "auto" else None
    if fast is not None:
        parsed = fast
    elif since is not None:
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
                error="not a feed: not well-formed XML (" + one_line(str(exc), 100) + ")"
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
        warnings.append(f"{plural(empty, 'empty entry', 'empty entries')} skipped")
    feed_info = _field(parsed, "feed") or {}
    title_type = _str_field(_field(feed_info, "title_detail"), "type")
    title = _title_text(_str_field(feed_info, "title"), "html" in title_type)
    return ParsedFeed(
        version=version or "unknown",
        title=title or None,
        entries=tuple(entries),
        warnings=(*warnings, *_links_cut_warning(entries)),
        old_entries=old,
    )


_FEEDPARSER_LOCK = threading.Lock()
_FEEDPARSER: Any = None


def load_feedparser() -> Any:
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
                import feedparser.urls

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
    return load_feedparser().parse(
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
    convert_to_utf8 = load_feedparser().encodings.convert_to_utf8
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
            links=entry.links,
            enclosures=entry.enclosures,
        )
        for entry in entries
    ]

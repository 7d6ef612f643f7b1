"""Cut entries older than the retention window out of an XML feed before feedparser reads it.

feedparser is pure Python and costs about 0.3 s per megabyte; a podcast or
archive feed carries hundreds of entries that brief would count as old and
throw away unread.  This pre-pass finds them with expat (C speed, a few
Python calls per element), and removes each such entry's exact byte range,
so feedparser parses only what a briefing can use.

The cut must never change what brief gets from the feed, so it is
conservative everywhere:

* the whole body must be well-formed XML to expat (else nothing is cut);
* only ``<item>`` / ``<entry>`` elements where feedparser certainly sees an
  entry are candidates (``rss > channel > item``, ``rdf:RDF > item``,
  ``feed > entry``, in the namespaces feedparser reads as RSS/Atom);
* an entry is cut only when it has a date of its own (a direct child that
  feedparser reads as published or updated) and *every* date-like element
  anywhere inside it, read by feedparser's own date parser, is older than
  the window: whichever one feedparser ends up using, the entry is old;
* entries whose cutting could change how feedparser reads the rest stay:
  an ``lastmod`` attribute (feedparser reads it as a date), or a namespace
  declaration that would change feedparser's document-wide prefix map
  (mirrored here declaration by declaration).

The caller (:func:`brief.collect.parse.parse_feed`) also checks that
feedparser decides the character encoding of the cut body exactly as of the
whole body, and parses the whole body when the cut one is not a feed.
"""

from __future__ import annotations

import codecs
import xml.parsers.expat
from datetime import UTC, datetime
from typing import Any

# Private, kept: the cut must read dates and namespace prefixes exactly as feedparser does,
# which has no public API for either (tests/unit/test_private_api.py fails when they change).
from feedparser.datetimes import _parse_date
from feedparser.mixin import _FeedParserMixin

# Date element local names (any namespace) that feedparser may turn into an entry's
# published/updated date: pubDate, Atom published/updated/issued/modified, dc:date,
# dcterms:issued/modified, lastBuildDate.  All of them must be old to cut an entry.
_DATE_NAMES = frozenset(
    {"pubdate", "published", "issued", "updated", "modified", "lastbuilddate", "date"}
)
# (feedparser prefix, local name) pairs feedparser certainly stores as the entry's
# published_parsed / updated_parsed when they are direct children of the entry.
_OWN_DATES = frozenset(
    {
        ("", "pubdate"),
        ("", "published"),
        ("", "issued"),
        ("", "updated"),
        ("", "modified"),
        ("", "lastbuilddate"),
        ("dc", "date"),
        ("dcterms", "issued"),
        ("dcterms", "modified"),
    }
)
_ENTRY_PATHS = frozenset(
    {
        (("", "rss"), ("", "channel"), ("", "item")),
        (("rdf", "rdf"), ("", "item")),
        (("", "feed"), ("", "entry")),
    }
)
_ENTRY_ELEMENTS = frozenset({("", "item"), ("", "entry")})
_VERSION_ELEMENTS = frozenset({("", "rss"), ("", "feed")})
_STRUCTURE_ELEMENTS = _ENTRY_ELEMENTS | _VERSION_ELEMENTS | {("", "channel")}
# Namespaces whose declaration sets feedparser's notion of the feed's version.
_VERSION_URIS = frozenset({"http://purl.org/rss/1.0/", "http://www.w3.org/2005/atom"})
_RSS090_URI = "http://my.netscape.com/rdf/simple/0.9/"
# Codecs in which '<' and '>' are always single bytes of their own (never part of a
# multi-byte character) and no shift state carries across a cut.
_CUTTABLE_CODECS = ("utf-8", "ascii", "latin-1", "iso8859-", "cp125", "koi8-", "mac-")


_UNSET = object()


# feedparser's table of namespace URI (lower case) → the prefix it reads elements with.
_PREFIXES: dict[str, str] = {
    uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()
}


def _entry_datetime(text: str) -> datetime | None:
    """A date element's text as feedparser would read it, as aware UTC (None if unreadable)."""
    value: Any = _parse_date(text)
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = (int(v) for v in value[:6])
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def cuttable_encoding(name: str | None) -> bool:
    """True when cutting bytes at ``<``/``>`` boundaries is safe in this character encoding."""
    if not name:
        return False
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return False
    return canonical.startswith(_CUTTABLE_CODECS)


class _Scan:
    """expat callbacks: find candidate entries, their dates, and whether each may go."""

    def __init__(self, body: bytes, since: datetime, parser: Any) -> None:
        self.body = body
        self.since = since
        self.parser = parser
        self.prefixes = _PREFIXES
        # feedparser's namespacemap and namespaces_in_use, and whether its version is set.
        self.prefix_map: dict[str | None, str] = {}
        self.in_use: dict[str, str] = {}
        self.version_known = False
        self.declared = False  # the next start tag carries a declaration that changed them
        self.path: list[tuple[str | None, str]] = []
        self.cuts: list[tuple[int, int]] = []
        self.entry_start: int | None = None
        self.entry_depth = 0
        self.blocked = False
        self.dates: list[tuple[bool, str]] = []
        self.text: list[str] | None = None
        self.own_date = False
        self.names: dict[str, tuple[str | None, str]] = {}  # expat name → (prefix, local)

    def _name(self, name: str) -> tuple[str | None, str]:
        uri, sep, local = name.rpartition(" ")
        local = local.lower()
        if not sep:
            key: tuple[str | None, str] = ("", local)
        elif "backend.userland.com/rss" in uri.lower():  # feedparser reads them all as RSS
            key = ("", local)
        else:
            key = (self.prefixes.get(uri.lower()), local)
        self.names[name] = key
        return key

    def start(self, name: str, attrs: dict[str, str]) -> None:
        key = self.names.get(name) or self._name(name)
        self.path.append(key)
        declared, self.declared = self.declared, False
        if self.entry_start is not None:
            self.entry_depth += 1
            if declared or self.text is not None or key in _STRUCTURE_ELEMENTS:
                # A declaration feedparser would remember; markup inside a date (feedparser
                # reads only the date's own text); a nested entry, channel or feed.
                self.blocked = True
            if key[1] in _DATE_NAMES:
                self.text = []
                self.own_date = self.entry_depth == 1 and key in _OWN_DATES
                self.parser.CharacterDataHandler = self.characters
        elif key in _VERSION_ELEMENTS:
            self.version_known = True  # feedparser's _start_rss / _start_feed set it
        elif key in _ENTRY_ELEMENTS and tuple(self.path) in _ENTRY_PATHS:
            self.entry_start = self.parser.CurrentByteIndex
            self.entry_depth = 0
            # feedparser reads an item's lastmod attribute as its updated date.
            self.blocked = declared or "lastmod" in attrs
            self.dates = []

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        key = self.path.pop()
        if self.entry_start is None:
            return
        if self.entry_depth:
            if self.text is not None and key[1] in _DATE_NAMES:
                self.dates.append((self.own_date, "".join(self.text).strip()))
                self.text = None
                self.parser.CharacterDataHandler = None
            self.entry_depth -= 1
            return
        if self.text is not None:  # an unclosed date cannot be: expat checks nesting
            return
        start, self.entry_start = self.entry_start, None
        end = self.parser.CurrentByteIndex
        if self.body[end : end + 2] != b"</" or not self._old():
            return  # a self-closed entry is empty and dateless: it stays
        self.cuts.append((start, self.body.index(b">", end) + 1))

    def _old(self) -> bool:
        if self.blocked or not any(own for own, _text in self.dates):
            return False
        for _own, text in self.dates:
            # Non-ASCII date text may be re-decoded by feedparser first; leave it to it.
            if not text.isascii():
                return False
            when = _entry_datetime(text)
            if when is None or when >= self.since:
                return False
        return True

    def namespace(self, prefix: str | None, uri: str | None) -> None:
        """Mirror feedparser's ``track_namespace``; an entry whose declarations change it stays.

        feedparser keeps one document-wide prefix map (not scoped like XML's),
        so a declaration inside an entry (or on it) can change how everything
        after it is read.  A cut entry's declarations must therefore be no-ops
        on that map as it stands; an entry with any other declaration is kept,
        and its declarations then apply in both readings alike.  expat reports
        declarations just before the start tag that carries them.
        """
        if not uri:
            return  # feedparser ignores undeclarations
        lowered = uri.lower()
        changed = False
        # feedparser takes a version from these (RSS 0.90 only as the default namespace).
        if not self.version_known and (
            lowered in _VERSION_URIS or (prefix is None and lowered == _RSS090_URI)
        ):
            changed = self.version_known = True
        if "backend.userland.com/rss" in lowered:
            uri = lowered = "http://backend.userland.com/rss"
        canonical = self.prefixes.get(lowered)
        if canonical is not None:
            changed |= self.prefix_map.get(prefix or None, _UNSET) != canonical
            changed |= self.in_use.get(canonical, _UNSET) != uri
            self.prefix_map[prefix or None] = canonical
            self.in_use[canonical] = uri
        else:
            changed |= self.in_use.get(prefix or "", _UNSET) != uri
            self.in_use[prefix or ""] = uri
        self.declared |= changed


def drop_old_entries(body: bytes, since: datetime) -> tuple[bytes, int]:
    """``body`` without the entries certainly older than ``since``, and how many were cut.

    Returns ``(body, 0)`` unchanged whenever anything is uncertain (not
    well-formed, an encoding expat cannot read, no dated entries).
    """
    parser: Any = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    scan = _Scan(body, since, parser)
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.StartNamespaceDeclHandler = scan.namespace
    try:
        parser.Parse(body, True)
    except Exception:  # not well-formed, an encoding expat cannot read, a bug here…
        return body, 0  # a pre-pass: whatever goes wrong, feedparser reads the whole body
    if not scan.cuts:
        return body, 0
    pieces = []
    position = 0
    for start, end in scan.cuts:
        pieces.append(body[position:start])
        position = end
    pieces.append(body[position:])
    return b"".join(pieces), len(scan.cuts)

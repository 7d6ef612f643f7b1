"""The fast path behind ``parse_feed``: feedparser-rs reads the plainly shaped feed.

feedparser stays the reference and the fallback.  feedparser-rs (Rust, with
feedparser's field names) reads a body only when nothing in it is a case
where the two are known to read differently; for everything else
:func:`fast_parse` returns None and feedparser reads it.  The rules, each
found by the differential test over the whole feed corpus
(tests/unit/test_fastparse_corpus.py):

* the body starts with markup (``<`` after a BOM and blanks), so the Rust
  parser, which fetches a URL given as text, never sees one;
* feedparser's own encoding step (``convert_to_utf8``) decodes it, at most
  with a warning feedparser would give too; the Rust parser then reads
  feedparser's UTF-8 text, so both read the same characters;
* an expat pass (:class:`_Audit`) finds it well-formed, with no DOCTYPE,
  and every entry plain: each field from one direct child of the entry
  (two only for a title or an author saying the same), no markup inside a
  field, one HTML alternate link, and no element feedparser would read
  into a field that is not one of those read here;
* feedparser-rs reports no problem and the same format and entry count.

What feedparser-rs reads differently even then is repaired from the audit:
links and permalink guids are resolved as feedparser resolves them (its
URL joins, its xml:base tracking), ``&amp;`` left in links is undone as
feedparser undoes it, content types are feedparser's (an element's type
attribute or feedparser's default for it, HTML-looking plain text taken for
HTML outside Atom), fields the entry does not carry stay empty (no summary
copied from the content, no author from the feed), dates are read by
feedparser's date parser, and an empty self-closed field (``<dc:creator/>``,
whose neighbour's text feedparser-rs would read into it) is rewritten as a
start and an end tag.

The result has feedparser's shape (plain dicts with feedparser's keys), so
one normalisation (``_entry_from_feedparser`` in :mod:`brief.collect.parse`)
turns either into entries.  Article links and enclosures (``links``,
``enclosures``) are not carried yet: when the normalisation reads them, add
them to :func:`_entry` in feedparser's shape and to the audit's field rules.
"""

from __future__ import annotations

import contextlib
import functools
import re
import xml.parsers.expat
from collections.abc import Mapping
from typing import Any

_WARNINGS = frozenset({"NonXMLContentType", "CharacterEncodingOverride"})
_XML_BASE = "http://www.w3.org/XML/1998/namespace base"
_ENTITY_IN_LINK_RE = re.compile("&([A-Za-z0-9_]+);")
_ATOM = "http://www.w3.org/2005/atom"
_RSS1 = "http://purl.org/rss/1.0/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# Element names feedparser may read into a field brief keeps (title, link, id, author,
# date, text).  Inside an entry, such an element must be one of _DIRECT below.
_FIELD_NAMES = frozenset(
    {
        "title", "link", "id", "guid", "author", "creator", "description", "summary",
        "content", "encoded", "pubdate", "date", "published", "updated", "issued",
        "modified", "created", "source", "body", "abstract", "fullitem", "name", "email",
        "contributor",
    }
)  # fmt: skip
# (feedparser prefix, name) → the field it fills, for the entry children read here.
# Each field at most once per entry (feedparser keeps the last, feedparser-rs the first).
_DIRECT: dict[tuple[str | None, str], str] = {
    ("", "title"): "title",
    ("dc", "title"): "title",
    ("media", "title"): "title",
    ("", "link"): "link",
    ("", "guid"): "id",
    ("", "id"): "id",
    ("", "description"): "summary",
    ("", "summary"): "summary",
    ("dc", "description"): "summary",
    ("itunes", "summary"): "summary",
    ("media", "description"): "summary",
    ("", "content"): "content",
    ("content", "encoded"): "content",
    ("", "author"): "author",
    ("dc", "creator"): "author",
    ("dc", "author"): "author",
    ("itunes", "author"): "author",
    ("", "pubdate"): "date",
    ("", "published"): "date",
    ("dc", "date"): "updated",
    ("", "updated"): "updated",
    ("dcterms", "modified"): "updated",
}
# Read by feedparser into no field brief keeps.
_IGNORED: frozenset[tuple[str | None, str]] = frozenset(
    {("media", "content"), ("media", "credit"), ("", "source")}
)
# The content type feedparser gives a field's text: the element's type attribute, else
# its default for that element (mixin.push_content), as feedparser maps the names.
_TYPED = frozenset({"title", "summary", "content"})
_DEFAULT_TYPES: dict[tuple[str | None, str], str] = {
    ("", "description"): "text/html",
    ("dc", "description"): "text/html",
    ("media", "description"): "text/html",
    ("content", "encoded"): "text/html",
}
_MAPPED_TYPES = {"text": "text/plain", "html": "text/html", "xhtml": "application/xhtml+xml"}
# feedparser reads a second summary-like element as content: never two of these.
_ONCE = frozenset({"summary", "content", "id", "link"})
_PERSON_PARTS = frozenset({"name", "email", "uri"})
_TEXT_FIELDS = frozenset({"title", "id", "summary", "content", "date", "updated", "link"})
_ATOM_TEXTS = frozenset((_ATOM, n) for n in ("title", "subtitle", "summary", "content", "rights"))
_PLAIN = frozenset({"text", "html"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_ROOTS = {("", "rss"): "rss20", (_ATOM, "feed"): "atom10", (_RDF, "rdf"): "rss10"}


@functools.cache
def _prefix_table(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {uri.lower(): prefix for uri, prefix in items}


def _prefixes(namespaces: dict[str, str]) -> dict[str, str]:
    return _prefix_table(tuple(namespaces.items()))


class _Decline(Exception):
    """The feed has something feedparser may read differently: feedparser reads it."""


class _Audit:
    """expat callbacks: the entries' structure, declining whatever the fast path cannot match.

    An entry is read fast only when its fields are plain: each field at most
    once, from a direct child of the entry, with no markup inside it
    (feedparser re-serialises that), one HTML alternate link (an Atom link or
    an RSS link of its own).  Empty self-closed field elements are noted:
    feedparser-rs reads the next element's text into them, so they are
    rewritten as a start and an end tag (which XML reads the same).
    """

    def __init__(self, parser: Any, data: bytes, base: str, feedparser: Any) -> None:
        self.parser = parser
        # feedparser's xml:base tracking (mixin.unknown_starttag), element by element.
        self.bases = [base]
        self.entry_bases: list[dict[str, str]] = []
        # Private, kept: feedparser's table of namespaces → the prefix it reads their
        # elements under ("" for RSS and Atom alike), and its URL joins.
        self.prefixes = _prefixes(feedparser.mixin._FeedParserMixin.namespaces)
        self.safe_join = feedparser.urls.make_safe_absolute_uri
        self.join = feedparser.urls._urljoin
        self.data = data
        self.version = ""
        self.rdf = False
        self.entries: list[dict[str, int]] = []
        self.path: list[tuple[str, str]] = []
        self.starts: list[int] = []
        self.self_closed: list[int] = []
        self.entry_depth = 0  # depth of the open entry element, 0 when none
        self.field_depth = 0  # depth of the open text field, 0 when none
        self.field = ""  # the field it fills ("" for parts of an Atom person)
        self.text: list[str] = []
        self.texts: list[dict[str, str]] = []
        self.feed_title_type = "text/plain"
        self.names: dict[str, tuple[str, str]] = {}  # expat's name → (namespace, local name)

    def doctype(self, *_args: Any) -> None:
        raise _Decline("DOCTYPE")  # feedparser swaps entity declarations itself

    def start(self, name: str, attrs: dict[str, str]) -> None:
        key = self.names.get(name)
        if key is None:
            uri, _sep, local = name.rpartition(" ")
            key = self.names[name] = (uri.lower(), local.lower())
        uri, local = key
        base = self.bases[-1]
        if attrs:
            declared = attrs.get(_XML_BASE) or attrs.get("base")
            if declared:
                base = (self.safe_join(base, declared) or base) if base else self.join("", declared)
        self.bases.append(base)
        self.path.append(key)
        self.starts.append(self.parser.CurrentByteIndex)
        depth = len(self.path)
        if depth == 1:
            self.version = _ROOTS.get((uri, local), "")
            if (uri, local) == ("", "rss") and attrs.get("version") != "2.0":
                self.version = ""
            self.rdf = self.version == "rss10"
            if self.rdf:
                self.version = ""  # until an RSS 1.0 element says so (not RSS 0.90)
            return
        if depth == 2 and self.rdf and uri == _RSS1:
            self.version = "rss10"
        prefix = self.prefixes.get(uri)
        if prefix == "" and local == "link" and self.version == "atom10" and "href" not in attrs:
            raise _Decline("link without href")
        if (uri, local) in _ATOM_TEXTS and (
            "mode" in attrs or attrs.get("type", "text") not in _PLAIN
        ):
            raise _Decline("type " + attrs.get("type", ""))  # xhtml, base64 ...
        if self.field_depth:
            raise _Decline("markup in " + self.path[self.field_depth - 1][1])
        if not self.entry_depth:
            if local == "title" and prefix == "" and self.path[-2][1] in ("feed", "channel"):
                declared = attrs.get("type")
                kind = declared.lower() if declared else "text/plain"
                self.feed_title_type = _MAPPED_TYPES.get(kind, kind)
            if local in ("item", "entry") and depth <= 3:
                if "lastmod" in attrs or "href" in attrs:
                    raise _Decline("CDF attributes")  # feedparser reads them as date and link
                self.entry_depth = depth
                self.entries.append({})
                # feedparser takes an RDF item's rdf:about as its id, unless a guid follows.
                about = attrs.get(_RDF + " about")
                self.entry_bases.append({"about": about} if about else {})
                self.texts.append({})
            return
        if local not in _FIELD_NAMES or (prefix, local) in _IGNORED:
            return
        relative = depth - self.entry_depth
        if relative == 2 and local in _PERSON_PARTS and self.path[-2] == (_ATOM, "author"):
            self.field_depth = depth
            self.field = ""
            return
        field = _DIRECT.get((prefix, local)) if relative == 1 else None
        if field is None:
            raise _Decline(f"element {uri} {local} at {relative}")
        if field == "link" and "href" in attrs:
            if attrs.get("rel", "alternate") != "alternate":
                return  # feedparser lists it among the links, not as the link
            if attrs.get("type", "text/html") not in _HTML_TYPES:
                raise _Decline("alternate link")
        elif field == "content" and "src" in attrs:
            raise _Decline("content src")
        counts = self.entries[-1]
        counts[field] = counts.get(field, 0) + 1
        info = self.entry_bases[-1]
        if field in ("link", "id"):
            info[field] = base
            if field == "link" and "href" in attrs:
                info["href"] = attrs["href"]
        elif field in _TYPED:
            declared = attrs.get("type")
            kind = (
                declared.lower() if declared else _DEFAULT_TYPES.get((prefix, local), "text/plain")
            )
            info[field] = _MAPPED_TYPES.get(kind, kind)
        if field == "id":
            # feedparser resolves a guid against the feed's address unless it is no permalink.
            lowered = {k.lower(): v for k, v in attrs.items()}
            counts["permalink"] = int(lowered.get("ispermalink", "true") == "true")
        if field in _TEXT_FIELDS or (field == "author" and (uri, local) != (_ATOM, "author")):
            if "href" not in attrs:
                self.field_depth = depth
                self.field = field
                self.text = []
                self.parser.CharacterDataHandler = self.text.append
        elif counts[field] > 1:
            raise _Decline("two " + field)

    def end(self, _name: str) -> None:
        depth = len(self.path)
        self.path.pop()
        start = self.starts.pop()
        self.bases.pop()
        if depth == self.field_depth:
            self.field_depth = 0
            self.parser.CharacterDataHandler = None
            end = self.parser.CurrentByteIndex
            if self.data[end : end + 2] != b"</":
                self.self_closed.append(start)
            if self.field:
                # Two elements for one field (a title and a media:title): fine when they
                # say the same, as feedparser keeps the last and feedparser-rs the first.
                text = "".join(self.text).strip()
                texts = self.texts[-1]
                if texts.setdefault(self.field, text) != text or (
                    self.field in _ONCE and self.entries[-1][self.field] > 1
                ):
                    raise _Decline("two " + self.field)
                self.field = ""
        elif depth == self.entry_depth:
            self.entry_depth = 0
            counts = self.entries[-1]
            if "link" not in counts:
                raise _Decline("no link")  # feedparser may take the guid or the feed's address


def _audit(data: bytes, base: str, feedparser: Any) -> _Audit | None:
    """The entries as expat reads them, or None when the fast path must decline."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    audit = _Audit(parser, data, base, feedparser)
    parser.StartElementHandler = audit.start
    parser.EndElementHandler = audit.end
    parser.StartDoctypeDeclHandler = audit.doctype
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    try:
        parser.Parse(data, True)
    except (xml.parsers.expat.ExpatError, _Decline):
        return None
    return audit if audit.version else None


def _open_self_closed(data: bytes, spans: list[int]) -> bytes:
    """``<x/>`` → ``<x></x>`` at each offset (an empty element, read alike by XML)."""
    pieces = []
    position = 0
    for start in spans:
        close = data.index(b">", start)
        tag = data[start:close].rstrip(b"/ \t\r\n")
        name = tag[1:].split(None, 1)[0]
        pieces += [data[position:start], tag, b"></", name, b">"]
        position = close + 1
    pieces.append(data[position:])
    return b"".join(pieces)


def _link(value: str) -> str:
    """feedparser's own repair of query strings in entry links (``&amp;`` → ``&``)."""
    return _ENTITY_IN_LINK_RE.sub(r"&\g<1>", value.replace("&amp;", "&"))


# feedparser's last touches to every text it reads (mixin.pop): text that is UTF-8
# read as Latin-1 is read again as UTF-8, and C1 controls become their cp1252 characters.
_C1_RE = re.compile("[\x80-\x9f]")
_CP1252 = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def _text(value: str | None) -> str:
    if not value:
        return ""
    if not value.isascii():
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            value = value.encode("iso-8859-1").decode("utf-8")
        if _C1_RE.search(value):
            value = value.translate(_CP1252)
    return value


def _entry(
    item: Any,
    counts: dict[str, int],
    info: dict[str, str],
    texts: dict[str, str],
    join: Any,
    parse_date: Any,
    kind: Any,
) -> dict[str, Any] | None:
    """One entry in feedparser's shape: its short fields as the audit read them, texts from Rust.

    Title, link, guid and dates come from the element texts expat gave the
    audit, processed as feedparser processes them (links and permalink
    guids resolved against the base in effect, dates by feedparser's date
    parser); summary, content and author from feedparser-rs.  None when the
    entry is one feedparser may read differently: an empty link, or a plain
    author element feedparser-rs read otherwise.
    """
    if "href" in info:  # an Atom link: feedparser joins its href, nothing more
        link = join(info["link"], info["href"])
    else:
        link = texts.get("link", "")
        link = _link(join(info.get("link") or "", _text(link))) if link else ""
    if not link:
        return None  # an empty link: feedparser may give the feed's address instead
    guid = _text(texts.get("id"))
    if guid and counts.get("permalink", 1):
        guid = join(info.get("id") or "", guid)
    elif "id" not in counts:
        guid = info.get("about", "")
    # Only what the entry's own elements say: feedparser-rs fills a missing summary from
    # the content (and the author from the feed's), feedparser does not.
    title = _text(texts.get("title"))
    summary = _text(item.summary) if "summary" in counts else ""
    content_type = info.get("content", "text/plain")
    content = (
        [{"type": content_type, "value": _text(c.value)} for c in item.content or ()]
        if "content" in counts
        else []
    )
    if not (title or summary or link or any(c["value"] for c in content)):
        return None
    # Dates read by feedparser's own date parser from the element's text.
    published = parse_date(texts["date"]) if texts.get("date") else None
    updated = parse_date(texts["updated"]) if texts.get("updated") and not published else None
    author = _text(item.author) if "author" in counts else ""
    if "author" in texts and author != _text(texts["author"]):
        return None  # feedparser-rs read a plain author element differently
    return {
        "title": title,
        "title_detail": {"type": kind(info.get("title", "text/plain"), title)},
        "summary": summary,
        "summary_detail": {"type": kind(info.get("summary", "text/plain"), summary)},
        "content": content,
        "link": link,
        "id": guid,
        "author": author,
        "published_parsed": published,
        "updated_parsed": updated,
    }


def fast_parse(body: bytes, response_headers: Mapping[str, str], feedparser: Any) -> Any:
    """``body`` read by feedparser-rs in feedparser's shape; None when feedparser must read it."""
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    result: dict[str, Any] = {}
    # Private, kept: feedparser's encoding decision, so both parsers read the same text.
    data = feedparser.encodings.convert_to_utf8(dict(response_headers), body, result)
    complaint = result.get("bozo_exception")
    # A missing or non-XML Content-Type, or a declared encoding that does not decode, is
    # only a warning: feedparser reads the text it decoded, as the fast path does.
    if complaint is not None and type(complaint).__name__ not in _WARNINGS:
        return None
    if not result.get("encoding"):
        return None
    base = response_headers.get("content-location", "")
    audit = _audit(data, base, feedparser)
    if audit is None:
        return None
    if audit.self_closed:
        data = _open_self_closed(data, audit.self_closed)
    try:
        import feedparser_rs
    except ImportError:  # an optional speed-up: feedparser reads everything without it
        return None
    parsed = feedparser_rs.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo or parsed.version != audit.version or len(parsed.entries) != len(audit.entries):
        return None
    parse_date = feedparser.datetimes._parse_date
    # Private, kept: the URL join feedparser resolves links with (feedparser.urls._urljoin).
    join = feedparser.urls._urljoin
    looks_like_html = feedparser.mixin._FeedParserMixin.looks_like_html
    atom = audit.version.startswith("atom")

    def kind(declared: str, value: str) -> str:
        # Outside Atom, feedparser takes plain text that looks like HTML for HTML (mixin.pop).
        if not atom and declared == "text/plain" and value and looks_like_html(value):
            return "text/html"
        return declared

    entries = []
    for item, counts, info, texts in zip(
        parsed.entries, audit.entries, audit.entry_bases, audit.texts, strict=True
    ):
        entry = _entry(item, counts, info, texts, join, parse_date, kind)
        if entry is None:
            return None
        entries.append(entry)
    feed = parsed.feed
    return {
        "version": parsed.version,
        "bozo": complaint is not None,
        "encoding": result.get("encoding"),
        "bozo_exception": complaint,
        "feed": {
            "title": _text(feed.title),
            "title_detail": {"type": kind(audit.feed_title_type, _text(feed.title))},
        },
        "entries": entries,
    }

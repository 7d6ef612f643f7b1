"""The fast path behind ``parse_feed``: plainly shaped feeds read as feedparser reads them.

feedparser is pure Python, and most of a first fetch's time.  This reader
makes one pass of the stdlib's expat (C) over the body, collects only the
fields brief keeps (title, link, guid, author, dates, summary, content) and
finishes them with feedparser's own helpers, so each comes out as feedparser
would give it.  It declines (:func:`fast_parse` returns None, and feedparser
reads the body) whenever the body is not plainly shaped:

* not starting with markup, or not decoded cleanly by feedparser's own
  encoding step (``convert_to_utf8``: the reader reads that UTF-8 text);
* not well-formed, or with a DOCTYPE (feedparser's lenient parser and its
  entity handling take over there);
* not RSS (any version, named as feedparser names it), RSS 1.0 or Atom
  1.0, or an RSS or Atom root that declares the RSS 1.0 or 0.90 namespace
  first (feedparser names the version after it); Atom text that is xhtml or
  base64;
* an entry with markup inside a field (feedparser re-serialises it), with
  no link of its own, with two links or ids, or with an element feedparser
  would read into a field (it has a handler for it) other than a direct
  child this reader maps or a title or summary nested in elements that
  keep the entry's context (``media:content``, ``media:group``, unhandled
  ones; a deeper summary or id does not replace a shallower one, as
  feedparser's ``property_depth_map`` has it), or a title in an entry's
  ``image`` (whose start resets feedparser's title depth; a link in it is
  left out) or in an author.  An RSS ``author`` with ``name``/``email``
  children is read as feedparser reads an Atom one (a later author starts
  from the last one's name and email); one whose text would count declines.

What feedparser does to these fields, the reader mirrors: elements are
named by feedparser's prefixes (its namespace table, else the document's
prefix); titles follow its depth rules (``title_depth``: the first
non-empty one wins unless a shallower one follows), an author or date is
the last; a
second summary-like element is content, with the content flag shared by the
whole document and cleared at each entry's end (``_start_summary``), and
plain or HTML content is copied to a missing summary (``_end_content``);
links and permalink guids are joined with the xml:base in effect (its
``_urljoin``; an absolute link it would give back unchanged is not joined),
with ``&amp;`` in RSS links undone; an RDF item's ``rdf:about`` is its id;
content types are the element's type attribute or feedparser's default
for that element, plain text that looks like HTML taken for HTML outside
Atom; UTF-8 read as Latin-1 is re-read and C1
controls become cp1252 characters; dates go through feedparser's date
parser.  tests/unit/test_fastparse_corpus.py checks the whole of it against
feedparser over every file of ``../shared/data/feeds``.

The result has feedparser's shape (plain dicts with feedparser's keys), so
one normalisation (``_entry_from_feedparser`` in :mod:`brief.collect.parse`)
turns either into entries, article links and enclosures included: the
enclosures go into ``links`` as feedparser lists them (``_start_enclosure``;
Atom ``rel="enclosure"`` links joined like other links), and the links in the
entry's HTML are found by :mod:`brief.collect.links` in the summary and
content, as for feedparser's result.  A field brief starts to read from
feedparser's entries must be collected here too (the differential test
compares whole entries and fails until it is).
"""

from __future__ import annotations

import contextlib
import functools
import re
import urllib.parse
import xml.parsers.expat
from collections.abc import Mapping
from typing import Any

_WARNINGS = frozenset({"NonXMLContentType", "CharacterEncodingOverride"})
_XML_BASE = "http://www.w3.org/XML/1998/namespace base xml"
_ENTITY_IN_LINK_RE = re.compile("&([A-Za-z0-9_]+);")
_ATOM = "http://www.w3.org/2005/atom"
_RSS1 = "http://purl.org/rss/1.0/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_ABOUT = "http://www.w3.org/1999/02/22-rdf-syntax-ns# about"
# Element names feedparser may read into a field brief keeps (title, link, id, author,
# date, text).  Inside an entry, such an element must be one of _DIRECT below.
_FIELD_NAMES = frozenset(
    {
        "title", "link", "id", "guid", "author", "creator", "description", "summary",
        "content", "encoded", "pubdate", "date", "published", "updated", "issued",
        "modified", "created", "source", "body", "abstract", "fullitem", "name", "email",
        "contributor", "lastbuilddate",
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
    ("", "issued"): "date",
    ("dcterms", "issued"): "date",
    ("dc", "date"): "updated",
    ("", "updated"): "updated",
    ("dcterms", "modified"): "updated",
    ("", "modified"): "updated",
    ("", "lastbuilddate"): "updated",
}
# Read by feedparser into no field brief keeps.
_IGNORED: frozenset[tuple[str | None, str]] = frozenset(
    {("media", "content"), ("media", "credit"), ("", "source")}
)
# The content type feedparser gives a field's text: the element's type attribute, else
# its default for that element (mixin.push_content), as feedparser maps the names.
_DEFAULT_TYPES: dict[tuple[str | None, str], str] = {
    ("", "description"): "text/html",
    ("dc", "description"): "text/html",
    ("media", "description"): "text/html",
    ("content", "encoded"): "text/html",
}
_MAPPED_TYPES = {"text": "text/plain", "html": "text/html", "xhtml": "application/xhtml+xml"}
# Elements with a feedparser handler that leave a title inside them to the entry.
# (feedparser's author element, RSS or Atom, changes no context: a title in it is the
# entry's, by the depth rules.)
_TITLE_CONTAINERS = frozenset({("media", "content"), ("media", "group"), ("", "author")})
# Fields feedparser reads into the entry from inside elements it has no handler for
# (its context stays the entry's; a title also keeps to its depth rules).
_NESTABLE = frozenset({"title", "summary", "id"})
# At most one of these per entry (a second summary-like element is content, as in feedparser).
_ONCE = frozenset({"id", "link"})
# Content types whose text feedparser's _end_content also copies to a missing summary.
_COPIED = frozenset({"text/plain", "text/html", "application/xhtml+xml"})
_IMAGE = ("", "image")
_PERSON_PARTS = frozenset({"name", "email", "uri"})
_AUTHORS = frozenset({(_ATOM, "author"), ("", "author")})  # read as a person, name and email
_ATOM_TEXTS = frozenset((_ATOM, n) for n in ("title", "subtitle", "summary", "content", "rights"))
_PLAIN = frozenset({"text", "html"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_ROOTS = {("", "rss"): "rss20", (_ATOM, "feed"): "atom10", (_RDF, "rdf"): "rss10"}
# feedparser's versions of RSS by the root's version attribute (_start_rss); any other
# is "rss20" when it starts with "2.", else "rss".
_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
# Namespaces whose declaration, before the root element, sets feedparser's version
# (track_namespace); the Netscape RSS 0.90 one only as the default namespace.
_NAMESPACE_VERSIONS = {
    "http://purl.org/rss/1.0/": "rss10",
    "http://www.w3.org/2005/atom": "atom10",
}
_RSS090 = "http://my.netscape.com/rdf/simple/0.9/"


@functools.cache
def _prefix_table(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {uri.lower(): prefix for uri, prefix in items}


class _Decline(Exception):
    """The feed has something feedparser may read differently: feedparser reads it."""


class _Entry:
    """One entry as the reader collects it (feedparser's keys, before the last touches)."""

    __slots__ = (
        "about", "bases", "content", "counts", "href", "id_depth", "links", "permalink",
        "person", "summary", "summary_depth", "summary_type", "texts", "title_depth", "types",
    )  # fmt: skip

    def __init__(self, about: str) -> None:
        self.counts: dict[str, int] = {}
        self.texts: dict[str, str] = {}  # field → its element's text (title, id, link, dates...)
        self.types: dict[str, str] = {}  # field → content type feedparser gives it
        self.bases: dict[str, str] = {}  # field → the xml:base in effect at its element
        self.href: str | None = None  # an Atom alternate link's href (its base when empty)
        self.about = about  # rdf:about, feedparser's id unless a guid follows
        self.permalink = True
        self.summary: str | None = None
        self.summary_type = ""
        # depth of the element the summary came from: feedparser's property_depth_map
        # keeps a summary from a deeper element from replacing a shallower one's.
        self.summary_depth: int | None = None
        self.id_depth: int | None = None  # the same for the id
        self.content: list[tuple[str, str]] = []
        self.person: dict[str, str] = {}  # an Atom author's name and email
        self.title_depth: int | None = None  # depth of the element the title came from
        self.links: list[dict[str, str]] = []  # enclosures, as feedparser lists them


class _Reader:
    """expat callbacks: the fields brief keeps, read as feedparser reads them, or a decline.

    An entry is read only when its fields are plain: each from a direct child
    of the entry (of the elements in _DIRECT), no markup inside a field
    (feedparser re-serialises that), one HTML alternate link, one id, no
    element feedparser would read into a field that is not one of those.  A
    title, author or date given twice must say the same; a second summary-like
    element becomes content, as in feedparser (``_start_summary``).
    """

    def __init__(self, parser: Any, base: str, feedparser: Any) -> None:
        self.parser = parser
        # Private, kept: feedparser's table of namespaces → the prefix it reads their
        # elements under ("" for RSS and Atom alike), and its URL joins.
        self.prefixes = _prefix_table(tuple(feedparser.mixin._FeedParserMixin.namespaces.items()))
        self.parser_class = feedparser.api.StrictFeedParser
        self.handlers: dict[tuple[str, str], bool] = {}
        self.safe_join = feedparser.urls.make_safe_absolute_uri
        self.join = feedparser.urls._urljoin
        self.bases = [base]  # feedparser's xml:base tracking (mixin.unknown_starttag)
        self.version = ""
        self.declared_version = ""  # the version feedparser reads from the root's namespaces
        self.rdf = False
        self.entries: list[_Entry] = []
        self.path: list[tuple[str, str]] = []
        self.entry_depth = 0  # depth of the open entry element, 0 when none
        self.field_depth = 0  # depth of the open text field, 0 when none
        self.field = ""  # what the open text field fills
        self.field_type = ""
        self.text: list[str] = []
        self.names_prefix: dict[tuple[str, str], str] = {}
        self.title_depth = -1  # feedparser's title_depth: depth of the last non-empty title
        self.title_media = False
        self.field_depth_done = 0
        self.pending_id = ("", True)  # the open id's xml:base and permalink flag
        self.feed_title: str | None = None
        self.feed_summary = False  # the feed has a summary (feedparser's 'summary' in feed)
        self.has_content = False  # feedparser's hasContent
        self.feed_title_type = "text/plain"
        # expat's name → ((namespace, local name), the prefix feedparser reads it under)
        self.names: dict[str, tuple[tuple[str, str], str]] = {}

    def handled(self, prefix: str, local: str) -> bool:
        """Whether feedparser has a handler for the element (else it reads it into no field)."""
        known = self.handlers.get((prefix, local))
        if known is None:
            name = f"{prefix}_{local}" if prefix else local
            cls = self.parser_class
            known = hasattr(cls, "_start_" + name) or hasattr(cls, "_end_" + name)
            self.handlers[(prefix, local)] = known
        return known

    def namespace(self, prefix: str | None, uri: str) -> None:
        """feedparser's track_namespace: the first telling declaration sets its version."""
        if self.path or self.declared_version or not uri:
            return  # after the root's start the version is set; later ones change nothing
        lowered = uri.lower()
        if lowered == _RSS090 and prefix is None:
            self.declared_version = "rss090"
        else:
            self.declared_version = _NAMESPACE_VERSIONS.get(lowered, "")

    def _rss_version(self, declared: str) -> str:
        """feedparser's version of an RSS feed (_start_rss, after track_namespace)."""
        if self.declared_version.startswith("rss"):
            raise _Decline("RSS with an RSS 1.0 or 0.90 namespace")  # feedparser keeps that
        version = _RSS_VERSIONS.get(declared)
        if version:
            return version
        return "rss20" if declared.startswith("2.") else "rss"

    def doctype(self, *_args: Any) -> None:
        raise _Decline("DOCTYPE")  # feedparser swaps entity declarations itself

    def _capture(self, depth: int, field: str, kind: str = "") -> None:
        self.field_depth = depth
        self.field = field
        self.field_type = kind
        self.text = []
        self.parser.CharacterDataHandler = self.text.append

    def start(self, name: str, attrs: dict[str, str]) -> None:
        known = self.names.get(name)
        if known is None:
            # expat's "namespace local prefix": feedparser reads an element of a namespace
            # it knows under its own prefix, of any other under the document's prefix.
            uri, local, literal = (
                ([*name.split(" "), "", ""][:3]) if " " in name else ("", name, "")
            )
            uri = uri.lower()
            prefix = self.prefixes.get(uri, literal)
            known = self.names[name] = ((uri, local.lower()), prefix)
        key, prefix = known
        self.names_prefix[key] = prefix
        uri, local = key
        base = self.bases[-1]
        if attrs:
            declared = attrs.get(_XML_BASE) or attrs.get("base")
            if declared:
                base = (self.safe_join(base, declared) or base) if base else self.join("", declared)
        self.bases.append(base)
        self.path.append(key)
        depth = len(self.path)
        if depth == 1:
            self.version = _ROOTS.get(key, "")
            if key == ("", "rss"):
                self.version = self._rss_version(attrs.get("version", ""))
            elif key == (_ATOM, "feed") and self.declared_version != "atom10":
                raise _Decline("Atom with an RSS namespace declared first")
            self.rdf = self.version == "rss10"
            if self.rdf:
                self.version = ""  # until an RSS 1.0 element says so (not RSS 0.90)
            return
        if depth == 2 and self.rdf and uri == _RSS1:
            self.version = "rss10"
        if self.field_depth and not self._author_parts(depth):
            raise _Decline("markup in " + self.field)
        if prefix == "" and local == "link" and self.version == "atom10" and "href" not in attrs:
            raise _Decline("link without href")
        if key in _ATOM_TEXTS and ("mode" in attrs or attrs.get("type", "text") not in _PLAIN):
            raise _Decline("type " + attrs.get("type", ""))  # xhtml, base64 ...
        if prefix == "" and local in ("item", "entry"):
            if self.entry_depth:
                raise _Decline("nested entry")
            if "lastmod" in attrs or "href" in attrs:
                raise _Decline("CDF attributes")  # feedparser reads them as date and link
            self.entry_depth = depth
            self.title_depth = -1  # feedparser's _start_item
            about = next((v for k, v in attrs.items() if k.startswith(_RDF_ABOUT)), "")
            self.entries.append(_Entry(about))
            return
        if not self.entry_depth:
            parent = self.path[-2][1]
            at_feed = (parent, depth) in (("feed", 2), ("channel", 3))
            role = _DIRECT.get((prefix, local)) if at_feed else None
            if role == "summary" and self.feed_summary and not self.has_content:
                role = "content"  # as in an entry: feedparser's _start_summary
            if role == "content":
                # feedparser's content flag is one for the whole parser, cleared only at
                # the end of an entry: the feed's own content changes how the first
                # entry's summaries are read.
                self.has_content = True
                self._capture(depth, "feed content", "")
            elif role == "summary" and local == "summary":
                self._capture(depth, "feed summary", "")
            elif at_feed and prefix in ("", "dc", "media") and local == "title":
                declared = attrs.get("type")
                kind = declared.lower() if declared else "text/plain"
                self.feed_title_type = _MAPPED_TYPES.get(kind, kind)
                self._capture(depth, "feed title")
            return
        if prefix == "" and local == "enclosure":
            if depth - self.entry_depth != 1:
                raise _Decline("nested enclosure")
            # feedparser's _start_enclosure: the attributes, url as href, among the links.
            found = _attributes(attrs)
            href = found.pop("url", None) or found.pop("uri", None) or found.get("href")
            if href:
                found["href"] = href
            found["rel"] = "enclosure"
            self.entries[-1].links.append(found)
            return
        if key == _IMAGE:
            self.title_depth = -1  # feedparser's _start_image, at any depth
            return
        if self.path[-2] == _IMAGE and depth - self.entry_depth == 2:
            # An entry's image: feedparser's pop leaves a link in it out, and reads its
            # title as the entry's (by the depth rules, from the reset above).
            if key == ("", "link") and "href" not in attrs:
                return
            if key == ("", "title"):
                self._capture_title(depth, attrs)
                return
        if local not in _FIELD_NAMES or (prefix, local) in _IGNORED:
            return
        if not self.handled(prefix, local):
            return  # feedparser keeps it under its own name (itunes_title), in no field
        relative = depth - self.entry_depth
        entry = self.entries[-1]
        if relative == 2 and local in _PERSON_PARTS and self.path[-2] in _AUTHORS:
            entry.person.pop("plain", None)
            self._capture(depth, "person " + local)
            return
        field = _DIRECT.get((prefix, local))
        if relative > 1 and (field not in _NESTABLE or not self._plain_ancestors(depth)):
            field = None  # a field nested in an element feedparser gives a context of its own
        if field is None:
            raise _Decline(f"element {uri} {local} at {relative}")
        if field == "title":
            self.title_media = prefix == "media"
            self._capture_title(depth, attrs)
            return
        if field == "link" and "href" in attrs:
            found = _attributes(attrs)
            rel = found.setdefault("rel", "alternate")
            found.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
            if rel != "alternate":
                if rel == "enclosure":  # feedparser's _start_link: among the links, joined
                    found["href"] = self.join(base, found["href"])
                    self.entries[-1].links.append(found)
                return  # else among the links, not as the link; brief reads only enclosures
            if found["type"] not in _HTML_TYPES:
                raise _Decline("alternate link")
        elif field == "content" and "src" in attrs:
            raise _Decline("content src")
        counts = entry.counts
        if field == "author" and entry.person:
            # feedparser's next author starts from the last one's name and email, which
            # its own replace; one with no name or email of its own is read by its text
            # (declined at the entry's end unless name or email elements follow).
            entry.person["plain"] = ""
        counted = field if relative == 1 else "nested " + field
        counts[counted] = counts.get(counted, 0) + 1
        if field in _ONCE and counts[counted] > 1 and relative == 1:
            raise _Decline("two " + field)
        declared = attrs.get("type")
        kind = declared.lower() if declared else _DEFAULT_TYPES.get((prefix, local), "text/plain")
        kind = _MAPPED_TYPES.get(kind, kind)
        if field == "summary" and entry.summary is not None and not self.has_content:
            # feedparser's _start_summary/_start_description: a second one is content.
            field = "content"
            kind = _MAPPED_TYPES.get(declared.lower(), declared) if declared else "text/plain"
        if field == "content":
            self.has_content = True
        if field == "link":
            entry.bases[field] = base
        if field == "id":
            # feedparser resolves a guid against the feed's address unless it is no
            # permalink; the base and flag are the entry's if its text is (_field_done).
            lowered = {k.lower(): v for k, v in attrs.items()}
            self.pending_id = (base, lowered.get("ispermalink", "true") == "true")
        if field == "link" and "href" in attrs:
            entry.href = attrs["href"]
        elif key != (_ATOM, "author"):  # an Atom author's text is its name and email
            self._capture(depth, field, kind)

    def end(self, _name: str) -> None:
        depth = len(self.path)
        self.path.pop()
        self.bases.pop()
        if depth == self.field_depth:
            self.field_depth_done = depth
            self.field_depth = 0
            self.parser.CharacterDataHandler = None
            self._field_done("".join(self.text).strip())
        elif depth == self.entry_depth:
            self.entry_depth = 0
            self.has_content = False  # feedparser's _end_item
            entry = self.entries[-1]
            if "link" not in entry.counts:
                raise _Decline("no link")  # feedparser may take the guid or the feed's address
            person = entry.person
            if "plain" in person or (
                "rss" in person and not (person.get("name") or person.get("email"))
            ):
                raise _Decline("author text after a person")  # feedparser reads that text

    def _capture_title(self, depth: int, attrs: dict[str, str]) -> None:
        declared = attrs.get("type")
        kind = declared.lower() if declared else "text/plain"
        self._capture(depth, "title", _MAPPED_TYPES.get(kind, kind))

    def _author_parts(self, depth: int) -> bool:
        """Whether the open field is an RSS author whose child elements start at ``depth``.

        feedparser reads such an author as it reads Atom's (its text aside, the
        name and email of its children); the reader does too from here on.  Its
        own text before the children must be blank (feedparser would keep it when
        no name or email follows).
        """
        if self.field != "author" or depth != self.field_depth + 1:
            return False
        if self.path[-2] != ("", "author") or self.names_prefix.get(("", "author")) != "":
            return False
        entry = self.entries[-1]
        if "".join(self.text).strip():
            raise _Decline("author text with elements")
        self.field_depth = 0
        self.parser.CharacterDataHandler = None
        entry.texts.pop("author", None)
        entry.person["rss"] = ""  # read as a person: its name and email, not its text
        return True

    def _plain_ancestors(self, depth: int) -> bool:
        """Whether every element between the entry and ``depth`` leaves feedparser's context."""
        for key in self.path[self.entry_depth : depth - 1]:
            prefix = self.names_prefix.get(key, "")
            if (prefix, key[1]) in _TITLE_CONTAINERS:
                continue
            if self.handled(prefix, key[1]):
                return False  # an image, a source, an author...: titles go elsewhere there
        return True

    def _title_done(self, entry: _Entry, text: str) -> None:
        """feedparser's title rules (mixin.pop, _end_title, _end_media_title), depth by depth.

        A title deeper than (or as deep as) the last non-empty one is left out; one
        that is kept replaces the entry's title unless that came from a shallower
        element.  media:title leaves the depth mark as it found it.
        """
        depth = self.field_depth_done
        kept_depth = self.title_depth
        if not -1 < self.title_depth <= depth:
            if entry.title_depth is None or depth <= entry.title_depth:
                entry.title_depth = depth
                entry.texts["title"] = text
            entry.types["title"] = self.field_type
        if text:
            self.title_depth = depth
        if self.title_media:
            self.title_depth = kept_depth

    def _field_done(self, text: str) -> None:
        field = self.field
        if field in ("feed summary", "feed content"):
            # The feed's summary, or content feedparser copies to it (_end_content).
            self.feed_summary = True
            return
        if field == "feed title":
            if self.feed_title is not None and self.feed_title != text:
                raise _Decline("two feed titles")
            self.feed_title = text
            return
        entry = self.entries[-1]
        if field.startswith("person "):
            entry.person[field[7:]] = text
        elif field == "summary":
            depth = self.field_depth_done
            if entry.summary_depth is None or depth <= entry.summary_depth:
                entry.summary_depth = depth
                entry.summary, entry.summary_type = text, self.field_type
        elif field == "content":
            entry.content.append((text, self.field_type))
            if entry.summary is None and self.field_type in _COPIED:
                # feedparser's _end_content copies plain or HTML content to the summary.
                entry.summary, entry.summary_type = text, ""
        elif field == "title":
            self._title_done(entry, text)
        elif field == "id":
            # feedparser's property_depth_map: an id in an element it has no handler for
            # does not replace a shallower one's.
            depth = self.field_depth_done
            if entry.id_depth is None or depth <= entry.id_depth:
                entry.id_depth = depth
                entry.texts["id"] = text
                entry.bases["id"], entry.permalink = self.pending_id
        else:
            entry.texts[field] = text  # the last author or date, as feedparser keeps it


def _attributes(attrs: dict[str, str]) -> dict[str, str]:
    """An element's attributes as feedparser normalises them (names, rel and type lowered)."""
    found = {name.lower(): value for name, value in attrs.items() if " " not in name}
    for name in ("rel", "type"):
        if name in found:
            found[name] = found[name].lower()
    return found


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


# A URL that feedparser's _urljoin hands back unchanged against any base urlparse
# reads: http(s) with a host, ASCII without spaces or controls, and nothing that
# urlsplit then urlunsplit would rewrite (no path parameters, no empty query or
# fragment, no IPv6 brackets, no slashes after the "//" for its _urifixer to drop).
_UNCHANGED_URL_RE = re.compile(
    r"https?://[^/?#\[\];\x00-\x20\x7f]+(?:/[^?#;\x00-\x20\x7f]*)?"
    r"(?:\?[^#\x00-\x20\x7f]+)?(?:#[^\x00-\x20\x7f]+)?"
)


@functools.lru_cache(maxsize=256)
def _readable_base(base: str) -> bool:
    """Whether urljoin can parse ``base`` (else feedparser's join gives "")."""
    try:
        urllib.parse.urlparse(base)
    except ValueError:
        return False
    return True


def joined(join: Any, base: str, uri: str) -> str:
    """feedparser's ``_urljoin(base, uri)`` (``join``), without its work for an absolute link.

    Most links in a feed are absolute: urljoin then returns the link itself,
    after splitting and re-assembling it (a tenth of the fast path's time).
    """
    if uri.isascii() and _UNCHANGED_URL_RE.fullmatch(uri) and _readable_base(base):
        return uri
    return str(join(base, uri))


def _text(value: str | None) -> str:
    if not value:
        return ""
    if not value.isascii():
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            value = value.encode("iso-8859-1").decode("utf-8")
        if _C1_RE.search(value):
            value = value.translate(_CP1252)
    return value


def _author(entry: _Entry) -> str:
    """The author as feedparser's _sync_author_detail writes it."""
    if "author" not in entry.counts:
        return ""
    if entry.person or "author" not in entry.texts:
        name = _text(entry.person.get("name"))
        email = _text(entry.person.get("email"))
        if name and email:
            return f"{name} ({email})"
        return name or email
    return _text(entry.texts["author"])


class _Finisher:
    """feedparser's processing of what the reader collected, entry by entry."""

    def __init__(self, feedparser: Any, atom: bool) -> None:
        # Private, kept: feedparser's own date parser, URL join and HTML sniffing.
        self.parse_date = feedparser.datetimes._parse_date
        self.join = feedparser.urls._urljoin
        self.looks_like_html = feedparser.mixin._FeedParserMixin.looks_like_html
        self.atom = atom

    def kind(self, declared: str, value: str) -> str:
        """Outside Atom, feedparser takes plain text that looks like HTML for HTML (mixin.pop)."""
        if not self.atom and declared == "text/plain" and value and self.looks_like_html(value):
            return "text/html"
        return declared

    def entry(self, entry: _Entry) -> dict[str, Any] | None:
        """One entry in feedparser's shape; None when its link is empty."""
        texts = entry.texts
        if entry.href is not None:  # an Atom link: feedparser joins its href, nothing more
            link = joined(self.join, entry.bases["link"], entry.href)
        else:
            link = _text(texts.get("link"))
            link = _link(joined(self.join, entry.bases.get("link", ""), link)) if link else ""
        if not link:
            return None  # an empty link: feedparser may give the feed's address instead
        guid = _text(texts.get("id"))
        if guid and entry.permalink:
            guid = joined(self.join, entry.bases.get("id", ""), guid)
        elif "id" not in texts:
            guid = entry.about
        title = _text(texts.get("title"))
        summary = _text(entry.summary)
        content = [
            {"type": self.kind(kind, value), "value": value}
            # Content copied to the summary is read once.
            for value, kind in (
                (summary if v is entry.summary else _text(v), k) for v, k in entry.content
            )
        ]
        published = self.parse_date(texts["date"]) if texts.get("date") else None
        updated = self.parse_date(texts["updated"]) if texts.get("updated") else None
        return {
            "title": title,
            "title_detail": {"type": self.kind(entry.types.get("title", "text/plain"), title)},
            "summary": summary,
            "summary_detail": {
                "type": self.kind(entry.summary_type, summary) if entry.summary_type else ""
            },
            "content": content,
            "link": link,
            "id": guid,
            "author": _author(entry),
            "links": entry.links,
            "published_parsed": published,
            "updated_parsed": updated,
        }


def _read(data: bytes, base: str, feedparser: Any) -> _Reader | None:
    """The reader after reading ``data``, or None when the fast path must decline."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True
    reader = _Reader(parser, base, feedparser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.StartDoctypeDeclHandler = reader.doctype
    parser.StartNamespaceDeclHandler = reader.namespace
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    try:
        parser.Parse(data, True)
    except (xml.parsers.expat.ExpatError, _Decline):
        return None
    return reader if reader.version else None


def fast_parse(body: bytes, response_headers: Mapping[str, str], feedparser: Any) -> Any:
    """``body`` read in feedparser's shape, as feedparser reads it; None for feedparser to read."""
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    result: dict[str, Any] = {}
    # Private, kept: feedparser's encoding decision, so both read the same characters.
    data = feedparser.encodings.convert_to_utf8(dict(response_headers), body, result)
    complaint = result.get("bozo_exception")
    # A missing or non-XML Content-Type, or a declared encoding that does not decode, is
    # only a warning: feedparser reads the text it decoded, as the fast path does.
    if complaint is not None and type(complaint).__name__ not in _WARNINGS:
        return None
    if not result.get("encoding"):
        return None
    reader = _read(data, response_headers.get("content-location", ""), feedparser)
    if reader is None:
        return None
    finish = _Finisher(feedparser, reader.version.startswith("atom"))
    entries = []
    for collected in reader.entries:
        entry = finish.entry(collected)
        if entry is None:
            return None
        entries.append(entry)
    title = _text(reader.feed_title)
    return {
        "version": reader.version,
        "bozo": complaint is not None,
        "encoding": result.get("encoding"),
        "bozo_exception": complaint,
        "feed": {
            "title": title,
            "title_detail": {"type": finish.kind(reader.feed_title_type, title)},
        },
        "entries": entries,
    }

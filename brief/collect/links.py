"""The links of an article and its enclosures: from entry HTML, feed enclosures, Markdown.

Every link is kept as text; only an http(s) one is marked openable (the TUI
hands nothing else to a program).  The payload of ``javascript:`` and
``data:`` links is code or a blob, not something to read: only the scheme is
kept.  Lists are capped per article; how many were cut is counted, so the
fetch can say so.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from brief.collect.cleantext import html_fragment_to_text, one_line
from brief.models import Enclosure, Link

LINKS_MAX = 100  # per article; a link farm of thousands is not a reading list
ENCLOSURES_MAX = 20
LINK_TEXT_MAX_CHARS = 200
LINK_URL_MAX_CHARS = 4000  # as parse.URL_MAX_CHARS: a longer link is no link
TYPE_MAX_CHARS = 100
_ANCHOR_TEXT_SCAN = 4000  # how far after <a ...> to look for </a>
_PAYLOAD_SCHEMES = ("javascript", "data", "vbscript")

_ANCHOR_RE = re.compile(r"<a\s([^<>]{0,4000})>", re.IGNORECASE)
_HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_CLOSE_RE = re.compile(r"</a\s*>", re.IGNORECASE)
# [text](url "title") and <https://...> autolinks; images (![alt](src)) are not links to read.
_MD_LINK_RE = re.compile(
    r"(?<!!)\[([^\[\]\n]{0,500})\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]{0,200}\)){1,4000})>?(?:\s+\"[^\"\n]*\")?\s*\)"
)
_MD_AUTOLINK_RE = re.compile(r"<(https?://[^\s<>]{1,4000})>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ArticleLinks:
    """An article's links and enclosures, and how many of each were beyond the caps."""

    links: tuple[Link, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    cut: int = 0


NO_LINKS = ArticleLinks()


def web_link(url: str) -> bool:
    """True for an http(s) URL with a host (what may be handed to a browser)."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def clean_url(raw: str, base: str | None = None) -> str:
    """A link's target as text: entities decoded, no control characters, resolved against
    ``base`` when relative; for script and data URLs only the scheme; "" when unusable."""
    # Spaces inside a link are encoded as a browser would (one_line folded them to one).
    url = one_line(html.unescape(raw), LINK_URL_MAX_CHARS + 1).replace(" ", "%20")
    if not url or url.startswith("#") or len(url) > LINK_URL_MAX_CHARS:
        return ""
    scheme, colon, _rest = url.partition(":")
    if colon and scheme.isascii() and scheme.replace("+", "").replace("-", "").isalnum():
        if scheme.lower() in _PAYLOAD_SCHEMES:
            return scheme.lower() + ":"
        return url
    if base and web_link(base):
        try:
            joined = urljoin(base, url)
        except ValueError:
            return ""
        return joined if len(joined) <= LINK_URL_MAX_CHARS else ""
    return url


def _link_text(fragment: str) -> str:
    if "<" not in fragment and "&" not in fragment:
        # Plain text: one_line folds the same spaces and control characters clean_text
        # would, so converting first changes nothing (most anchor texts are plain).
        return one_line(fragment, LINK_TEXT_MAX_CHARS)
    return one_line(html_fragment_to_text(fragment), LINK_TEXT_MAX_CHARS)


def _collect(pairs: Iterable[tuple[str, str]], seen: set[str], out: list[Link]) -> int:
    """Add (url, text) pairs not seen yet to ``out`` up to the cap; returns how many were cut."""
    cut = 0
    for url, text in pairs:
        if not url or url in seen:
            continue
        seen.add(url)
        if len(out) >= LINKS_MAX:
            cut += 1
            continue
        out.append(Link(url=url, text=text))
    return cut


def html_links(fragment: str, base: str | None = None) -> list[tuple[str, str]]:
    """(url, text) of every ``<a href>`` in an HTML fragment, in order (duplicates kept)."""
    if "<a" not in fragment and "<A" not in fragment:
        return []
    pairs: list[tuple[str, str]] = []
    for anchor in _ANCHOR_RE.finditer(fragment):
        href = _HREF_RE.search(anchor.group(1))
        if href is None:
            continue
        quoted, single, bare = href.groups()
        raw = quoted if quoted is not None else single if single is not None else bare
        url = clean_url(raw, base)
        if not url:
            continue
        close = _CLOSE_RE.search(fragment, anchor.end(), anchor.end() + _ANCHOR_TEXT_SCAN)
        text = _link_text(fragment[anchor.end() : close.start()]) if close else ""
        pairs.append((url, text))
    return pairs


def markdown_links(text: str) -> list[tuple[str, str]]:
    """(url, text) of Markdown links and autolinks in ``text``, in order."""
    found: list[tuple[int, str, str]] = []
    for match in _MD_LINK_RE.finditer(text):
        url = clean_url(match.group(2))
        if url:
            found.append((match.start(), url, one_line(match.group(1), LINK_TEXT_MAX_CHARS)))
    for match in _MD_AUTOLINK_RE.finditer(text):
        url = clean_url(match.group(1))
        if url:
            found.append((match.start(), url, ""))
    return [(url, label) for _start, url, label in sorted(found)]


def links_from(pairs: Iterable[tuple[str, str]]) -> ArticleLinks:
    """(url, text) pairs as an article's links: deduplicated by URL, capped."""
    links: list[Link] = []
    cut = _collect(pairs, set(), links)
    return ArticleLinks(links=tuple(links), cut=cut)


def _field(mapping: Any, key: str) -> Any:
    # dict.get, not FeedParserDict.get, which remaps keys and warns (see parse._field).
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


def _text_field(mapping: Any, key: str) -> str:
    value = _field(mapping, key)
    return value if isinstance(value, str) else ""


def _length(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 18:
        return int(value.strip()) or None
    return None


def _enclosures(
    items: Iterable[tuple[str, str, Any]], base: str | None
) -> tuple[list[Enclosure], int]:
    out: list[Enclosure] = []
    seen: set[str] = set()
    cut = 0
    for raw_url, kind, length in items:
        url = clean_url(raw_url, base)
        if not url or url in seen:
            continue
        seen.add(url)
        if len(out) >= ENCLOSURES_MAX:
            cut += 1
            continue
        out.append(
            Enclosure(url=url, type=one_line(kind, TYPE_MAX_CHARS).lower(), length=_length(length))
        )
    return out, cut


def feedparser_entry_links(item: Any) -> ArticleLinks:
    """The links in a feedparser entry's HTML (content, else summary) and its enclosures.

    Relative links are resolved against the entry's own link (brief parses with
    ``resolve_relative_uris=False``).
    """
    base = _text_field(item, "link").strip() or None
    pairs: list[tuple[str, str]] = []
    # A fragment read before adds only links already seen: each distinct one is read once
    # (half the entries of a typical feed carry their content again as the summary).
    read: set[str] = set()
    for content in _field(item, "content") or ():
        if "html" in (_text_field(content, "type") or "text/html").lower():
            value = _text_field(content, "value")
            if value not in read:
                read.add(value)
                pairs += html_links(value, base)
    summary_type = _text_field(_field(item, "summary_detail"), "type") or "text/html"
    summary = _text_field(item, "summary")
    if "html" in summary_type.lower() and summary not in read:
        pairs += html_links(summary, base)
    links: list[Link] = []
    cut = _collect(pairs, set(), links)
    raw_enclosures = [
        (_text_field(e, "href"), _text_field(e, "type"), _field(e, "length"))
        # feedparser keeps enclosures among the entry's links (its ``enclosures`` key
        # is computed by FeedParserDict.__getitem__, which _field does not call).
        for e in _field(item, "links") or ()
        if isinstance(e, dict) and _field(e, "rel") == "enclosure"
    ]
    enclosures, enclosures_cut = _enclosures(raw_enclosures, base)
    return ArticleLinks(tuple(links), tuple(enclosures), cut + enclosures_cut)


def json_feed_item_links(item: dict[str, Any]) -> ArticleLinks:
    """The links in a JSON Feed item's ``content_html`` and its ``attachments``."""
    base = item.get("url") if isinstance(item.get("url"), str) else None
    content = item.get("content_html")
    pairs = html_links(content, base) if isinstance(content, str) else []
    links: list[Link] = []
    cut = _collect(pairs, set(), links)
    attachments = item.get("attachments")
    raw = [
        (str(a.get("url") or ""), str(a.get("mime_type") or ""), a.get("size_in_bytes"))
        for a in (attachments if isinstance(attachments, list) else ())
        if isinstance(a, dict) and isinstance(a.get("url"), str)
    ]
    enclosures, enclosures_cut = _enclosures(raw, base)
    return ArticleLinks(tuple(links), tuple(enclosures), cut + enclosures_cut)

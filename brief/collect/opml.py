"""OPML subscription lists: import with listparser, export as OPML 2.0 keeping titles and tags.

Import reads OPML 1.0/2.0 (and the RDF/iGoogle lists listparser knows),
turning each feed into a :class:`~brief.config.FeedConfig` whose tags are the
folders it sat in and its ``category`` values.  Export nests each
``<outline type="rss">`` in a folder outline named by the feed's first tag (untagged
feeds stay at the top) and keeps every tag in the OPML 2.0 ``category`` attribute,
so readers that build folders from nesting and those that read ``category`` both see them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import listparser

from brief.config import FeedConfig
from brief.errors import SourceError
from brief.wording import plural

MAX_OPML_BYTES = 20_000_000
_URL_RE = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class OpmlList:
    """What an OPML file holds: its feeds, its title, and entries that could not be used."""

    feeds: tuple[FeedConfig, ...]
    title: str | None = None
    skipped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


def _tag(name: str) -> str:
    # Tags are single words/phrases; a "/" or "," would break the category attribute on export.
    return _clean(name.replace("/", " ").replace(",", " "))


def parse_opml(data: bytes, origin: str = "OPML") -> OpmlList:
    """Parse an OPML document (bytes; never a URL); raises SourceError when it is not one."""
    # Bytes, not str: listparser treats an http(s) string as a URL to download.
    result = listparser.parse(bytes(data))
    feeds: list[FeedConfig] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for item in result.get("feeds") or ():
        url = _clean(item.get("url"))
        title = _clean(item.get("title"))
        if not _URL_RE.match(url):
            skipped.append(f"{title or url or '(no URL)'}: not an http(s) feed URL")
            continue
        if url in seen:
            continue
        seen.add(url)
        tags: list[str] = []
        for category in item.get("categories") or ():
            # A nested folder path ["News", "World"] tags the feed with each level.
            for part in category:
                tag = _tag(part)
                if tag and tag not in tags:
                    tags.append(tag)
        feeds.append(FeedConfig(url=url, name=title if title != url else "", tags=tuple(tags)))
    version = result.get("version") or ""
    warnings: list[str] = []
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        reason = _clean(str(exc))[:160] if exc is not None else "malformed"
        if not feeds and not version:
            raise SourceError(f"{origin}: not an OPML subscription list ({reason})")
        warnings.append(f"malformed OPML ({reason}); read what could be read")
    elif not version and not feeds:
        raise SourceError(f"{origin}: not an OPML subscription list")
    if result.get("lists"):
        count = len(result["lists"])
        warnings.append(
            f"{plural(count, 'linked subscription list')} not followed (import them separately)"
        )
    if result.get("opportunities"):
        count = len(result["opportunities"])
        warnings.append(f"{plural(count, 'web site')} listed without a feed URL (htmlUrl only)")
    meta = result.get("meta") or {}
    list_title = _clean(meta.get("title")) or None
    return OpmlList(tuple(feeds), list_title, tuple(skipped), tuple(warnings))


def read_opml(path: Path) -> OpmlList:
    """Read an OPML file; raises SourceError (one line) when it cannot be read or parsed."""
    path = Path(path).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_OPML_BYTES:
            raise SourceError(f"{path}: {size:,} bytes is too large for a subscription list")
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a folder, not an OPML file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_opml(data, str(path))


def merge_feeds(
    existing: Sequence[FeedConfig], incoming: Iterable[FeedConfig]
) -> tuple[tuple[FeedConfig, ...], tuple[FeedConfig, ...], tuple[FeedConfig, ...]]:
    """Add ``incoming`` feeds not already subscribed: (all feeds, added, already there)."""
    known = {feed.url.strip() for feed in existing}
    added: list[FeedConfig] = []
    duplicates: list[FeedConfig] = []
    for feed in incoming:
        if feed.url.strip() in known:
            duplicates.append(feed)
            continue
        known.add(feed.url.strip())
        added.append(feed)
    return (*existing, *added), tuple(added), tuple(duplicates)


def opml_document(
    feeds: Sequence[FeedConfig],
    *,
    title: str = "brief subscriptions",
    titles: dict[str, str] | None = None,
    now: datetime | None = None,
) -> str:
    """The feeds as OPML 2.0: folders by first tag, all tags in ``category`` (``titles``: names)."""
    created = format_datetime((now or datetime.now(UTC)).astimezone(UTC), usegmt=True)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_text(title)}</title>",
        f"    <dateCreated>{_text(created)}</dateCreated>",
        "    <docs>https://opml.org/spec2.opml</docs>",
        "  </head>",
        "  <body>",
    ]
    # Many readers build folders only from nested outlines, so each feed sits in the folder of
    # its first tag (folders in the order their first feed comes); untagged feeds stay at the
    # top. ``category`` keeps every tag for the readers that read that instead.
    groups: list[tuple[str | None, list[str]]] = []
    by_folder: dict[str, list[str]] = {}
    for feed in feeds:
        tags = [_tag(t) for t in feed.tags if _tag(t)]
        outline = _feed_outline(feed, tags, titles)
        if not tags:
            groups.append((None, [outline]))
        elif tags[0] in by_folder:
            by_folder[tags[0]].append(outline)
        else:
            by_folder[tags[0]] = [outline]
            groups.append((tags[0], by_folder[tags[0]]))
    for folder, outlines in groups:
        if folder is None:
            lines += [f"    {o}" for o in outlines]
            continue
        label = quoteattr(_xml_safe(folder))
        lines.append(f"    <outline text={label} title={label}>")
        lines += [f"      {o}" for o in outlines]
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _feed_outline(feed: FeedConfig, tags: list[str], titles: dict[str, str] | None) -> str:
    """One ``<outline type="rss" .../>`` element for ``feed``, its tags in ``category``."""
    name = feed.name or (titles or {}).get(feed.url) or feed.url
    attrs = [("type", "rss"), ("text", name), ("title", name), ("xmlUrl", feed.url)]
    if tags:
        attrs.append(("category", ",".join("/" + t for t in tags)))
    rendered = " ".join(f"{key}={quoteattr(_xml_safe(value))}" for key, value in attrs)
    return f"<outline {rendered}/>"


_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    # Characters XML 1.0 cannot carry at all, even escaped.
    return _XML_INVALID.sub(" ", value)


def _text(value: str) -> str:
    return escape(_xml_safe(value))


def write_opml(
    path: Path,
    feeds: Sequence[FeedConfig],
    *,
    titles: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Path:
    """Write :func:`opml_document` to ``path`` atomically."""
    from brief.files import atomic_write

    path = Path(path).expanduser()
    text = opml_document(feeds, titles=titles, now=now)
    atomic_write(path, text.encode("utf-8"))
    return path

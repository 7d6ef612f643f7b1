"""Changing what the reader subscribes to: add, remove, import and export feeds.

The command line (`brief feeds ...`) and the TUI's Sources screen both call
these; each returns the new settings (unsaved) so the caller decides when
and where to save them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from brief.config import Config, FeedConfig
from brief.errors import SourceError

_HTTP_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Subscribed:
    """The result of subscribing: the new settings and what the URL turned out to be."""

    config: Config
    feed: FeedConfig
    title: str | None = None
    entries: int = 0
    found_at: str | None = None  # the feed's URL when the reader gave a web page


@dataclass(frozen=True, slots=True)
class Imported:
    """The result of importing an OPML list."""

    config: Config
    added: tuple[FeedConfig, ...]
    already: tuple[FeedConfig, ...]
    notes: tuple[str, ...]


def subscribe(
    config: Config,
    url: str,
    *,
    now: datetime,
    name: str = "",
    tags: Sequence[str] = (),
    full_text: bool = False,
    check: bool = True,
) -> Subscribed:
    """Subscribe to ``url``; with ``check``, first make sure it is a feed (or a page naming one).

    Raises :class:`SourceError` with a one-line reason when it is not.
    """
    url = url.strip()
    if not _HTTP_URL.match(url):
        raise SourceError(f"{url!r} is not an http:// or https:// URL", "give the feed's address")
    title, entries, found_at = None, 0, None
    if check:
        from brief.collect.probe import probe_feed

        probe = probe_feed(url, config.fetch, now=now)
        if probe.error is not None:
            hint = f"try {probe.discovered[0]}" if probe.discovered else None
            raise SourceError(f"{url}: {probe.error}", hint)
        if probe.url != url:
            found_at = url = probe.url
        title, entries = probe.title, probe.entries
    feed = FeedConfig(url=url, name=name, tags=tuple(tags), full_text=full_text)
    new = add_feed(config, feed)
    return Subscribed(config=new, feed=feed, title=title, entries=entries, found_at=found_at)


def add_feed(config: Config, feed: FeedConfig) -> Config:
    """The settings with ``feed`` added; :class:`SourceError` when its URL is already there.

    Cheap and offline, so a caller can re-apply it to the config as it is on
    disk under the config lock (see :func:`brief.config.update_config`).
    """
    if any(existing.url == feed.url for existing in config.feeds):
        raise SourceError(f"{feed.url}: already subscribed")
    return dataclasses.replace(config, feeds=(*config.feeds, feed))


def remove_feed(config: Config, feed_url: str) -> Config:
    """The settings without the feed at ``feed_url``; :class:`SourceError` when it is not there."""
    feeds = tuple(f for f in config.feeds if f.url != feed_url)
    if len(feeds) == len(config.feeds):
        raise SourceError(f"{feed_url}: not one of your feeds")
    return dataclasses.replace(config, feeds=feeds)


def unsubscribe(config: Config, feed_url: str) -> tuple[Config, int]:
    """The settings without the feed at ``feed_url``, and how many stored articles went with it."""
    from brief.collect.stored import feed_source_id

    new = remove_feed(config, feed_url)
    return new, forget_source(config, feed_source_id(feed_url))


def forget_source(config: Config, source_id: str) -> int:
    """Remove a source's stored articles (those no other source carries); how many went."""
    path = config.store_path()
    if not path.exists():
        return 0
    from brief.store import open_store

    with open_store(path) as store:
        return store.remove_source(source_id)


def import_opml(config: Config, path: Path) -> Imported:
    """Subscribe to the feeds of an OPML file that are not subscribed yet."""
    from brief.collect.opml import read_opml

    opml = read_opml(path)
    return merge_imported(
        config, opml.feeds, (*opml.warnings, *(f"skipped {i}" for i in opml.skipped))
    )


def merge_imported(
    config: Config, feeds: Sequence[FeedConfig], notes: Sequence[str] = ()
) -> Imported:
    """``config`` with the ``feeds`` it lacks added (re-applied under the config lock)."""
    from brief.collect.opml import merge_feeds

    merged, added, already = merge_feeds(config.feeds, list(feeds))
    return Imported(
        config=dataclasses.replace(config, feeds=merged),
        added=tuple(added),
        already=tuple(already),
        notes=tuple(notes),
    )


def feed_titles(config: Config) -> dict[str, str]:
    """The titles the subscribed feeds gave themselves, by URL (from the store, if any)."""
    titles: dict[str, str] = {}
    path = config.store_path()
    if not path.exists():
        return titles
    from brief.collect.stored import feed_source_id
    from brief.store import open_store

    with open_store(path) as store:
        for feed in config.feeds:
            source = store.source(feed_source_id(feed.url))
            if source is not None and source.name != source.location:
                titles[feed.url] = source.name
    return titles


def opml_text(config: Config, *, now: datetime) -> str:
    """The subscriptions as an OPML 2.0 document."""
    from brief.collect.opml import opml_document

    return opml_document(config.feeds, titles=feed_titles(config), now=now)


def export_opml(config: Config, path: Path, *, now: datetime) -> Path:
    """Write the subscriptions to ``path`` as OPML 2.0 (atomically); returns the path."""
    from brief.collect.opml import write_opml

    return write_opml(path, config.feeds, titles=feed_titles(config), now=now)

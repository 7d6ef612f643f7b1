"""A feed's articles and health as stored: what an offline run reads, without the HTTP stack.

:mod:`brief.collect.fetch` (httpx, asyncio) is imported only when feeds are
fetched; everything here reads the store alone.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from brief.config import Config, FeedConfig
from brief.models import Article, Source, SourceHealth
from brief.store import FetchState, Store


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


def source_with_title(feed: FeedConfig, store: Store) -> Source:
    """The feed's Source, named by config, else by the title the store remembers."""
    stored = store.source(feed_source_id(feed.url))
    title = stored.name if stored is not None and stored.name != stored.location else None
    return feed_source(feed, title if not feed.name else None)


def stored_feed_health(config: Config, store: Store) -> tuple[SourceHealth, ...]:
    """Each configured feed's health from the store, without touching the network."""
    states = store.fetch_states()
    return tuple(
        health_from_state(source_with_title(feed, store), states.get(feed_source_id(feed.url)))
        for feed in config.feeds
    )


def stored_feed_articles(
    store: Store, health: list[SourceHealth], *, start: datetime, end: datetime
) -> tuple[list[Article], list[SourceHealth]]:
    """The stored articles in ``[start, end)`` of the feeds in ``health``, each one counted."""
    articles = store.articles_between(start, end, source_ids=[h.source.id for h in health])
    counts = store.counts_between(start, end)
    return articles, [
        dataclasses.replace(h, article_count=counts.get(h.source.id, 0)) for h in health
    ]


def open_feed_store(config: Config) -> Store | str:
    """The configured article store, or why it cannot be opened (one line)."""
    from brief.collect.cleantext import one_line
    from brief.errors import BriefError
    from brief.store import open_store

    try:
        return open_store(config.store_path())
    except BriefError as exc:
        return "article store unavailable: " + one_line(exc.message, 160)


def collect_stored_feeds(
    config: Config, *, start: datetime, end: datetime
) -> tuple[list[Article], list[SourceHealth]]:
    """The configured feeds' stored articles in ``[start, end)``, with their stored health.

    When the store cannot be opened every feed reports that (one line).
    """
    if not config.feeds:
        return [], []
    store = open_feed_store(config)
    if isinstance(store, str):
        return [], [SourceHealth(source=feed_source(f), error=store) for f in config.feeds]
    with store:
        health = list(stored_feed_health(config, store))
        return stored_feed_articles(store, health, start=start, end=end)

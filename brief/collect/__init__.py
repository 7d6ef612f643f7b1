"""Collecting articles from sources: local files and feeds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from brief.config import Config
from brief.models import CollectResult


def collect_sources(
    config: Config,
    *,
    now: datetime,
    fetch: bool = True,
    force: bool = False,
    window: tuple[datetime, datetime] | None = None,
    progress: Callable[[Any, int, int], None] | None = None,
) -> CollectResult:
    """Gather the articles of every configured source, with each source's health.

    Feeds are fetched into the store first (unless ``fetch`` is off: offline),
    then their stored articles in ``window`` (default: the briefing window
    ending now) join the local ones.
    """
    from brief.collect.local import collect_local

    articles, health = collect_local(config.local_paths())
    if config.feeds:
        start, end = window or (now - timedelta(hours=config.briefing.window_hours), now)
        # A minute of slack: an article stamped "now" by a feed belongs to this briefing.
        end += timedelta(minutes=1)
        if fetch:
            from brief.collect.fetch import collect_feeds  # httpx, asyncio: only to fetch

            feed_articles, feed_health = collect_feeds(
                config, now=now, start=start, end=end, force=force, progress=progress
            )
        else:
            from brief.collect.stored import collect_stored_feeds

            feed_articles, feed_health = collect_stored_feeds(config, start=start, end=end)
        articles = [*articles, *feed_articles]
        health = [*health, *feed_health]
    return CollectResult(articles=tuple(articles), health=tuple(health))

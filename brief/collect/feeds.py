"""The feed pipeline's public names in one place (the modules that hold them are below).

:mod:`brief.collect.http` downloads, :mod:`brief.collect.parse` parses,
:mod:`brief.collect.fetch` runs a fetch into the store,
:mod:`brief.collect.probe` and :mod:`brief.collect.discover` find feeds.
Code inside brief imports from those modules; this one keeps the names that
``brief.collect.feeds`` always offered importable from here.
"""

from __future__ import annotations

from brief.collect.cleantext import clean_text, html_fragment_to_text
from brief.collect.discover import discover_feed_links
from brief.collect.fetch import (
    FeedOutcome,
    FetchReport,
    ProgressCallback,
    collect_feeds,
    due,
    fetch_feeds,
    fetch_feeds_async,
)
from brief.collect.http import (
    BodyTooLarge,
    Download,
    decode_html,
    download,
    make_client,
    make_clients,
    parse_retry_after,
)
from brief.collect.parse import FeedEntry, ParsedFeed, entries_to_articles, parse_feed
from brief.collect.probe import Probe, probe_feed, probe_feed_async
from brief.collect.stored import feed_source, feed_source_id, health_from_state, stored_feed_health

__all__ = [
    "BodyTooLarge",
    "Download",
    "FeedEntry",
    "FeedOutcome",
    "FetchReport",
    "ParsedFeed",
    "Probe",
    "ProgressCallback",
    "clean_text",
    "collect_feeds",
    "decode_html",
    "discover_feed_links",
    "download",
    "due",
    "entries_to_articles",
    "feed_source",
    "feed_source_id",
    "fetch_feeds",
    "fetch_feeds_async",
    "health_from_state",
    "html_fragment_to_text",
    "make_client",
    "make_clients",
    "parse_feed",
    "parse_retry_after",
    "probe_feed",
    "probe_feed_async",
    "stored_feed_health",
]

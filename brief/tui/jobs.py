"""The work the TUI's workers do: thin calls into the core, run off the event loop.

No Textual here: each function takes plain data and returns plain data, so a
worker thread can run it and post the result back as a message.  Nothing in
this module decides anything ``brief run`` would need; it only gathers what
the screens show.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from brief.config import Config, FeedConfig, replace_section
from brief.errors import SourceError
from brief.models import (
    ActorBrief,
    Article,
    Briefing,
    CollectResult,
    Mention,
    Quote,
    Sentence,
    Source,
    SourceHealth,
)


@dataclass(frozen=True, slots=True)
class Collection:
    """The day's articles and the health of every source, ready for the screens."""

    articles: tuple[Article, ...]
    sources: tuple[SourceHealth, ...]


def day_articles(
    config: Config, articles: tuple[Article, ...], now: datetime
) -> tuple[Article, ...]:
    """The articles that belong to the day's briefing window (the core decides)."""
    from brief.briefing.compose import select_articles

    return tuple(select_articles(articles, config, now))


class CollectCancelled(Exception):
    """Raised from the progress callback to stop a collection the user cancelled."""


Progress = Callable[[str, int, int], None]


def collect(
    config: Config,
    now: datetime,
    *,
    fetch: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Collection:
    """Collect every configured source; ``fetch=False`` reads feeds from the store only.

    ``progress(label, done, total)`` is called as each feed finishes; when
    ``cancelled()`` turns true the collection stops with :class:`CollectCancelled`
    (feeds already stored stay stored: each one is its own transaction).
    """
    from brief.collect import collect_sources

    def on_feed(outcome: Any, done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise CollectCancelled
        if progress is not None:
            source = getattr(outcome, "source", None)
            progress(getattr(source, "name", ""), done, total)

    result = collect_sources(config, now=now, fetch=fetch, progress=on_feed)
    return Collection(day_articles(config, result.articles, now), result.health)


def analyse_article(
    article: Article, config: Config
) -> tuple[tuple[Sentence, ...], tuple[Mention, ...], tuple[Quote, ...]]:
    """Summary sentences, actor mentions and quotes of one article, for the reader."""
    from brief.actors.analysis import analyse_article_cached
    from brief.text.summarize import summarize_article

    summary = summarize_article(article, config.summary).sentences
    actors = analyse_article_cached(article, None, config.actors.watch)
    return summary, actors.mentions, actors.quotes


def build_actors(articles: tuple[Article, ...], config: Config) -> tuple[ActorBrief, ...]:
    """The day's actor briefs (analyses cached in the store when there is one)."""
    from brief.actors.briefs import build_actor_briefs

    path = config.store_path()
    if not path.exists():
        return build_actor_briefs(articles, config)
    from brief.store import open_store

    with open_store(path) as store:
        return build_actor_briefs(articles, config, store=store)


def compose(config: Config, collection: Collection, now: datetime) -> tuple[Briefing, str]:
    """The briefing and its Markdown: exactly what ``write`` would save."""
    from brief.briefing.compose import compose_briefing
    from brief.briefing.render import render_markdown

    result = CollectResult(articles=collection.articles, health=collection.sources)
    briefing = compose_briefing(config, result, now=now)
    return briefing, render_markdown(briefing)


def briefing_path(config: Config, briefing: Briefing) -> Path:
    """Where the briefing will be saved under the current settings."""
    from brief.briefing.write import briefing_filename

    name = briefing_filename(config.briefing.filename, briefing.day, briefing.title)
    return config.output_dir() / name


def save_briefing(markdown: str, path: Path, *, force: bool) -> Path:
    """Write the briefing; without ``force`` an existing file gets a numbered sibling."""
    from brief.briefing.write import write_briefing

    return write_briefing(markdown, path, force=force)


SEARCH_LIMIT = 2000


def search_store(config: Config, text: str) -> tuple[Article, ...] | None:
    """Full-text search of the store (every day it holds); None when there is no store."""
    path = config.store_path()
    if not path.exists() or not text.strip():
        return None
    from brief.store import open_store

    with open_store(path) as store:
        return tuple(store.search(text, limit=SEARCH_LIMIT))


# --- sources -----------------------------------------------------------------------


def add_feed(config: Config, url: str, now: datetime) -> tuple[Config, str]:
    """Check that ``url`` is a feed (following a web page's feed link) and subscribe to it.

    Returns the new settings (not yet saved) and a line describing the feed;
    raises :class:`SourceError` with the one-line reason when it is not a feed.
    """
    from brief.collect.feeds import probe_feed

    url = url.strip()
    if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        raise SourceError(f"{url!r} is not an http:// or https:// URL", "paste the feed's address")
    if any(feed.url == url for feed in config.feeds):
        raise SourceError(f"{url}: already subscribed")
    probe = probe_feed(url, config.fetch, now=now)
    if probe.error is not None:
        hint = f"try {probe.discovered[0]}" if probe.discovered else None
        raise SourceError(f"{url}: {probe.error}", hint)
    if any(feed.url == probe.url for feed in config.feeds):
        raise SourceError(f"{probe.url}: already subscribed")
    feeds = (*config.feeds, FeedConfig(url=probe.url))
    title = probe.title or probe.url
    found = f"{title} ({probe.entries} entries)"
    if probe.url != url:
        found += f", found at {probe.url}"
    return dataclasses.replace(config, feeds=feeds), found


def add_folder(config: Config, entry: str) -> Config:
    """Add a local folder or file of articles; raises SourceError when it does not exist."""
    path = Path(entry).expanduser()
    if not path.exists():
        raise SourceError(f"{path}: no such folder or file")
    if str(path) in config.sources.local or path in config.local_paths():
        raise SourceError(f"{path}: already a source")
    return replace_section(config, "sources", local=(*config.sources.local, str(path)))


def remove_source(config: Config, source: Source) -> Config:
    """The settings without ``source``; its stored articles (carried by no other source) go too."""
    if source.kind == "feed":
        feeds = tuple(f for f in config.feeds if f.url != source.location)
        if len(feeds) == len(config.feeds):
            raise SourceError(f"{source.location}: not in your feeds")
        new = dataclasses.replace(config, feeds=feeds)
    else:
        keep = tuple(
            entry
            for entry, path in zip(config.sources.local, config.local_paths(), strict=True)
            if str(path.resolve() if path.exists() else path) != source.location
        )
        if len(keep) == len(config.sources.local):
            raise SourceError(f"{source.location}: not in your local sources")
        new = replace_section(config, "sources", local=keep)
    path = config.store_path()
    if path.exists():
        from brief.store import open_store

        with open_store(path) as store:
            store.remove_source(source.id)
    return new


def refresh_feed(config: Config, source: Source, now: datetime) -> str:
    """Fetch one feed now (even if not due); returns the outcome as one line."""
    from brief.collect.feeds import fetch_feeds
    from brief.store import open_store

    feeds = [f for f in config.feeds if f.url == source.location]
    if not feeds:
        raise SourceError(f"{source.location}: not in your feeds")
    with open_store(config.store_path()) as store:
        report = fetch_feeds(config, store, now=now, force=True, feeds=feeds)
    return report.summary_line()


# --- OPML ----------------------------------------------------------------------------


def import_opml(config: Config, path: Path) -> tuple[Config, str]:
    """Subscribe to the feeds of an OPML file that are not subscribed yet."""
    from brief.collect.opml import merge_feeds, read_opml

    opml = read_opml(path)
    feeds, added, already = merge_feeds(config.feeds, opml.feeds)
    note = f"Imported {len(added)} feeds from {path.name} ({len(already)} already subscribed)"
    for line in (*opml.warnings, *(f"skipped {item}" for item in opml.skipped))[:5]:
        note += f"\n{line}"
    return dataclasses.replace(config, feeds=feeds), note


def export_opml(config: Config, path: Path, now: datetime) -> tuple[Path, int]:
    """Write the subscribed feeds as an OPML 2.0 file (with the titles the feeds gave)."""
    from brief.collect.feeds import feed_source_id
    from brief.collect.opml import write_opml

    titles: dict[str, str] = {}
    if config.store_path().exists():
        from brief.store import open_store

        with open_store(config.store_path()) as store:
            for feed in config.feeds:
                source = store.source(feed_source_id(feed.url))
                if source is not None and source.name != source.location:
                    titles[feed.url] = source.name
    written = write_opml(path, config.feeds, titles=titles, now=now)
    return written, len(config.feeds)

"""The work the TUI's workers do: thin calls into the core, run off the event loop.

No Textual here: each function takes plain data and returns plain data, so a
worker thread can run it and post the result back as a message.  Nothing in
this module decides anything ``brief run`` would need; it only gathers what
the screens show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brief.config import Config, replace_section
from brief.errors import BriefError, SourceError
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
from brief.wording import plural

if TYPE_CHECKING:
    from brief.store import Store


@dataclass(frozen=True, slots=True)
class Collection:
    """The day's articles and the health of every source, ready for the screens."""

    articles: tuple[Article, ...]
    sources: tuple[SourceHealth, ...]
    # (source name, why) for each feed not fetched this time (not due, gone, backing off).
    skipped: tuple[tuple[str, str], ...] = ()


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
    force: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Collection:
    """Collect every configured source; ``fetch=False`` reads feeds from the store only.

    The day's window ends when the collection does (``clock()``, else ``now``): an
    item published while the feeds were being fetched is in it, not left for the
    next refresh.

    ``force`` fetches every feed now (a person pressed a key); without it the
    refresh interval and back-off apply, as for cron, and skipped feeds say why.

    ``progress(label, done, total)`` is called as each feed finishes; when
    ``cancelled()`` turns true the collection stops with :class:`CollectCancelled`
    (feeds already stored stay stored: each one is its own transaction).
    """
    from brief.collect import collect_sources

    skipped: list[tuple[str, str]] = []

    def on_feed(outcome: Any, done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise CollectCancelled
        source = getattr(outcome, "source", None)
        name = str(getattr(source, "name", ""))
        why = getattr(outcome, "skipped", None)
        if why:
            skipped.append((name, str(why)))
        if progress is not None:
            progress(name, done, total)

    result = collect_sources(config, now=now, fetch=fetch, force=force, progress=on_feed)
    articles = day_articles(config, result.articles, max(now, clock()) if clock else now)
    return Collection(articles, result.health, tuple(skipped))


def analyse_article(
    article: Article, config: Config
) -> tuple[tuple[Sentence, ...], tuple[Mention, ...], tuple[Quote, ...]]:
    """Summary sentences, actor mentions and quotes of one article, for the reader."""
    from brief.actors.analysis import analyse_article_cached
    from brief.text.summarize import summarize_article

    summary = summarize_article(article, config.summary).sentences
    actors = analyse_article_cached(article, None, config.actors.watch)
    return summary, actors.mentions, actors.quotes


def build_actors(
    articles: tuple[Article, ...], config: Config, now: datetime | None = None
) -> tuple[ActorBrief, ...]:
    """The day's actor briefs (analyses cached in the store when there is one), each with
    its 7-day mention trend from the actor ledger when ``now`` is given."""
    from brief.actors.briefs import build_actor_briefs

    path = config.store_path()
    if not path.exists():
        return build_actor_briefs(articles, config)
    from brief.briefing.actor_news import with_trends
    from brief.store import open_store

    with open_store(path) as store:
        briefs = build_actor_briefs(articles, config, store=store)
        return with_trends(store, _day(now), briefs) if now is not None else briefs


def _day(now: datetime) -> date:
    from brief.briefing.compose import briefing_time

    return briefing_time(None, now).astimezone().date()


TIMELINE_DAYS = 7


def actor_timeline(config: Config, name: str, now: datetime) -> list[str]:
    """``brief actor NAME``'s lines for the TUI: the actor's week in the actor ledger."""
    from brief.briefing.timeline import read_timeline, timeline_lines

    path = config.store_path()
    if not path.exists():
        return [f"{name}: no actor ledger yet (`brief run` records the day's actors)"]
    from brief.store import open_store

    end = _day(now)
    with open_store(path) as store:
        try:
            watch = config.actors.watch
            timeline = read_timeline(store, name, end=end, days=TIMELINE_DAYS, watch=watch)
        except BriefError as exc:
            return [str(exc), "", "`brief run` records the day's actors in the ledger."]
    return timeline_lines(timeline, end, TIMELINE_DAYS)


def compose(config: Config, collection: Collection, now: datetime) -> tuple[Briefing, str]:
    """The briefing and its Markdown: exactly what ``write`` would save."""
    from brief.briefing.compose import compose_briefing
    from brief.briefing.render import render_markdown

    result = CollectResult(articles=collection.articles, health=collection.sources)
    path = config.store_path()
    if not path.exists():
        briefing = compose_briefing(config, result, now=now)
        return briefing, render_markdown(briefing)
    from brief.store import open_store

    # The history is read (marks, no repeated sentences) but not written: only a save is.
    with open_store(path) as store:
        briefing = compose_briefing(config, result, now=now, history=store)
    return briefing, render_markdown(briefing)


def briefing_path(config: Config, briefing: Briefing) -> Path:
    """Where the briefing will be saved under the current settings."""
    from brief.briefing.write import briefing_filename

    name = briefing_filename(config.briefing.filename, briefing.day, briefing.title)
    return config.output_dir() / name


def save_briefing(
    markdown: str,
    path: Path,
    *,
    force: bool,
    remember: tuple[Config, Briefing, datetime] | None = None,
) -> tuple[Path, str | None]:
    """Write the briefing; without ``force`` an existing file gets a numbered sibling.

    With ``remember`` (settings, briefing, now) it goes into the store's briefing history
    so the next briefing knows what was shown; returns the path and what failed there.
    """
    from brief.briefing.write import write_briefing

    written = write_briefing(markdown, path, force=force)
    if remember is None:
        return written, None
    from brief.briefing.compose import history_name
    from brief.briefing.memory import remember_in_store

    config, briefing, now = remember
    return written, remember_in_store(config, briefing, now, history_name(config))


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
    from brief.collect.subscriptions import subscribe

    done = subscribe(config, url, now=now)
    found = f"{done.title or done.feed.url} ({plural(done.entries, 'entry', 'entries')})"
    if done.found_at:
        found += f", found at {done.found_at}"
    return done.config, found


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
    from brief.collect.subscriptions import forget_source, unsubscribe

    if source.kind == "feed":
        return unsubscribe(config, source.location)[0]
    keep = tuple(
        entry
        for entry, path in zip(config.sources.local, config.local_paths(), strict=True)
        if str(path.resolve() if path.exists() else path) != source.location
    )
    if len(keep) == len(config.sources.local):
        raise SourceError(f"{source.location}: not in your local sources")
    forget_source(config, source.id)
    return replace_section(config, "sources", local=keep)


def refresh_feed(config: Config, source: Source, now: datetime) -> str:
    """Fetch one feed now (even if not due); returns the outcome as one line."""
    from brief.collect.fetch import fetch_feeds
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
    from brief.collect import subscriptions

    done = subscriptions.import_opml(config, path)
    note = (
        f"Imported {plural(len(done.added), 'feed')} from {path.name} "
        f"({len(done.already)} already subscribed)"
    )
    for line in done.notes[:5]:
        note += f"\n{line}"
    return done.config, note


def export_opml(config: Config, path: Path, now: datetime) -> tuple[Path, int]:
    """Write the subscribed feeds as an OPML 2.0 file (with the titles the feeds gave)."""
    from brief.collect import subscriptions

    return subscriptions.export_opml(config, path, now=now), len(config.feeds)


# --- read state ----------------------------------------------------------------------

# Where the TUI kept read marks before they moved into the store (imported once, then renamed).
OLD_READ_MARKS = "read.json"


def read_state(config: Config, article_ids: Sequence[str], now: datetime) -> set[str]:
    """The ids among ``article_ids`` already read (first taking in an old ``read.json``)."""
    from brief.store import open_store

    with open_store(config.store_path()) as store:
        _import_old_read_marks(store, config.store_path().with_name(OLD_READ_MARKS), now)
        return store.read_among(article_ids)


def save_read_state(config: Config, changes: Sequence[tuple[str, bool]], now: datetime) -> None:
    """Record read (True) / unread (False) changes in the store, in the order they were made."""
    from brief.store import open_store

    with open_store(config.store_path()) as store:
        # Consecutive changes of the same kind go in one call (one transaction each).
        batch: list[str] = []
        kind: bool | None = None
        for article_id, read in changes:
            if kind is not None and read != kind:
                store.set_read(batch, kind, at=now)
                batch = []
            kind = read
            batch.append(article_id)
        if kind is not None:
            store.set_read(batch, kind, at=now)


def _import_old_read_marks(store: Store, path: Path, now: datetime) -> None:
    """Move the marks of a ``read.json`` (written by older versions) into the store, once."""
    import json

    if not path.exists():
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = []
    ids = [item for item in data if isinstance(item, str)] if isinstance(data, list) else []
    store.set_read(ids, True, at=now)
    # Renamed, not deleted: the user's data is kept, and it is never imported twice.
    path.replace(path.with_name(path.name + ".imported"))

"""The work the TUI's workers do: thin calls into the core, run off the event loop.

No Textual here: each function takes plain data and returns plain data, so a
worker thread can run it and post the result back as a message.  Nothing in
this module decides anything ``brief run`` would need; it only gathers what
the screens show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from brief.config import Config
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


def load_cached(config: Config, now: datetime) -> Collection | None:
    """The day's articles and source health as the store last saw them; None without a store.

    This is what lets the TUI open instantly: no network, no parsing.
    """
    path = config.store_path()
    if not path.exists():
        return None
    from brief.store import open_store

    with open_store(path) as store:
        start = now - timedelta(hours=config.briefing.window_hours)
        articles = store.articles_between(start, now + timedelta(minutes=1))
        states = store.fetch_states()
        health: list[SourceHealth] = []
        for source in store.sources():
            state = states.get(source.id)
            if state is None:
                health.append(SourceHealth(source=source))
                continue
            health.append(
                SourceHealth(
                    source=source,
                    article_count=state.article_count,
                    error=state.error,
                    warnings=state.warnings,
                    last_success=state.last_success,
                    status=state.status,
                )
            )
    return Collection(day_articles(config, tuple(articles), now), tuple(health))


def collect(config: Config, now: datetime) -> Collection:
    """Collect every configured source now (local files and feeds)."""
    from brief.collect import collect_sources

    result = collect_sources(config, now=now)
    return Collection(day_articles(config, result.articles, now), result.health)


def analyse_article(
    article: Article, config: Config
) -> tuple[tuple[Sentence, ...], tuple[Mention, ...], tuple[Quote, ...]]:
    """Summary sentences, actor mentions and quotes of one article, for the reader."""
    from brief.text.summarize import summarize_article

    summary = summarize_article(article, config.summary).sentences
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    try:
        from brief.actors import analyse_text  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # the actor layer is optional until it lands
        analyse_text = None
    if analyse_text is not None:
        analysis = analyse_text(article.text, config=config, article_id=article.id)
        mentions = tuple(analysis.mentions)
        quotes = tuple(analysis.quotes)
    return summary, mentions, quotes


def build_actors(articles: tuple[Article, ...], config: Config) -> tuple[ActorBrief, ...]:
    """The day's actor briefs (empty until the actor layer exists)."""
    try:
        from brief.actors.briefs import build_actor_briefs  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return ()
    briefs: tuple[ActorBrief, ...] = tuple(build_actor_briefs(articles, config))
    return briefs


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


def search_store(config: Config, text: str) -> frozenset[str] | None:
    """Full-text search of the store; None when there is no store to search."""
    path = config.store_path()
    if not path.exists() or not text.strip():
        return None
    from brief.store import open_store

    with open_store(path) as store:
        return frozenset(a.id for a in store.search(text, limit=5000))


def local_sources(config: Config) -> tuple[Source, ...]:
    """The configured local folders and files as sources."""
    from brief.collect.local import local_source

    return tuple(local_source(path) for path in config.local_paths())

"""Build the day's Briefing from collected articles and the config."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from brief.config import Config
from brief.models import ActorBrief, Article, Briefing, CollectResult, SourceHealth, Story
from brief.text.stories import build_stories

if TYPE_CHECKING:
    from brief.actors.briefs import DayActors
    from brief.store import AnalysisCache


def briefing_time(day: date | None, now: datetime) -> datetime:
    """The moment a briefing describes: now for today, else the end of that (local) day."""
    if day is None or day >= now.astimezone().date():
        return now
    end = datetime.combine(day + timedelta(days=1), time.min).astimezone()
    return end.astimezone(UTC)


def select_articles(articles: Sequence[Article], config: Config, at: datetime) -> list[Article]:
    """The day's articles: published in the window ending at ``at``, newest first.

    Evergreen articles (the bundled samples) stand in only when no other source has
    an article in the window, so a fresh install is never empty and a reader with
    real sources never sees them; articles without a date are taken as current.
    """
    start = at - timedelta(hours=config.briefing.window_hours)
    chosen = [
        a
        for a in articles
        if not a.evergreen and (a.published is None or start <= a.published <= at)
    ]
    if not chosen:
        chosen = [a for a in articles if a.evergreen]
    chosen.sort(key=lambda a: (a.published or at, a.title), reverse=True)
    return chosen


def compose_stories(
    articles: Sequence[Article],
    config: Config,
    *,
    now: datetime | None = None,
    cache: AnalysisCache | None = None,
    actors: DayActors | None = None,
    failures: dict[str, str] | None = None,
) -> tuple[Story, ...]:
    """The day's stories, at most ``max_stories``: articles about the same event from several
    sources are one story ("also covered by"), ranked by sources, watchlist and salient
    actors (``actors``, the day's merged actors), recency, and substance (teasers last).
    """
    weights = actors.article_weights() if actors is not None else None
    leads = actors.leads() if actors is not None and actors.day.articles is articles else ()
    return build_stories(
        articles,
        config,
        now=now,
        cache=cache,
        actor_weights=weights,
        failures=failures,
        leads=leads,
    )


def _note_failures(
    health: Sequence[SourceHealth],
    articles: Sequence[Article],
    failures: dict[str, str],
    actor_notes: dict[str, str],
) -> tuple[SourceHealth, ...]:
    """Each source's health with one line per article whose summary fell back to its lead
    or whose actor analysis was cut short or failed."""
    notes: dict[str, list[str]] = {}
    for article in articles:
        reason = failures.get(article.id)
        if reason is not None:
            line = f"summary of {article.title[:80]!r} failed ({reason}); its lead sentences shown"
            notes.setdefault(article.source_id, []).append(line)
        note = actor_notes.get(article.id)
        if note is not None:
            line = f"actors of {article.title[:80]!r}: {note}"
            notes.setdefault(article.source_id, []).append(line)
    return tuple(
        dataclasses.replace(h, warnings=(*h.warnings, *notes[h.source.id]))
        if h.source.id in notes
        else h
        for h in health
    )


def compose_briefing(
    config: Config,
    result: CollectResult,
    *,
    now: datetime,
    day: date | None = None,
    cache: AnalysisCache | None = None,
) -> Briefing:
    """The Briefing for ``day`` (default: today) from a collection result.

    ``cache`` (e.g. the open :class:`brief.store.Store`) keeps summaries and actor
    analyses between runs.  The actors are gathered once: they rank the stories,
    and their briefs leave out every sentence the stories show.
    """
    at = briefing_time(day, now)
    articles = select_articles(result.articles, config, at)
    sections = config.briefing.sections
    failures: dict[str, str] = {}
    actors = None
    if (
        articles
        and config.actors.max_actors > 0
        and ("actors" in sections or "stories" in sections)
    ):
        from brief.actors.briefs import gather_actors

        actors = gather_actors(articles, config, store=cache)
    stories = (
        compose_stories(articles, config, now=at, cache=cache, actors=actors, failures=failures)
        if "stories" in sections
        else ()
    )
    actor_notes = actors.notes if actors is not None else {}
    actor_briefs: tuple[ActorBrief, ...] = ()
    if "actors" in sections and actors is not None:
        from brief.actors.briefs import build_actor_briefs

        shown = [sentence for story in stories for sentence in story.summary]
        actor_briefs = build_actor_briefs(articles, config, shown=shown, gathered=actors)
    return Briefing(
        title=config.briefing.title,
        day=day or at.astimezone().date(),
        generated_at=now,
        stories=stories,
        sources=_note_failures(result.health, articles, failures, actor_notes)
        if failures or actor_notes
        else result.health,
        actor_briefs=actor_briefs,
        sections=sections,
        article_count=len(articles),
    )

"""Build the day's Briefing from collected articles and the config."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from brief.config import Config
from brief.models import ActorBrief, Article, Briefing, CollectResult, Story
from brief.text.summarize import summarize_article


def briefing_time(day: date | None, now: datetime) -> datetime:
    """The moment a briefing describes: now for today, else the end of that (local) day."""
    if day is None or day >= now.astimezone().date():
        return now
    end = datetime.combine(day + timedelta(days=1), time.min).astimezone()
    return end.astimezone(UTC)


def select_articles(articles: Sequence[Article], config: Config, at: datetime) -> list[Article]:
    """The day's articles: published in the window ending at ``at``, newest first.

    Evergreen articles (the bundled samples) always belong, so the offline demo
    is never empty; articles without a date are taken as current.
    """
    start = at - timedelta(hours=config.briefing.window_hours)
    chosen = [
        a for a in articles if a.evergreen or a.published is None or start <= a.published <= at
    ]
    chosen.sort(key=lambda a: (a.published or at, a.title), reverse=True)
    return chosen


def compose_stories(articles: Sequence[Article], config: Config) -> tuple[Story, ...]:
    """One story per article, summarized, in the order given, at most ``max_stories``."""
    stories = []
    for article in articles[: config.briefing.max_stories]:
        summary = summarize_article(article, config.summary)
        stories.append(
            Story(
                id=article.id,
                title=article.title,
                articles=(article,),
                summary=tuple(s.text for s in summary.sentences),
            )
        )
    return tuple(stories)


def compose_briefing(
    config: Config,
    result: CollectResult,
    *,
    now: datetime,
    day: date | None = None,
) -> Briefing:
    """The Briefing for ``day`` (default: today) from a collection result."""
    at = briefing_time(day, now)
    articles = select_articles(result.articles, config, at)
    sections = config.briefing.sections
    stories = compose_stories(articles, config) if "stories" in sections else ()
    actor_briefs: tuple[ActorBrief, ...] = ()
    if "actors" in sections and config.actors.max_actors > 0:
        from brief.actors.briefs import build_actor_briefs

        actor_briefs = build_actor_briefs(articles, config)
    return Briefing(
        title=config.briefing.title,
        day=day or at.astimezone().date(),
        generated_at=now,
        stories=stories,
        sources=result.health,
        actor_briefs=actor_briefs,
        sections=sections,
        article_count=len(articles),
    )

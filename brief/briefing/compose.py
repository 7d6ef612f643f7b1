"""Build the day's Briefing from collected articles and the config."""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from brief.config import Config
from brief.models import (
    ActorBrief,
    Article,
    Briefing,
    CollectResult,
    QuietStory,
    SourceHealth,
    Story,
)
from brief.text.stories import build_stories

if TYPE_CHECKING:
    from brief.actors.briefs import DayActors
    from brief.briefing.actor_news import ActorLedger
    from brief.store import AnalysisCache
    from brief.store.history import BriefingHistory
    from brief.text.clusterfork import Clustering

DEFAULT_NAME = "default"  # the briefing's name in the history when no profile names one


def history_name(config: Config) -> str:
    """Whose memory a briefing uses: its ``[[briefings]]`` profile's name, else "default"."""
    return config.briefing.profile or DEFAULT_NAME


def briefing_time(day: date | None, now: datetime) -> datetime:
    """The moment a briefing describes: now for today, else the end of that (local) day."""
    if day is None or day >= now.astimezone().date():
        return now
    end = datetime.combine(day + timedelta(days=1), time.min).astimezone()
    return end.astimezone(UTC)


def select_articles(
    articles: Sequence[Article], config: Config, at: datetime, start: datetime | None = None
) -> list[Article]:
    """The day's articles: published in the window ending at ``at``, newest first.

    Evergreen articles (the bundled samples) stand in only when no other source has
    an article in the window, so a fresh install is never empty and a reader with
    real sources never sees them; articles without a date are taken as current.  The
    window starts at ``start`` (default: ``window_hours`` before ``at``).
    """
    start = start or at - timedelta(hours=config.briefing.window_hours)
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
    tags: Mapping[str, tuple[str, ...]] | None = None,
    exclude: Container[str] = (),
    clustering: Clustering | None = None,
) -> tuple[Story, ...]:
    """The day's stories, at most ``max_stories``: articles about the same event from several
    sources are one story ("also covered by"), ranked by sources, watchlist and salient
    actors (``actors``, the day's merged actors), recency, and substance (teasers last).
    With ``[[sections]]`` each section keeps at most its own cap (``tags``: by source id).
    ``clustering`` is the articles' clustering when it was started before.
    """
    weights = actors.article_weights() if actors is not None else None
    clustered = None
    if clustering is not None:
        if clustering.in_background and clustering.articles is articles:
            clustered = clustering.result()
        clustering.close()
    # (a clustering done in a fork had the leads already)
    leads = (
        actors.leads()
        if clustered is None and actors is not None and actors.day.articles is articles
        else ()
    )
    choose = None
    if config.sections:
        from brief.briefing.sections import choose_by_section

        def choose(ranked: list[list[Article]]) -> list[list[Article]]:
            return choose_by_section(ranked, lambda group: group[0], config, tags or {})

    return build_stories(
        articles,
        config,
        now=now,
        cache=cache,
        actor_weights=weights,
        failures=failures,
        leads=leads,
        choose=choose,
        exclude=exclude,
        clustered=clustered,
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
    ledger: ActorLedger | None = None,
    history: BriefingHistory | None = None,
) -> Briefing:
    """The Briefing for ``day`` (default: today) from a collection result.

    ``cache`` (e.g. the open :class:`brief.store.Store`) keeps summaries and actor
    analyses between runs.  The actors are gathered once: they rank the stories,
    and their briefs leave out every sentence the stories show.  With ``ledger`` (the
    store, when the briefing is composed for writing) the day's actors are recorded in
    the actor ledger and each brief says what is new since the days before.  With
    ``history`` (the store) the stories are marked against the earlier briefings of the
    same name (:func:`history_name`: each profile has its own memory) and no sentence
    shown in them is shown again (brief/briefing/memory.py).
    """
    from brief.briefing.profiles import restrict_sources, source_tags

    at = briefing_time(day, now)
    result = restrict_sources(config, result)
    tags = source_tags(config, (h.source for h in result.health))
    the_day = day or at.astimezone().date()
    start = None
    past = None
    if history is not None:
        from brief.briefing.memory import load_past, window_start

        name = history_name(config)
        start = window_start(config, at, the_day, history, name)
        past = load_past(history, name, the_day, config) if config.briefing.memory_days else None
    articles = select_articles(result.articles, config, at, start)
    sections = config.briefing.sections
    failures: dict[str, str] = {}
    actors = None
    clustering = None
    try:
        if (
            articles
            and config.actors.max_actors > 0
            and ("actors" in sections or "stories" in sections)
        ):
            from brief.actors.briefs import analyse_day, clean_leads, gather_actors

            if "stories" in sections:
                # The stories are clustered (on another core, on a big day) while the
                # actors merge: both need the analyses' leads, neither the other.
                from brief.text.clusterfork import Clustering

                clustering = Clustering(articles)
            analyses = analyse_day(articles, config, store=cache)
            if clustering is not None:
                clustering.start(clean_leads(articles, analyses))
            actors = gather_actors(articles, config, analyses=analyses)
        seen = past.seen if past is not None else {}
        stories = (
            compose_stories(
                articles,
                config,
                now=at,
                cache=cache,
                actors=actors,
                failures=failures,
                tags=tags,
                exclude=seen,
                clustering=clustering,
            )
            if "stories" in sections
            else ()
        )
    finally:
        if clustering is not None:
            clustering.close()
    quiet: tuple[QuietStory, ...] = ()
    if past is not None:
        from brief.briefing.memory import apply_memory

        stories, quiet = apply_memory(stories, past, the_day)
    if actors is not None:
        stories = tuple(
            dataclasses.replace(
                story,
                unattributed=actors.unattributed([a.id for a in story.articles], story.summary),
            )
            for story in stories
        )
    actor_notes = actors.notes if actors is not None else {}
    actor_briefs: tuple[ActorBrief, ...] = ()
    if "actors" in sections and actors is not None:
        from brief.actors.briefs import build_actor_briefs

        shown = [sentence for story in stories for sentence in story.summary]
        actor_briefs = build_actor_briefs(articles, config, shown=shown, gathered=actors)
        if seen:
            from brief.briefing.memory import drop_seen

            actor_briefs = drop_seen(actor_briefs, seen)
    health = (
        _note_failures(result.health, articles, failures, actor_notes)
        if failures or actor_notes
        else result.health
    )
    if ledger is not None and actors is not None:
        from brief.briefing.actor_news import remember_day

        keep = config.store.retention_days
        actor_briefs = remember_day(
            ledger,
            the_day,
            actors,
            actor_briefs,
            at=now,
            keep_days=keep,
            record=not config.briefing.profile,
        )
    watched = actors.watched_names(config.actors.mute) if actors is not None else ()
    by_id = {a.id: a for a in articles}

    def assemble(chosen: tuple[Story, ...], briefs: tuple[ActorBrief, ...]) -> Briefing:
        from brief.briefing.sections import group_stories

        grouped: tuple[tuple[str, int], ...] = ()
        if config.sections:
            chosen, grouped = group_stories(chosen, config, tags)
        cited = {i: by_id[i] for b in briefs for i in b.article_ids if i in by_id}
        return Briefing(
            title=config.briefing.title,
            day=the_day,
            generated_at=now,
            stories=chosen,
            sources=health,
            actor_briefs=briefs,
            sections=sections,
            article_count=len(articles),
            story_sections=grouped,
            tags=_briefing_tags(health, tags, grouped),
            cited=tuple(cited.values()),
            profile=config.briefing.profile,
            words_per_minute=config.briefing.words_per_minute,
            wikilinks=config.briefing.wikilinks,
            watched=watched,
            quiet=quiet,
        )

    if config.briefing.minutes > 0:
        from brief.briefing.budget import fit_reading_budget

        return fit_reading_budget(stories, actor_briefs, assemble, config)
    return assemble(stories, actor_briefs)


def _briefing_tags(
    health: Sequence[SourceHealth],
    tags: Mapping[str, tuple[str, ...]],
    sections: Sequence[tuple[str, int]],
) -> tuple[str, ...]:
    """The tags of the briefing's sources, then its sections' names, each once."""
    found = [t for h in health for t in tags.get(h.source.id, ())]
    return tuple(dict.fromkeys([*found, *(name for name, _ in sections)]))

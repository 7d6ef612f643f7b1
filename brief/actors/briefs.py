"""The day's actor briefs: merge each article's actors, rank them, say what each did and said.

The entry points and the day's object; the merging, scoring and choosing of lines is
:mod:`brief.actors.dayactors`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from brief.actors.analysis import ArticleActors, analyse_many
from brief.actors.dayactors import (
    MIN_SENTENCE_WORDS,
    DayActor,
    actor_brief,
    article_weights,
    choose_lines,
    day_salience,
    fit_budget,
    fresh_quote,
    gather_day,
    is_muted,
)
from brief.actors.daylines import _Day, _words
from brief.config import Config
from brief.models import ActorBrief, Article, Quote

if TYPE_CHECKING:
    from brief.store import AnalysisCache


@contextmanager
def _analysis_cache(config: Config, store: AnalysisCache | None) -> Iterator[AnalysisCache | None]:
    """The store to cache analyses in: the one given, else the configured one, else none.

    A store that cannot be opened (a read-only folder, another program's file)
    only costs the cache; the briefing goes on with an in-process cache.
    """
    if store is not None:
        yield store
        return
    from brief.errors import BriefError
    from brief.store import open_store

    try:
        opened = open_store(config.store_path())
    except BriefError:
        yield None
        return
    with opened:
        yield opened


# --- the day's briefs ------------------------------------------------------------------


@dataclass(slots=True)
class DayActors:
    """The day's articles with their actors merged and scored, ready for briefs and ranking."""

    day: _Day
    actors: dict[tuple[str, str], DayActor]
    notes: dict[str, str] = field(default_factory=dict)  # article id → why its analysis degraded

    def leads(self) -> list[str | None]:
        """Each article's clean lead (what the stories cluster by), None where not recorded."""
        return clean_leads(self.day.articles, self.day.analyses)

    def article_weights(self) -> dict[str, float]:
        """Per article id, 0..1: how much the day's salient actors act in it.

        For each actor acting in the article: its day salience relative to the
        day's most salient actor (a watched actor counts as the most salient),
        times how central it is to this article (its salience there, up to
        :data:`brief.actors.dayactors.CENTRAL`); the article weighs as its weightiest
        actor.  A state in every story but only named in passing in this one adds little.
        """
        return article_weights(self.actors, self.day)

    def watched_names(self, mute: Sequence[str] = ()) -> tuple[str, ...]:
        """The watched actors named or quoted in the day's articles (not muted), by name."""
        return tuple(
            sorted(
                e.name
                for e in self.actors.values()
                if e.watched and (e.mentions or e.quotes) and not is_muted(e, mute)
            )
        )

    def unattributed(
        self, article_ids: Sequence[str], shown: Sequence[str] = ()
    ) -> tuple[Quote, ...]:
        """The quotes of these articles whose speaker could not be told for sure (see
        :func:`unattributed_quotes`), each once across them, in article order."""
        wanted = set(article_ids)
        used = [_words(sentence) for sentence in shown]
        found: list[Quote] = []
        for index, article in enumerate(self.day.articles):
            if article.id in wanted:
                found += unattributed_quotes(self.day.analyses[index].quotes, article.id, used)
        return tuple(found)


def unattributed_quotes(
    quotes: Sequence[Quote], article_id: str = "", used: list[frozenset[str]] | None = None
) -> list[Quote]:
    """The quotes with no speaker, to be shown as unattributed rather than dropped.

    Right or silent: a quote below the attribution threshold keeps no speaker,
    and is listed as no one's.  Only quotes that stand as sentences (at least
    :data:`MIN_SENTENCE_WORDS` words), each once (``used``, which grows, holds
    the word sets already shown: a story's summary, the same quote from another
    outlet); in text order, trimmed as the actor briefs trim theirs.
    """
    used = [] if used is None else used
    found: list[Quote] = []
    for quote in quotes:
        if quote.speaker is not None or len(quote.text.split()) < MIN_SENTENCE_WORDS:
            continue
        text = fresh_quote(quote.text, used)
        if text is None:
            continue
        found.append(
            Quote(text, None, quote.start, quote.end, article_id, confidence=quote.confidence)
        )
    return found


def analyse_day(
    articles: Sequence[Article], config: Config, *, store: AnalysisCache | None = None
) -> list[ArticleActors]:
    """Each of the day's articles' actor analysis, in order (cached in ``store``)."""
    with _analysis_cache(config, store) as cache:
        return analyse_many(articles, cache, config.actors.watch)


def clean_leads(articles: Sequence[Article], analyses: Sequence[ArticleActors]) -> list[str | None]:
    """Each article's clean lead (what the stories cluster by), None where not recorded."""
    from brief.text.clean import LEAD_CHARS, lead_text

    return [
        lead_text(article.text, analysis.lead, LEAD_CHARS) if analysis.lead else None
        for article, analysis in zip(articles, analyses, strict=True)
    ]


def gather_actors(
    articles: Sequence[Article],
    config: Config,
    *,
    store: AnalysisCache | None = None,
    analyses: Sequence[ArticleActors] | None = None,
) -> DayActors:
    """Analyse the day's articles (cached in ``store``) and merge their actors."""
    if analyses is None:
        analyses = analyse_day(articles, config, store=store)
    day, actors = gather_day(articles, analyses)
    notes = {a.id: r.note for a, r in zip(articles, analyses, strict=True) if r.note}
    return DayActors(day, actors, notes)


def build_actor_briefs(
    articles: Sequence[Article],
    config: Config,
    *,
    store: AnalysisCache | None = None,
    analyses: Sequence[ArticleActors] | None = None,
    shown: Sequence[str] = (),
    gathered: DayActors | None = None,
) -> tuple[ActorBrief, ...]:
    """The day's actor briefs, watched actors first, then by salience, as ``config.actors`` asks.

    Each article is analysed once per content, cached in ``store`` (default: the
    configured article store); many uncached ones are analysed on all cores
    (:func:`brief.actors.analysis.analyse_many`); ``gathered`` reuses that work.
    An actor found automatically needs ``min_mentions`` mentions or attributed
    quotes and ``min_salience`` across the day; a watched actor needs one
    mention; a muted actor never appears (by name or alias); a name that is no
    actor (:func:`non_actor_reason`) ranks last and is dropped by any positive
    ``min_salience``.

    An actor's bullets are sentences in which it acts or speaks, never one of
    ``shown`` (the stories' sentences) nor one given to a higher-ranked actor.  With
    ``shown`` and a positive ``length_ratio`` the bullets and quotes of all briefs
    together are at most that many times the words of ``shown``, given out one per
    actor per round in rank order.
    """
    settings = config.actors
    if settings.max_actors <= 0 or not articles:
        return ()
    if gathered is None:
        gathered = gather_actors(articles, config, store=store, analyses=analyses)
    day, actors = gathered.day, gathered.actors
    visible = [
        e
        for e in actors.values()
        if not is_muted(e, settings.mute)
        and e.mentions + len(e.quotes) >= (1 if e.watched else settings.min_mentions)
        and (e.watched or day_salience(e) >= settings.min_salience)
    ]
    visible.sort(key=lambda e: (not e.watched, e.not_actor is not None, -e.salience, e.name))
    visible = visible[: settings.max_actors]
    shown_names = {e.name for e in visible if e.not_actor is None}
    used = [_words(s) for s in shown]
    actors_shown = {e.name for e in visible}
    picks = [choose_lines(entry, day, used, actors_shown, config) for entry in visible]
    words = sum(len(s.split()) for s in shown)
    budget = settings.length_ratio * words if shown and settings.length_ratio > 0 else math.inf
    fit_budget(picks, budget)
    return tuple(
        actor_brief(entry, day, shown_names, sentences, quotes)
        for entry, (sentences, quotes) in zip(visible, picks, strict=True)
    )

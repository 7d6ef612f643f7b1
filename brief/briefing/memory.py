"""Briefings with memory: today's stories linked to the stories of earlier briefings.

Each story that reaches the briefing is compared with the stories the briefings of
the same name showed in the lookback (``briefing.memory_days``, 14 by default): by
cosine over their term signatures (the clustering's heaviest terms, kept in the
store's briefing history), or outright when they share an article.  A linked story
continues that *thread*:

- **new**: never shown before;
- **developing · day N**: shown before, the last time less than two days ago
  (N counts the days the story has been shown, today included);
- **back**: shown before, then not for two days or more.

Summaries never repeat a sentence the reader was shown in the lookback (compared by
normalised text, see :func:`brief.store.history.sentence_key`): the stories' summaries
leave them out before choosing (``build_stories(exclude=...)``) and the actor briefs
lose them afterwards.  A story shown before with nothing new, and a story that led the
last briefing and is absent today, become one line: "no new reporting since <date>".

Stories carried only by evergreen articles (the bundled samples) have no memory: they
stand in for news on a fresh install and are shown whole, unmarked, every day.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from brief.models import ActorBrief, Article, Briefing, Continuity, QuietStory, Story
from brief.store.history import PastBriefings, ShownSentence, ShownStory, sentence_key

if TYPE_CHECKING:
    from brief.config import Config
    from brief.store.history import BriefingHistory

# Cosine between two stories' signatures at or above which they are the same story.
# Chosen on the invented dev threads of tests/data/memory_threads.json: the midpoint of
# the dev split's highest unrelated pair (0.064) and lowest same-story pair (0.404) is
# 0.234.  On the held-out threads (never used to choose it) same-story pairs score
# 0.326 and up, unrelated ones 0.152 at most (`python bench/memory.py --links`;
# tests/unit/test_memory.py checks the held-out split).
LINK_THRESHOLD = 0.23
BACK_GAP_DAYS = 2  # this many days or more without being shown: the story is "back"
QUIET_LEADS = 5  # the last briefing's leading stories get a one-liner when absent today
MAX_SINCE_LAST_DAYS = 14  # window = "since-last" never reaches back further than this

_log = logging.getLogger(__name__)


def cosine(a: Iterable[tuple[str, float]], b: Iterable[tuple[str, float]]) -> float:
    """Cosine of two sparse term vectors given as (term, weight) pairs."""
    left = dict(a)
    right = dict(b)
    if len(left) > len(right):
        left, right = right, left
    dot = sum(w * right.get(t, 0.0) for t, w in left.items())
    norms = math.sqrt(sum(w * w for w in left.values())) * math.sqrt(
        sum(w * w for w in right.values())
    )
    return dot / norms if norms > 0 else 0.0


def is_evergreen(story: Story) -> bool:
    """A story carried only by evergreen articles (the bundled samples)."""
    return bool(story.articles) and all(a.evergreen for a in story.articles)


class PastIndex:
    """Earlier stories indexed by term and by article, so each of today's stories is
    compared with all of them in one pass over its own terms."""

    def __init__(self, past: Sequence[ShownStory]) -> None:
        self.past = tuple(past)
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._articles: dict[str, list[int]] = {}
        self._norms: list[float] = []
        for index, story in enumerate(self.past):
            self._norms.append(math.sqrt(sum(w * w for _, w in story.terms)))
            for term, weight in story.terms:
                self._postings.setdefault(term, []).append((index, weight))
            for article_id in story.article_ids:
                self._articles.setdefault(article_id, []).append(index)

    def best(self, story: Story, threshold: float = LINK_THRESHOLD) -> ShownStory | None:
        """The earlier story ``story`` continues (see :func:`link_story`)."""
        dots: dict[int, float] = {}
        for term, weight in story.terms:
            for index, other in self._postings.get(term, ()):
                dots[index] = dots.get(index, 0.0) + weight * other
        norm = math.sqrt(sum(w * w for _, w in story.terms))
        scores = {
            i: dot / (norm * self._norms[i]) if norm and self._norms[i] else 0.0
            for i, dot in dots.items()
        }
        for article in story.articles:
            for index in self._articles.get(article.id, ()):
                scores[index] = 1.0  # the same article: the same story, whatever the words
        found = [(score, self.past[i].day, -i) for i, score in scores.items() if score >= threshold]
        return self.past[-max(found)[2]] if found else None


def link_story(
    story: Story, past: Sequence[ShownStory] | PastIndex, threshold: float = LINK_THRESHOLD
) -> ShownStory | None:
    """The earlier story ``story`` continues, or None: the best cosine at or above
    ``threshold``, a shared article counting as a perfect match; the latest day wins ties."""
    index = past if isinstance(past, PastIndex) else PastIndex(past)
    return index.best(story, threshold)


def continuity(
    story: Story, match: ShownStory | None, thread_days: Mapping[str, Sequence[date]], day: date
) -> Continuity:
    """How ``story`` stands on ``day`` given the earlier story it continues (if any)."""
    if match is None:
        return Continuity(state="new", day=1, thread=f"{day.isoformat()}:{story.id}")
    days = sorted(set(thread_days.get(match.thread, (match.day,))) | {match.day})
    last = days[-1]
    gap = (day - last).days - 1
    return Continuity(
        state="back" if gap >= BACK_GAP_DAYS else "developing",
        day=len(days) + 1,
        first_shown=days[0],
        last_shown=last,
        thread=match.thread,
    )


def apply_memory(
    stories: Sequence[Story], past: PastBriefings, day: date, threshold: float = LINK_THRESHOLD
) -> tuple[tuple[Story, ...], tuple[QuietStory, ...]]:
    """Today's stories marked against ``past``, and the one-liners for stories with no news.

    A story linked to an earlier one whose summary is empty (every sentence was shown
    before) leaves the list for a one-liner; so does each of the last briefing's
    leading stories that no story of today continues.  One-liners come in story order,
    then the last briefing's order.
    """
    kept: list[Story] = []
    quiet: list[QuietStory] = []
    continued: set[str] = set()
    index = PastIndex(past.stories)
    for story in stories:
        if is_evergreen(story):
            kept.append(story)
            continue
        match = index.best(story, threshold)
        mark = continuity(story, match, past.thread_days, day)
        continued.add(mark.thread)
        if match is not None and not story.summary and mark.last_shown is not None:
            quiet.append(QuietStory(story.title, story.lead.url, mark.last_shown))
        else:
            kept.append(dataclasses.replace(story, continuity=mark))
    if past.last_day is not None:
        for earlier in past.stories:
            if (
                earlier.day == past.last_day
                and earlier.position < QUIET_LEADS
                and earlier.thread not in continued
            ):
                continued.add(earlier.thread)
                quiet.append(QuietStory(earlier.title, earlier.url, earlier.day))
    return tuple(kept), tuple(quiet)


def drop_seen(briefs: Sequence[ActorBrief], seen: Mapping[str, date]) -> tuple[ActorBrief, ...]:
    """Actor briefs without the sentences and quotes the reader was shown in earlier
    briefings."""
    if not seen:
        return tuple(briefs)
    return tuple(
        dataclasses.replace(
            b,
            sentences=tuple(s for s in b.sentences if sentence_key(s) not in seen),
            quotes=tuple(q for q in b.quotes if sentence_key(q[0].text) not in seen),
        )
        for b in briefs
    )


def load_past(
    history: BriefingHistory | None, name: str, day: date, config: Config
) -> PastBriefings:
    """What the earlier briefings of ``name`` showed (empty without a store, memory off, or
    when the store cannot be read: a briefing is still written, the failure logged)."""
    if history is None:
        return PastBriefings()
    try:
        return history.past_briefings(name, day, config.briefing.memory_days)
    except (sqlite3.Error, OSError) as exc:
        _log.warning("briefing history unavailable, composing without memory: %s", exc)
        return PastBriefings()


def window_start(
    config: Config, at: datetime, day: date, history: BriefingHistory | None, name: str
) -> datetime:
    """Where the briefing's window starts: ``window_hours`` before ``at``, or with
    ``window = "since-last"`` when the last briefing of ``name`` for an earlier day was
    written (at most :data:`MAX_SINCE_LAST_DAYS` back; ``window_hours`` without history)."""
    hours = at - timedelta(hours=config.briefing.window_hours)
    if config.briefing.window != "since-last" or history is None:
        return hours
    try:
        last = history.last_written(name, day)
    except (sqlite3.Error, OSError) as exc:
        _log.warning(
            "briefing history unavailable, window of %s hours: %s",
            config.briefing.window_hours,
            exc,
        )
        return hours
    if last is None or last >= at:
        return hours
    return max(last, at - timedelta(days=MAX_SINCE_LAST_DAYS))


def _origin(sentence: str, articles: Sequence[Article]) -> str:
    """The id of the article a shown sentence was taken from (the first that contains it)."""
    for article in articles:
        if sentence in article.text:
            return article.id
    return articles[0].id if articles else ""


def shown_in(briefing: Briefing) -> tuple[list[ShownStory], list[ShownSentence]]:
    """What a written briefing showed, as the history keeps it (evergreen stories left out)."""
    stories: list[ShownStory] = []
    sentences: list[ShownSentence] = []
    position = 0
    by_id: dict[str, Article] = {}
    for story in briefing.stories:
        for article in story.articles:
            by_id.setdefault(article.id, article)
        if is_evergreen(story):
            continue
        mark = story.continuity or Continuity("new", thread=f"{briefing.day}:{story.id}")
        stories.append(
            ShownStory(
                day=briefing.day,
                position=position,
                thread=mark.thread,
                title=story.title,
                url=story.lead.url,
                terms=story.terms,
                article_ids=tuple(a.id for a in story.articles),
            )
        )
        sentences += [
            ShownSentence(sentence_key(s), _origin(s, story.articles), position)
            for s in story.summary
        ]
        position += 1
    for brief in briefing.actor_briefs:
        members = [by_id[i] for i in brief.article_ids if i in by_id]
        if members and all(a.evergreen for a in members):
            continue
        sentences += [ShownSentence(sentence_key(s), _origin(s, members)) for s in brief.sentences]
        sentences += [
            ShownSentence(sentence_key(q.text), q.article_id or _origin(q.text, members))
            for q, _ in brief.quotes
        ]
    return stories, sentences


def remember_briefing(
    history: BriefingHistory, briefing: Briefing, written_at: datetime, name: str
) -> None:
    """Record a written briefing of ``name`` in the history (one transaction)."""
    stories, sentences = shown_in(briefing)
    history.record_briefing(name, briefing.day, written_at, stories, sentences)


def stored_window_start(config: Config, at: datetime, day: date | None, name: str) -> datetime:
    """:func:`window_start` read from the store file (``window_hours`` without one)."""
    if config.briefing.window != "since-last" or not config.store_path().exists():
        return at - timedelta(hours=config.briefing.window_hours)
    from brief.errors import BriefError
    from brief.store import open_store

    try:
        with open_store(config.store_path()) as store:
            return window_start(config, at, day or at.astimezone().date(), store, name)
    except BriefError as exc:
        _log.warning("briefing history unavailable: %s", exc)
        return at - timedelta(hours=config.briefing.window_hours)


def remember_in_store(
    config: Config, briefing: Briefing, written_at: datetime, name: str
) -> str | None:
    """Record a written briefing in the store file's history; what went wrong, or None."""
    if config.briefing.memory_days <= 0 and config.briefing.window != "since-last":
        return None
    from brief.errors import BriefError
    from brief.store import open_store

    try:
        with open_store(config.store_path()) as store:
            remember_briefing(store, briefing, written_at, name)
    except BriefError as exc:
        return exc.message
    except (sqlite3.Error, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None

"""What is new about each actor since the days before: the actor ledger read, then written.

The day's actors go into the ledger (``brief/store/ledger.py``) when a briefing is
composed for writing; each actor brief then opens with what the ledger did not
hold before today.  The rules, all over whole days; a day is *recorded* when a
briefing was composed for it (a day without one is unknown, not zero):

- **trend**: mentions on each of the last :data:`TREND_DAYS` days, today last; 0 for a
  recorded day the actor was not named, None (shown "-") for a day not recorded;
- **jump**: today's mentions are at least :data:`JUMP_FACTOR` times the mean over the
  recorded days among the :data:`TREND_DAYS` before today *and* at least :data:`JUMP_MORE`
  above it (a mean of zero is no jump: that is **first mentioned this week**);
- **new quote**: a quote whose words (case and punctuation aside) the actor was never
  given on an earlier day;
- **new company**: an actor named in its sentences today and on none of the
  :data:`TREND_DAYS` - 1 days before (so "first seen with X this week").

With no day recorded in the week before today (a fresh install, a long break) there is
nothing to compare with and the briefs say nothing new: no history is not an error.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Mapping, Sequence, Set
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from brief.models import ActorBrief, ActorNews
from brief.store.ledger import ActorKey, LedgerEntry, quote_words
from brief.terminal import safe_line

if TYPE_CHECKING:
    from brief.actors.briefs import DayActors

TREND_DAYS = 7
JUMP_FACTOR = 2.0
JUMP_MORE = 3
MIN_KEEP_DAYS = TREND_DAYS + 1  # the ledger keeps at least the days the rules read

log = logging.getLogger("brief")


class ActorLedger(Protocol):
    """The part of the store the ledger rules use (:class:`brief.store.ledger.Ledger`)."""

    def record_ledger_day(
        self,
        day: date,
        entries: Sequence[LedgerEntry],
        *,
        at: datetime,
        keep_from: date | None = None,
    ) -> None: ...

    def ledger_dates(self, start: date, end: date) -> set[date]: ...

    def ledger_mentions(self, key: ActorKey, start: date, end: date) -> dict[date, int]: ...

    def ledger_quote_words(self, key: ActorKey, before: date) -> set[str]: ...

    def ledger_company(self, key: ActorKey, start: date, end: date) -> set[ActorKey]: ...


def trend(
    counts: Mapping[date, int], recorded: Set[date], today: date, today_count: int
) -> tuple[int | None, ...]:
    """Mentions on each of the last :data:`TREND_DAYS` days, oldest first, today last;
    None for a day not recorded."""
    days = [today - timedelta(days=back) for back in range(TREND_DAYS - 1, 0, -1)]
    return (*(counts.get(d, 0) if d in recorded else None for d in days), today_count)


def mean_before(counts: Mapping[date, int], recorded: Set[date], today: date) -> float:
    """Mean mentions per recorded day among the :data:`TREND_DAYS` days before ``today``."""
    days = [today - timedelta(days=back) for back in range(1, TREND_DAYS + 1)]
    known = [counts.get(d, 0) for d in days if d in recorded]
    return sum(known) / len(known) if known else 0.0


def jumped(today_count: int, mean: float) -> bool:
    """Did mentions jump: at least twice the mean and at least three more (mean above 0)?"""
    return mean > 0 and today_count >= JUMP_FACTOR * mean and today_count >= mean + JUMP_MORE


def actor_news(
    entry: LedgerEntry,
    today: date,
    recorded: Set[date],
    counts: Mapping[date, int],
    earlier_quotes: Set[str],
    earlier_company: Set[ActorKey],
) -> ActorNews:
    """What is new about ``entry`` today, given what the ledger held of the days before."""
    mean = mean_before(counts, recorded, today)
    quotes = tuple(
        (q.text, q.title, q.url) for q in entry.quotes if quote_words(q.text) not in earlier_quotes
    )
    company = tuple(name for kind, name, _ in entry.company if (kind, name) not in earlier_company)
    return ActorNews(
        trend=trend(counts, recorded, today, entry.mentions),
        mean=mean,
        jump=jumped(entry.mentions, mean),
        first_this_week=mean == 0 and entry.mentions > 0,
        new_quotes=quotes,
        new_company=company,
    )


def remember_day(
    ledger: ActorLedger,
    day: date,
    gathered: DayActors,
    briefs: Sequence[ActorBrief],
    *,
    at: datetime,
    keep_days: int,
    record: bool = True,
) -> tuple[ActorBrief, ...]:
    """Record the day's actors in the ledger (unless ``record`` is false: a profile's
    briefing sees only some sources, so it reads the ledger but does not rewrite the
    day) and give each brief what is new about it.

    A ledger that fails (a full disk, a read-only store) costs the news, with one
    warning; the briefing is still written.
    """
    from brief.actors.ledgerrows import ledger_entries

    entries = ledger_entries(gathered)
    try:
        news = _read_news(ledger, day, entries, briefs)
        keep_from = day - timedelta(days=max(keep_days, MIN_KEEP_DAYS))
        if record:
            ledger.record_ledger_day(day, entries, at=at, keep_from=keep_from)
    except (sqlite3.Error, OSError) as exc:
        log.warning(safe_line(f"actor ledger unavailable, no news since yesterday: {exc}"))
        return tuple(briefs)
    return tuple(
        dataclasses.replace(b, news=news[_key(b)]) if _key(b) in news else b for b in briefs
    )


def _key(brief: ActorBrief) -> ActorKey:
    return (brief.actor.kind, brief.actor.name)


def _read_news(
    ledger: ActorLedger, day: date, entries: Sequence[LedgerEntry], briefs: Sequence[ActorBrief]
) -> dict[ActorKey, ActorNews]:
    """Each brief's news, from the ledger's days before ``day`` (none when it holds none)."""
    week = (day - timedelta(days=TREND_DAYS), day - timedelta(days=1))
    recorded = ledger.ledger_dates(*week)
    if not recorded:
        return {}
    by_key = {e.key: e for e in entries}
    news = {}
    for brief in briefs:
        entry = by_key.get(_key(brief))
        if entry is None:
            continue
        counts = ledger.ledger_mentions(entry.key, *week)
        quotes = ledger.ledger_quote_words(entry.key, day)
        company = ledger.ledger_company(entry.key, day - timedelta(days=TREND_DAYS - 1), week[1])
        news[entry.key] = actor_news(entry, day, recorded, counts, quotes, company)
    return news


def with_trends(
    ledger: ActorLedger, day: date, briefs: Sequence[ActorBrief]
) -> tuple[ActorBrief, ...]:
    """Each brief with its :data:`TREND_DAYS`-day trend: the days before from the ledger
    (read only), today its own mention count.  For the TUI, which records nothing."""
    start, end = day - timedelta(days=TREND_DAYS - 1), day - timedelta(days=1)
    recorded = ledger.ledger_dates(start, end)
    out = []
    for brief in briefs:
        counts = ledger.ledger_mentions(_key(brief), start, end) if recorded else {}
        line = trend(counts, recorded, day, brief.mention_count)
        news = brief.news or ActorNews(trend=line)
        out.append(dataclasses.replace(brief, news=dataclasses.replace(news, trend=line)))
    return tuple(out)

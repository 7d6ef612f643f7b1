"""An actor's timeline from the actor ledger, for ``brief actor`` and the TUI's Actors screen.

Names are matched without regard to case against every name an actor went by
(the watchlist's name, the day's merged name, the article's own spellings).  The
text lines are plain and untrusted: the shell escapes them (``safe_line`` on a
terminal, ``untrusted.plain_line`` in the TUI).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from brief.config import WatchedActor
from brief.errors import BriefError
from brief.store.ledger import ActorKey, Timeline
from brief.wording import plural

CLOSE_MATCHES = 5


class TimelineSource(Protocol):
    """The part of the store a timeline is read from (:class:`brief.store.ledger.Ledger`)."""

    def find_ledger_actors(self, name: str) -> list[tuple[ActorKey, int]]: ...

    def ledger_names(self) -> list[tuple[str, str]]: ...

    def actor_timeline(self, key: ActorKey, start: date, end: date) -> Timeline: ...


def find_actor(store: TimelineSource, name: str) -> ActorKey:
    """The ledger's actor called ``name`` (the most mentioned when several are); BriefError
    naming close matches when none is."""
    found = store.find_ledger_actors(name)
    if found:
        return found[0][0]
    wanted = name.strip().casefold()
    names = store.ledger_names()
    if not names:
        raise BriefError(
            f"{name!r}: the actor ledger is empty", "`brief run` records the day's actors"
        )
    by_alias: dict[str, str] = {}
    for alias, actual in names:
        by_alias.setdefault(alias, actual)
    close = difflib.get_close_matches(wanted, list(by_alias), n=CLOSE_MATCHES, cutoff=0.6)
    close += [a for a in sorted(by_alias) if wanted and wanted in a and a not in close]
    suggestions = list(dict.fromkeys(by_alias[a] for a in close))[:CLOSE_MATCHES]
    hint = "close matches: " + ", ".join(suggestions) if suggestions else "no close match"
    raise BriefError(f"{name!r}: no such actor in the ledger", hint)


def watched_name(watch: Sequence[WatchedActor], name: str) -> str:
    """The watchlist's name for ``name`` when it is one of a watched actor's aliases (the
    ledger knows watched actors by that name), else ``name``."""
    wanted = name.strip().casefold()
    for actor in watch:
        if any(alias.strip().casefold() == wanted for alias in actor.aliases):
            return actor.name
    return name


def read_timeline(
    store: TimelineSource,
    name: str,
    *,
    end: date,
    days: int,
    watch: Sequence[WatchedActor] = (),
) -> Timeline:
    """The timeline of the actor called ``name`` over the ``days`` days ending on ``end``."""
    key = find_actor(store, watched_name(watch, name))
    return store.actor_timeline(key, end - timedelta(days=days - 1), end)


def window_trend(timeline: Timeline, end: date, days: int) -> list[int | None]:
    """Mentions on each day of the window, oldest first: 0 on a recorded day without the
    actor, None on a day no briefing was composed."""
    counts = {d.day: d.mentions for d in timeline.days}
    window = [end - timedelta(days=back) for back in range(days - 1, -1, -1)]
    return [counts.get(d, 0) if d in timeline.recorded else None for d in window]


def timeline_json(timeline: Timeline, end: date, days: int) -> dict[str, Any]:
    """The timeline as ``brief actor --json`` prints it."""
    return {
        "name": timeline.name,
        "kind": timeline.kind,
        "aliases": list(timeline.aliases),
        "start": (end - timedelta(days=days - 1)).isoformat(),
        "end": end.isoformat(),
        "trend": window_trend(timeline, end, days),
        "days": [
            {
                "day": d.day.isoformat(),
                "mentions": d.mentions,
                "articles": d.article_count,
                "stories": [
                    {"id": a.article_id, "title": a.title, "url": a.url} for a in d.articles
                ],
                "quotes": [
                    {
                        "text": q.text,
                        "day": d.day.isoformat(),
                        "article_id": q.article_id,
                        "title": q.title,
                        "url": q.url,
                    }
                    for q in d.quotes
                ],
                "company": [{"name": n, "sentences": c} for n, c in d.company],
            }
            for d in timeline.days
        ],
    }


def timeline_lines(timeline: Timeline, end: date, days: int) -> list[str]:
    """The timeline as plain lines of text (untrusted: the caller escapes them)."""
    start = end - timedelta(days=days - 1)
    lines = [f"{timeline.name} ({timeline.kind}), {start.isoformat()} to {end.isoformat()}"]
    if timeline.aliases:
        lines.append("also: " + ", ".join(timeline.aliases[:8]))
    trend = " ".join("-" if n is None else str(n) for n in window_trend(timeline, end, days))
    lines.append(f"mentions, last {days} days: {trend}")
    if not timeline.days:
        lines += ["", f"not in the news in these {days} days"]
    for day in reversed(timeline.days):
        counts = f"{plural(day.mentions, 'mention')} in {plural(day.article_count, 'article')}"
        lines += ["", f"{day.day.isoformat()}: {counts}"]
        for article in day.articles:
            lines.append(f"  story: {article.title}" + (f" <{article.url}>" if article.url else ""))
        for quote in day.quotes:
            where = quote.title + (f" <{quote.url}>" if quote.url else "")
            lines.append(f"  said: “{quote.text}” ({where})")
        if day.company:
            lines.append("  with: " + ", ".join(f"{n} ({c})" for n, c in day.company))
    return lines

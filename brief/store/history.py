"""The briefing history: what each written briefing showed, by briefing name and day.

A briefing remembers, per story, a compact term signature (the clustering's
heaviest terms), the articles it was built from and the *thread* that links it
to the same story on earlier days; and, per sentence shown, a hash of its
normalised text with the article it came from.  The memory layer
(``brief/briefing/memory.py``) reads this to tell the reader what is new.
Rewriting a day's briefing replaces that day's record, in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from brief.store.connection import Connection, from_ts, to_ts

KEEP_DAYS = 120  # history older than this is purged when a briefing is recorded
_WORD = re.compile(r"\w+")


def normalise_sentence(text: str) -> str:
    """A sentence as compared across days: NFKC, case-folded, words only, single spaces.

    Curly and straight quotes, dashes, spacing and case do not make a sentence new.
    """
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def sentence_key(text: str) -> str:
    """The stored key of a shown sentence: a hash of its normalised text (16 hex digits)."""
    return hashlib.sha1(normalise_sentence(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ShownStory:
    """One story a written briefing showed."""

    day: date
    position: int
    thread: str
    title: str
    url: str | None
    terms: tuple[tuple[str, float], ...]
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ShownSentence:
    """One sentence a written briefing showed; ``position`` is its story's, None for others."""

    key: str
    article_id: str
    position: int | None = None


@dataclass(frozen=True, slots=True)
class PastBriefings:
    """What the briefings of one name showed before a day, within a lookback."""

    stories: tuple[ShownStory, ...] = ()
    seen: dict[str, date] = field(default_factory=dict)  # sentence key → last day shown
    thread_days: dict[str, tuple[date, ...]] = field(default_factory=dict)  # every day shown
    last_day: date | None = None  # the most recent earlier briefing's day


class BriefingHistory(Connection):
    """The briefing_days, briefing_stories and briefing_sentences tables."""

    def record_briefing(
        self,
        name: str,
        day: date,
        written_at: datetime,
        stories: Sequence[ShownStory],
        sentences: Sequence[ShownSentence],
    ) -> None:
        """Remember one written briefing (replacing that name's record of that day), atomically.

        History older than :data:`KEEP_DAYS` before ``day`` is purged in the same transaction.
        """
        when = to_ts(written_at)
        iso = day.isoformat()
        cutoff = (day - timedelta(days=KEEP_DAYS)).isoformat()
        with self._write() as db:
            db.execute("DELETE FROM briefing_days WHERE name = ? AND day = ?", (name, iso))
            db.execute("DELETE FROM briefing_days WHERE name = ? AND day < ?", (name, cutoff))
            db.execute(
                "INSERT INTO briefing_days(name, day, written_at) VALUES (?, ?, ?)",
                (name, iso, when),
            )
            db.executemany(
                "INSERT INTO briefing_stories(name, day, position, thread, title, url, terms,"
                " article_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        name,
                        iso,
                        s.position,
                        s.thread,
                        s.title,
                        s.url,
                        json.dumps([[t, round(w, 4)] for t, w in s.terms]),
                        json.dumps(list(s.article_ids)),
                    )
                    for s in stories
                ],
            )
            db.executemany(
                "INSERT OR IGNORE INTO briefing_sentences(name, day, hash, article_id, position)"
                " VALUES (?, ?, ?, ?, ?)",
                [(name, iso, s.key, s.article_id, s.position) for s in sentences],
            )

    def last_written(self, name: str, before: date) -> datetime | None:
        """When the latest briefing of ``name`` for a day before ``before`` was written."""
        rows = self._read(
            "SELECT max(written_at) FROM briefing_days WHERE name = ? AND day < ?",
            (name, before.isoformat()),
        )
        value = rows[0][0] if rows else None
        return from_ts(float(value)) if value is not None else None

    def past_briefings(self, name: str, before: date, lookback_days: int) -> PastBriefings:
        """What the briefings of ``name`` showed on the ``lookback_days`` days before ``before``."""
        start = (before - timedelta(days=lookback_days)).isoformat()
        end = before.isoformat()
        span = (name, start, end)
        days = self._read(
            "SELECT max(day) FROM briefing_days WHERE name = ? AND day >= ? AND day < ?", span
        )
        if not days or days[0][0] is None:
            return PastBriefings()
        stories = tuple(
            ShownStory(
                day=date.fromisoformat(str(row["day"])),
                position=int(row["position"]),
                thread=str(row["thread"]),
                title=str(row["title"]),
                url=row["url"],
                terms=tuple((str(t), float(w)) for t, w in json.loads(row["terms"])),
                article_ids=tuple(str(a) for a in json.loads(row["article_ids"])),
            )
            for row in self._read(
                "SELECT day, position, thread, title, url, terms, article_ids"
                " FROM briefing_stories WHERE name = ? AND day >= ? AND day < ?"
                " ORDER BY day, position",
                span,
            )
        )
        seen: dict[str, date] = {}
        for row in self._read(
            "SELECT hash, max(day) FROM briefing_sentences"
            " WHERE name = ? AND day >= ? AND day < ? GROUP BY hash",
            span,
        ):
            seen[str(row[0])] = date.fromisoformat(str(row[1]))
        thread_days: dict[str, list[date]] = {}
        for row in self._read(
            "SELECT DISTINCT thread, day FROM briefing_stories"
            " WHERE name = ? AND day < ? AND thread IN"
            " (SELECT thread FROM briefing_stories WHERE name = ? AND day >= ? AND day < ?)"
            " ORDER BY day",
            (name, end, *span),
        ):
            thread_days.setdefault(str(row[0]), []).append(date.fromisoformat(str(row[1])))
        return PastBriefings(
            stories=stories,
            seen=seen,
            thread_days={k: tuple(v) for k, v in thread_days.items()},
            last_day=date.fromisoformat(str(days[0][0])),
        )

"""The actor ledger: per actor and day, mentions, articles, quotes and company, kept across days.

An actor is its kind and the day's merged name (``brief/actors/briefs.py``); the
names it went by that day are kept for look-ups (``brief actor Trump``).  A day is
written whole, in one transaction: composing it again replaces its rows, so
counts never double.  Days older than the store's retention are dropped then too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any, TypeVar

from brief.store.connection import Connection, to_ts

_WORD_RE = re.compile(r"\w+")
_TABLES = (
    "ledger_dates",
    "ledger_days",
    "ledger_names",
    "ledger_articles",
    "ledger_quotes",
    "ledger_company",
)

ActorKey = tuple[str, str]  # (kind, name)
_T = TypeVar("_T")
_CHUNK = 500  # days per query, well under SQLite's limit of bound parameters


@lru_cache(maxsize=16384)  # asked again of the same quotes: in the day's rows, their news
def quote_words(text: str) -> str:
    """A quote's words, case-folded and single-spaced: one quote however it was punctuated."""
    return " ".join(_WORD_RE.findall(text.casefold()))


@dataclass(frozen=True, slots=True)
class LedgerArticle:
    """An article an actor appeared in."""

    article_id: str
    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerQuote:
    """A quote attributed to an actor, with the article it was in."""

    text: str
    article_id: str
    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One actor on one day, as the ledger records it."""

    kind: str
    name: str
    mentions: int
    article_count: int
    aliases: tuple[str, ...] = ()
    articles: tuple[LedgerArticle, ...] = ()  # at most a few; ``article_count`` is all
    quotes: tuple[LedgerQuote, ...] = ()
    company: tuple[tuple[str, str, int], ...] = ()  # (kind, name, sentences naming both)

    @property
    def key(self) -> ActorKey:
        """The actor's identity in the ledger."""
        return (self.kind, self.name)


@dataclass(frozen=True, slots=True)
class TimelineDay:
    """What the ledger holds of one actor on one day."""

    day: date
    mentions: int
    article_count: int
    articles: tuple[LedgerArticle, ...]
    quotes: tuple[LedgerQuote, ...]
    company: tuple[tuple[str, int], ...]  # (name, sentences naming both), most first


@dataclass(frozen=True, slots=True)
class Timeline:
    """An actor's days in the ledger, oldest first."""

    kind: str
    name: str
    aliases: tuple[str, ...]
    days: tuple[TimelineDay, ...]
    recorded: frozenset[date] = frozenset()  # the window's days the ledger recorded


class Ledger(Connection):
    """The ledger_* tables."""

    def record_ledger_day(
        self,
        day: date,
        entries: Sequence[LedgerEntry],
        *,
        at: datetime,
        keep_from: date | None = None,
    ) -> None:
        """Replace ``day``'s rows with ``entries``, in one transaction; drop days before
        ``keep_from``."""
        iso = day.isoformat()
        # In key order, the day's rows go in at the end of each table's tree page after
        # page, not at random places in it (each key starts with the day, then the actor).
        entries = sorted(entries, key=attrgetter("key"))
        names = {
            (alias.casefold(), e.kind, e.name)
            for e in entries
            for alias in (e.name, *e.aliases)
            if alias.strip()
        }
        with self._write() as db:
            for table in _TABLES:
                db.execute(f"DELETE FROM {table} WHERE day = ?", (iso,))
                if keep_from is not None:
                    db.execute(f"DELETE FROM {table} WHERE day < ?", (keep_from.isoformat(),))
            db.execute("INSERT INTO ledger_dates(day, recorded) VALUES (?, ?)", (iso, to_ts(at)))
            db.executemany(
                "INSERT INTO ledger_days(day, kind, name, mentions, articles) VALUES (?,?,?,?,?)",
                [(iso, e.kind, e.name, e.mentions, e.article_count) for e in entries],
            )
            db.executemany(
                "INSERT INTO ledger_names(day, alias, kind, name) VALUES (?,?,?,?)",
                [(iso, alias, kind, name) for alias, kind, name in names],
            )
            db.executemany(
                "INSERT OR IGNORE INTO ledger_articles(day, kind, name, article_id, title, url) "
                "VALUES (?,?,?,?,?,?)",
                [
                    (iso, e.kind, e.name, a.article_id, a.title, a.url)
                    for e in entries
                    for a in e.articles
                ],
            )
            db.executemany(
                "INSERT INTO ledger_quotes(day, kind, name, seq, text, words, article_id, title, "
                "url) VALUES (?,?,?,?,?,?,?,?,?)",
                [_quote_row(e, iso, seq, q) for e in entries for seq, q in enumerate(e.quotes)],
            )
            db.executemany(
                "INSERT OR IGNORE INTO ledger_company(day, kind, name, other_kind, other, "
                "sentences) VALUES (?,?,?,?,?,?)",
                [(iso, e.kind, e.name, k, n, c) for e in entries for k, n, c in e.company],
            )

    def ledger_dates(self, start: date, end: date) -> set[date]:
        """The days from ``start`` to ``end`` (inclusive) the ledger recorded."""
        return {date.fromisoformat(d) for d in self._recorded(start, end)}

    def _recorded(self, start: date | None, end: date) -> list[str]:
        """The recorded days from ``start`` (None: the first) to ``end``, as ISO text."""
        rows = self._read(
            "SELECT day FROM ledger_dates WHERE day BETWEEN ? AND ? ORDER BY day",
            ((start or date.min).isoformat(), end.isoformat()),
        )
        return [str(r[0]) for r in rows]

    def _per_day(self, sql: str, days: Sequence[str], params: Sequence[Any]) -> list[Any]:
        """Rows of ``sql`` (its ``{days}`` a list of marks) over ``days``, in chunks: every key
        starts with the day, so ``day IN (...)`` is one seek per day."""
        rows: list[Any] = []
        for first in range(0, len(days), _CHUNK):
            chunk = list(days[first : first + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows += self._read(sql.format(days=marks), [*chunk, *params])
        return rows

    def ledger_mentions(self, key: ActorKey, start: date, end: date) -> dict[date, int]:
        """The actor's mentions per day from ``start`` to ``end`` (days without any left out)."""
        rows = self._per_day(
            "SELECT day, mentions FROM ledger_days WHERE day IN ({days}) AND kind = ? AND name = ?",
            self._recorded(start, end),
            key,
        )
        return {date.fromisoformat(str(r[0])): int(r[1]) for r in rows}

    def ledger_quote_words(self, key: ActorKey, before: date) -> set[str]:
        """The words (:func:`quote_words`) of every quote the actor had before ``before``."""
        rows = self._per_day(
            "SELECT words FROM ledger_quotes WHERE day IN ({days}) AND kind = ? AND name = ?",
            self._recorded(None, before - timedelta(days=1)),
            key,
        )
        return {str(r[0]) for r in rows}

    def ledger_company(self, key: ActorKey, start: date, end: date) -> set[ActorKey]:
        """The actors named in the actor's sentences from ``start`` to ``end``."""
        rows = self._per_day(
            "SELECT other_kind, other FROM ledger_company "
            "WHERE day IN ({days}) AND kind = ? AND name = ?",
            self._recorded(start, end),
            key,
        )
        return {(str(r[0]), str(r[1])) for r in rows}

    def find_ledger_actors(self, name: str) -> list[tuple[ActorKey, int]]:
        """Actors whose name or a name they went by is ``name`` (any case), with their
        mentions in the ledger, most mentioned first."""
        days = self._recorded(None, date.max)
        alias = name.strip().casefold()
        keys = {
            (str(r[0]), str(r[1]))
            for r in self._per_day(
                "SELECT kind, name FROM ledger_names WHERE day IN ({days}) AND alias = ?",
                days,
                (alias,),
            )
        }
        totals = []
        for key in keys:
            rows = self._per_day(
                "SELECT mentions FROM ledger_days WHERE day IN ({days}) AND kind = ? AND name = ?",
                days,
                key,
            )
            totals.append((key, sum(int(r[0]) for r in rows)))
        return sorted(totals, key=lambda item: (-item[1], item[0][1], item[0][0]))

    def ledger_names(self) -> list[tuple[str, str]]:
        """Every name the ledger knows (case-folded) with the actor's name, for hints."""
        rows = self._read("SELECT DISTINCT alias, name FROM ledger_names ORDER BY alias, name")
        return [(str(r[0]), str(r[1])) for r in rows]

    def actor_timeline(self, key: ActorKey, start: date, end: date) -> Timeline:
        """The actor's days from ``start`` to ``end`` (inclusive), oldest first."""
        days = self._recorded(start, end)
        where = "WHERE day IN ({days}) AND kind = ? AND name = ?"
        counts = self._per_day(
            f"SELECT day, mentions, articles FROM ledger_days {where}", days, key
        )
        articles = _by_day(
            self._per_day(
                f"SELECT day, article_id, title, url FROM ledger_articles {where}", days, key
            ),
            lambda r: LedgerArticle(str(r[1]), str(r[2]), r[3]),
        )
        quotes = _by_day(
            self._per_day(
                f"SELECT day, text, article_id, title, url FROM ledger_quotes {where} ORDER BY seq",
                days,
                key,
            ),
            lambda r: LedgerQuote(str(r[1]), str(r[2]), str(r[3]), r[4]),
        )
        company = _by_day(
            self._per_day(
                f"SELECT day, other, sentences FROM ledger_company {where} "
                "ORDER BY sentences DESC, other",
                days,
                key,
            ),
            lambda r: (str(r[1]), int(r[2])),
        )
        aliases = self._per_day(
            "SELECT DISTINCT alias FROM ledger_names "
            "WHERE day IN ({days}) AND kind = ? AND name = ?",
            days,
            key,
        )
        return Timeline(
            kind=key[0],
            name=key[1],
            aliases=tuple(sorted({str(r[0]) for r in aliases} - {key[1].casefold()})),
            days=tuple(
                TimelineDay(
                    day=date.fromisoformat(str(r[0])),
                    mentions=int(r[1]),
                    article_count=int(r[2]),
                    articles=tuple(articles.get(str(r[0]), ())),
                    quotes=tuple(quotes.get(str(r[0]), ())),
                    company=tuple(company.get(str(r[0]), ())),
                )
                for r in sorted(counts, key=lambda r: str(r[0]))
            ),
            recorded=frozenset(date.fromisoformat(d) for d in days),
        )


def _quote_row(entry: LedgerEntry, iso: str, seq: int, quote: LedgerQuote) -> tuple[Any, ...]:
    words = quote_words(quote.text)
    return (iso, entry.kind, entry.name, seq, quote.text, words, *_article(quote))


def _article(quote: LedgerQuote) -> tuple[str, str, str | None]:
    return (quote.article_id, quote.title, quote.url)


def _by_day(rows: Iterable[Any], make: Callable[[Any], _T]) -> dict[str, list[_T]]:
    """Rows whose first column is the day, grouped by it, each made into a ``T``."""
    grouped: dict[str, list[_T]] = {}
    for row in rows:
        grouped.setdefault(str(row[0]), []).append(make(row))
    return grouped

"""The day's actors as rows of the actor ledger (:mod:`brief.store.ledger`).

Built from the merged :class:`~brief.actors.briefs.DayActors` when a briefing is
composed for writing: counts, names, central articles, quotes and company.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import TYPE_CHECKING

from brief.actors.dayactors import DayActor, source_label, trim_quote
from brief.store.ledger import LedgerArticle, LedgerEntry, LedgerQuote, quote_words

if TYPE_CHECKING:
    from brief.actors.briefs import DayActors

_CROWD = 8  # a sentence naming more actors than this is a list: no company recorded
_LEDGER_ARTICLES = 20  # the ledger keeps an actor's most central articles of a day
_LEDGER_COMPANY = 10  # and the actors most often named with it


def ledger_entries(gathered: DayActors) -> list[LedgerEntry]:
    """The day's actors as the actor ledger records them (names that are no actor left
    out): counts, the names they went by, their most central articles, every quote
    attributed to them, and the actors named in their sentences.
    """
    real = {e.name: key[0] for key, e in gathered.actors.items() if e.not_actor is None}
    company = _company(gathered, real)
    records: dict[int, LedgerArticle] = {}
    trimmed: dict[str, tuple[str, str]] = {}  # see _ledger_quotes

    def record(index: int) -> LedgerArticle:
        found = records.get(index)
        if found is None:
            article = gathered.day.articles[index]
            found = records[index] = LedgerArticle(article.id, source_label(article), article.url)
        return found

    entries = []
    for key, entry in gathered.actors.items():
        if entry.not_actor is not None:
            continue
        central = entry.articles
        if len(central) > _LEDGER_ARTICLES:
            weight = entry.by_article
            central = sorted(central, key=lambda i: (-weight.get(i, 0.0), i))
        others = company.get(entry.name)
        entries.append(
            LedgerEntry(
                kind=key[0],
                name=entry.name,
                mentions=entry.mentions,
                article_count=len(entry.articles),
                aliases=tuple(sorted(set(entry.aliases))),
                articles=tuple(record(i) for i in central[:_LEDGER_ARTICLES]),
                quotes=_ledger_quotes(entry, record, trimmed) if entry.quotes else (),
                company=tuple((real[n], n, count) for n, count in _most_common(others))
                if others
                else (),
            )
        )
    return entries


def _company(gathered: DayActors, real: Mapping[str, str]) -> dict[str, dict[str, int]]:
    """Per actor, the other actors named in its sentences and in how many (counted in
    plain dicts: a Counter's item access is several times slower, and this counts every
    pair of the day's sentences)."""
    company: dict[str, dict[str, int]] = {}
    for index in range(len(gathered.day.articles)):
        for line in gathered.day.shared(index):
            named = [n for n in line.names if n in real]
            if len(named) < 2 or len(named) > _CROWD:
                continue  # a list of names is no company
            for name in named:
                counts = company.get(name)
                if counts is None:
                    counts = company[name] = {}
                for other in named:
                    if other != name:
                        counts[other] = counts.get(other, 0) + 1
    return company


def _most_common(counts: dict[str, int]) -> list[tuple[str, int]]:
    """The :data:`_LEDGER_COMPANY` largest counts, as ``Counter.most_common`` gives them
    (the first counted first among equals)."""
    return heapq.nlargest(_LEDGER_COMPANY, counts.items(), key=itemgetter(1))


def _ledger_quotes(
    entry: DayActor,
    record: Callable[[int], LedgerArticle],
    trimmed: dict[str, tuple[str, str]],
) -> tuple[LedgerQuote, ...]:
    """Every quote attributed to the actor, once each (the same words in two articles once).

    ``trimmed`` keeps each quote's trimmed text and words by its text, for the day: the
    same quote is carried by several outlets.
    """
    seen: set[str] = set()
    quotes = []
    for index, quote in entry.quotes:
        known = trimmed.get(quote.text)
        if known is None:
            text = trim_quote(quote.text)
            known = trimmed[quote.text] = (text, quote_words(text))
        text, words = known
        if not words or words in seen:
            continue
        seen.add(words)
        article = record(index)
        quotes.append(LedgerQuote(text, article.article_id, article.title, article.url))
    return tuple(quotes)

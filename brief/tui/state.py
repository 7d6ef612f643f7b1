"""What the TUI is showing: the day's articles and sources, filters, sort order, read state.

Plain Python with no Textual import, so the filtering and sorting the screens
rely on are unit-tested directly.  Nothing here decides what goes into a
briefing; that is the core's job (``brief.briefing.compose``).
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from brief.config import Config
from brief.wording import plural

if TYPE_CHECKING:
    # Types only: the models module is imported by the workers, after the first frame.
    from brief.models import ActorBrief, Article, Briefing, SourceHealth

SortKey = Literal["time", "source", "title"]
SORT_KEYS: tuple[SortKey, ...] = ("time", "source", "title")
_FIELDS = ("source", "tag", "actor")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search: free words plus ``source:``, ``tag:`` and ``actor:`` filters."""

    words: tuple[str, ...] = ()
    source: str | None = None
    tag: str | None = None
    actor: str | None = None

    @property
    def text(self) -> str:
        """The free-text part (what full-text search looks for)."""
        return " ".join(self.words)

    def __bool__(self) -> bool:
        return bool(self.words or self.source or self.tag or self.actor)

    def describe(self) -> str:
        """The query written back as the user would type it."""
        parts = [_quote(w) for w in self.words]
        for name in _FIELDS:
            value = getattr(self, name)
            if value:
                parts.append(f"{name}:{_quote(value)}")
        return " ".join(parts)


def _quote(value: str) -> str:
    return f'"{value}"' if " " in value else value


def parse_query(text: str) -> Query:
    """Parse search-box text: ``xi summit source:Globe tag:world actor:"Xi Jinping"``."""
    try:
        tokens = shlex.split(text)
    except ValueError:
        # An unbalanced quote: take the words as typed rather than refuse.
        tokens = text.replace('"', " ").replace("'", " ").split()
    words: list[str] = []
    fields: dict[str, str] = {}
    for token in tokens:
        name, sep, value = token.partition(":")
        if sep and name.lower() in _FIELDS and value.strip():
            fields[name.lower()] = value.strip()
        else:
            words.append(token)
    return Query(words=tuple(words), **fields)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def matches_words(article: Article, words: Sequence[str]) -> bool:
    """True when every word occurs in the article's title, text or source name."""
    if not words:
        return True
    haystack = _fold(f"{article.title}\n{article.source_name}\n{article.text}")
    return all(_fold(word) in haystack for word in words)


@dataclass(frozen=True, slots=True)
class Filter:
    """Everything that narrows the article list: the chosen source and a query."""

    source_id: str | None = None
    query: Query = Query()
    unread_only: bool = False


def filter_articles(
    articles: Iterable[Article],
    flt: Filter,
    *,
    sources: Sequence[SourceHealth] = (),
    actor_articles: dict[str, frozenset[str]] | None = None,
    found_ids: frozenset[str] | None = None,
    read: set[str] | frozenset[str] = frozenset(),
) -> list[Article]:
    """The articles that pass ``flt``.

    ``found_ids`` are full-text search hits from the store; when given they
    replace the substring match for the query's words.  ``actor_articles``
    maps actor names (case-insensitive) to the ids of articles mentioning them;
    ``read`` holds the ids already read (left out when ``flt.unread_only``).
    """
    query = flt.query
    tagged: set[str] | None = None
    if query.tag:
        tag = query.tag.casefold()
        tagged = {h.source.id for h in sources if tag in (t.casefold() for t in h.source.tags)}
    by_actor: frozenset[str] | None = None
    if query.actor:
        wanted = query.actor.casefold()
        table = actor_articles or {}
        exact = {k: v for k, v in table.items() if k.casefold() == wanted}
        pool = exact or {k: v for k, v in table.items() if wanted in k.casefold()}
        by_actor = frozenset().union(*pool.values()) if pool else frozenset()
    source_word = query.source.casefold() if query.source else None

    out: list[Article] = []
    for article in articles:
        if flt.source_id is not None and flt.source_id != article.source_id:
            continue
        if flt.unread_only and article.id in read:
            continue
        if source_word is not None and source_word not in article.source_name.casefold():
            continue
        if tagged is not None and article.source_id not in tagged:
            continue
        if by_actor is not None and article.id not in by_actor:
            continue
        if query.words:
            if found_ids is not None:
                if article.id not in found_ids:
                    continue
            elif not matches_words(article, query.words):
                continue
        out.append(article)
    return out


def sort_articles(
    articles: Iterable[Article], key: SortKey, *, reverse: bool = False
) -> list[Article]:
    """Articles sorted by time (newest first), source or title; ``reverse`` flips it."""
    items = list(articles)
    if key == "time":
        items.sort(key=lambda a: (a.published or _EPOCH, a.title.casefold()), reverse=not reverse)
    elif key == "source":
        items.sort(
            key=lambda a: (a.source_name.casefold(), -(a.published or _EPOCH).timestamp()),
            reverse=reverse,
        )
    else:
        items.sort(key=lambda a: _title_key(a.title), reverse=reverse)
    return items


def _title_key(title: str) -> str:
    # Leading quotes and punctuation should not decide the order.
    return re.sub(r"^[^\w]+", "", title.casefold())


def unread_counts(articles: Iterable[Article], read: set[str] | frozenset[str]) -> Counter[str]:
    """Unread articles per source id."""
    return Counter(a.source_id for a in articles if a.id not in read)


def next_unread(
    ids: Sequence[str], cursor: int, read: set[str] | frozenset[str], *, step: int = 1
) -> int | None:
    """Index of the next (``step=-1``: previous) unread id after ``cursor``, not wrapping."""
    index = cursor + step
    while 0 <= index < len(ids):
        if ids[index] not in read:
            return index
        index += step
    return None


def next_source_with_unread(
    order: Sequence[str], current: str | None, unread: Counter[str], *, step: int = 1
) -> str | None:
    """The next source (in list order, wrapping round) after ``current`` with unread articles.

    ``current`` None stands for "all sources"; a result of None means no source
    other than ``current`` has anything unread.
    """
    if not order:
        return None
    start = order.index(current) if current in order else (-1 if step > 0 else len(order))
    for offset in range(1, len(order) + 1):
        candidate = order[(start + step * offset) % len(order)]
        if candidate != current and unread.get(candidate, 0):
            return candidate
    return None


def actor_article_map(briefs: Iterable[ActorBrief]) -> dict[str, frozenset[str]]:
    """Actor name (and each alias) → ids of the articles that mention it."""
    table: dict[str, frozenset[str]] = {}
    for brief in briefs:
        ids = frozenset(brief.article_ids)
        for name in (brief.actor.name, *brief.actor.aliases):
            table[name] = table.get(name, frozenset()) | ids
    return table


@dataclass
class Desk:
    """The app's working data: what was collected, analysed and composed, and what was read.

    The app owns one Desk; screens read it.  ``version`` goes up whenever the
    articles or sources change, so a screen that was hidden knows to redraw.
    """

    config: Config
    articles: tuple[Article, ...] = ()
    sources: tuple[SourceHealth, ...] = ()
    actor_briefs: tuple[ActorBrief, ...] = ()
    briefing: Briefing | None = None
    markdown: str = ""
    # Ids of read articles among those the app has seen (the store keeps them all).
    read: set[str] = field(default_factory=set)
    version: int = 0
    actors_version: int = 0
    briefing_version: int = 0
    from_cache: bool = False
    collected_at: datetime | None = None

    def article(self, article_id: str) -> Article | None:
        """One of the day's articles by id."""
        for article in self.articles:
            if article.id == article_id:
                return article
        return None

    def set_collection(
        self,
        articles: Sequence[Article],
        sources: Sequence[SourceHealth],
        *,
        from_cache: bool,
        at: datetime | None = None,
    ) -> None:
        """Replace the day's articles and source health."""
        self.articles = tuple(articles)
        self.sources = tuple(sources)
        self.from_cache = from_cache
        self.collected_at = at
        self.version += 1

    def set_actor_briefs(self, briefs: Sequence[ActorBrief]) -> None:
        """Replace the day's actor briefs."""
        self.actor_briefs = tuple(briefs)
        self.actors_version += 1

    def set_briefing(self, briefing: Briefing, markdown: str) -> None:
        """Replace the composed briefing and its rendered Markdown."""
        self.briefing = briefing
        self.markdown = markdown
        self.briefing_version += 1

    def source_health(self, source_id: str) -> SourceHealth | None:
        """The health of one source."""
        for health in self.sources:
            if health.source.id == source_id:
                return health
        return None

    def set_read(self, article_ids: Iterable[str], read: bool) -> list[str]:
        """Mark articles read (or unread); returns the ids whose state changed."""
        changed = [i for i in dict.fromkeys(article_ids) if (i in self.read) != read]
        if read:
            self.read.update(changed)
        else:
            self.read.difference_update(changed)
        return changed


def skipped_note(skipped: Sequence[tuple[str, str]]) -> str:
    """`` · 3 not fetched (fetched less than 15 min ago)`` for the status line; '' for none."""
    if not skipped:
        return ""
    reasons = Counter(why for _, why in skipped)
    why = reasons.most_common(1)[0][0]
    if len(skipped) == 1:
        return f" · {one_name(skipped[0][0])} not fetched ({why})"
    more = f"; {plural(len(reasons) - 1, 'other reason')}" if len(reasons) > 1 else ""
    return f" · {plural(len(skipped), 'feed')} not fetched ({why}{more})"


def one_name(name: str) -> str:
    """A source name for one line of status (control characters and newlines removed)."""
    return " ".join("".join(c for c in name if c.isprintable()).split()) or "a feed"

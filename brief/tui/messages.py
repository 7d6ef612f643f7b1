"""App-wide events, named in the past tense: workers post them, the app and screens react.

Workers never touch widgets; they post one of these to the app, which updates
its :class:`~brief.tui.state.Desk` and tells the visible screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    # Types only: the models are not needed before the first frame.
    from datetime import datetime
    from pathlib import Path

    from brief.config import Config
    from brief.models import (
        ActorBrief,
        Article,
        Briefing,
        Mention,
        Quote,
        Sentence,
        SourceHealth,
    )


class CollectionLoaded(Message):
    """The day's articles and source health arrived (from the store cache or a fresh collect)."""

    def __init__(
        self,
        articles: tuple[Article, ...],
        sources: tuple[SourceHealth, ...],
        *,
        from_cache: bool,
        at: datetime,
        read: frozenset[str] = frozenset(),
        skipped: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__()
        self.articles = articles
        self.sources = sources
        self.from_cache = from_cache
        self.at = at
        # Which of these articles the store says were read.
        self.read = read
        # (source name, why) for each feed that was not fetched this time.
        self.skipped = skipped


class CollectFailed(Message):
    """A collection stopped with an error (it runs outside Textual's workers)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


class CollectProgressed(Message):
    """A collection step finished: ``done`` of ``total`` sources, ``label`` says which."""

    def __init__(self, done: int, total: int, label: str) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.label = label


class ArticleAnalysed(Message):
    """An article's summary sentences, actor mentions and quotes, for the reader."""

    def __init__(
        self,
        article_id: str,
        summary: tuple[Sentence, ...],
        mentions: tuple[Mention, ...],
        quotes: tuple[Quote, ...],
    ) -> None:
        super().__init__()
        self.article_id = article_id
        self.summary = summary
        self.mentions = mentions
        self.quotes = quotes


class ActorsAnalysed(Message):
    """The day's actor briefs were built; ``key`` says for which articles and settings."""

    def __init__(self, briefs: tuple[ActorBrief, ...], key: tuple[int, object]) -> None:
        super().__init__()
        self.briefs = briefs
        self.key = key


class BriefingComposed(Message):
    """The briefing was composed and rendered; ``markdown`` is exactly what would be saved."""

    def __init__(self, briefing: Briefing, markdown: str, version: int) -> None:
        super().__init__()
        self.briefing = briefing
        self.markdown = markdown
        self.version = version


class BriefingSaved(Message):
    """The briefing was written to ``path`` (``problem``: why the history did not take it)."""

    def __init__(self, path: Path, problem: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.problem = problem


class SearchFinished(Message):
    """Full-text search of the store found these articles (of any day), best first."""

    def __init__(
        self, query: str, found: tuple[Article, ...], read: frozenset[str] = frozenset()
    ) -> None:
        super().__init__()
        self.query = query
        self.found = found
        self.read = read  # which of them were read


class SettingsSaved(Message):
    """The settings were saved to ``path`` (the previous file kept as ``backup``)."""

    def __init__(self, config: Config, path: Path, backup: Path | None, note: str = "") -> None:
        super().__init__()
        self.config = config
        self.path = path
        self.backup = backup
        self.note = note


class OpmlExported(Message):
    """The feed list was exported as OPML to ``path``."""

    def __init__(self, path: Path, count: int) -> None:
        super().__init__()
        self.path = path
        self.count = count


class FeedFetched(Message):
    """One feed was fetched on request (Sources, ``r`` on a feed): the outcome in one line."""

    def __init__(self, name: str, line: str) -> None:
        super().__init__()
        self.name = name
        self.line = line

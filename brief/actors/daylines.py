"""The day's articles read once for the actor briefs: each sentence with the actors it names.

:class:`_Day` splits an article into its sentences when a brief first needs it and
notes, per sentence (:class:`_Line`), the day's actors named and acting or speaking in
it; brief/actors/briefs.py merges, ranks and writes the briefs from these.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, le

from brief.actors.acting import mentions_acting
from brief.actors.analysis import ArticleActors
from brief.models import Article, Mention, Quote

_MOSTLY = 0.8  # a sentence this much quotation is the quote (a reporting sentence is less)
_WORD_RE = re.compile(r"\w+")
_OPENING_QUOTES = "“‘\"'«„"
_START_END = attrgetter("start", "end")


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD_RE.findall(text.casefold()))


def _quote_share(start: int, end: int, quotes: Sequence[Quote]) -> float:
    inside = sum(max(0, min(end, q.end) - max(start, q.start)) for q in quotes)
    return inside / max(1, end - start)


class _Line:
    """One sentence of an article, with the day's actors it names and what dedup needs.

    The squashed text, its word set and its share of quotation are worked out
    at most once, when a brief first looks at the sentence, however many actors
    it names.
    """

    __slots__ = (
        "_quoted",
        "_text",
        "_words",
        "acting",
        "article",
        "end",
        "names",
        "offsets",
        "start",
    )

    def __init__(self, article: str, start: int, end: int) -> None:
        self.article = article  # the article's text; the sentence is ``article[start:end]``
        self.start = start
        self.end = end
        # The day's actors named, in the order first named, with the offset of each one's
        # first mention (relative to the sentence), and the day's actors that act or speak
        # in it.  Tuples: a day has a hundred thousand such sentences and most name one
        # actor (a tuple of one is a fraction of a dict or set); :meth:`name` and
        # :meth:`act` add to them.
        self.names: tuple[str, ...] = ()
        self.offsets: tuple[int, ...] = ()
        self.acting: tuple[str, ...] = ()
        self._text: str | None = None
        self._words: frozenset[str] | None = None
        self._quoted: bool | None = None

    def name(self, actor: str, offset: int) -> None:
        """Note that ``actor`` is named in the sentence (first at ``offset``, relative)."""
        if actor not in self.names:
            self.names += (actor,)
            self.offsets += (offset,)

    def offset(self, actor: str) -> int | None:
        """Where ``actor`` is first named in the sentence (relative), None if it is not."""
        names = self.names
        return self.offsets[names.index(actor)] if actor in names else None

    def act(self, actor: str) -> None:
        """Note that ``actor`` acts or speaks in the sentence."""
        if actor not in self.acting:
            self.acting += (actor,)

    @property
    def text(self) -> str:
        """The sentence on one line."""
        if self._text is None:
            self._text = " ".join(self.article[self.start : self.end].split())
        return self._text

    @property
    def words(self) -> frozenset[str]:
        """Its words, case-folded, for near-duplicate tests."""
        if self._words is None:
            self._words = _words(self.text)
        return self._words

    def quoted(self, quotes: Sequence[Quote]) -> bool:
        """Does it open with a quote, or is it mostly one (then shown as a quote instead)?"""
        if self._quoted is None:
            opens = self.text[:1] in _OPENING_QUOTES
            self._quoted = opens or _quote_share(self.start, self.end, quotes) > _MOSTLY
        return self._quoted

    def owner(self, names: set[str]) -> str | None:
        """Of ``names``, the one acting first: the sentence is its own (usually the subject)."""
        acting = [n for n in self.acting if n in names]
        if len(acting) < 2:
            return acting[0] if acting else None
        unnamed = len(self.text)
        return min(acting, key=lambda n: (self.offset(n) if n in self.names else unnamed, n))


@dataclass(slots=True)
class _Day:
    """The day's articles with their analyses, read once."""

    articles: Sequence[Article]
    analyses: Sequence[ArticleActors]
    names: list[dict[str, str]]  # per article: the article's actor name → the day's name
    # Per article, read when a brief first needs it (:meth:`_split`): its sentences' spans
    # and starts, and a :class:`_Line` for each sentence that names or has an actor acting
    # (the others are made only when :meth:`sentence_of` is asked for one).
    _spans: dict[int, Sequence[tuple[int, int]]] = field(default_factory=dict)
    _starts: dict[int, list[int]] = field(default_factory=dict)
    _lines: dict[int, dict[int, _Line]] = field(default_factory=dict)  # sentence number → line
    _acts: dict[int, dict[str, int]] = field(default_factory=dict)  # see :meth:`acts`
    _acting: dict[int, set[str]] = field(default_factory=dict)  # see :meth:`acting`
    _shared: dict[int, list[_Line]] = field(default_factory=dict)  # see :meth:`shared`
    _active: dict[int, list[_Line]] = field(default_factory=dict)  # see :meth:`active`
    _carriers: list[tuple[str, ...]] = field(init=False)  # per article: its sources

    def __post_init__(self) -> None:
        self._carriers = [(a.source_name, *a.also_in) for a in self.articles]

    def sources(self, indices: Sequence[int]) -> set[str]:
        """The sources that carried these articles (a story syndicated elsewhere counts too)."""
        # (one union of the articles' tuples, in C: a day's actor is in thousands of them)
        return set().union(*map(self._carriers.__getitem__, indices))

    def _read(self, index: int) -> dict[int, _Line]:
        lines = self._lines.get(index)
        if lines is None:
            lines = self._lines[index] = self._split(index)
        return lines

    def _split(self, index: int) -> dict[int, _Line]:
        """Article ``index``'s sentences with the day's actors named and acting in them."""
        from brief.text.clean import clean_sentences

        names = self.names[index]
        text = self.articles[index].text
        analysis = self.analyses[index]
        spans = analysis.sentences  # recorded with the cached analysis
        if not spans:  # the same sentences the analysis records (analysis._analysed)
            spans = tuple((s.start, s.end) for s in clean_sentences(text))
        self._spans[index] = spans
        starts = self._starts[index] = [start for start, _ in spans]
        mentions = analysis.mentions
        acting = analysis.acting  # recorded with the cached analysis, for these sentences
        if len(acting) != len(mentions) or not analysis.sentences:
            acting = mentions_acting(text, mentions, spans)
        pairs: Iterable[tuple[Mention, bool]] = zip(mentions, acting, strict=True)
        places = list(map(_START_END, mentions))
        if not all(map(le, places, places[1:])):  # (the analysis lists them in text order)
            pairs = sorted(pairs, key=lambda m: (m[0].start, m[0].end))
        # Each mention falls in at most one sentence (they do not overlap): find it by
        # bisection rather than testing every mention against every sentence.
        lines: dict[int, _Line] = {}
        acts: dict[str, int] = {}  # per actor (the article's name), see :meth:`acts`
        here: set[str] = set()  # the day's names acting or speaking somewhere, see :meth:`acting`
        shared: list[_Line] = []  # see :meth:`shared`
        active: list[_Line] = []  # see :meth:`active`
        for mention, acts_here in pairs:
            start = mention.start
            at = bisect_right(starts, start) - 1
            if at < 0:
                continue
            line = lines.get(at)
            if line is None:
                span = spans[at]
                if mention.end > span[1]:
                    continue
                line = lines[at] = _Line(text, span[0], span[1])
            elif mention.end > line.end:
                continue
            name = names.get(mention.actor, mention.actor)
            named = len(line.names)
            line.name(name, start - line.start)
            if named == 1 and len(line.names) == 2:  # (mentions come in text order, so do these)
                shared.append(line)
            if acts_here:
                if not line.acting:
                    active.append(line)
                line.act(name)
                here.add(name)
                acts[mention.actor] = acts.get(mention.actor, 0) + 1
        for quote in analysis.quotes:
            if quote.speaker is None:
                continue
            at = bisect_right(starts, quote.start) - 1
            if at < 0 or quote.start >= spans[at][1]:
                continue
            name = names.get(quote.speaker, quote.speaker)
            line = lines.get(at)
            if line is None:
                line = lines[at] = _Line(text, *spans[at])
            if name not in line.acting:
                if not line.acting:
                    active.append(line)
                line.act(name)
                here.add(name)
                acts[quote.speaker] = acts.get(quote.speaker, 0) + 1
        self._acts[index] = acts
        self._acting[index] = here
        self._shared[index] = shared
        self._active[index] = active
        return lines

    def active(self, index: int) -> list[_Line]:
        """Article ``index``'s sentences in which some of the day's actors act or speak (in
        text order but for those where only a speaker's quote starts: put them in order
        before relying on it)."""
        self._read(index)
        return self._active[index]

    def shared(self, index: int) -> list[_Line]:
        """Article ``index``'s sentences that name two or more of the day's actors, in order."""
        self._read(index)
        return self._shared[index]

    def acting(self, index: int) -> set[str]:
        """The day's actors that act or speak in some sentence of article ``index``."""
        found = self._acting.get(index)
        if found is None:
            self._read(index)
            found = self._acting[index]
        return found

    def acts(self, index: int) -> dict[str, int]:
        """Per actor of article ``index`` (its own names; none: 0): mentions in which it
        acts, and sentences in which it speaks without being named as acting.
        """
        self._read(index)
        return self._acts[index]

    def sentence_of(self, index: int, offset: int) -> _Line | None:
        """The sentence of article ``index`` holding character ``offset``."""
        lines = self._read(index)
        at = bisect_right(self._starts[index], offset) - 1
        if at < 0:
            return None
        line = lines.get(at)
        if line is None:  # a sentence naming no actor: made when first asked for
            start, end = self._spans[index][at]
            if offset >= end:
                return None
            line = lines[at] = _Line(self.articles[index].text, start, end)
        return line if offset < line.end else None

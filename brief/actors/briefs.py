"""The day's actor briefs: merge each article's actors, rank them, say what each did and said."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from brief.actors.analysis import ArticleActors, analyse_many
from brief.config import Config
from brief.models import Actor, ActorBrief, ActorKind, Article, Quote

if TYPE_CHECKING:
    from brief.store import AnalysisCache

_CO_ACTORS = 5  # "With: ..." names at most this many
_QUOTE_LIMIT = 600  # characters; a longer quote is cut at a word, with an ellipsis
_MIN_QUOTE_WORDS = 5  # shorter quotes are fragments, shown after whole ones
_MIN_SENTENCE_WORDS = 6
_SIMILARITY = 0.7  # word-set Jaccard at or above which two sentences (or quotes) are one
# Slack for float rounding in the bounds below, so they never exclude a pair _similar accepts.
_EPSILON = 1e-9
_SMALL = 24  # up to this many word sets, de-duplication compares each pair
_WORD_RE = re.compile(r"\w+")
_INITIAL_OR_SUFFIX_RE = re.compile(r"[A-Z]\.|Jr\.?|Sr\.?")


# A sentence an actor's brief may show: (article index, start offset, text, its word set).
_Candidate = tuple[int, int, str, frozenset[str]]


@dataclass(slots=True)
class _DayActor:
    """One actor across the day's articles, while the briefs are being built."""

    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    roles: Counter[str] = field(default_factory=Counter)
    affiliations: Counter[str] = field(default_factory=Counter)
    watched: bool = False
    mentions: int = 0
    quotes: list[tuple[int, Quote]] = field(default_factory=list)  # (article index, quote)
    articles: list[int] = field(default_factory=list)
    salience: float = 0.0

    def actor(self) -> Actor:
        """The merged public actor."""
        aliases = [a for a in dict.fromkeys(self.aliases) if a != self.name]
        return Actor(
            name=self.name,
            kind=self.kind,
            aliases=tuple(aliases),
            affiliation=_most_common(self.affiliations),
            role=_most_common(self.roles),
        )


class _Line:
    """One sentence of an article, with the day's actors it names and what dedup needs.

    The squashed text, its word set and its share of quotation are worked out
    at most once, when a brief first looks at the sentence, however many actors
    it names.
    """

    __slots__ = ("_quoted", "_text", "_words", "article", "end", "names", "start")

    def __init__(self, article: str, start: int, end: int) -> None:
        self.article = article  # the article's text; the sentence is ``article[start:end]``
        self.start = start
        self.end = end
        self.names: dict[str, int] = {}  # the day's actors named → offset of their first mention
        self._text: str | None = None
        self._words: frozenset[str] | None = None
        self._quoted: bool | None = None

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
        """Is it mostly a quote (``quotes`` are its article's)?"""
        if self._quoted is None:
            share = _quote_share(self.start, self.end, quotes)
            self._quoted = share > 0.5
        return self._quoted


@dataclass(slots=True)
class _Day:
    """The day's articles with their analyses, read once."""

    articles: Sequence[Article]
    analyses: Sequence[ArticleActors]
    names: list[dict[str, str]]  # per article: the article's actor name → the day's name
    kinds: list[dict[str, ActorKind]]  # per article: actor name → kind
    # Per article, split when a brief first needs it: its sentences with the actors they name.
    _lines: dict[int, list[_Line]] = field(default_factory=dict)

    def sources(self, indices: Sequence[int]) -> set[str]:
        """The sources that carried these articles (a story syndicated elsewhere counts too)."""
        names = {self.articles[i].source_name for i in indices}
        names.update(s for i in indices for s in self.articles[i].also_in)
        return names

    def lines(self, index: int) -> list[_Line]:
        """Article ``index``'s sentences, each with the day's actors named in it."""
        lines = self._lines.get(index)
        if lines is None:
            lines = self._lines[index] = self._split(index)
        return lines

    def _split(self, index: int) -> list[_Line]:
        from brief.text.sentences import split_sentences

        names = self.names[index]
        text = self.articles[index].text
        spans = self.analyses[index].sentences  # recorded with the cached analysis
        if not spans:
            spans = tuple((s.start, s.end) for s in split_sentences(text))
        lines = [_Line(text, start, end) for start, end in spans]
        starts = [start for start, _ in spans]
        # Each mention falls in at most one sentence (they do not overlap): find it by
        # bisection rather than testing every mention against every sentence.
        for mention in sorted(self.analyses[index].mentions, key=lambda m: (m.start, m.end)):
            at = bisect_right(starts, mention.start) - 1
            if at >= 0 and mention.end <= lines[at].end:
                name = names.get(mention.actor, mention.actor)
                lines[at].names.setdefault(name, mention.start - starts[at])
        return lines


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


def _most_common(counter: Counter[str]) -> str | None:
    return counter.most_common(1)[0][0] if counter else None


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(w for w in name.split() if not _INITIAL_OR_SUFFIX_RE.fullmatch(w))


def _day_names(analyses: Sequence[ArticleActors]) -> dict[tuple[str, str], str]:
    """Each article's (kind, name) → the day's name: "Trump" in one article is "Donald Trump"."""
    people: dict[tuple[str, ...], str] = {}
    for result in analyses:
        for actor in result.actors:
            key = _name_key(actor.name)
            if actor.kind == "person" and len(key) > 1:
                # "Patricia Kim" and "Patricia M. Kim" are one; keep the fuller spelling.
                current = people.get(key)
                if current is None or len(actor.name) > len(current):
                    people[key] = actor.name
    # The full names each word ends or starts, so a lone surname finds its fits in one look-up.
    by_end: dict[str, set[str]] = {}
    for key, full in people.items():
        by_end.setdefault(key[-1], set()).add(full)
        by_end.setdefault(key[0], set()).add(full)
    mapping: dict[tuple[str, str], str] = {}
    for result in analyses:
        for actor in result.actors:
            if (actor.kind, actor.name) in mapping:
                continue
            name = actor.name
            key = _name_key(name)
            if actor.kind == "person" and len(key) > 1:
                name = people[key]
            elif actor.kind == "person" and key:
                # A lone surname joins the day's one full name that ends (or starts) with it.
                fits = by_end.get(key[0], set())
                if len(fits) == 1:
                    name = next(iter(fits))
            mapping[(actor.kind, actor.name)] = name
    return mapping


def _muted(actor: _DayActor, mute: Sequence[str]) -> bool:
    names = {actor.name.casefold(), *(a.casefold() for a in actor.aliases)}
    return any(m.strip().casefold() in names for m in mute if m.strip())


def _article_salience(result: ArticleActors, text_length: int, title: str) -> dict[str, float]:
    """How much each actor matters in one article: mentions, quotes, cues, position, title."""
    first: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for mention in result.mentions:
        counts[mention.actor] += 1
        first.setdefault(mention.actor, mention.start)
    spoken = Counter(q.speaker for q in result.quotes if q.speaker)
    affiliated = Counter(a.affiliation for a in result.actors if a.affiliation)
    length = max(1, text_length)
    scores: dict[str, float] = {}
    for actor in result.actors:
        # Mentions count with diminishing returns, so a state named twenty times does not
        # bury the person it is about.
        score = 1.0 + 2.0 * math.log1p(max(0, counts[actor.name] - 1))
        score += 1.0 * min(3, spoken[actor.name])
        if actor.role or actor.affiliation:
            score += 0.5
        # An organisation or state that people speak for matters more than a passing name.
        score += 0.5 * min(2, affiliated[actor.name])
        score += 0.75 * (1.0 - first.get(actor.name, length) / length)
        if title and actor.name in title:
            score += 1.0
        scores[actor.name] = score
    return scores


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD_RE.findall(text.casefold()))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Near-identical word sets: the same sentence or quote from another outlet or edit."""
    if not (a and b):
        return False
    small, large = sorted((len(a), len(b)))
    if small < _SIMILARITY * large - _EPSILON:
        return False  # the overlap is at most the smaller set, the union at least the larger
    return len(a & b) / len(a | b) >= _SIMILARITY


class _NearDuplicates:
    """Word sets kept so far, asked "is this one near-identical to any?" without a full scan.

    Prefix filtering: when two sets reach the Jaccard threshold ``t`` they share
    at least ``⌈t·n⌉`` words, so under one fixed order of words they share one of
    each set's first ``n - ⌈t·n⌉ + 1`` words.  Only sets sharing such a word are
    compared, exactly (the answers are those of comparing with every set).
    Rare words first keep those lists short; ``frequency`` gives the order.
    """

    def __init__(self, frequency: Mapping[str, int]) -> None:
        # Every word of every set to come must be counted in ``frequency``.
        order = sorted(frequency, key=lambda w: (frequency[w], w))
        self._rank = {word: rank for rank, word in enumerate(order)}
        self._sets: list[frozenset[str]] = []
        self._postings: dict[str, list[int]] = {}

    def _prefix(self, words: frozenset[str]) -> list[str]:
        size = len(words)
        keep = size - math.ceil(_SIMILARITY * size - _EPSILON) + 1
        return sorted(words, key=self._rank.__getitem__)[:keep]

    def add_if_new(self, words: frozenset[str]) -> bool:
        """Keep ``words`` unless a kept set is near-identical; True when kept."""
        if not words:
            return True  # an empty set is like nothing (and nothing is like it)
        prefix = self._prefix(words)
        checked: set[int] = set()
        for word in prefix:
            for index in self._postings.get(word, ()):
                if index not in checked:
                    checked.add(index)
                    if _similar(words, self._sets[index]):
                        return False
        number = len(self._sets)
        self._sets.append(words)
        for word in prefix:
            self._postings.setdefault(word, []).append(number)
        return True


def _distinct(sets: Sequence[frozenset[str]]) -> list[bool]:
    """For each set in turn: is it unlike every earlier one that was itself kept?"""
    if len(sets) <= _SMALL:
        # A few sets: comparing each with the kept ones is quicker than indexing them.
        kept: list[frozenset[str]] = []
        new = []
        for words in sets:
            fresh = not any(_similar(words, other) for other in kept)
            if fresh:
                kept.append(words)
            new.append(fresh)
        return new
    frequency: Counter[str] = Counter()
    for words in sets:
        frequency.update(words)
    index = _NearDuplicates(frequency)
    return [index.add_if_new(words) for words in sets]


def _quote_share(start: int, end: int, quotes: Sequence[Quote]) -> float:
    inside = sum(max(0, min(end, q.end) - max(start, q.start)) for q in quotes)
    return inside / max(1, end - start)


def _trim_quote(quote: Quote) -> Quote:
    text = " ".join(quote.text.split())
    if len(text) > _QUOTE_LIMIT:
        text = text[:_QUOTE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    if text == quote.text:
        return quote
    return Quote(text, quote.speaker, quote.start, quote.end, quote.article_id)


def build_actor_briefs(
    articles: Sequence[Article],
    config: Config,
    *,
    store: AnalysisCache | None = None,
    analyses: Sequence[ArticleActors] | None = None,
) -> tuple[ActorBrief, ...]:
    """The day's actor briefs, most salient first, as ``config.actors`` asks.

    Each article is analysed once per content, cached in ``store`` (default: the
    configured article store); many uncached ones are analysed on all cores
    (:func:`brief.actors.analysis.analyse_many`).  An actor found automatically needs
    ``min_mentions`` mentions or attributed quotes across the day; a watched
    actor needs one; a muted actor never appears (by name or alias).
    """
    settings = config.actors
    if settings.max_actors <= 0 or not articles:
        return ()
    if analyses is None:
        with _analysis_cache(config, store) as cache:
            analyses = analyse_many(articles, cache, settings.watch)
    day, actors = _gather(articles, analyses)
    visible = [
        e
        for e in actors.values()
        if not _muted(e, settings.mute)
        and e.mentions + len(e.quotes) >= (1 if e.watched else settings.min_mentions)
    ]
    visible.sort(key=lambda e: (-e.salience, e.name))
    shown = {e.name for e in visible}
    used: list[frozenset[str]] = []  # sentences already given to a higher-ranked actor
    briefs = []
    for entry in visible[: settings.max_actors]:
        briefs.append(_brief(entry, day, shown, used, config))
    return tuple(briefs)


def _gather(
    articles: Sequence[Article], analyses: Sequence[ArticleActors]
) -> tuple[_Day, dict[tuple[str, str], _DayActor]]:
    """Merge the articles' actors into the day's, with counts, quotes and salience."""
    mapping = _day_names(analyses)
    actors: dict[tuple[str, str], _DayActor] = {}
    day = _Day(articles, analyses, [], [])
    for index, (article, result) in enumerate(zip(articles, analyses, strict=True)):
        names = {a.name: mapping.get((a.kind, a.name), a.name) for a in result.actors}
        kinds = {a.name: a.kind for a in result.actors}
        day.names.append(names)
        day.kinds.append(kinds)
        saliences = _article_salience(result, len(article.text), article.title)
        for actor in result.actors:
            entry = actors.setdefault(
                (actor.kind, names[actor.name]), _DayActor(names[actor.name], actor.kind)
            )
            entry.aliases += [actor.name, *actor.aliases]
            if actor.role:
                entry.roles[actor.role] += 1
            if actor.affiliation:
                entry.affiliations[actor.affiliation] += 1
            entry.watched = entry.watched or actor.name in result.watched
            if not entry.articles or entry.articles[-1] != index:
                entry.articles.append(index)  # articles are read in order: no scan needed
            entry.salience += saliences.get(actor.name, 0.0)
        for mention in result.mentions:
            if mention.actor in kinds:
                actors[(kinds[mention.actor], names[mention.actor])].mentions += 1
        for quote in result.quotes:
            if quote.speaker in kinds:
                speaker = quote.speaker
                actors[(kinds[speaker], names[speaker])].quotes.append((index, quote))
    for entry in actors.values():
        # Coverage across articles and outlets is salience too.
        sources = day.sources(entry.articles)
        entry.salience += 1.0 * (len(entry.articles) - 1) + 0.5 * (len(sources) - 1)
    return day, actors


def _brief(
    entry: _DayActor,
    day: _Day,
    shown: set[str],
    used: list[frozenset[str]],
    config: Config,
) -> ActorBrief:
    """One actor's brief: counts, informative sentences, quotes, and who they appear with."""
    lines: list[tuple[int, _Line]] = []  # sentences that may be shown, before de-duplication
    co_actors: Counter[str] = Counter()
    showing = config.actors.sentences > 0
    for index in entry.articles:
        quotes = day.analyses[index].quotes
        for line in day.lines(index):
            names = line.names
            if entry.name not in names:
                continue
            for other in names:
                if other != entry.name and other in shown:
                    co_actors[other] += 1
            # Quotes are shown as quotes; a sentence that is mostly one says little more.
            if not showing or len(line.text.split()) < _MIN_SENTENCE_WORDS or line.quoted(quotes):
                continue
            lines.append((index, line))
    candidates: list[_Candidate] = []
    leading: set[tuple[int, int]] = set()  # sentences that name the actor early: its own news
    # The same sentence in another article (wire copy) is shown once, as first met.
    for (index, line), new in zip(lines, _distinct([line.words for _, line in lines]), strict=True):
        if not new:
            continue
        candidates.append((index, line.start, line.text, line.words))
        if line.names[entry.name] <= 0.4 * (line.end - line.start):
            leading.add((index, line.start))
    # Sentences no higher-ranked actor shows already come first, then those naming the actor
    # early (where it is usually the subject); the summarizer chooses within each tier.
    tiers: list[list[_Candidate]] = [[], [], [], []]
    for candidate in candidates:
        stale = any(_similar(candidate[3], u) for u in used)
        early = (candidate[0], candidate[1]) in leading
        tiers[2 * stale + (not early)].append(candidate)
    picked: list[_Candidate] = []
    for tier in tiers:
        wanted = config.actors.sentences - len(picked)
        if wanted <= 0:
            break
        picked += _pick_sentences(tier, wanted, config.summary.algorithm)
    picked.sort(key=lambda c: (c[0], c[1]))
    sentences = [c[2] for c in picked]
    used.extend(c[3] for c in picked)
    return ActorBrief(
        actor=entry.actor(),
        article_count=len(entry.articles),
        source_count=len(day.sources(entry.articles)),
        mention_count=entry.mentions,
        sentences=tuple(sentences),
        quotes=_pick_quotes(entry, day.articles, config.actors.quotes),
        co_actors=tuple(co_actors.most_common(_CO_ACTORS)),
        article_ids=tuple(day.articles[i].id for i in entry.articles),
    )


def _pick_sentences(candidates: list[_Candidate], count: int, algorithm: str) -> list[_Candidate]:
    """The ``count`` most informative of an actor's sentences (the summarizer's choice)."""
    if count <= 0 or not candidates:
        return []
    if len(candidates) <= count:
        return list(candidates)
    from brief.text.summarize import summarize_text

    document = "\n\n".join(c[2] for c in candidates)
    try:
        chosen = summarize_text(document, algorithm=algorithm, sentences=count)
    except Exception:  # a summarizer failing must not cost the briefing: take the first ones
        chosen = []
    chosen_words = [_words(s.text) for s in chosen]
    picked = [c for c in candidates if any(_similar(c[3], w) for w in chosen_words)]
    for candidate in candidates:
        if len(picked) >= count:
            break
        if candidate not in picked:
            picked.append(candidate)
    return picked[:count]


def _pick_quotes(
    entry: _DayActor, articles: Sequence[Article], count: int
) -> tuple[tuple[Quote, str], ...]:
    """Up to ``count`` distinct quotes, whole ones before fragments, in article order."""
    if count <= 0:
        return ()
    new = _distinct([_words(quote.text) for _, quote in entry.quotes])
    distinct = [item for item, keep in zip(entry.quotes, new, strict=True) if keep]
    whole = [q for q in distinct if len(q[1].text.split()) >= _MIN_QUOTE_WORDS]
    fragments = [q for q in distinct if len(q[1].text.split()) < _MIN_QUOTE_WORDS]
    picked = sorted((whole + fragments)[:count], key=lambda q: (q[0], q[1].start))
    return tuple((_trim_quote(quote), articles[index].source_name) for index, quote in picked)

"""The day's actors merged from each article's, scored, and the lines of their briefs chosen.

The computing half of :mod:`brief.actors.briefs` (which keeps the public entry points:
gathering the day, building the briefs), apart so that it can be compiled with the
per-article analysis (:mod:`brief.native`): a day of 10,000 articles merges hundreds of
thousands of mentions here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter

from brief.actors.analysis import ArticleActors
from brief.actors.daylines import _OPENING_QUOTES, _Day, _Line, _words
from brief.actors.nonactors import (
    as_medium,
    as_object,
    credit_line,
    credited,
    historical,
    inside_quote_marks,
    product_name,
)
from brief.config import ACTOR_KINDS, Config
from brief.models import Actor, ActorBrief, ActorKind, Article, Mention, Quote

_CO_ACTORS = 3  # "With: ..." names at most this many
_HEADER_WORDS = 15  # what an actor's heading, facts and "With:" line add to the length budget
_QUOTE_WORDS = 40  # a longer quote is cut at the last sentence end within this many words
_QUOTE_LIMIT = 600  # characters; a quote still longer is cut at a word, with an ellipsis
MIN_SENTENCE_WORDS = 6
_CONTAINED = 0.8  # a sentence or quote this much inside a shown one repeats it
CENTRAL = 5.0  # an actor this salient in one article is central to it
_EARLY = 0.4  # an actor named in the first 40% of a sentence is usually its subject
_SIMILARITY = 0.7  # word-set Jaccard at or above which two sentences (or quotes) are one
# Slack for float rounding in the bounds below, so they never exclude a pair _similar accepts.
_EPSILON = 1e-9
_SMALL = 24  # up to this many word sets, de-duplication compares each pair
_INITIAL_OR_SUFFIX_RE = re.compile(r"[A-Z]\.|Jr\.?|Sr\.?")
_START = attrgetter("start")
_ACTOR = attrgetter("actor")
_SPEAKER = attrgetter("speaker")
_AFFILIATION = attrgetter("affiliation")
_NONE: Mapping[str, int] = {}  # counts of nothing, shared (never changed)


# A sentence an actor's brief may show: (article index, start offset, text, its word set).
_Candidate = tuple[int, int, str, frozenset[str]]


@dataclass(slots=True)
class DayActor:
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
    spans: list[Mention] = field(default_factory=list)  # its mentions, in the day's order
    # Each mention's article (by index): two lists, not a list of pairs (a day has a
    # hundred thousand mentions).
    span_articles: list[int] = field(default_factory=list)
    by_article: dict[int, float] = field(default_factory=dict)  # salience in each article
    acts: int = 0  # mentions in which it acts, other sentences in which it speaks
    not_actor: str | None = None  # why it gets no brief (see non_actor_reason)
    flagged: dict[int, str] = field(
        default_factory=dict
    )  # article index → detector's not-actor flag

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


def _most_common(counter: Counter[str]) -> str | None:
    return counter.most_common(1)[0][0] if counter else None


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(w for w in name.split() if not _INITIAL_OR_SUFFIX_RE.fullmatch(w))


def _day_names(analyses: Sequence[ArticleActors]) -> dict[tuple[str, str], str]:
    """Each article's (kind, name) → the day's name: "Trump" in one article is "Donald Trump"."""
    # The day's distinct (kind, name) in the order first seen, each with its name key: a
    # day names the same actors in thousands of articles, and each is looked at once.
    keys = {(actor.kind, actor.name): None for result in analyses for actor in result.actors}
    named = [(kind, name, _name_key(name)) for kind, name in keys]
    people: dict[tuple[str, ...], str] = {}
    for kind, name, key in named:
        if kind == "person" and len(key) > 1:
            # "Patricia Kim" and "Patricia M. Kim" are one; keep the fuller spelling.
            current = people.get(key)
            if current is None or len(name) > len(current):
                people[key] = name
    # The full names each word ends or starts, so a lone surname finds its fits in one look-up.
    by_end: dict[str, set[str]] = {}
    for key, full in people.items():
        by_end.setdefault(key[-1], set()).add(full)
        by_end.setdefault(key[0], set()).add(full)
    mapping: dict[tuple[str, str], str] = {}
    for kind, name, key in named:
        day_name = name
        if kind == "person" and len(key) > 1:
            day_name = people[key]
        elif kind == "person" and key:
            # A lone surname joins the day's one full name that ends (or starts) with it.
            fits = by_end.get(key[0], set())
            if len(fits) == 1:
                day_name = next(iter(fits))
        mapping[(kind, name)] = day_name
    return mapping


def is_muted(actor: DayActor, mute: Sequence[str]) -> bool:
    wanted = [m.strip().casefold() for m in mute if m.strip()]
    if not wanted:  # (asked of every actor of the day; most configurations mute none)
        return False
    names = {actor.name.casefold(), *(a.casefold() for a in actor.aliases)}
    return any(m in names for m in wanted)


def _article_salience(
    result: ArticleActors, acting: Mapping[str, int], text_length: int, title: str
) -> dict[str, float]:
    """How much each actor matters in one article: what it does, says, where, in the title.

    ``acting`` counts, per actor, the mentions in which it acts and the other
    sentences in which it speaks (an actor left out: none).  A mention in passing ("to
    Russia") counts for much less, so a state named twenty times does not bury the
    people who act.
    """
    # (Counted with map and filter, in C, and read with .get: this runs for every article.)
    mentions = result.mentions
    counts = Counter(map(_ACTOR, mentions))
    # Where each actor is first named: walked backwards, the earliest mention is set last.
    backwards = mentions[::-1]
    first = dict(zip(map(_ACTOR, backwards), map(_START, backwards), strict=True))
    # (most articles quote no one, or name no affiliation: no Counter made for those)
    spoken = Counter(filter(None, map(_SPEAKER, result.quotes))) if result.quotes else _NONE
    affiliations = list(filter(None, map(_AFFILIATION, result.actors)))
    affiliated = Counter(affiliations) if affiliations else _NONE
    length = max(1, text_length)
    log1p = math.log1p
    scores: dict[str, float] = {}
    for actor in result.actors:
        name = actor.name
        acts = acting.get(name, 0)
        passing = max(0, counts.get(name, 0) - acts)
        score = 0.5 + 1.5 * log1p(acts) + 0.5 * log1p(passing)
        # Speaking counts as acting above; many quotes add a little more.
        score += 0.5 * min(2, spoken.get(name, 0))
        if actor.role or actor.affiliation:
            score += 0.5
        # An organisation or state that people speak for matters more than a passing name.
        score += 0.5 * min(2, affiliated.get(name, 0))
        score += 0.75 * (1.0 - first.get(name, length) / length)
        if title and name in title:
            score += 1.0
        scores[name] = score
    return scores


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


def distinct(sets: Sequence[frozenset[str]]) -> list[bool]:
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


def fresh_quote(text: str, used: list[frozenset[str]]) -> str | None:
    """A quote trimmed as the briefs show quotes, or None when it repeats one of ``used``
    (word sets shown already; the quote's joins them)."""
    words = _words(text)
    if any(repeats(words, u) for u in used):
        return None
    used.append(words)
    return trim_quote(text)


def trim_quote(text: str, words: int = _QUOTE_WORDS) -> str:
    """A long quote cut at the last sentence end within ``words`` words (its first sentence
    when even that is longer; a word cut with "…" only past :data:`_QUOTE_LIMIT` characters).
    """
    from brief.text.sentences import split_sentences

    text = " ".join(text.split())
    if len(text.split()) > words:
        kept: list[str] = []
        for sentence in split_sentences(text):
            if kept and len(" ".join([*kept, sentence.text]).split()) > words:
                break
            kept.append(sentence.text)
        if kept:
            text = " ".join(kept)
    if len(text) > _QUOTE_LIMIT:
        text = text[:_QUOTE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


# --- names that are not actors -------------------------------------------------------


def non_actor_reason(entry: DayActor, day: _Day, sources: set[str] | None = None) -> str | None:
    """Why a detected name gets no brief, or None for an actor (``sources``: the sources
    that carried its articles, when already known).

    Not actors: a kind the detector flags as no actor; product and technology
    names ("GPS", "Apple Watch", a promo code); publishers and wire services
    whose every mention is a dateline, byline, credit or interview ("(CNN)",
    "CNN's Jane Doe contributed to this report", "told Sportsmail"); and names
    that never act or speak and are only mentioned as history or concepts
    ("in a mirror of president Nixon's embrace of…", "a “reverse Nixon”"); and
    organisations named only as a medium ("posted on Twitter", "her Twitter
    followers").  A watched actor is always an actor.
    """
    if entry.watched:
        return None
    if entry.kind not in ACTOR_KINDS:
        return "flagged"
    if entry.flagged and len(entry.flagged) == len(entry.articles):
        return next(iter(entry.flagged.values()))  # flagged in every article it is in
    if product_name(entry.name):
        return "product"
    if not entry.spans:
        return None
    if sources is None:
        sources = day.sources(entry.articles)
    publishers = {name.casefold() for name in sources}
    # Each test below mostly stops at an actor's first mentions: the mentions' sentences
    # are looked up as the tests reach them, once each.
    looked_up: list[tuple[str, Mention, _Line | None, Article]] = []

    def contexts() -> Iterator[tuple[str, Mention, _Line | None, Article]]:
        for number, (i, m) in enumerate(zip(entry.span_articles, entry.spans, strict=True)):
            if number == len(looked_up):
                looked_up.append(
                    (day.articles[i].text, m, day.sentence_of(i, m.start), day.articles[i])
                )
            yield looked_up[number]

    if all(
        credited(text, m.start, m.end, m.surface, line.text if line else "", publishers)
        for text, m, line, _ in contexts()
    ):
        return "credit"
    if entry.kind == "organisation" and all(
        as_medium(text, m.start, m.end) for text, m, _, _ in contexts()
    ):
        # Every mention a medium ("posted on Twitter"): a quote credited to it is a slip.
        return "medium"
    if entry.acts or entry.quotes:
        return None
    if all(as_object(text, m.start) for text, m, _, _ in contexts()):
        return "product"
    past = False
    for text, mention, line, article in contexts():
        year = (article.published or article.fetched or datetime.now(UTC)).year
        if line is not None and historical(line.text, year):
            past = True
        elif not inside_quote_marks(text, mention.start):
            return None
    return "history" if past else None


def day_salience(entry: DayActor) -> float:
    """The salience the minimum applies to: none for a name that is no actor."""
    return 0.0 if entry.not_actor is not None else entry.salience


def gather_day(
    articles: Sequence[Article], analyses: Sequence[ArticleActors]
) -> tuple[_Day, dict[tuple[str, str], DayActor]]:
    """Merge the articles' actors into the day's, with counts, quotes and salience."""
    mapping = _day_names(analyses)
    actors: dict[tuple[str, str], DayActor] = {}
    day = _Day(articles, analyses, [])
    for index, (article, result) in enumerate(zip(articles, analyses, strict=True)):
        names = {a.name: mapping.get((a.kind, a.name), a.name) for a in result.actors}
        day.names.append(names)
        acting = day.acts(index)
        saliences = _article_salience(result, acting, len(article.text), article.title)
        watched = result.watched
        # The article's names → their day entries, for its mentions and quotes below (of two
        # actors of one name, the last).
        entries: dict[str, DayActor] = {}
        for actor in result.actors:
            name = actor.name
            key = (actor.kind, names[name])
            entry = actors.get(key)
            if entry is None:  # (made only when new: an actor is in thousands of articles)
                entry = actors[key] = DayActor(key[1], actor.kind)
            entries[name] = entry
            entry.aliases.append(name)
            if actor.aliases:
                entry.aliases += actor.aliases
            if actor.role:
                entry.roles[actor.role] += 1
            if actor.affiliation:
                entry.affiliations[actor.affiliation] += 1
            if watched and name in watched:
                entry.watched = True
            if not entry.articles or entry.articles[-1] != index:
                entry.articles.append(index)  # articles are read in order: no scan needed
            score = saliences.get(name, 0.0)
            entry.salience += score
            entry.by_article[index] = entry.by_article.get(index, 0.0) + score
            entry.acts += acting.get(name, 0)
            if result.not_actors:
                flag = result.not_actor(name)
                if flag is not None:
                    entry.flagged[index] = flag
        for mention in result.mentions:
            named = entries.get(mention.actor)
            if named is not None:
                named.mentions += 1
                named.spans.append(mention)
                named.span_articles.append(index)
        for quote in result.quotes:
            speaker = quote.speaker
            if speaker is not None and speaker in entries:
                entries[speaker].quotes.append((index, quote))
    for entry in actors.values():
        # Coverage across articles and outlets is salience too.
        sources = day.sources(entry.articles)
        entry.salience += 1.0 * (len(entry.articles) - 1) + 0.5 * (len(sources) - 1)
        entry.not_actor = non_actor_reason(entry, day, sources)
    return day, actors


# What a brief may show: (article index, start offset, text, word set) per sentence or quote.
Pick = tuple[list[_Candidate], list[tuple[int, Quote]]]


def choose_lines(
    entry: DayActor, day: _Day, used: list[frozenset[str]], visible: set[str], config: Config
) -> Pick:
    """An actor's sentences and quotes, none of them like one in ``used`` (which grows).

    A sentence several actors act in belongs to the one acting first among the
    ``visible`` ("Trump said Japan would buy more gas" is Trump's).
    """
    if entry.not_actor is not None:
        return [], []
    wanted = config.actors.sentences
    ranked: list[tuple[tuple[int, int, int], _Candidate]] = []
    if wanted > 0:
        for index in entry.articles:
            # (an actor not acting in a sentence cannot own it: only the sentences someone
            # acts in are looked at, in any order, as the ranking below sorts them whole)
            if entry.name not in day.acting(index):
                continue
            quotes = day.analyses[index].quotes
            for line in day.active(index):
                if entry.name not in line.acting or line.owner(visible) != entry.name:
                    continue
                if len(line.text.split()) < MIN_SENTENCE_WORDS or line.quoted(quotes):
                    continue
                if credit_line(line.text):
                    continue
                offset = line.offset(entry.name)
                speaks = any(
                    q.speaker is not None
                    and day.names[index].get(q.speaker, q.speaker) == entry.name
                    and line.start <= q.start < line.end
                    for q in quotes
                )
                early = offset is not None and offset <= _EARLY * (line.end - line.start)
                # What it says first, then sentences it leads, in article order; history last.
                tier = 0 if speaks else (1 if early else 2)
                if historical(line.text):
                    tier = 3
                ranked.append(
                    ((tier, index, line.start), (index, line.start, line.text, line.words))
                )
    ranked.sort(key=lambda item: item[0])
    sentences: list[_Candidate] = []
    for _, candidate in ranked:
        if len(sentences) >= wanted:
            break
        if not any(repeats(candidate[3], u) for u in used):
            sentences.append(candidate)
            used.append(candidate[3])
    picked = _pick_quotes(entry, day, used, config.actors.quotes)
    sentences.sort(key=lambda c: (c[0], c[1]))
    return sentences, picked


def repeats(words: frozenset[str], shown: frozenset[str]) -> bool:
    """Would showing ``words`` repeat ``shown``: near-identical, or one mostly inside the
    other (a quote already shown in its sentence, a sentence with a caption glued on)?
    """
    if not (words and shown):
        return False
    if _similar(words, shown):
        return True
    return len(words & shown) >= _CONTAINED * min(len(words), len(shown))


def _pick_quotes(
    entry: DayActor, day: _Day, used: list[frozenset[str]], count: int
) -> list[tuple[int, Quote]]:
    """Up to ``count`` distinct quotes that stand as sentences, in article order.

    A quote inside a reporting sentence ("…said the visit would “inject new
    momentum”") is shown in that sentence instead, one of the actor's bullets.
    """
    if count <= 0:
        return []
    new = distinct([_words(quote.text) for _, quote in entry.quotes])
    picked: list[tuple[int, Quote]] = []
    for (index, quote), keep in zip(entry.quotes, new, strict=True):
        if len(picked) >= count or not keep:
            continue
        line = day.sentence_of(index, quote.start)
        if line is not None and line.article[line.start : quote.start].strip(_OPENING_QUOTES + " "):
            continue  # embedded in its sentence
        text = fresh_quote(quote.text, used)
        if text is None:
            continue
        picked.append(
            (index, Quote(text, quote.speaker, quote.start, quote.end, day.articles[index].id))
        )
    return picked


def fit_budget(picks: list[Pick], budget: float) -> None:
    """Cut the picks to ``budget`` words: every actor's first item in rank order, then the
    seconds, and so on (an actor's sentences before its quotes), so more actors get a line.
    An actor's first item also costs its heading (:data:`_HEADER_WORDS`).
    """
    if budget == math.inf:
        return
    sizes = [
        [len(c[2].split()) for c in sentences] + [len(q.text.split()) for _, q in quotes]
        for sentences, quotes in picks
    ]
    kept: list[int] = [0] * len(picks)  # how many of each actor's items fit
    spent = 0.0
    for turn in range(max(map(len, sizes), default=0)):
        for number, items in enumerate(sizes):
            if kept[number] != turn or turn >= len(items):
                continue  # an actor whose last item did not fit gets no later ones
            size = items[turn] + (_HEADER_WORDS if turn == 0 else 0)
            if spent > 0 and spent + size > budget:
                continue
            spent += size
            kept[number] += 1
    for (sentences, quotes), count in zip(picks, kept, strict=True):
        del quotes[max(0, count - len(sentences)) :]
        del sentences[count:]


def actor_brief(
    entry: DayActor,
    day: _Day,
    shown: set[str],
    sentences: list[_Candidate],
    quotes: list[tuple[int, Quote]],
) -> ActorBrief:
    """One actor's brief: counts, its sentences and quotes, and who it appears with."""
    co_actors: Counter[str] = Counter()
    for index in entry.articles:
        for line in day.shared(index):  # (a sentence naming it alone names no other)
            if entry.name in line.names:
                for other in line.names:
                    if other != entry.name and other in shown:
                        co_actors[other] += 1
    return ActorBrief(
        actor=entry.actor(),
        article_count=len(entry.articles),
        source_count=len(day.sources(entry.articles)),
        mention_count=entry.mentions,
        sentences=tuple(c[2] for c in sentences),
        quotes=tuple((quote, source_label(day.articles[index])) for index, quote in quotes),
        co_actors=tuple(co_actors.most_common(_CO_ACTORS)),
        article_ids=tuple(day.articles[i].id for i in entry.articles),
    )


def source_label(article: Article) -> str:
    """Where a quote was said: the story's title, else its source's name."""
    return " ".join(article.title.split()) or article.source_name


def article_weights(actors: Mapping[tuple[str, str], DayActor], day: _Day) -> dict[str, float]:
    """Per article id, 0..1: how much the day's salient actors act in it (see
    :meth:`brief.actors.briefs.DayActors.article_weights`)."""
    top = max((day_salience(e) for e in actors.values()), default=0.0)
    if top <= 0:
        return {}
    weights: dict[str, float] = {}
    for entry in actors.values():
        if entry.not_actor is not None:
            continue
        day_weight = 1.0 if entry.watched else entry.salience / top
        for index in entry.articles:
            if entry.name not in day.acting(index):
                continue
            central = min(1.0, entry.by_article.get(index, 0.0) / CENTRAL)
            article = day.articles[index].id
            weights[article] = max(weights.get(article, 0.0), day_weight * central)
    return weights

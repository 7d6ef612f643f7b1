"""The day's actor briefs: merge each article's actors, rank them, say what each did and said."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from brief.actors.analysis import AnalysisStore, ArticleActors, analyse_article_cached
from brief.config import Config
from brief.models import Actor, ActorBrief, ActorKind, Article, Quote, Sentence

_CO_ACTORS = 5  # "With: ..." names at most this many
_QUOTE_LIMIT = 600  # characters; a longer quote is cut at a word, with an ellipsis
_MIN_QUOTE_WORDS = 5  # shorter quotes are fragments, shown after whole ones
_MIN_SENTENCE_WORDS = 6


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


@dataclass(slots=True)
class _Day:
    """The day's articles with their analyses, read once."""

    articles: Sequence[Article]
    analyses: Sequence[ArticleActors]
    names: list[dict[str, str]]  # per article: the article's actor name → the day's name
    kinds: list[dict[str, ActorKind]]  # per article: actor name → kind
    # Per article: each sentence with the day's actors named in it (name → first offset).
    sentences: list[list[tuple[Sentence, dict[str, int]]]]

    def sources(self, indices: Sequence[int]) -> set[str]:
        """The sources that carried these articles (a story syndicated elsewhere counts too)."""
        names = {self.articles[i].source_name for i in indices}
        names.update(s for i in indices for s in self.articles[i].also_in)
        return names


@contextmanager
def _analysis_cache(config: Config, store: AnalysisStore | None) -> Iterator[AnalysisStore | None]:
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
    return tuple(w for w in name.split() if not re.fullmatch(r"[A-Z]\.|Jr\.?|Sr\.?", w))


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
    mapping: dict[tuple[str, str], str] = {}
    for result in analyses:
        for actor in result.actors:
            name = actor.name
            key = _name_key(name)
            if actor.kind == "person" and len(key) > 1:
                name = people[key]
            elif actor.kind == "person" and key:
                # A lone surname joins the day's one full name that ends (or starts) with it.
                fits = {full for k, full in people.items() if key[0] in (k[-1], k[0])}
                if len(fits) == 1:
                    name = fits.pop()
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
    return frozenset(re.findall(r"\w+", text.casefold()))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Near-identical word sets: the same sentence or quote from another outlet or edit."""
    return bool(a and b) and len(a & b) / len(a | b) >= 0.7


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
    store: AnalysisStore | None = None,
    analyses: Sequence[ArticleActors] | None = None,
) -> tuple[ActorBrief, ...]:
    """The day's actor briefs, most salient first, as ``config.actors`` asks.

    Each article is analysed once per content, cached in ``store`` (default: the
    configured article store).  An actor found automatically needs
    ``min_mentions`` mentions or attributed quotes across the day; a watched
    actor needs one; a muted actor never appears (by name or alias).
    """
    settings = config.actors
    if settings.max_actors <= 0 or not articles:
        return ()
    if analyses is None:
        with _analysis_cache(config, store) as cache:
            analyses = [analyse_article_cached(a, cache, settings.watch) for a in articles]
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
    from brief.text.sentences import split_sentences

    mapping = _day_names(analyses)
    actors: dict[tuple[str, str], _DayActor] = {}
    day = _Day(articles, analyses, [], [], [])
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
            if index not in entry.articles:
                entry.articles.append(index)
            entry.salience += saliences.get(actor.name, 0.0)
        for mention in result.mentions:
            if mention.actor in kinds:
                actors[(kinds[mention.actor], names[mention.actor])].mentions += 1
        for quote in result.quotes:
            if quote.speaker in kinds:
                speaker = quote.speaker
                actors[(kinds[speaker], names[speaker])].quotes.append((index, quote))
        spans = [(m.start, m.end, names.get(m.actor, m.actor)) for m in result.mentions]
        rows: list[tuple[Sentence, dict[str, int]]] = []
        for sentence in split_sentences(article.text):
            named: dict[str, int] = {}
            for start, end, name in spans:
                if sentence.start <= start and end <= sentence.end:
                    named.setdefault(name, start - sentence.start)
            rows.append((sentence, named))
        day.sentences.append(rows)
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
    candidates: list[tuple[int, int, str]] = []
    leading: set[tuple[int, int]] = set()  # sentences that name the actor early: its own news
    seen: list[frozenset[str]] = []
    co_actors: Counter[str] = Counter()
    for index in entry.articles:
        quotes = day.analyses[index].quotes
        for sentence, names in day.sentences[index]:
            if entry.name not in names:
                continue
            for other in names.keys() - {entry.name}:
                if other in shown:
                    co_actors[other] += 1
            text = " ".join(sentence.text.split())
            # Quotes are shown as quotes; a sentence that is mostly one says little more.
            if len(text.split()) < _MIN_SENTENCE_WORDS:
                continue
            if _quote_share(sentence.start, sentence.end, quotes) > 0.5:
                continue
            words = _words(text)
            if any(_similar(words, other) for other in seen):
                continue  # the same sentence in another article (wire copy)
            seen.append(words)
            candidates.append((index, sentence.start, text))
            if names[entry.name] <= 0.4 * len(sentence.text):
                leading.add((index, sentence.start))
    # Sentences no higher-ranked actor shows already come first, then those naming the actor
    # early (where it is usually the subject); the summarizer chooses within each tier.
    tiers: list[list[tuple[int, int, str]]] = [[], [], [], []]
    for candidate in candidates:
        stale = any(_similar(_words(candidate[2]), u) for u in used)
        early = (candidate[0], candidate[1]) in leading
        tiers[2 * stale + (not early)].append(candidate)
    picked: list[tuple[int, int, str]] = []
    for tier in tiers:
        wanted = config.actors.sentences - len(picked)
        if wanted <= 0:
            break
        picked += _pick_sentences(tier, wanted, config.summary.algorithm)
    picked.sort(key=lambda c: (c[0], c[1]))
    sentences = [text for _, _, text in picked]
    used.extend(_words(s) for s in sentences)
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


def _pick_sentences(
    candidates: list[tuple[int, int, str]], count: int, algorithm: str
) -> list[tuple[int, int, str]]:
    """The ``count`` most informative of an actor's sentences (the summarizer's choice)."""
    if count <= 0 or not candidates:
        return []
    if len(candidates) <= count:
        return list(candidates)
    from brief.text.summarize import summarize_text

    document = "\n\n".join(text for _, _, text in candidates)
    try:
        chosen = summarize_text(document, algorithm=algorithm, sentences=count)
    except Exception:  # a summarizer failing must not cost the briefing: take the first ones
        chosen = []
    chosen_words = [_words(s.text) for s in chosen]
    picked = [c for c in candidates if any(_similar(_words(c[2]), w) for w in chosen_words)]
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
    distinct: list[tuple[int, Quote]] = []
    seen: list[frozenset[str]] = []
    for index, quote in entry.quotes:
        words = _words(quote.text)
        if any(_similar(words, other) for other in seen):
            continue
        seen.append(words)
        distinct.append((index, quote))
    whole = [q for q in distinct if len(q[1].text.split()) >= _MIN_QUOTE_WORDS]
    fragments = [q for q in distinct if len(q[1].text.split()) < _MIN_QUOTE_WORDS]
    picked = sorted((whole + fragments)[:count], key=lambda q: (q[0], q[1].start))
    return tuple((_trim_quote(quote), articles[index].source_name) for index, quote in picked)

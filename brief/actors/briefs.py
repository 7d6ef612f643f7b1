"""The day's actor briefs: merge each article's actors, rank them, and say what each did and said."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from brief.actors.analysis import AnalysisStore, ArticleActors, analyse_article_cached
from brief.config import Config
from brief.models import Actor, ActorBrief, ActorKind, Article, Quote

_CO_ACTORS = 5
_QUOTE_LIMIT = 600  # characters: longer quotes are cut at a word with an ellipsis
_MIN_QUOTE_WORDS = 5


@dataclass(slots=True)
class _DayActor:
    """One actor across the day's articles, while briefs are being built."""

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


@contextmanager
def _analysis_cache(config: Config, store: AnalysisStore | None) -> Iterator[AnalysisStore | None]:
    """The store to cache analyses in: the one given, else the configured one, else none.

    A store that cannot be opened (read-only folder, another program's file) only
    costs the cache; the briefing goes on with an in-process cache.
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
    if not counter:
        return None
    return counter.most_common(1)[0][0]


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(w for w in name.split() if not re.fullmatch(r"[A-Z]\.|Jr\.?|Sr\.?", w))


def _day_names(analyses: Sequence[ArticleActors]) -> dict[tuple[str, str], str]:
    """Map each article's (kind, name) to the day's name: "Trump" in one article is "Donald Trump"."""
    people: dict[tuple[str, ...], str] = {}
    for result in analyses:
        for actor in result.actors:
            if actor.kind == "person" and len(_name_key(actor.name)) > 1:
                key = _name_key(actor.name)
                # "Patricia Kim" and "Patricia M. Kim" are one; keep the fuller spelling.
                current = people.get(key)
                if current is None or len(actor.name) > len(current):
                    people[key] = actor.name
    mapping: dict[tuple[str, str], str] = {}
    for result in analyses:
        for actor in result.actors:
            name = actor.name
            if actor.kind == "person":
                key = _name_key(name)
                if len(key) > 1:
                    name = people[key]
                else:
                    fits = {full for k, full in people.items() if key and key[0] in (k[-1], k[0])}
                    if len(fits) == 1:
                        name = fits.pop()
            mapping[(actor.kind, actor.name)] = name
    return mapping


def _muted(actor: _DayActor, mute: Sequence[str]) -> bool:
    names = {actor.name.casefold(), *(a.casefold() for a in actor.aliases)}
    return any(m.strip().casefold() in names for m in mute if m.strip())


def _article_salience(result: ArticleActors, text_length: int, title: str) -> dict[str, float]:
    """How much each actor matters in one article: mentions, quotes, cues, position, title."""
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for mention in result.mentions:
        counts[mention.actor] += 1
        first.setdefault(mention.actor, mention.start)
    spoken = Counter(q.speaker for q in result.quotes if q.speaker)
    affiliated = Counter(a.affiliation for a in result.actors if a.affiliation)
    length = max(1, text_length)
    for actor in result.actors:
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


def _normal_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.casefold()))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= 0.7


def _quote_share(start: int, end: int, quotes: Sequence[Quote]) -> float:
    inside = sum(max(0, min(end, q.end) - max(start, q.start)) for q in quotes)
    return inside / max(1, end - start)


def _pick_sentences(
    candidates: list[tuple[int, int, str]], count: int, algorithm: str
) -> list[str]:
    """The ``count`` most informative of an actor's sentences, in article order."""
    if count <= 0 or not candidates:
        return []
    if len(candidates) <= count:
        return [text for _, _, text in candidates]
    from brief.text.summarize import summarize_text

    document = "\n\n".join(text for _, _, text in candidates)
    try:
        chosen = summarize_text(document, algorithm=algorithm, sentences=count)
    except Exception:  # a summarizer failing must not lose the briefing: fall back to the lead
        chosen = []
    picked_words = [_normal_words(s.text) for s in chosen]
    picked: list[tuple[int, int, str]] = []
    for candidate in candidates:
        words = _normal_words(candidate[2])
        if any(_similar(words, p) or words == p for p in picked_words):
            picked.append(candidate)
    if len(picked) < count:
        for candidate in candidates:
            if candidate not in picked and len(picked) < count:
                picked.append(candidate)
    picked.sort(key=lambda c: (c[0], c[1]))
    return [text for _, _, text in picked[:count]]


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

    Each article is analysed once per content (through ``store`` when given).
    An actor found automatically needs ``min_mentions`` mentions or attributed
    quotes across the day; watched actors need one; muted actors never appear.
    """
    settings = config.actors
    if settings.max_actors <= 0 or not articles:
        return ()
    if analyses is None:
        with _analysis_cache(config, store) as cache:
            analyses = [analyse_article_cached(a, cache, settings.watch) for a in articles]
    mapping = _day_names(analyses)
    day: dict[tuple[str, str], _DayActor] = {}
    renamed: list[dict[str, str]] = []  # per article: article name → day name
    for index, (article, result) in enumerate(zip(articles, analyses, strict=True)):
        names: dict[str, str] = {}
        saliences = _article_salience(result, len(article.text), article.title)
        for actor in result.actors:
            name = mapping.get((actor.kind, actor.name), actor.name)
            names[actor.name] = name
            entry = day.setdefault((actor.kind, name), _DayActor(name=name, kind=actor.kind))
            entry.aliases += [actor.name, *actor.aliases]
            if actor.role:
                entry.roles[actor.role] += 1
            if actor.affiliation:
                entry.affiliations[actor.affiliation] += 1
            entry.watched = entry.watched or actor.name in result.watched
            if index not in entry.articles:
                entry.articles.append(index)
            entry.salience += saliences.get(actor.name, 0.0)
        renamed.append(names)
        kinds = {a.name: a.kind for a in result.actors}
        for mention in result.mentions:
            kind = kinds.get(mention.actor)
            if kind is not None:
                day[(kind, names[mention.actor])].mentions += 1
        for quote in result.quotes:
            if quote.speaker and quote.speaker in kinds:
                speaker = names[quote.speaker]
                day[(kinds[quote.speaker], speaker)].quotes.append((index, quote))
    for entry in day.values():
        sources = {articles[i].source_name for i in entry.articles}
        sources.update(s for i in entry.articles for s in articles[i].also_in)
        entry.salience += 1.0 * (len(entry.articles) - 1) + 0.5 * (len(sources) - 1)
    # Affiliations name the day's actors too ("Trump" → "Donald Trump" is not needed there).
    visible = [
        e
        for e in day.values()
        if not _muted(e, settings.mute)
        and (e.mentions + len(e.quotes) >= (1 if e.watched else settings.min_mentions))
    ]
    visible.sort(key=lambda e: (-e.salience, e.name))
    chosen = visible[: settings.max_actors]
    shown = {(e.kind, e.name) for e in visible}
    return tuple(_brief(entry, articles, analyses, renamed, shown, config) for entry in chosen)


def _brief(
    entry: _DayActor,
    articles: Sequence[Article],
    analyses: Sequence[ArticleActors],
    renamed: list[dict[str, str]],
    shown: set[tuple[str, str]],
    config: Config,
) -> ActorBrief:
    from brief.text.sentences import split_sentences

    settings = config.actors
    candidates: list[tuple[int, int, str]] = []
    seen: list[frozenset[str]] = []
    co_actors: Counter[str] = Counter()
    for index in entry.articles:
        article, result, names = articles[index], analyses[index], renamed[index]
        kinds = {a.name: a.kind for a in result.actors}
        local = [
            n for n, day_name in names.items() if day_name == entry.name and kinds[n] == entry.kind
        ]
        spans = [(m.start, m.end, m.actor) for m in result.mentions]
        for sentence in split_sentences(article.text):
            inside = {
                actor
                for start, end, actor in spans
                if sentence.start <= start and end <= sentence.end
            }
            if not inside.intersection(local):
                continue
            for other in inside:
                key = (kinds[other], names[other])
                if names[other] != entry.name and key in shown:
                    co_actors[names[other]] += 1
            text = " ".join(sentence.text.split())
            if (
                len(text.split()) < 6
                or _quote_share(sentence.start, sentence.end, result.quotes) > 0.5
            ):
                continue
            words = _normal_words(text)
            if any(_similar(words, other) for other in seen):
                continue  # the same sentence from another article (wire copy)
            seen.append(words)
            candidates.append((index, sentence.start, text))
    sentences = _pick_sentences(candidates, settings.sentences, config.summary.algorithm)
    quotes = _pick_quotes(entry, articles, settings.quotes)
    sources = {articles[i].source_name for i in entry.articles}
    sources.update(s for i in entry.articles for s in articles[i].also_in)
    return ActorBrief(
        actor=entry.actor(),
        article_count=len(entry.articles),
        source_count=len(sources),
        mention_count=entry.mentions,
        sentences=tuple(sentences),
        quotes=quotes,
        co_actors=tuple(co_actors.most_common(_CO_ACTORS)),
        article_ids=tuple(articles[i].id for i in entry.articles),
    )


def _pick_quotes(
    entry: _DayActor, articles: Sequence[Article], count: int
) -> tuple[tuple[Quote, str], ...]:
    """Up to ``count`` distinct quotes, full sentences before fragments, in article order."""
    if count <= 0:
        return ()
    distinct: list[tuple[int, Quote]] = []
    seen: list[frozenset[str]] = []
    for index, quote in entry.quotes:
        words = _normal_words(quote.text)
        if any(_similar(words, other) for other in seen):
            continue
        seen.append(words)
        distinct.append((index, quote))
    full = [q for q in distinct if len(q[1].text.split()) >= _MIN_QUOTE_WORDS]
    fragments = [q for q in distinct if len(q[1].text.split()) < _MIN_QUOTE_WORDS]
    picked = (full + fragments)[:count]
    picked.sort(key=lambda q: (q[0], q[1].start))
    return tuple((_trim_quote(quote), articles[index].source_name) for index, quote in picked)

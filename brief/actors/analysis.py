"""One article's actors, mentions and quotes: analyse, serialise to JSON, cache per content."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from brief.actors.detect import detect
from brief.actors.quotes import find_quotes, title_spans
from brief.config import WatchedActor
from brief.models import Actor, Article, Mention, Quote

if TYPE_CHECKING:
    from brief.store import AnalysisCache

# Bump when detection or quote attribution changes, so cached analyses are redone.
ANALYSER = "actors"
ANALYSER_VERSION = "2"
# Uncached articles below this many are analysed in this process: a pool costs about 0.1 s
# to start and feed, more than it saves on a small batch.  Above it the work is shared by
# the cores (bench/actors.py prints one process beside all cores).
PARALLEL_MIN = 300


@dataclass(frozen=True, slots=True)
class ArticleActors:
    """Who one article mentions (actors with aliases), where (mentions), who says what (quotes)."""

    actors: tuple[Actor, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    genders: tuple[str | None, ...] = ()  # per actor, as the text suggests (for pronouns)
    watched: tuple[str, ...] = ()  # names of actors that came from the watchlist
    # The text's sentences as (start, end), when the cached analysis recorded them: the
    # day's briefs then need not split every article again on each run.
    sentences: tuple[tuple[int, int], ...] = ()

    def actor(self, name: str) -> Actor | None:
        """The actor with this canonical name, if the article mentions it."""
        return next((a for a in self.actors if a.name == name), None)

    def mentions_of(self, name: str) -> tuple[Mention, ...]:
        """Every mention of the actor called ``name``."""
        return tuple(m for m in self.mentions if m.actor == name)


def analyse_text(
    text: str, *, article_id: str = "", watch: Sequence[WatchedActor] = ()
) -> ArticleActors:
    """Find the actors of ``text``, their mentions (with character offsets) and the quotes."""
    detection = detect(text, watch=watch, ignore=title_spans(text))
    names = [entity.name for entity in detection.entities]
    mentions = tuple(
        Mention(names[f.entity], text[f.start : f.end], f.start, f.end, article_id)
        for f in detection.mentions
    )
    quotes = tuple(find_quotes(detection, article_id=article_id))
    return ArticleActors(
        actors=tuple(entity.actor() for entity in detection.entities),
        mentions=mentions,
        quotes=quotes,
        genders=tuple(entity.gender for entity in detection.entities),
        watched=tuple(entity.name for entity in detection.entities if entity.watched),
    )


# --- JSON ------------------------------------------------------------------------


def to_jsonable(result: ArticleActors) -> dict[str, Any]:
    """The analysis as plain JSON data (also what ``brief actors --json`` prints)."""
    by_actor: dict[str, list[dict[str, Any]]] = {}
    for mention in result.mentions:
        by_actor.setdefault(mention.actor, []).append(
            {"text": mention.surface, "start": mention.start, "end": mention.end}
        )
    genders = list(result.genders) + [None] * (len(result.actors) - len(result.genders))
    data: dict[str, Any] = {
        "analyser": f"{ANALYSER}/{ANALYSER_VERSION}",
        "actors": [
            {
                "name": actor.name,
                "kind": actor.kind,
                "aliases": list(actor.aliases),
                "role": actor.role,
                "affiliation": actor.affiliation,
                "gender": gender,
                "watched": actor.name in result.watched,
                # A mention names its actor only: when two actors share a name (a person and
                # a race both "Masters") the mentions are listed once, under the first.
                "mentions": by_actor.pop(actor.name, []),
            }
            for actor, gender in zip(result.actors, genders, strict=False)
        ],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end}
            for q in result.quotes
        ],
    }
    if result.sentences:
        data["sentences"] = [list(span) for span in result.sentences]
    return data


def to_json(result: ArticleActors) -> str:
    """Serialise an analysis for the cache (round-trips through :func:`from_json`)."""
    return json.dumps(to_jsonable(result), ensure_ascii=False, separators=(",", ":"))


def from_json(data: str, *, article_id: str = "") -> ArticleActors:
    """Read an analysis written by :func:`to_json`; ``article_id`` is set on mentions and quotes."""
    return _from_data(json.loads(data), article_id)


def _from_data(raw: dict[str, Any], article_id: str) -> ArticleActors:
    actors = []
    mentions = []
    genders = []
    watched = []
    seen: set[tuple[str, int, int]] = set()
    for item in raw["actors"]:
        actors.append(
            Actor(
                name=item["name"],
                kind=item["kind"],
                aliases=tuple(item.get("aliases", ())),
                affiliation=item.get("affiliation"),
                role=item.get("role"),
            )
        )
        genders.append(item.get("gender"))
        if item.get("watched"):
            watched.append(item["name"])
        for m in item.get("mentions", ()):
            if (item["name"], m["start"], m["end"]) not in seen:  # (old entries repeat some)
                seen.add((item["name"], m["start"], m["end"]))
                mentions.append(Mention(item["name"], m["text"], m["start"], m["end"], article_id))
    mentions.sort(key=lambda m: (m.start, m.end))
    quotes = tuple(
        Quote(q["text"], q.get("speaker"), q["start"], q["end"], article_id) for q in raw["quotes"]
    )
    sentences = tuple((int(a), int(b)) for a, b in raw.get("sentences", ()))
    return ArticleActors(
        tuple(actors), tuple(mentions), quotes, tuple(genders), tuple(watched), sentences
    )


# --- caching ------------------------------------------------------------------------


def cache_key(watch: Sequence[WatchedActor]) -> str:
    """The cache key: the analyser version and the watchlist (it changes what is found)."""
    spec = json.dumps(
        [[w.name, w.kind, list(w.aliases)] for w in watch], ensure_ascii=False, sort_keys=True
    )
    digest = hashlib.sha256(spec.encode("utf-8")).hexdigest()[:16]
    return f"v{ANALYSER_VERSION}:{digest}"


# Without a store: the last analyses of this process (the TUI's workers share it).
_MEMORY: OrderedDict[tuple[str, str], str] = OrderedDict()
_MEMORY_LIMIT = 512
_MEMORY_LOCK = threading.Lock()


def _cached(digest: str, key: str, store: AnalysisCache | None) -> str | None:
    if store is not None:
        return store.get_analysis(digest, ANALYSER, key)
    with _MEMORY_LOCK:
        return _MEMORY.get((digest, key))


def _keep(digest: str, key: str, value: str, store: AnalysisCache | None) -> None:
    if store is not None:
        store.put_analysis(digest, ANALYSER, key, value)
        return
    with _MEMORY_LOCK:
        _MEMORY[(digest, key)] = value
        while len(_MEMORY) > _MEMORY_LIMIT:
            _MEMORY.popitem(last=False)


def _fingerprint(text: str) -> str:
    """A quick check that a cached analysis is of this very text.

    The cache key (the store's content hash) is blind to case and spacing, but
    offsets are not: an article whose text was only re-spaced is analysed anew.
    """
    return f"{len(text)}:{zlib.crc32(text.encode('utf-8')):08x}"


def _cache_value(result: ArticleActors, text: str) -> str:
    data = to_jsonable(result)
    data["text"] = _fingerprint(text)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _read_cached(value: str | None, article: Article) -> ArticleActors | None:
    if value is None:
        return None
    try:
        data = json.loads(value)
        if data.get("text", _fingerprint(article.text)) != _fingerprint(article.text):
            return None  # another spelling of the text: its offsets do not fit
        return _from_data(data, article.id)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # an unreadable cache entry is redone, not fatal


def analyse_article_cached(
    article: Article, store: AnalysisCache | None = None, watch: Sequence[WatchedActor] = ()
) -> ArticleActors:
    """Analyse an article once per content and watchlist.

    The cache is keyed by the store's content hash of the article (title and
    text), so an article seen again under another id or source is not redone.
    With a store the analysis is kept across runs; without one, for the life
    of the process.
    """
    from brief.store import content_hash

    digest = content_hash(article.title, article.text)
    key = cache_key(watch)
    cached = _read_cached(_cached(digest, key, store), article)
    if cached is not None:
        return cached
    result = _analysed(article.text, article.id, watch)
    _keep(digest, key, _cache_value(result, article.text), store)
    return result


def _analysed(text: str, article_id: str, watch: Sequence[WatchedActor]) -> ArticleActors:
    """What the cache keeps: the analysis, and the sentence spans the briefs read it by."""
    from brief.text.clean import clean_sentences  # the reader's sentences: no captions, datelines

    result = analyse_text(text, article_id=article_id, watch=watch)
    spans = tuple((s.start, s.end) for s in clean_sentences(text))
    return replace(result, sentences=spans)


def _analyse_to_json(item: tuple[str, tuple[WatchedActor, ...]]) -> str:
    """Worker body: one text's analysis as the cache keeps it (JSON: smaller to send back)."""
    text, watch = item
    return _cache_value(_analysed(text, "", watch), text)


def analyse_many(
    articles: Sequence[Article],
    store: AnalysisCache | None = None,
    watch: Sequence[WatchedActor] = (),
    *,
    workers: int | None = None,
    parallel_min: int = PARALLEL_MIN,
) -> list[ArticleActors]:
    """:func:`analyse_article_cached` for many articles, in order, the uncached ones at once.

    With at least ``parallel_min`` articles to analyse (after the cache and
    repeated contents are taken out) and more than one core (or ``workers``),
    a process pool analyses them in chunks; otherwise this process does,
    which is quicker for a small batch.  The results are those of analysing
    each article on its own.
    """
    from brief.store import content_hash

    key = cache_key(watch)
    results: dict[int, ArticleActors] = {}  # by the article's place in ``articles``
    # (content hash, text) → the articles with that text, to analyse once
    todo: dict[tuple[str, str], list[int]] = {}
    for index, article in enumerate(articles):
        digest = content_hash(article.title, article.text)
        if (digest, article.text) in todo:
            todo[(digest, article.text)].append(index)
            continue
        cached = _read_cached(_cached(digest, key, store), article)
        if cached is None:
            todo[(digest, article.text)] = [index]
        else:
            results[index] = cached
    cores = workers if workers is not None else (os.cpu_count() or 1)
    if todo and cores > 1 and len(todo) >= parallel_min:
        items = [(text, tuple(watch)) for _, text in todo]
        chunk = max(4, len(items) // (cores * 8))
        with ProcessPoolExecutor(max_workers=cores) as pool:
            values = list(pool.map(_analyse_to_json, items, chunksize=chunk))
        for ((digest, _), indices), value in zip(todo.items(), values, strict=True):
            _keep(digest, key, value, store)
            for index in indices:
                results[index] = from_json(value, article_id=articles[index].id)
    else:
        for (digest, text), indices in todo.items():
            first = articles[indices[0]]
            result = _analysed(text, first.id, watch)
            value = _cache_value(result, text)
            _keep(digest, key, value, store)
            results[indices[0]] = result
            for index in indices[1:]:
                # As if read back from the cache, like a second article with this content.
                results[index] = from_json(value, article_id=articles[index].id)
    return [results[index] for index in range(len(articles))]

"""One article's actors, mentions and quotes: analyse, serialise to JSON, cache per content."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from brief.actors.detect import detect
from brief.actors.quotes import find_quotes, title_spans
from brief.config import WatchedActor
from brief.models import Actor, Article, Mention, Quote

# Bump when detection or quote attribution changes, so cached analyses are redone.
ANALYSER = "actors"
ANALYSER_VERSION = "1"


@dataclass(frozen=True, slots=True)
class ArticleActors:
    """Who one article mentions (actors with aliases), where (mentions), who says what (quotes)."""

    actors: tuple[Actor, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    genders: tuple[str | None, ...] = ()  # per actor, as the text suggests (for pronouns)
    watched: tuple[str, ...] = ()  # names of actors that came from the watchlist

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
    by_actor: dict[str, list[dict[str, Any]]] = {a.name: [] for a in result.actors}
    for mention in result.mentions:
        by_actor.setdefault(mention.actor, []).append(
            {"text": mention.surface, "start": mention.start, "end": mention.end}
        )
    genders = dict(zip((a.name for a in result.actors), result.genders, strict=False))
    return {
        "analyser": f"{ANALYSER}/{ANALYSER_VERSION}",
        "actors": [
            {
                "name": actor.name,
                "kind": actor.kind,
                "aliases": list(actor.aliases),
                "role": actor.role,
                "affiliation": actor.affiliation,
                "gender": genders.get(actor.name),
                "watched": actor.name in result.watched,
                "mentions": by_actor.get(actor.name, []),
            }
            for actor in result.actors
        ],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end}
            for q in result.quotes
        ],
    }


def to_json(result: ArticleActors) -> str:
    """Serialise an analysis for the cache (round-trips through :func:`from_json`)."""
    return json.dumps(to_jsonable(result), ensure_ascii=False, separators=(",", ":"))


def from_json(data: str, *, article_id: str = "") -> ArticleActors:
    """Read an analysis written by :func:`to_json`; ``article_id`` is set on mentions and quotes."""
    raw = json.loads(data)
    actors = []
    mentions = []
    genders = []
    watched = []
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
            mentions.append(Mention(item["name"], m["text"], m["start"], m["end"], article_id))
    mentions.sort(key=lambda m: (m.start, m.end))
    quotes = tuple(
        Quote(q["text"], q.get("speaker"), q["start"], q["end"], article_id) for q in raw["quotes"]
    )
    return ArticleActors(tuple(actors), tuple(mentions), quotes, tuple(genders), tuple(watched))


# --- caching ------------------------------------------------------------------------


class AnalysisStore(Protocol):
    """The part of :class:`brief.store.Store` the actor layer uses to cache analyses."""

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        """A cached analysis, or None."""

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        """Cache an analysis."""


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


def analyse_article_cached(
    article: Article, store: AnalysisStore | None = None, watch: Sequence[WatchedActor] = ()
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
    cached: str | None
    if store is not None:
        cached = store.get_analysis(digest, ANALYSER, key)
    else:
        with _MEMORY_LOCK:
            cached = _MEMORY.get((digest, key))
    if cached is not None:
        try:
            return from_json(cached, article_id=article.id)
        except (ValueError, KeyError, TypeError):
            pass  # an unreadable cache entry is redone, not fatal
    result = analyse_text(article.text, article_id=article.id, watch=watch)
    value = to_json(result)
    if store is not None:
        store.put_analysis(digest, ANALYSER, key, value)
    else:
        with _MEMORY_LOCK:
            _MEMORY[(digest, key)] = value
            while len(_MEMORY) > _MEMORY_LIMIT:
                _MEMORY.popitem(last=False)
    return result

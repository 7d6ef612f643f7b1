"""One article's actors, mentions and quotes: analyse, serialise to JSON, cache per content."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from brief.actors.acting import mentions_acting
from brief.actors.detect import detect
from brief.actors.quotes import find_quotes, title_spans
from brief.config import WatchedActor
from brief.models import Actor, Article, Mention, MentionKind, Place, Quote

if TYPE_CHECKING:
    from brief.store import AnalysisCache

# Bump when detection or quote attribution changes, so cached analyses are redone.
ANALYSER = "actors"
ANALYSER_VERSION = "7"  # 7: the compact cache entry (see _cache_value), acting and lead
# Uncached articles below this many are analysed in this process: a pool costs about 0.1 s
# to start and feed, more than it saves on a small batch.  Above it the work is shared by
# the cores (bench/actors.py prints one process beside all cores).
PARALLEL_MIN = 300
# The most articles a worker is sent at once (about 0.1-0.2 s of work): the pool's last
# chunk is the time the other cores idle, and this process reads each chunk's results
# while the workers analyse the next.
CHUNK_MAX = 48


@dataclass(frozen=True, slots=True)
class Budget:
    """How much of one article the actor analysis reads, applied before it starts.

    Detection is linear in the text, but quote attribution and sentence
    splitting still grow faster on pathological text; the budget bounds the
    work per article whatever a feed sends.  A long read is about 60,000
    characters and 600 sentences, so ordinary articles are read whole; an
    article over budget is read from its start up to the budget (the note
    says so).
    """

    max_chars: int = 100_000
    max_sentences: int = 1_500
    # Quote attribution looks at the quotes around each quote: a news article has tens of
    # quotation marks, a page of them is not prose.
    max_quote_marks: int = 2_000


DEFAULT_BUDGET = Budget()
# Quotation marks that open or close a quote (not ’, which is mostly an apostrophe).
_QUOTE_MARK_RE = re.compile('["“”«»„‘]')


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
    # What the analysis could not do ("read the first 100,000 characters of 5,000,000",
    # "actor analysis failed: RecursionError"), for one line in the briefing's sources.
    note: str | None = None
    # Cities and regions the article names (no actors: kept out of the briefs), and their
    # mentions (``Mention.actor`` is the place's name, its kind "place").
    places: tuple[Place, ...] = ()
    place_mentions: tuple[Mention, ...] = ()
    # Actors named but not in the news, by name, with why: "product" ("Apple Watch",
    # "GPS") or "history" ("the late X"); the briefs leave them out.
    not_actors: tuple[tuple[str, str], ...] = ()
    # Per mention (in ``mentions`` order), whether it acts in its sentence of ``sentences``
    # (:func:`brief.actors.acting.mention_acts`), when the cached analysis recorded it;
    # empty: the briefs work it out.
    acting: tuple[bool, ...] = ()
    # The (start, end) of the cleaned sentences the story clusterer reads as the article's
    # lead (:func:`brief.text.clean.lead_spans`), when recorded; empty: not recorded.
    lead: tuple[tuple[int, int], ...] = ()

    def not_actor(self, name: str) -> str | None:
        """Why the actor called ``name`` is no actor of the news, or None if it is one."""
        return next((why for who, why in self.not_actors if who == name), None)

    def actor(self, name: str) -> Actor | None:
        """The actor with this canonical name, if the article mentions it."""
        return next((a for a in self.actors if a.name == name), None)

    def mentions_of(self, name: str) -> tuple[Mention, ...]:
        """Every mention of the actor called ``name``."""
        return tuple(m for m in self.mentions if m.actor == name)


def within_budget(text: str, budget: Budget = DEFAULT_BUDGET) -> tuple[str, str | None]:
    """The start of ``text`` the analysis reads (a prefix, so offsets hold), and a note if cut."""
    from brief.text.sentences import split_sentences

    read = text
    if len(read) > budget.max_chars:
        # Cut at a line break or a space near the budget, not inside a word.
        cut = max(read.rfind("\n", 0, budget.max_chars), read.rfind(" ", 0, budget.max_chars))
        read = read[: cut if cut > budget.max_chars // 2 else budget.max_chars]
    for marks, match in enumerate(_QUOTE_MARK_RE.finditer(read), 1):
        if marks > budget.max_quote_marks:
            read = read[: match.start()]
            break
    # Every sentence ends in a mark or a line break: with fewer of those the text cannot be
    # over budget, and need not be split here.
    ends = sum(read.count(mark) for mark in ".!?…\n")
    sentences = split_sentences(read) if ends + 1 > budget.max_sentences else []
    if len(sentences) > budget.max_sentences:
        read = read[: sentences[budget.max_sentences - 1].end]
    if len(read) == len(text):
        return text, None
    return read, f"actors read from the first {len(read):,} of {len(text):,} characters"


def analyse_text(
    text: str,
    *,
    article_id: str = "",
    watch: Sequence[WatchedActor] = (),
    budget: Budget = DEFAULT_BUDGET,
) -> ArticleActors:
    """Find the actors of ``text``, their mentions (with character offsets) and the quotes.

    Only the part within ``budget`` is read.  Analysis never fails the caller: if it
    raises, the article has no actors and the note names the error (one article's
    text must not stop a briefing).
    """
    read, note = within_budget(text, budget)
    try:
        result = _analyse(read, article_id, watch)
    except Exception as error:  # any failure degrades this one article, never the run
        return ArticleActors((), (), (), note=f"actor analysis failed: {type(error).__name__}")
    return replace(result, note=note) if note else result


def _analyse(text: str, article_id: str, watch: Sequence[WatchedActor]) -> ArticleActors:
    """The analysis itself, of text already within budget."""
    detection = detect(text, watch=watch, ignore=title_spans(text))
    names = [entity.name for entity in detection.entities]
    mentions = tuple(
        Mention(names[f.entity], text[f.start : f.end], f.start, f.end, article_id, f.kind)
        for f in detection.mentions
    )
    place_names = [place.name for place in detection.places]
    place_mentions = tuple(
        Mention(place_names[f.entity], text[f.start : f.end], f.start, f.end, article_id, "place")
        for f in detection.place_mentions
    )
    quotes = tuple(find_quotes(detection, article_id=article_id))
    return ArticleActors(
        actors=tuple(entity.actor() for entity in detection.entities),
        mentions=mentions,
        quotes=quotes,
        genders=tuple(entity.gender for entity in detection.entities),
        watched=tuple(entity.name for entity in detection.entities if entity.watched),
        places=tuple(
            Place(p.name, tuple(a for a in dict.fromkeys(p.surfaces) if a != p.name))
            for p in detection.places
        ),
        place_mentions=place_mentions,
        not_actors=tuple(
            (entity.name, entity.not_actor) for entity in detection.entities if entity.not_actor
        ),
    )


# --- JSON ------------------------------------------------------------------------


def to_jsonable(result: ArticleActors) -> dict[str, Any]:
    """The analysis as plain JSON data (also what ``brief actors --json`` prints)."""
    by_actor: dict[str, list[dict[str, Any]]] = {}
    demonyms: list[dict[str, Any]] = []
    for mention in result.mentions:
        if mention.kind == "demonym":
            # "Russian troops": a nationality adjective, listed apart from the state's names.
            demonyms.append(
                {
                    "actor": mention.actor,
                    "text": mention.surface,
                    "start": mention.start,
                    "end": mention.end,
                }
            )
            continue
        by_actor.setdefault(mention.actor, []).append(
            {"text": mention.surface, "start": mention.start, "end": mention.end}
        )
    by_place: dict[str, list[dict[str, Any]]] = {}
    for mention in result.place_mentions:
        by_place.setdefault(mention.actor, []).append(
            {"text": mention.surface, "start": mention.start, "end": mention.end}
        )
    genders = list(result.genders) + [None] * (len(result.actors) - len(result.genders))
    not_actors = dict(result.not_actors)
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
                "not_actor": not_actors.get(actor.name),
                # A mention names its actor only: when two actors share a name (a person and
                # a race both "Masters") the mentions are listed once, under the first.
                "mentions": by_actor.pop(actor.name, []),
            }
            for actor, gender in zip(result.actors, genders, strict=False)
        ],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "start": q.start,
                "end": q.end,
                "confidence": q.confidence,
            }
            for q in result.quotes
        ],
    }
    if result.sentences:
        data["sentences"] = [list(span) for span in result.sentences]
    data["demonyms"] = demonyms
    data["places"] = [
        {
            "name": place.name,
            "kind": "place",
            "aliases": list(place.aliases),
            "mentions": by_place.pop(place.name, []),
        }
        for place in result.places
    ]
    if result.note:
        data["note"] = result.note
    return data


def to_json(result: ArticleActors) -> str:
    """An analysis as ``brief actors --json`` prints it (round-trips through :func:`from_json`)."""
    return json.dumps(to_jsonable(result), ensure_ascii=False, separators=(",", ":"))


def from_json(data: str, *, article_id: str = "") -> ArticleActors:
    """Read an analysis written by :func:`to_json`; ``article_id`` is set on mentions and quotes."""
    return _from_data(json.loads(data), article_id)


def _from_data(raw: dict[str, Any], article_id: str) -> ArticleActors:
    actors = []
    mentions = []
    genders = []
    watched = []
    not_actors: list[tuple[str, str]] = []
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
        if isinstance(item.get("not_actor"), str):
            not_actors.append((item["name"], item["not_actor"]))
        if item.get("watched"):
            watched.append(item["name"])
        for m in item.get("mentions", ()):
            if (item["name"], m["start"], m["end"]) not in seen:  # (old entries repeat some)
                seen.add((item["name"], m["start"], m["end"]))
                mentions.append(Mention(item["name"], m["text"], m["start"], m["end"], article_id))
    for m in raw.get("demonyms", ()):
        mentions.append(Mention(m["actor"], m["text"], m["start"], m["end"], article_id, "demonym"))
    mentions.sort(key=lambda m: (m.start, m.end))
    places = tuple(
        Place(item["name"], tuple(item.get("aliases", ()))) for item in raw.get("places", ())
    )
    place_mentions = tuple(
        Mention(item["name"], m["text"], m["start"], m["end"], article_id, "place")
        for item in raw.get("places", ())
        for m in item.get("mentions", ())
    )
    quotes = tuple(
        Quote(
            q["text"],
            q.get("speaker"),
            q["start"],
            q["end"],
            article_id,
            confidence=q.get("confidence", 1.0),
        )
        for q in raw["quotes"]
    )
    sentences = tuple((int(a), int(b)) for a, b in raw.get("sentences", ()))
    note = raw.get("note")
    return ArticleActors(
        tuple(actors),
        tuple(mentions),
        quotes,
        tuple(genders),
        tuple(watched),
        sentences,
        note if isinstance(note, str) else None,
        places,
        place_mentions,
        tuple(not_actors),
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


def _cached_many(digests: Sequence[str], key: str, store: AnalysisCache | None) -> dict[str, str]:
    if store is not None:
        from brief.store.analyses import read_analyses

        return read_analyses(store, ANALYSER, key, digests)
    with _MEMORY_LOCK:
        return {d: _MEMORY[(d, key)] for d in digests if (d, key) in _MEMORY}


def _keep_many(values: Sequence[tuple[str, str]], key: str, store: AnalysisCache | None) -> None:
    if store is not None:
        from brief.store.analyses import write_analyses

        write_analyses(store, ANALYSER, key, values)
        return
    for digest, value in values:
        _keep(digest, key, value, None)


def _fingerprint(text: str) -> str:
    """A quick check that a cached analysis is of this very text.

    The cache key (the store's content hash) is blind to case and spacing, but
    offsets are not: an article whose text was only re-spaced is analysed anew.
    """
    return f"{len(text)}:{zlib.crc32(text.encode('utf-8')):08x}"


# The cache entry is compact: offsets and indices in JSON arrays, no surface text (a mention's
# and a quote's text are the article's text at their offsets), so it is a fraction of the
# article's size and reads back without a dictionary per mention.  Its fields, in order:
# format, fingerprint, actors [name, kind, aliases, role, affiliation, gender, watched,
# not_actor], mention names, mentions (flat: name index, start, end, kind, acts), quotes
# [speaker, start, end, confidence], sentences (flat: start, end), places [name, aliases],
# place mentions (flat: place index, start, end), lead (flat: start, end), note.
_FORMAT = 1
_KINDS: tuple[MentionKind, ...] = ("name", "demonym", "place")


def _flat(spans: Sequence[tuple[int, int]]) -> list[int]:
    return [value for span in spans for value in span]


def _pairs(flat: Sequence[int]) -> tuple[tuple[int, int], ...]:
    values = iter(flat)
    return tuple(zip(values, values, strict=False))  # (one iterator: pairs in turn)


def _cache_value(result: ArticleActors, text: str) -> str:
    """The analysis as the cache keeps it (read back by :func:`_from_cache`)."""
    names: dict[str, int] = {}
    mentions: list[int] = []
    # -1: not worked out (the briefs then do it themselves)
    known = len(result.acting) == len(result.mentions)
    acting = [int(a) for a in result.acting] if known else [-1] * len(result.mentions)
    for mention, acts in zip(result.mentions, acting, strict=True):
        number = names.setdefault(mention.actor, len(names))
        mentions += (number, mention.start, mention.end, _KINDS.index(mention.kind), acts)
    places = {place.name: number for number, place in enumerate(result.places)}
    place_mentions: list[int] = []
    for mention in result.place_mentions:
        place_mentions += (places[mention.actor], mention.start, mention.end)
    genders = list(result.genders) + [None] * (len(result.actors) - len(result.genders))
    # ``watched`` and ``not_actors`` list names in the actors' order: each goes to the
    # next actor of that name, so actors sharing a name read back as they were.
    watched, not_actors = list(result.watched), list(result.not_actors)
    actors = []
    for actor, gender in zip(result.actors, genders, strict=True):
        item: list[Any] = [actor.name, actor.kind, actor.aliases, actor.role, actor.affiliation]
        item.append(gender)
        item.append(bool(watched) and watched[0] == actor.name)
        if item[-1]:
            watched.pop(0)
        if not_actors and not_actors[0][0] == actor.name:
            item.append(not_actors.pop(0)[1])
        actors.append(item)
    value = [
        _FORMAT,
        _fingerprint(text),
        actors,
        list(names),
        mentions,
        [[q.speaker, q.start, q.end, q.confidence] for q in result.quotes],
        _flat(result.sentences),
        [[p.name, p.aliases] for p in result.places],
        place_mentions,
        _flat(result.lead),
        result.note,
    ]
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# An actor as its cache entry gives it: name, kind, aliases, role, affiliation.
_ActorKey = tuple[str, str, tuple[str, ...], str | None, str | None]


class _Shared:
    """What the analyses read back for one day share: one copy of each name and mention or
    quote text, one :class:`Actor` for each actor entry (a day names the same actors in
    thousands of articles, and an outlet's story is carried by others) and one int object
    for each offset: a big day's analyses are the largest thing a briefing holds."""

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.actors: dict[_ActorKey, Actor] = {}
        # offsets[i] is i: the offsets of a day's mentions, quotes and sentences are
        # hundreds of thousands of numbers below the longest text's length.
        self.offsets: list[int] = []

    def offset_of(self, text: str) -> Callable[[int], int]:
        """The day's one copy of an offset into ``text`` (the offset itself)."""
        offsets = self.offsets
        if len(offsets) <= len(text):
            offsets.extend(range(len(offsets), len(text) + 1))
        return offsets.__getitem__


def _from_cache(
    value: str, text: str, article_id: str, shared: _Shared | None = None
) -> ArticleActors | None:
    """An analysis read back from its cache entry, or None when it does not fit ``text``.

    ``shared`` keeps one copy of each name, mention and quote text, and of each actor,
    across the analyses read with it.
    """
    if shared is None:
        shared = _Shared()
    keep = shared.strings.setdefault
    known = shared.actors
    (
        version,
        fingerprint,
        actors,
        names,
        flat,
        quotes,
        sentences,
        places,
        flat_places,
        lead,
        note,
    ) = json.loads(value)
    if version != _FORMAT or fingerprint != _fingerprint(text):
        return None  # another spelling of the text: its offsets do not fit
    kinds = _KINDS
    offset = shared.offset_of(text)
    names = [keep(name, name) for name in names]
    # (the flat fields side by side, by slices: quicker than indexing each in turn)
    mentions = tuple(
        Mention(
            names[name],
            keep(surface := text[start:end], surface),
            start,
            end,
            article_id,
            kinds[kind],
        )
        for name, start, end, kind in zip(
            flat[0::5], map(offset, flat[1::5]), map(offset, flat[2::5]), flat[3::5], strict=True
        )
    )
    place_names = [name for name, _ in places]
    acting = flat[4::5]
    found = []  # (the day's one Actor of each entry: looking it up is quicker than making it)
    for a in actors:
        aliases = tuple(a[2])
        key = (a[0], a[1], aliases, a[3], a[4])
        actor = known.get(key)
        if actor is None:
            actor = known[key] = Actor(
                name=keep(a[0], a[0]),
                kind=a[1],
                aliases=tuple(map(keep, aliases, aliases)),
                affiliation=a[4],
                role=a[3],
            )
        found.append(actor)
    spans = _pairs(list(map(offset, sentences)))
    # The lead is most often the first sentences: their pairs then serve for it too.
    if lead == sentences[: len(lead)]:
        lead_pairs = spans[: len(lead) // 2]
    else:
        lead_pairs = _pairs(list(map(offset, lead)))
    return ArticleActors(
        actors=tuple(found),
        mentions=mentions,
        quotes=tuple(
            Quote(
                keep(quoted := text[start:end], quoted),
                speaker if speaker is None else keep(speaker, speaker),
                offset(start),
                offset(end),
                article_id,
                confidence=confidence,
            )
            for speaker, start, end, confidence in quotes
        ),
        genders=tuple([a[5] if a[5] is None else keep(a[5], a[5]) for a in actors]),
        watched=tuple(a[0] for a in actors if a[6]),
        sentences=spans,
        note=note,
        places=tuple(Place(name, tuple(aliases)) for name, aliases in places),
        place_mentions=tuple(
            Mention(place_names[place], text[start:end], start, end, article_id, "place")
            for place, start, end in zip(
                flat_places[0::3], flat_places[1::3], flat_places[2::3], strict=True
            )
        ),
        not_actors=tuple((a[0], a[7]) for a in actors if len(a) > 7),
        acting=() if -1 in acting else tuple(map(bool, acting)),
        lead=lead_pairs,
    )


def _read_cached(
    value: str | None, article: Article, shared: _Shared | None = None
) -> ArticleActors | None:
    if value is None:
        return None
    try:
        return _from_cache(value, article.text, article.id, shared)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None  # an unreadable (or older) cache entry is redone, not fatal


def analyse_article_cached(
    article: Article, store: AnalysisCache | None = None, watch: Sequence[WatchedActor] = ()
) -> ArticleActors:
    """Analyse an article once per content and watchlist.

    The cache is keyed by the store's content hash of the article (title and
    text), so an article seen again under another id or source is not redone.
    With a store the analysis is kept across runs; without one, for the life
    of the process.
    """
    from brief.store import article_hash

    digest = article_hash(article)
    key = cache_key(watch)
    cached = _read_cached(_cached(digest, key, store), article)
    if cached is not None:
        return cached
    result = _analysed(article.text, article.id, watch)
    _keep(digest, key, _cache_value(result, article.text), store)
    return result


def _analysed(text: str, article_id: str, watch: Sequence[WatchedActor]) -> ArticleActors:
    """What the cache keeps: the analysis, and the sentence spans the briefs read it by."""
    # The reader's sentences (no captions, datelines), and the lead the stories cluster by.
    from brief.text.clean import LEAD_CHARS, clean_sentences, lead_spans

    read, note = within_budget(text)
    result = analyse_text(read, article_id=article_id, watch=watch)
    if result.note:
        return result  # the analysis failed: no actors, no sentence to look up
    spans = tuple((s.start, s.end) for s in clean_sentences(read))
    return replace(
        result,
        note=note,
        sentences=spans,
        acting=mentions_acting(text, result.mentions, spans),
        lead=tuple(lead_spans(text, LEAD_CHARS, spans if read is text else None)),
    )


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

    The cache is read in one go and the new analyses written in one
    transaction.  With at least ``parallel_min`` articles to analyse (after
    the cache and repeated contents are taken out) and more than one core (or
    ``workers``), a process pool analyses them in chunks; otherwise this
    process does, which is quicker for a small batch.  The results are those
    of analysing each article on its own.
    """
    from brief.store import article_hash

    key = cache_key(watch)
    digests = [article_hash(article) for article in articles]
    stored = _cached_many(digests, key, store)
    shared = _Shared()  # names, texts and actors, one copy each for the day
    results: dict[int, ArticleActors] = {}  # by the article's place in ``articles``
    # (content hash, text) → the articles with that text, to analyse once
    todo: dict[tuple[str, str], list[int]] = {}
    for index, (article, digest) in enumerate(zip(articles, digests, strict=True)):
        if (digest, article.text) in todo:
            todo[(digest, article.text)].append(index)
            continue
        cached = _read_cached(stored.get(digest), article, shared)
        if cached is None:
            todo[(digest, article.text)] = [index]
        else:
            results[index] = cached
    cores = workers if workers is not None else (os.cpu_count() or 1)
    values: list[str]
    if todo and cores > 1 and len(todo) >= parallel_min:
        items = [(text, tuple(watch)) for _, text in todo]
        # Small chunks: the last one to come back is what the other cores wait for.
        chunk = max(4, min(CHUNK_MAX, len(items) // (cores * 8)))
        from concurrent.futures import ProcessPoolExecutor  # (only a big batch needs it)

        values = []
        with ProcessPoolExecutor(max_workers=cores) as pool:
            # The results come back in order, chunk by chunk: each is read as it comes,
            # while the workers go on with the next ones.
            done = pool.map(_analyse_to_json, items, chunksize=chunk)
            for ((_, text), indices), value in zip(todo.items(), done, strict=True):
                values.append(value)
                for index in indices:
                    results[index] = (
                        _from_cache(value, text, articles[index].id, shared) or _failed()
                    )
    else:
        values = []
        for (_, text), indices in todo.items():
            result = _analysed(text, articles[indices[0]].id, watch)
            values.append(_cache_value(result, text))
            results[indices[0]] = result
            for index in indices[1:]:
                # As if read back from the cache, like a second article with this content.
                results[index] = (
                    _from_cache(values[-1], text, articles[index].id, shared) or _failed()
                )
    _keep_many(
        [(digest, value) for (digest, _), value in zip(todo, values, strict=True)], key, store
    )
    return [results[index] for index in range(len(articles))]


def _failed() -> ArticleActors:
    """What stands for an analysis that did not read back (never expected)."""
    return ArticleActors((), (), (), note="actor analysis failed: unreadable result")

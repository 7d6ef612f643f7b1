"""Per-actor briefs across the day's articles, the analysis cache, the seed article's reference."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.actors import analysis
from brief.actors.analysis import (
    ArticleActors,
    analyse_article_cached,
    analyse_text,
    cache_key,
    from_json,
    to_json,
)
from brief.actors.briefs import build_actor_briefs
from brief.config import ActorsConfig, Config, WatchedActor
from brief.models import Article

SEED = Path(__file__).resolve().parents[2] / "seeds" / "globe-xi-russia-visit.txt"


def article(text: str, *, id: str, source: str = "Wire", title: str = "") -> Article:
    return Article(
        id=id,
        source_id=source.lower(),
        source_name=source,
        title=title,
        text=text,
        published=datetime(2026, 11, 28, 6, tzinfo=UTC),
    )


def config(**actors: object) -> Config:
    return Config(actors=dataclasses.replace(ActorsConfig(), **actors))  # type: ignore[arg-type]


SEED_ARTICLE = article(SEED.read_text(encoding="utf-8"), id="seed", source="The Globe")

DAY = [
    article(
        "U.S. President Donald Trump met Japanese Prime Minister Shigeru Ishiba in Tokyo on "
        "Monday. “We have a great relationship,” Mr. Trump told reporters after the talks.\n\n"
        "Tokyo agreed to buy more American liquefied natural gas, officials said.",
        id="a1",
        source="Wire",
    ),
    article(
        "Trump said on Monday that Japan would buy more gas. The deal was welcomed by "
        "Keidanren, the business lobby.\n\n"
        "“This is a win for both sides,” Trump said in Tokyo on Monday evening.",
        id="a2",
        source="Daily",
    ),
    article(
        "Markets in Tokyo rose on Tuesday. Shigeru Ishiba said the agreement would protect "
        "Japanese jobs for years to come, according to the prime minister's office.",
        id="a3",
        source="Daily",
    ),
]


def by_name(briefs: tuple[object, ...]) -> dict[str, object]:
    return {b.actor.name: b for b in briefs}  # type: ignore[attr-defined]


# --- the day's briefs -------------------------------------------------------------------


def test_seed_briefs_put_the_main_actors_first() -> None:
    briefs = build_actor_briefs([SEED_ARTICLE], config(max_actors=12))
    names = [b.actor.name for b in briefs]
    # The people and states that act lead; states and leaders named mostly in passing follow.
    assert {"Xi Jinping", "Vladimir Putin", "China", "Russia"} <= set(names[:5]), names
    assert {"Donald Trump", "United States", "Ukraine"} <= set(names), names
    assert not {"Richard Nixon", "Mao Zedong", "Soviet Union", "Germany"} & set(names), names
    found = by_name(briefs)
    result = analyse_text(SEED_ARTICLE.text)
    for speaker in ("Maria Zakharova", "Joseph Webster", "Patricia M. Kim"):
        brief = found[speaker]
        # Each of their quotes is shown: as a quote, or inside the sentence that reports it.
        shown = [q.text for q, _ in brief.quotes] + list(brief.sentences)  # type: ignore[attr-defined]
        for quote in (q for q in result.quotes if q.speaker == speaker):
            assert any(quote.text[:40] in text for text in shown), (speaker, quote.text)
        # An untitled article's quotes are credited to its source.
        assert all(source == "The Globe" for _, source in brief.quotes)  # type: ignore[attr-defined]
    webster = found["Joseph Webster"].actor  # type: ignore[attr-defined]
    assert (webster.role, webster.affiliation) == ("senior fellow", "Atlantic Council")


def test_seed_reference_actors_quotes_and_no_false_actor_in_the_top(shared_data: Path) -> None:
    gold = json.loads((shared_data / "actors" / "globe-xi-russia-visit.gold.json").read_text())
    result = analyse_text(SEED_ARTICLE.text)
    briefs = build_actor_briefs(
        [SEED_ARTICLE],
        config(max_actors=100, min_mentions=1, min_salience=0.0, sentences=0, quotes=0),
        analyses=[result],
    )

    def norm(name: str) -> str:
        return re.sub(r"^the ", "", name.casefold())

    names = {a["name"]: {norm(n) for n in (a["name"], *a["aliases"])} for a in gold["actors"]}
    ranked = [b.actor for b in briefs]
    forms = {a.name: {norm(a.name), *(norm(x) for x in a.aliases)} for a in ranked}
    for gold_name, aliases in names.items():
        assert gold_name in forms, gold_name
        body_aliases = {a for a in aliases if a in SEED_ARTICLE.text.casefold()}
        assert body_aliases <= forms[gold_name] | {
            norm(m.surface) for m in result.mentions_of(gold_name)
        }, gold_name
    assert all(a.name in names for a in ranked[:15]), [a.name for a in ranked[:15]]
    credited = sum(
        1
        for g in gold["quotes"]
        for q in result.quotes
        if q.text.startswith(g["starts"]) and q.speaker == g["speaker"]
    )
    assert credited >= 12


def test_one_actor_across_articles_and_sources() -> None:
    briefs = build_actor_briefs(DAY, config(min_mentions=1))
    found = by_name(briefs)
    trump = found["Donald Trump"]
    assert trump.article_count == 2 and trump.source_count == 2  # type: ignore[attr-defined]
    assert set(trump.article_ids) == {"a1", "a2"}  # type: ignore[attr-defined]
    assert "Trump" in trump.actor.aliases  # type: ignore[attr-defined]
    quotes = [q.text for q, _ in trump.quotes]  # type: ignore[attr-defined]
    assert quotes == ["We have a great relationship", "This is a win for both sides"]
    ishiba = found["Shigeru Ishiba"]
    assert ishiba.article_count == 2  # type: ignore[attr-defined]
    assert ishiba.actor.role == "Prime Minister"  # type: ignore[attr-defined]
    assert found["Japan"].article_count == 3  # type: ignore[attr-defined]


def test_sentences_name_the_actor_and_are_not_repeated() -> None:
    repeated = "Tokyo agreed to buy more American liquefied natural gas, officials said."
    copy = article(repeated + " Trump was pleased.", id="a4", source="Copy")
    briefs = build_actor_briefs([*DAY, copy], config(min_mentions=1, sentences=3))
    japan = by_name(briefs)["Japan"]
    assert japan.sentences  # type: ignore[attr-defined]
    assert len(japan.sentences) == len(set(japan.sentences))  # type: ignore[attr-defined]
    assert sum(s.startswith("Tokyo agreed") for s in japan.sentences) <= 1  # type: ignore[attr-defined]
    for brief in briefs:
        for sentence in brief.sentences:
            names = {brief.actor.name, *brief.actor.aliases}
            assert any(n in sentence for n in names), (brief.actor.name, sentence)


def test_co_actors_are_counted_by_sentence() -> None:
    briefs = build_actor_briefs(DAY, config(min_mentions=1))
    trump = by_name(briefs)["Donald Trump"]
    with_ = dict(trump.co_actors)  # type: ignore[attr-defined]
    assert with_.get("Shigeru Ishiba") == 1
    assert "Donald Trump" not in with_


@pytest.mark.parametrize(
    ("settings", "check"),
    [
        ({"max_actors": 2}, lambda b: len(b) == 2),
        ({"max_actors": 0}, lambda b: b == ()),
        ({"sentences": 0, "quotes": 0}, lambda b: all(not x.sentences and not x.quotes for x in b)),
        (
            {"sentences": 1, "quotes": 1},
            lambda b: all(len(x.sentences) <= 1 and len(x.quotes) <= 1 for x in b),
        ),
        ({"min_mentions": 3}, lambda b: {x.actor.name for x in b} <= {"Donald Trump", "Japan"}),
        ({"mute": ("japan",)}, lambda b: "Japan" not in {x.actor.name for x in b}),
        # muted by alias too
        ({"mute": ("Tokyo",)}, lambda b: "Japan" not in {x.actor.name for x in b}),
    ],
)
def test_config_shapes_the_briefs(settings: dict[str, object], check: object) -> None:
    briefs = build_actor_briefs(DAY, config(**{"min_mentions": 1, **settings}))
    assert check(briefs)  # type: ignore[operator]


def test_watched_actors_need_one_mention_and_keep_their_name() -> None:
    watch = (
        WatchedActor(name="Keidanren", kind="organisation", aliases=("Japan Business Federation",)),
    )
    briefs = build_actor_briefs(DAY, config(min_mentions=5, watch=watch))
    names = [b.actor.name for b in briefs]
    assert "Keidanren" in names
    assert "Shigeru Ishiba" not in names  # found automatically, below the minimum


def test_ranking_follows_salience() -> None:
    briefs = build_actor_briefs(DAY, config(min_mentions=1, min_salience=0.0))
    names = [b.actor.name for b in briefs]
    assert names.index("Donald Trump") < names.index("Keidanren")


def test_no_articles_no_briefs() -> None:
    assert build_actor_briefs([], config()) == ()


# --- serialisation and caching -----------------------------------------------------------


def test_json_round_trip() -> None:
    result = analyse_text(SEED_ARTICLE.text, article_id="seed")
    again = from_json(to_json(result), article_id="seed")
    assert again == result
    data = json.loads(to_json(result))
    assert data["analyser"].startswith("actors/")
    assert {"name", "kind", "aliases", "mentions"} <= set(data["actors"][0])


class MemoryStore:
    """A stand-in for brief.store.Store's analysis cache."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], str] = {}
        self.gets = 0

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        self.gets += 1
        return self.values.get((content_hash, analyser, key))

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        self.values[(content_hash, analyser, key)] = value


def test_analyses_are_cached_per_content(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = analysis.analyse_text

    def counting(text: str, **kwargs: object) -> ArticleActors:
        calls.append(text)
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis, "analyse_text", counting)
    store = MemoryStore()
    first = analyse_article_cached(DAY[0], store)
    second = analyse_article_cached(DAY[0], store)
    assert first == second and len(calls) == 1
    # The same text under another id and source is the same content.
    moved = dataclasses.replace(DAY[0], id="elsewhere", source_name="Mirror")
    analyse_article_cached(moved, store)
    assert len(calls) == 1
    # A different watchlist is a different analysis.
    analyse_article_cached(DAY[0], store, (WatchedActor(name="Tokyo", kind="state"),))
    assert len(calls) == 2
    assert len(store.values) == 2


def test_cache_keys_change_with_the_watchlist_and_version() -> None:
    plain = cache_key(())
    watched = cache_key((WatchedActor(name="Xi Jinping", kind="person", aliases=("Xi",)),))
    assert plain != watched
    assert plain.startswith(f"v{analysis.ANALYSER_VERSION}:")


def test_a_bad_cache_entry_is_redone() -> None:
    store = MemoryStore()
    analyse_article_cached(DAY[0], store)
    for key in store.values:
        store.values[key] = "{not json"
    result = analyse_article_cached(DAY[0], store)
    assert result.actor("Donald Trump") is not None


def test_briefs_cache_in_the_configured_store(tmp_path: Path) -> None:
    from brief.store import content_hash, open_store

    cfg = dataclasses.replace(
        config(min_mentions=1),
        store=dataclasses.replace(Config().store, path=str(tmp_path / "s.sqlite3")),
    )
    build_actor_briefs(DAY, cfg)
    with open_store(tmp_path / "s.sqlite3") as store:
        digest = content_hash(DAY[0].title, DAY[0].text)
        cached = store.get_analysis(digest, analysis.ANALYSER, cache_key(()))
    assert cached is not None and from_json(cached).actor("Donald Trump") is not None

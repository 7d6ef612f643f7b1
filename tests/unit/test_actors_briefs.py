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


@pytest.mark.parametrize(("field", "cut"), [(4, 3), (8, 1)], ids=["mentions", "places"])
def test_a_cache_entry_with_a_cut_list_of_offsets_is_redone(field: int, cut: int) -> None:
    # The flat lists are read in steps (five numbers a mention, three a place mention):
    # one cut inside a mention's offsets is unreadable, and the article analysed again.
    store = MemoryStore()
    text = DAY[0].text + " Protesters gathered in the city of Manchester on Monday."
    day = dataclasses.replace(DAY[0], text=text)
    fresh = analyse_article_cached(day, store)
    for key, value in store.values.items():
        entry = json.loads(value)
        assert entry[field], "the article should have some"
        entry[field] = entry[field][:-cut]
        store.values[key] = json.dumps(entry)
    assert analysis._read_cached(next(iter(store.values.values())), day) is None
    assert analyse_article_cached(day, store) == fresh


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
    assert cached is not None
    # The entry is compact (offsets and indices): it reads back against the article's text.
    read = analysis._read_cached(cached, DAY[0])
    assert read is not None and read.actor("Donald Trump") is not None


# --- what an actor's brief shows (issue 9) ----------------------------------------------------


def names_of(briefs: tuple[object, ...]) -> list[str]:
    return [b.actor.name for b in briefs]  # type: ignore[attr-defined]


FISHING = article(
    "Norwegian Prime Minister Ingrid Dahl said on Monday that fishing quotas would be cut "
    "for the coming season. Trawlers from Norway sailed to Iceland to protest, and boats in "
    "Norway stayed in port. Prices for cod in Norway rose by a third, traders in Bergen said. "
    "Dahl told parliament the cuts were painful but necessary for the stocks to recover. "
    "Fishermen from Norway marched in Oslo against the plan on Tuesday evening.",
    id="fish",
    title="Fishing quotas cut",
)


def test_bullets_are_sentences_the_actor_acts_or_speaks_in() -> None:
    briefs = build_actor_briefs([FISHING], config(min_mentions=1, min_salience=0.0, sentences=5))
    dahl = by_name(briefs)["Ingrid Dahl"]
    assert any(s.startswith("Dahl told parliament") for s in dahl.sentences)  # type: ignore[attr-defined]
    norway = by_name(briefs)["Norway"]
    # Norway is named in passing ("from Norway", "in Norway"): none of those is its bullet.
    for sentence in norway.sentences:  # type: ignore[attr-defined]
        assert not re.search(r"(?:from|in|to) Norway", sentence), sentence


def test_people_who_act_rank_before_states_named_in_passing() -> None:
    briefs = build_actor_briefs([FISHING], config(min_mentions=1, min_salience=0.0))
    names = names_of(briefs)
    assert names.index("Ingrid Dahl") < names.index("Norway")


def test_a_story_sentence_is_never_repeated_under_an_actor() -> None:
    shown = [
        "Norwegian Prime Minister Ingrid Dahl said on Monday that fishing quotas would be cut "
        "for the coming season."
    ]
    briefs = build_actor_briefs([FISHING], config(min_mentions=1, sentences=5), shown=shown)
    for brief in briefs:
        assert not any("quotas would be cut" in s for s in brief.sentences), brief


def test_no_sentence_appears_under_two_actors() -> None:
    text = (
        "Chancellor Karl Weber and President Elena Novak signed a gas treaty in Vienna on "
        "Friday. Weber and Novak said the treaty would last twenty years. Weber said the deal "
        "was fair to both sides. Novak said her country would pay in euros from next year."
    )
    briefs = build_actor_briefs(
        [article(text, id="treaty")], config(min_mentions=1, min_salience=0.0, sentences=5)
    )
    sentences = [s for b in briefs for s in b.sentences]
    assert sentences and len(sentences) == len(set(sentences))
    found = by_name(briefs)
    # The shared sentences go to one of them; the other is named under "With:".
    assert dict(found["Karl Weber"].co_actors).get("Elena Novak", 0) >= 2  # type: ignore[attr-defined]
    assert any("Novak said her country" in s for s in found["Elena Novak"].sentences)  # type: ignore[attr-defined]


def test_an_actor_needs_the_minimum_salience() -> None:
    text = (
        "Mayor Lena Holm said on Monday that the city would build a new bridge over the river. "
        "Holm said the bridge would open in two years. The design recalls bridges in Denmark, "
        "engineers said. Holm told the council the cost would be shared with the region."
    )
    day = [article(text, id="bridge")]
    passing = names_of(build_actor_briefs(day, config(min_mentions=1, min_salience=0.0)))
    assert "Denmark" in passing and "Lena Holm" in passing
    default = names_of(build_actor_briefs(day, config(min_mentions=1)))
    assert "Denmark" not in default and "Lena Holm" in default


@pytest.mark.parametrize(
    ("text", "not_actor"),
    [
        (
            "(CNN) Norwegian Prime Minister Ingrid Dahl said on Monday that Norway would cut "
            "fishing quotas. Dahl told CNN that the cuts were painful but necessary. Dahl said "
            "the government would compensate them. CNN's Lois Lane contributed to this report.",
            "CNN",
        ),
        (
            "OSLO (Reuters) - Norwegian Prime Minister Ingrid Dahl said on Monday that Norway "
            "would cut fishing quotas. Dahl told Reuters the cuts were painful. Dahl said the "
            "government would pay. Reporting by Jon Berg; Editing by Reuters staff.",
            "Reuters",
        ),
        (
            "Users of the Apple Watch can now share their location with friends. The Apple Watch "
            "update arrives on Monday. Apple said the feature would reach Europe later. Apple "
            "chief executive Tim Cook said the update was the biggest yet for the Apple Watch.",
            "Apple Watch",
        ),
        (
            "Senator Maria Lopez said on Tuesday that she would vote against the bill. Lopez said "
            "the plan echoed the 1970s, in a mirror of president Harold Whitby's embrace of price "
            "controls. Lopez told reporters the vote would be close. The legacy of Harold Whitby "
            "still divides the party.",
            "Harold Whitby",
        ),
        (
            "Health Minister Omar Said said on Monday that clinics would open longer. Dr. Lina "
            "Voss, CNN's chief medical correspondent, said the plan was overdue. Said "
            "told CNN the cost would be met. In an email to CNN, the ministry "
            "said the clinics would hire staff.",
            "CNN",
        ),
        (
            "Singer Ava Moon said on Friday that her tour would go ahead. Fans took to Twitter "
            "to complain about ticket prices, and her Twitter followers doubled overnight. Moon "
            "said the prices were set by the venues. The pictures were posted on Twitter.",
            "Twitter",
        ),
    ],
    ids=["publisher-credit", "wire-dateline-byline", "product", "history", "staff", "medium"],
)
def test_publishers_products_and_history_are_not_actors(text: str, not_actor: str) -> None:
    day = [article(text, id="x")]
    assert not_actor not in names_of(build_actor_briefs(day, config(min_mentions=1)))
    # With no minimum at all the name is still listed, after every actor.
    everything = names_of(build_actor_briefs(day, config(min_mentions=1, min_salience=0.0)))
    assert not_actor in everything
    assert everything.index(not_actor) > everything.index(
        next(n for n in everything if n != not_actor and n in text)
    )


def test_the_subject_of_the_news_is_an_actor_even_when_it_publishes() -> None:
    text = (
        "CNN fired its chief executive on Monday after a boardroom dispute. CNN said the "
        "search for a successor had begun. Staff at CNN were told in a memo."
    )
    names = names_of(build_actor_briefs([article(text, id="cnn")], config(min_mentions=1)))
    assert "CNN" in names


def test_a_quote_fragment_is_shown_inside_its_sentence() -> None:
    text = (
        "Foreign Minister Jan Kowal said on Monday the proposal was “dead on arrival” and "
        "would not be discussed again. Kowal spoke after talks in Warsaw with his Czech "
        "counterpart ended without agreement."
    )
    brief = by_name(build_actor_briefs([article(text, id="q")], config(min_mentions=1)))[
        "Jan Kowal"
    ]
    assert not brief.quotes  # type: ignore[attr-defined]
    assert any("“dead on arrival”" in s for s in brief.sentences)  # type: ignore[attr-defined]


def test_a_long_quote_is_cut_at_a_sentence_end_and_credited_to_the_story() -> None:
    long_quote = (
        "We will not accept these terms under any circumstances. "
        + "The offer ignores every concern our farmers have raised over many months of talks. " * 3
        + "We expect a new proposal by Friday,"
    )
    # The comma before the closing mark: a quote ending in a full stop ends its sentence.
    text = f"“{long_quote}” Minister Eva Lind said on Monday. Lind left the talks early."
    day = [article(text, id="q", title="Farm talks collapse")]
    brief = by_name(build_actor_briefs(day, config(min_mentions=1)))["Eva Lind"]
    quote, label = brief.quotes[0]  # type: ignore[attr-defined]
    assert quote.text.endswith(".") and quote.text.startswith("We will not accept")
    assert len(quote.text.split()) <= 40 < len(long_quote.split())
    assert label == "Farm talks collapse" and quote.article_id == "q"


def test_trim_quote_keeps_short_quotes_whole() -> None:
    from brief.actors.dayactors import trim_quote

    assert trim_quote("We  will win.") == "We will win."
    cut = trim_quote("One two three. Four five six seven. Eight nine.", words=5)
    assert cut == "One two three."


def test_the_actors_fit_a_length_budget_of_the_stories() -> None:
    shown = ["Prime Minister Ingrid Dahl cut the quotas."]  # 7 words
    cfg = config(min_mentions=1, min_salience=0.0, sentences=5, quotes=3, length_ratio=4.0)
    briefs = build_actor_briefs([FISHING, *DAY], cfg, shown=shown)
    words = sum(len(s.split()) for b in briefs for s in b.sentences)
    words += sum(len(q.text.split()) for b in briefs for q, _ in b.quotes)
    # The first item always fits; after it, nothing past 4 x 7 words.
    first = max((len(s.split()) for s in briefs[0].sentences), default=0)
    assert 0 < words <= max(28, first)
    unlimited = build_actor_briefs(
        [FISHING, *DAY],
        dataclasses.replace(cfg, actors=dataclasses.replace(cfg.actors, length_ratio=0.0)),
        shown=shown,
    )
    assert sum(len(b.sentences) for b in unlimited) > sum(len(b.sentences) for b in briefs)


def test_article_weights_follow_how_central_the_days_salient_actors_are() -> None:
    from brief.actors.briefs import gather_actors

    passing = article(
        "A rare white lamb was born on a farm near Bergen on Sunday, weighing twice the usual "
        "amount. The farmer said the lamb was healthy. Lambs this size are rare in Norway.",
        id="lamb",
    )
    day = [
        FISHING,
        dataclasses.replace(FISHING, id="fish2", source_id="b", source_name="B"),
        passing,
    ]
    weights = gather_actors(day, config()).article_weights()
    assert weights["fish"] > 0.5
    assert weights.get("lamb", 0.0) < 0.5 * weights["fish"]


# --- who acts in a sentence, and which names are no actors --------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "acts"),
    [
        ("Norway rejected the offer on Monday.", "Norway", True),
        ("Ingrid Dahl, the prime minister, said the cuts were needed.", "Ingrid Dahl", True),
        ("Mr. Berg and Ms. Lind have agreed a deal.", "Mr. Berg", True),
        ("Oslo has consistently denied the claim.", "Oslo", True),
        ("Norway's Foreign Ministry said the talks had failed.", "Norway", True),
        ("The deal was signed, according to Norway.", "Norway", True),
        ("“We are ready,” said Ingrid Dahl.", "Ingrid Dahl", True),
        ("Boats sailed to Norway on Monday.", "Norway", False),
        ("Norwegian Prime Minister Ingrid Dahl spoke first.", "Norwegian", False),
        ("Mr. Berg's supporters have marched for days.", "Mr. Berg", False),
        ("The Oslo-based group issued a statement.", "Oslo", False),
        ("Prices for cod in Norway rose by a third.", "Norway", False),
    ],
)
def test_mention_acts(sentence: str, name: str, acts: bool) -> None:
    from brief.actors.acting import mention_acts

    start = sentence.index(name)
    others = [
        m.start() for m in re.finditer(r"Ingrid Dahl|Ms\. Lind", sentence) if m.start() != start
    ]
    assert mention_acts(sentence, start, start + len(name), (0, len(sentence)), others) is acts


@pytest.mark.parametrize(
    ("name", "product"),
    [
        ("GPS", True),
        ("Apple Watch", True),
        ("iPhone", True),
        ("ZORBO20", True),
        ("Apple", False),
        ("Ingrid Dahl", False),
        ("World Health Organization", False),
    ],
)
def test_product_names(name: str, product: bool) -> None:
    from brief.actors.nonactors import product_name

    assert product_name(name) is product


def test_history_and_credit_sentences() -> None:
    from brief.actors.nonactors import credit_line, historical

    assert historical("It echoed the split of the 1960s.")
    assert historical("The treaty was signed in 1972.", year=2026)
    assert not historical("The treaty was signed in 2024.", year=2026)
    assert credit_line("CNN's Jane Doe contributed to this report.")
    assert credit_line("Reporting by Jon Berg; editing by Ann Lee")
    assert not credit_line("The minister said the report by the auditors was wrong.")


def test_a_name_the_detector_flags_in_every_article_gets_no_brief() -> None:
    """The detector's not-actor flag (products, history-only people) keeps a name out."""
    from brief.actors.dayactors import DayActor, non_actor_reason
    from brief.actors.daylines import _Day

    entry = DayActor(name="Ada Example", kind="person")
    entry.articles = [0, 1]
    entry.flagged = {0: "history", 1: "history"}
    day = _Day([], [], [])  # (no article is read: the flags decide)
    assert non_actor_reason(entry, day) == "history"
    entry.flagged = {0: "history"}  # acts as itself in the other article: still an actor
    entry.spans = []
    assert non_actor_reason(entry, day) is None

"""Stories across sources: clustering, multi-document summaries, ranking, caching."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from brief.config import ActorsConfig, Config, SummaryConfig, WatchedActor
from brief.models import Article
from brief.text.stories import (
    build_stories,
    cluster_stories,
    story_score,
    summarize_many,
    summarize_story,
)

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def article(aid: str, source: str, title: str, text: str, hours_ago: float | None = 1.0) -> Article:
    published = None if hours_ago is None else NOW - timedelta(hours=hours_ago)
    return Article(
        id=aid,
        source_id=source,
        source_name=source.title(),
        title=title,
        text=text,
        url=f"https://{source}.example/{aid}",
        published=published,
    )


QUAKE_A = article(
    "q1",
    "globe",
    "Earthquake strikes central Chile, killing at least 12",
    "A magnitude 7.1 earthquake struck central Chile on Friday, killing at least 12 people "
    "and toppling buildings in Valparaiso. Rescuers searched the rubble through the night. "
    "The quake was felt in Santiago, where the metro was halted.",
)
QUAKE_B = article(
    "q2",
    "wire",
    "Chile earthquake death toll rises to 15 as rescuers search rubble",
    "Rescuers in Chile searched collapsed buildings on Saturday after a magnitude 7.1 "
    "earthquake killed at least 15 people in Valparaiso. The earthquake also halted the "
    "Santiago metro. Officials warned of aftershocks.",
    hours_ago=3.0,
)
QUAKE_C = article(
    "q3",
    "daily",
    "Valparaiso counts the cost of Chile earthquake",
    "In Valparaiso, residents swept glass from the streets a day after the magnitude 7.1 "
    "earthquake in Chile that killed 15 people. Rescuers said the search of the rubble "
    "was nearly over.",
    hours_ago=2.0,
)
BUDGET = article(
    "b1",
    "globe",
    "Finance minister unveils budget with tax cuts for small firms",
    "The finance minister presented a budget on Tuesday that cuts taxes for small "
    "businesses and raises spending on hospitals. Opposition parties called it reckless.",
)
FOOTBALL = article(
    "f1",
    "wire",
    "United beat City 2-1 in derby thriller",
    "United came from behind to beat City 2-1 in a thrilling derby on Sunday, with a late "
    "header settling the match. The win lifts United to third in the league.",
)


def ids(groups: list[list[Article]]) -> list[set[str]]:
    return [{a.id for a in group} for group in groups]


def test_same_story_from_several_sources_is_one_group() -> None:
    groups = cluster_stories([QUAKE_A, BUDGET, QUAKE_B, FOOTBALL, QUAKE_C], now=NOW)
    assert ids(groups) == [{"q1", "q2", "q3"}, {"b1"}, {"f1"}]


def test_different_stories_stay_apart() -> None:
    groups = cluster_stories([BUDGET, FOOTBALL, QUAKE_A], now=NOW)
    assert ids(groups) == [{"b1"}, {"f1"}, {"q1"}]


def test_far_apart_in_time_is_not_the_same_story() -> None:
    old = replace(QUAKE_B, id="old", published=NOW - timedelta(days=10))
    groups = cluster_stories([QUAKE_A, old], now=NOW, window_hours=48)
    assert ids(groups) == [{"q1"}, {"old"}]


def test_articles_sharing_no_term_stay_apart_even_at_threshold_zero() -> None:
    groups = cluster_stories([BUDGET, FOOTBALL, QUAKE_A, QUAKE_B], now=NOW, threshold=0.0)
    assert ids(groups) == [{"b1"}, {"f1"}, {"q1", "q2"}]


@pytest.mark.parametrize(("block", "cells"), [(1, 1), (2, 7), (3, 1 << 20)])
def test_the_blocks_rows_are_compared_in_do_not_change_the_stories(
    monkeypatch: pytest.MonkeyPatch, block: int, cells: int
) -> None:
    import brief.text.stories as stories

    quake_d = replace(QUAKE_A, id="q4", source_id="post", title="Chile quake: rescuers search")
    day = [BUDGET, QUAKE_C, FOOTBALL, QUAKE_A, quake_d, QUAKE_B]
    expected = [[a.id for a in group] for group in cluster_stories(day, now=NOW)]
    monkeypatch.setattr(stories, "_BLOCK", block)
    monkeypatch.setattr(stories, "_BLOCK_CELLS", cells)
    assert [[a.id for a in group] for group in cluster_stories(day, now=NOW)] == expected
    assert {"q1", "q2", "q3", "q4"} in ids(cluster_stories(day, now=NOW))


def reference_links(matrix: Any, stamps: Any, threshold: float, hours: float) -> list[Any]:
    """Every linked pair, compared one by one: (row, column, cosine), rows in order."""
    rows = [
        dict(zip(matrix.indices[a:b].tolist(), matrix.data[a:b].tolist(), strict=True))
        for a, b in itertools.pairwise(matrix.indptr.tolist())
    ]
    links = []
    for i, row in enumerate(rows):
        for j, other in enumerate(rows):
            shared = [t for t in row if t in other]  # (in the row's order)
            if i == j or not shared or abs(stamps[i] - stamps[j]) > hours * 3600.0:
                continue
            cosine = 0.0
            for t in shared:
                cosine += row[t] * other[t]
            if cosine >= threshold:
                links.append((i, j, cosine))
    return links


@pytest.mark.parametrize(("threshold", "hours"), [(0.3, 48.0), (0.05, 2.5), (0.0, 48.0)])
@pytest.mark.parametrize("cells", [1, 9, 1 << 20])
def test_links_are_the_pairs_compared_one_by_one(
    monkeypatch: pytest.MonkeyPatch, threshold: float, hours: float, cells: int
) -> None:
    import numpy as np

    import brief.text.stories as stories

    monkeypatch.setattr(stories, "_BLOCK_CELLS", cells)
    day = [BUDGET, QUAKE_C, FOOTBALL, QUAKE_A, replace(QUAKE_B, published=None), QUAKE_B]
    matrix = stories._article_vectors(day)[0]
    stamps = np.array([a.published.timestamp() if a.published else np.nan for a in day])
    indptr, indices, sims = stories._links(matrix, stamps, threshold, hours)
    found = [
        (i, int(indices[at]), float(sims[at]))
        for i in range(len(day))
        for at in range(indptr[i], indptr[i + 1])
    ]
    assert found == reference_links(matrix, stamps, threshold, hours)


def test_every_article_lands_in_exactly_one_group() -> None:
    inputs = [QUAKE_A, QUAKE_B, QUAKE_C, BUDGET, FOOTBALL]
    groups = cluster_stories(inputs, now=NOW)
    flat = [a.id for g in groups for a in g]
    assert sorted(flat) == sorted(a.id for a in inputs)
    assert cluster_stories([], now=NOW) == []


def test_empty_and_odd_texts_do_not_crash() -> None:
    odd = [article("e1", "x", "", ""), article("e2", "y", "123", "456 789"), BUDGET]
    groups = cluster_stories(odd, now=NOW)
    assert sorted(a.id for g in groups for a in g) == ["b1", "e1", "e2"]


def test_story_summary_has_no_repeated_sentences() -> None:
    copy = replace(QUAKE_A, id="q1-copy", source_id="mirror", source_name="Mirror")
    summary = summarize_story([QUAKE_A, copy, QUAKE_B], SummaryConfig(sentences=3))
    assert 1 <= len(summary) <= 3
    assert len({" ".join(s.split()).casefold() for s in summary}) == len(summary)
    texts = QUAKE_A.text + QUAKE_B.text
    assert all(s in texts for s in summary)


def test_more_sources_and_watchlist_rank_higher() -> None:
    single = story_score([BUDGET], NOW)
    triple = story_score([QUAKE_A, QUAKE_B, QUAKE_C], NOW)
    assert triple > single
    config = Config(actors=ActorsConfig(watch=(WatchedActor(name="United"),)))
    stories = build_stories([BUDGET, FOOTBALL], config, now=NOW)
    assert [s.id for s in stories] == ["f1", "b1"]


def test_build_stories_folds_sources_and_cuts_to_max() -> None:
    config = Config()
    stories = build_stories([BUDGET, QUAKE_A, FOOTBALL, QUAKE_B, QUAKE_C], config, now=NOW)
    assert stories[0].lead.id in {"q1", "q2", "q3"}
    assert {a.id for a in stories[0].articles} == {"q1", "q2", "q3"}
    assert len(stories) == 3
    assert all(s.summary for s in stories)
    small = replace(config, briefing=replace(config.briefing, max_stories=1))
    assert len(build_stories([BUDGET, FOOTBALL], small, now=NOW)) == 1


class DictCache:
    """An in-memory stand-in for the store's analysis cache."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], str] = {}
        self.gets = 0

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        self.gets += 1
        return self.values.get((content_hash, analyser, key))

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        self.values[(content_hash, analyser, key)] = value


def test_summaries_are_cached_and_reused() -> None:
    config = SummaryConfig(algorithm="lead", sentences=2)
    cache = DictCache()
    fresh = replace(BUDGET, id="b-fresh", text=BUDGET.text + " A unique closing line here.")
    first = summarize_many([fresh], config, cache=cache)
    assert len(cache.values) == 1
    again = summarize_many([fresh], config, cache=cache)
    assert again == first
    # A poisoned entry that does not fit the text is recomputed, not trusted.
    for key in cache.values:
        cache.values[key] = "[[0, 0, 99999]]"
    from brief.text import stories

    stories._memory.clear()
    assert summarize_many([fresh], config, cache=cache) == first


class BulkCache(DictCache):
    """A cache that takes many values at once, as the store does (one transaction)."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def put_analyses(self, analyser: str, key: str, values: list[tuple[str, str]]) -> None:
        self.batches.append(len(values))
        for digest, value in values:
            self.values[(digest, analyser, key)] = value


def test_new_summaries_are_cached_in_one_batch() -> None:
    config = SummaryConfig(algorithm="lead", sentences=2)
    cache = BulkCache()
    fresh = [
        replace(a, id=f"{a.id}-bulk", text=a.text + " A closing line for the batch test.")
        for a in (BUDGET, FOOTBALL, QUAKE_A)
    ]
    first = summarize_many(fresh, config, cache=cache)
    assert cache.batches == [3]
    assert len(cache.values) == 3
    from brief.text import stories

    stories._memory.clear()
    assert summarize_many(fresh, config, cache=cache) == first  # (read back, none redone)
    assert cache.batches == [3]


def test_the_summary_cache_is_keyed_by_the_hash_the_store_read() -> None:
    from brief.store import content_hash

    config = SummaryConfig(algorithm="lead", sentences=2)
    cache = DictCache()
    plain = replace(BUDGET, id="b-plain", text=BUDGET.text + " A closing line of its own.")
    carried = replace(plain, id="b-stored", text=plain.text + " More.", stored_hash="e" * 64)
    summarize_many([plain, carried], config, cache=cache)
    assert {digest for digest, _, _ in cache.values} == {
        content_hash(plain.title, plain.text),
        "e" * 64,
    }


@pytest.mark.slow
def test_parallel_summaries_match_sequential() -> None:
    config = SummaryConfig(algorithm="news", sentences=2)
    many = [
        replace(QUAKE_A, id=f"p{i}", text=f"Report number {i}. " + QUAKE_A.text) for i in range(12)
    ]
    from brief.text import stories

    stories._memory.clear()
    sequential = summarize_many(many, config, workers=1)
    stories._memory.clear()
    parallel = summarize_many(many, config, workers=2, parallel_min=4)
    assert parallel == sequential


def test_briefing_shows_a_shared_story_once_with_its_sources() -> None:
    from brief.briefing.compose import compose_briefing
    from brief.briefing.render import render_markdown
    from brief.models import CollectResult

    result = CollectResult(articles=(QUAKE_A, BUDGET, QUAKE_B, QUAKE_C), health=())
    briefing = compose_briefing(Config(), result, now=NOW)
    markdown = render_markdown(briefing)
    assert len(briefing.stories) == 2
    quake = briefing.stories[0]
    assert len(quake.articles) == 3
    heading = f"### 1. [{quake.title}]"
    assert markdown.count(heading) == 1
    also = next(line for line in markdown.splitlines() if line.startswith("Also covered by"))
    others = [a for a in quake.articles[1:]]
    for other in others:
        assert f"[{other.source_name}]({other.url})" in also
    assert markdown.count("Chile") >= 1


# --- order of importance (issue 9) ----------------------------------------------------------

QUAKE_TEXT = (
    "A magnitude 7.4 earthquake struck the coast of Peru on Friday, killing at least 40 "
    "people and destroying hundreds of homes in the port city of Chimbote. Rescue teams "
    "worked through the night to reach families trapped under collapsed buildings, and the "
    "government declared a state of emergency in three regions. Hospitals in Lima received "
    "the injured by helicopter. The quake was followed by more than twenty aftershocks, the "
    "national seismology institute said, and schools across the north were closed. Officials "
    "warned that the death toll could rise as roads reopened to remote villages in the hills."
)


def test_a_teaser_or_a_sponsor_line_ranks_below_a_full_report() -> None:
    from brief.text.stories import article_substance

    full = article("full", "globe", "Earthquake kills 40 in Peru", QUAKE_TEXT, hours_ago=6.0)
    teaser = article("t", "gossip", "Star seen at airport", "A star was seen at an airport.")
    ad = article(
        "ad",
        "pod",
        "Episode 212: the week in review",
        "This episode is brought to you by Zorbo mattresses. Use code WEEK for 20% off your "
        "first order, and a free trial of Zorbo Sleep.",
    )
    assert article_substance(full) == 1.0
    assert article_substance(teaser) < 0.5 and article_substance(ad) < article_substance(teaser)
    # The fresher teaser and sponsor line still rank below the older full report.
    stories = build_stories([teaser, ad, full], Config(), now=NOW)
    assert [s.id for s in stories] == ["full", "t", "ad"]


def test_salient_actors_raise_a_story() -> None:
    one = article("a", "globe", "Council meets on roads", BUDGET.text)
    two = article("b", "wire", "League fixtures announced", FOOTBALL.text)
    plain = [s.id for s in build_stories([one, two], Config(), now=NOW)]
    weighted = build_stories([one, two], Config(), now=NOW, actor_weights={plain[1]: 1.0})
    assert [s.id for s in weighted] == [plain[1], plain[0]]


def test_stories_carried_by_more_sources_come_first_whatever_the_input_order() -> None:
    late = replace(FOOTBALL, published=NOW - timedelta(minutes=5))
    stories = build_stories([late, BUDGET, QUAKE_A, QUAKE_B, QUAKE_C], Config(), now=NOW)
    assert stories[0].lead.id in {"q1", "q2", "q3"}


def test_the_briefing_ranks_a_story_whose_salient_actors_act_first() -> None:
    from brief.briefing.compose import compose_briefing
    from brief.models import CollectResult

    minister = (
        "Finance Minister Ingrid Dahl said on Monday that taxes on fuel would rise next year. "
        "Dahl told parliament the rise was needed to pay for new railways. Dahl said families "
        "on low incomes would get a rebate. " + QUAKE_TEXT.replace("Peru", "the north")
    )
    weather = (
        "The weather will be sunny and warm all week, with light winds along the coast and "
        "cool nights inland. "
    ) * 8
    day = [
        article("m1", "globe", "Fuel taxes to rise", minister, hours_ago=5.0),
        article("w1", "daily", "Sunny week ahead", weather, hours_ago=4.0),
    ]
    briefing = compose_briefing(Config(), CollectResult(articles=tuple(day), health=()), now=NOW)
    assert [s.lead.id for s in briefing.stories] == ["m1", "w1"]
    # Without the actors' weight the fresher weather story would lead.
    assert [s.lead.id for s in build_stories(day, Config(), now=NOW)] == ["w1", "m1"]


AD_PIECES = [
    "promo code",
    "USE CODE",
    "Sponsored by",
    "brought to you by",
    "20% off",
    "Free Trial",
    "this episode",
    "subscribe now",
    "Subscribe to our podcast",
    "listen on",
    "ſubscribe today",  # IGNORECASE reads "ſ" as "s", "İ" and "ı" as "i"
    "lİsten now",
    "lısten on",
    "code",
    "episode",
    *("use", "offer", "coupon", "free", "trial", "this", "by", "to you", "subscribe", "listen"),
    *("now", "today", "on", "off", "our podcast", "Discount Code"),
    "the",
    " ",
    "\n",
    "“",
    "É",
    "7",
    "%",
]


@given(st.lists(st.sampled_from(AD_PIECES), max_size=12))
def test_counting_ads_finds_what_the_ad_pattern_finds(pieces: list[str]) -> None:
    from brief.text.stories import _AD_RE, ad_count

    text = "".join(pieces)
    assert ad_count(text) == len(_AD_RE.findall(text))


def test_counting_ads_sees_the_odd_cases_of_s_and_i() -> None:
    from brief.text.stories import ad_count

    assert ad_count("ſubscribe now") == 1
    assert ad_count("Please lİsten now.") == 1
    assert ad_count("A plain report about parliament.") == 0


# Pieces of text where reading words without the regex could go wrong: apostrophes
# (straight and curly) inside, around and doubled, underscores, digits, letters and
# digits outside ASCII, separators outside ASCII and every kind of space; and words of
# eight bytes and more (a long word's key folds its bytes), alike at either end.
WORD_PIECES = [
    *("don", "t", "Xi", "s", "rock", "n", "roll", "UK", "2026", "7", "a"),
    *("'", "’", "''", "_", "-", ".", ",", "%", " ", "\n", "\t", "\x1c", "\x0b"),
    *("£", "\xa0", "“", "”", "‘", "–", "—", "…", "€", "°", "•", "·", "\u2028"),
    *("é", "Å", "ß", "½", "²", "٣", "İ", "ı", "ſ", "中文", "\u200b", "\x00"),
    *("abcdefgh", "abcdefghi", "xbcdefghi", "abcdefghijklmnopq", "abcdefghijklmnopr"),
]


def day_words_by_text(texts: list[str]) -> list[list[str]]:
    """Each text's words as :func:`brief.text.daywords._day_words` reads the day's texts."""
    from brief.text.daywords import _day_words

    rows, places, words = _day_words(texts)
    return [[words[p] for p in places[rows == i]] for i in range(len(texts))]


@given(st.lists(st.lists(st.sampled_from(WORD_PIECES), max_size=16), max_size=4))
@example([["a", "'", "''", "b"]])  # an apostrophe left over by the doubled one
@example([["'", "rock", "'", "n", "'", "roll", "'"]])
@example([["Xi", "’", "s", " ", "don", "'", "t", "''"], ["don", "'", "t"]])
def test_reading_words_finds_what_the_token_pattern_finds(texts: list[list[str]]) -> None:
    from brief.text.news import _TOKEN

    day = ["".join(pieces) for pieces in texts]
    assert day_words_by_text(day) == [_TOKEN.findall(text) for text in day]


def test_words_of_one_key_are_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without folding, a long word's key is its last eight bytes or fewer: words that
    # differ before them share a key (with each other and with a short word), and the
    # check against the key's example tells them apart.  Small chunks read the day in
    # pieces (and the table of keys grows).
    import numpy as np

    import brief.text.daywords as daywords

    monkeypatch.setattr(daywords, "_FOLD", np.uint64(0))
    monkeypatch.setattr(daywords, "_CHUNK", 16)
    day = [
        "abcdefghxy xy zzzzzzzzxy abcdefghxy",
        "Xi’s xy qqqqqqqqqqqqqqqqxy abcdefgh12345678xy",
        "",
        "pppppppppppppppp xy abcdefghxy",
        " ".join(f"w{i}x{i * 7}yzzzzzzzzz{i % 3}" for i in range(1500)),  # (more than fit at first)
    ]
    from brief.text.news import _TOKEN

    assert day_words_by_text(day) == [_TOKEN.findall(text) for text in day]


def test_words_are_read_without_the_regex_for_the_token_pattern_of_today() -> None:
    # The fast path is written for this pattern: a change to _TOKEN must revisit it.
    from brief.text.daywords import _SEPARATE, _WIDE_SEPARATORS, _WORD_PATTERN
    from brief.text.news import _TOKEN

    assert _TOKEN.pattern == _WORD_PATTERN
    assert day_words_by_text(["£5 don't stop"]) == [["5", "don't", "stop"]]
    assert all(_TOKEN.search(c) is None for c in _WIDE_SEPARATORS)
    for code in range(128):  # ASCII: kept exactly where the pattern reads a word character
        in_words = _TOKEN.fullmatch(chr(code)) is not None or chr(code) == "'"
        assert _SEPARATE[code] == (code if in_words else ord(" "))


@given(
    st.text(alphabet=st.sampled_from("ab \n\t\r\x0b\x0c\x1c\x1f\x00\xa0"), max_size=1200),
    st.integers(1, 120),
)
@example("abcdefgh " * 30, 10)  # nine words and a piece of the tenth in the prefix looked at
@example("abc " * 300, 80)
@example("a" * 2000 + " b", 80)
def test_counting_words_is_exact_below_enough(text: str, enough: int) -> None:
    from brief.text.stories import _word_count

    words = _word_count(text, enough)
    assert words == len(text.split()) or len(text.split()) >= words >= enough


def test_words_are_counted_as_split_counts_them() -> None:
    from brief.text.stories import _split_count

    for code in range(128):  # every ASCII character between, before and after words
        for text in (f"a{chr(code)}b", f"{chr(code)}a", f"a{chr(code)}", chr(code) * 2, ""):
            assert _split_count(text) == len(text.split())
    assert _split_count("a\xa0b\u2028c d") == 4

"""The actor layer's fast paths give the answers of the plain algorithms they replace.

Each fast path (the one-pass scanner, the jump over plain words in pass 1,
quotation masking, sentence cuts per paragraph, near-duplicate search by
prefix filtering, many analyses on all cores) is checked against a
straightforward reference written here, on hand-made hard cases and on
generated text.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brief.actors import analysis, dayactors, detect, quotes
from brief.actors.acting import mentions_acting
from brief.actors.analysis import ArticleActors, analyse_many, analyse_text, from_json, to_json
from brief.actors.casing import recase_shouting
from brief.actors.gazetteer import ABBREVIATIONS, load_gazetteer, load_lexicon, tokenize
from brief.config import WatchedActor
from brief.models import Actor, Article, Mention
from brief.text.clean import LEAD_CHARS, clean_sentences, lead_spans

SEED = Path(__file__).resolve().parents[2] / "seeds" / "globe-xi-russia-visit.txt"

HARD_TEXTS = [
    "Mr. Xi met U.S. President Donald Trump. Most analysts agreed.\n\nThe Nations’ plan",
    "Patricia M. Kim, a senior fellow at the Brookings Institution, said “It is over.”",
    "WASHINGTON (Reuters) - the talks ended.\nLONDON (AP) — “No,” she said.",
    "Photo: Jane Doe/AP\nthe  quick brown fox's den, the foxes' dens\tand x-ray e.g. etc. vs",
    "café au lait and naïve ideas were all the rage in the Élysée on Tuesday.\r\nOK",
    "al-Assad and bin-Salman met the Kremlin’s envoy; Moscow-based analysts disagreed.",
    "The Chinese President Xi Jinping told reporters: 'we will win' and left.",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z the end",
    "Skip to main content\nOpen this photo in gallery:\nthe rest is text, said Smith.",
    "etc. and approx. no. 10 St. Paul's and the 1960s were 2.0 times better than No. 5",
]


def corpus_texts() -> list[str]:
    """The seed and the hand-made texts, and the test articles."""
    texts = [SEED.read_text(encoding="utf-8"), *HARD_TEXTS]
    folder = Path(__file__).resolve().parents[1] / "data" / "actors"
    texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    return texts


# Pieces that exercise every rule of the scanner: runs of plain words, capitals,
# abbreviations and initials, possessives, hyphens, quotes, digits, line breaks.
_PIECES = [
    "the",
    "of",
    "and",
    "said",
    "a",
    "Mr.",
    "Mr",
    "U.S.",
    "M.",
    "Kim",
    "Xi",
    "Xi’s",
    "Moscow's",
    "Nations’",
    "nations'",
    "Russia",
    "Chinese",
    "President",
    "the Kremlin",
    "Washington-based",
    "al-Assad",
    "x-ray",
    "café",
    "2.0",
    "1960s",
    ",",
    ".",
    "!",
    "?",
    ":",
    ";",
    "“",
    "”",
    '"',
    "'",
    "‘",
    "’",
    "(",
    ")",
    "—",
    "-",
    "&",
    "etc.",
    "vs",
    "No.",
    "WASHINGTON",
    "(Reuters)",
    "Jane Doe/AP",
    "St.",
    "Bank of England",
    "don't",
    "É.",
]
_GAPS = [" ", " ", " ", " ", "  ", "\n", "\n\n", "\t", "", "\r\n", "\u00a0"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Text made of the pieces above with assorted spaces and line breaks between."""
    count = draw(st.integers(min_value=1, max_value=40))
    parts = []
    for _ in range(count):
        parts.append(draw(st.sampled_from(_PIECES)))
        parts.append(draw(st.sampled_from(_GAPS)))
    return "".join(parts)


# --- the scanner ---------------------------------------------------------------------


def reference_tokens(text: str, skip: list[tuple[int, int]]) -> list[tuple[object, ...]]:
    """The detector's tokens, worked out the plain way: one token of :func:`tokenize` at a time.

    The detector reads lines in capitals re-cased (same offsets), so the reference does too.
    """
    lexicon = load_lexicon()
    text = recase_shouting(text, load_gazetteer(), lexicon)
    out: list[list[object]] = []
    raw_tokens = tokenize(text)
    line = 0
    last_end = 0
    boundary = True
    for index, token in enumerate(raw_tokens):
        newlines = text.count("\n", last_end, token.start)
        last_end = token.end
        if newlines:
            line += newlines
            boundary = True
        if any(a <= token.start < b for a, b in skip):
            boundary = True
            continue
        raw = token.text
        if not raw[0].isalnum():
            out.append([raw, raw, token.start, token.end, False, False, False, False, line])
            if raw in ".!?:" or (
                raw in detect._OPENING_QUOTES and detect._opens(text, token.start)
            ):
                boundary = True
            continue
        stem = None
        if len(raw) > 2 and raw[-2] in "'’" and raw[-1] in "sS" and raw[0].isalpha():
            stem = raw[:-2]
        word = stem or raw
        cap = detect._is_cap(raw)
        following = raw_tokens[index + 1] if index + 1 < len(raw_tokens) else None
        plural = (
            stem is None
            and following is not None
            and following.start == token.end
            and following.text in "'’"
            and raw.endswith("s")
            and (following.end >= len(text) or not text[following.end].isalnum())
        )
        initial = boundary
        if out and out[-1][4] and str(out[-1][1]).endswith(".") and cap:
            initial = initial or word.lower() in lexicon.common_words
        end = token.start + len(stem) if stem else token.end
        out.append(
            [word, raw, token.start, end, True, cap, stem is not None or plural, initial, line]
        )
        boundary = False
    return [tuple(t) for t in out]


def scanned(text: str, skip: list[tuple[int, int]]) -> list[tuple[object, ...]]:
    finder = detect._Finder(text, (), skip)
    # The finder also skips page furniture; the reference is given the same spans.
    return [
        (t.text, t.raw, t.start, t.end, t.word, t.cap, t.poss, t.initial, t.line)
        for t in finder.toks
    ]


def skips(text: str) -> list[tuple[int, int]]:
    return detect.excluded_spans(text)


@pytest.mark.parametrize("text", HARD_TEXTS)
def test_the_scanner_reads_hard_cases_as_the_plain_tokenizer_does(text: str) -> None:
    assert scanned(text, []) == reference_tokens(text, skips(text))


def test_the_scanner_agrees_on_the_seed_and_test_articles() -> None:
    for text in corpus_texts():
        assert scanned(text, []) == reference_tokens(text, skips(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts(), data=st.data())
def test_the_scanner_agrees_on_generated_text_with_spans_to_skip(
    text: str, data: st.DataObject
) -> None:
    # Spans to skip anywhere, even in the middle of a run of plain words.
    points = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=4)))
    extra = [(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]
    assert scanned(text, extra) == reference_tokens(text, [*skips(text), *extra])


def test_word_counts_and_known_phrases_match_a_plain_count() -> None:
    gazetteer = load_gazetteer()
    for text in corpus_texts():
        finder = detect._Finder(text, (), [])
        toks = finder.toks
        assert finder.words == [t.text for t in toks]
        assert finder.lower_vocab == {t.text for t in toks if t.word and t.text.islower()}
        assert finder.cap_words == Counter(t.text for t in toks if t.word and t.cap)
        assert finder.cap_inside == Counter(
            t.text for t in toks if t.word and t.cap and not t.initial
        )
        assert finder.pairs == Counter(
            (a.text, b.text) for a, b in pairwise(toks) if a.word and b.word and a.cap and b.cap
        )
        for i, tok in enumerate(toks):
            # The longest known phrase on the token's line, tried at every length.
            expected = None
            for size in range(min(gazetteer.longest, len(toks) - i), 0, -1):
                window = toks[i : i + size]
                if any(t.line != tok.line for t in window):
                    continue
                inner = tuple(t.raw for t in window[:-1])
                entry = gazetteer.entries.get((*inner, window[-1].text))
                if entry is None and window[-1].poss and window[-1].raw != window[-1].text:
                    entry = gazetteer.entries.get((*inner, window[-1].raw))
                if entry is None and size == 1 and tok.text.isupper() and len(tok.text) > 3:
                    entry = gazetteer.entries.get((tok.text.title(),))
                if entry is not None:
                    expected = (size, entry)
                    break
            assert finder.known[i] == expected, (text[:40], i, tok.text)


def test_pass_one_visiting_only_some_tokens_finds_what_visiting_all_finds() -> None:
    for text in corpus_texts():
        fast = detect._Finder(text, (), [])
        fast.run()
        slow = detect._Finder(text, (), [])
        slow.visits = [i for i, t in enumerate(slow.toks) if t.word]  # every word, in turn
        slow.run()
        assert [(c.kind, c.start, c.end, c.name) for c in fast.cands] == [
            (c.kind, c.start, c.end, c.name) for c in slow.cands
        ]


def test_abbreviations_still_join_their_period() -> None:
    assert "Mr" in ABBREVIATIONS
    finder = detect._Finder("He met Mr. Smith and M. Kim. Then vs. etc. went.", (), [])
    assert [t.raw for t in finder.toks] == [
        *("He", "met", "Mr.", "Smith", "and", "M.", "Kim", "."),
        *("Then", "vs.", "etc.", "went", "."),
    ]


# --- quotes ----------------------------------------------------------------------------


def masked_slowly(text: str, spans: list[quotes._Span]) -> str:
    return quotes._masked_slowly(text, spans)


@settings(max_examples=200, deadline=None)
@given(text=texts())
def test_masking_quotations_matches_masking_char_by_char(text: str) -> None:
    spans = quotes._quote_spans(text, ())
    assert quotes._masked(text, spans) == masked_slowly(text, spans)


def test_overlapping_quotations_are_masked_char_by_char() -> None:
    text = "“Outer ‘inner” tail’ end"
    spans = [quotes._Span(0, 15, 1, 14, 0, False), quotes._Span(7, 20, 8, 19, 0, False)]
    assert quotes._masked(text, spans) == masked_slowly(text, spans)


def old_sentence_start(masked: str, para_start: int, pos: int) -> int:
    cuts = [c for c in quotes._boundaries(masked, para_start, pos + 3) if c[1] <= pos]
    return cuts[-1][1] if cuts else para_start


def old_sentence_end(masked: str, pos: int, para_end: int) -> int:
    cuts = quotes._boundaries(masked, pos, para_end)
    return cuts[0][0] if cuts else para_end


def test_sentence_cuts_per_paragraph_match_cutting_from_each_position() -> None:
    for text in [*corpus_texts(), "Mr. A. B. Smith said. “Yes.” U.S. President Lee. Done!"]:
        masked = quotes._masked(text, quotes._quote_spans(text, ()))
        for start, end in quotes._paragraphs(text):
            cuts = quotes._Cuts(masked, start, end)
            for pos in range(start, end + 1):
                assert cuts.sentence_start(pos) == old_sentence_start(masked, start, pos)
                assert cuts.sentence_end(pos) == old_sentence_end(masked, pos, end)


def test_verbs_grouped_by_letter_match_the_plain_alternation() -> None:
    forms = "|".join(f.replace("\\x20", " ") for f in quotes._SPEECH_VERB_FORMS)
    plain = re.compile(rf"\b(?:{forms})\b|\baccording to\b", re.IGNORECASE)
    samples = [
        *corpus_texts(),
        "He said. She SAYS; they were saying; sayso; Called on; called it; pointed out; "
        "pointed  out; went on; went\ton; according to; ſaid; calling back; disagreed.",
    ]
    for text in samples:
        assert [(m.start(), m.group()) for m in quotes._VERB_RE.finditer(text)] == [
            (m.start(), m.group()) for m in plain.finditer(text)
        ]


def test_datelines_are_found_at_line_starts_as_a_full_search_finds_them() -> None:
    text = "WASHINGTON (Reuters) - hi\nLONDON (AP) — x\n  (CNN) y\nnot (AFP) here\n(Reuters)"
    full = [(m.start(), m.end()) for m in detect._DATELINE_RE.finditer(text) if m.group().strip()]
    assert full and all(span in detect.excluded_spans(text) for span in full)
    assert [s for s in detect.excluded_spans(text) if s not in full] == []


# --- near-duplicates -------------------------------------------------------------------


def distinct_plainly(sets: list[frozenset[str]]) -> list[bool]:
    kept: list[frozenset[str]] = []
    out = []
    for words in sets:
        fresh = not any(
            bool(words and other) and len(words & other) / len(words | other) >= 0.7
            for other in kept
        )
        if fresh:
            kept.append(words)
        out.append(fresh)
    return out


def test_prefix_filtering_keeps_exactly_what_comparing_every_pair_keeps() -> None:
    rng = random.Random(4)
    vocabulary = [f"w{i}" for i in range(60)]
    for _ in range(60):
        sets: list[frozenset[str]] = []
        for _ in range(rng.randint(25, 120)):
            if sets and rng.random() < 0.5:
                # An edit of an earlier one: near the 0.7 threshold, on either side.
                base = set(rng.choice(sets))
                for _ in range(rng.randint(0, 4)):
                    if base and rng.random() < 0.5:
                        base.discard(rng.choice(sorted(base)))
                    else:
                        base.add(rng.choice(vocabulary))
                sets.append(frozenset(base))
            else:
                sets.append(frozenset(rng.sample(vocabulary, rng.randint(0, 12))))
        assert dayactors.distinct(sets) == distinct_plainly(sets)


def test_the_threshold_is_inclusive_on_both_paths() -> None:
    a = frozenset(f"w{i}" for i in range(10))
    b = frozenset([*(f"w{i}" for i in range(7)), "x1", "x2", "x3"])  # 7 of 13: unlike
    c = frozenset([*(f"w{i}" for i in range(9)), "x1"])  # 9 of 11: alike
    d = frozenset(f"w{i}" for i in range(7))  # 7 of 10: exactly 0.7, alike
    for padding in (0, dayactors._SMALL + 5):  # the pairwise path, then the index
        filler = [frozenset({f"f{i}", f"g{i}"}) for i in range(padding)]
        sets = [*filler, a, b, c, d, frozenset()]
        assert dayactors.distinct(sets)[-5:] == [True, True, False, False, True]


def test_wire_copies_across_many_articles_give_one_sentence() -> None:
    from brief.actors.briefs import build_actor_briefs
    from brief.config import ActorsConfig, Config

    line = "Japan agreed on Monday to buy more American liquefied natural gas, {} said."
    articles = [
        Article(
            id=f"a{i}",
            source_id=f"s{i}",
            source_name=f"Source {i}",
            title="",
            text=line.format("officials" if i % 2 else "trade officials")
            + f" Tokyo will pay in yen over {i + 2} years, the ministry said.",
        )
        for i in range(40)
    ]
    config = Config(actors=ActorsConfig(min_mentions=1, sentences=3))
    japan = next(b for b in build_actor_briefs(articles, config) if b.actor.name == "Japan")
    assert sum("liquefied natural gas" in s for s in japan.sentences) == 1


# --- serialising and analysing many -----------------------------------------------------


def test_actors_that_share_a_name_survive_the_cache() -> None:
    # The detector can make one name two actors ("Fiat" the company and, wrongly, a person).
    result = ArticleActors(
        actors=(Actor("Fiat", "organisation"), Actor("Fiat", "person", role="chairman")),
        mentions=(Mention("Fiat", "Fiat", 0, 4, "x"), Mention("Fiat", "Fiat", 30, 34, "x")),
        quotes=(),
        genders=(None, "m"),
    )
    assert from_json(to_json(result), article_id="x") == result
    data = json.loads(to_json(result))
    assert [len(item["mentions"]) for item in data["actors"]] == [2, 0]
    assert [item["gender"] for item in data["actors"]] == [None, "m"]
    # Entries written before listed a shared name's mentions under each such actor.
    data["actors"][1]["mentions"] = data["actors"][0]["mentions"]
    assert from_json(json.dumps(data), article_id="x") == result


def test_round_trip_on_the_test_articles() -> None:
    for text in corpus_texts():
        result = analyse_text(text, article_id="id")
        assert from_json(to_json(result), article_id="id") == result


class CountingStore:
    """A stand-in for the store's analysis cache that counts what is asked."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], str] = {}
        self.puts = 0

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        return self.values.get((content_hash, analyser, key))

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        self.puts += 1
        self.values[(content_hash, analyser, key)] = value


def many_articles() -> list[Article]:
    texts = corpus_texts()
    articles = [
        Article(id=f"a{i}", source_id="s", source_name="S", title="", text=t)
        for i, t in enumerate(texts)
    ]
    # The same content again under another id: analysed once, credited to each id.
    articles.append(Article(id="copy", source_id="t", source_name="T", title="", text=texts[0]))
    return articles


@pytest.mark.parametrize("workers", [1, 2])
def test_analysing_many_gives_each_article_its_own_analysis(workers: int) -> None:
    articles = many_articles()
    watch = (WatchedActor(name="Xi Jinping", kind="person", aliases=("Xi",)),)
    store = CountingStore()
    results = analyse_many(articles, store, watch, workers=workers, parallel_min=1)
    assert len(results) == len(articles)
    for article, result in zip(articles, results, strict=True):
        expected = analyse_text(article.text, article_id=article.id, watch=watch)
        assert replace(result, sentences=(), acting=(), lead=()) == expected
        # The cached analysis also keeps the sentences the day's briefs read it by, whether
        # each mention acts in its sentence, and the lead the stories cluster by.
        assert result.sentences == tuple((s.start, s.end) for s in clean_sentences(article.text))
        assert result.acting == mentions_acting(article.text, result.mentions, result.sentences)
        assert result.lead == tuple(lead_spans(article.text, LEAD_CHARS))
        assert all(m.article_id == article.id for m in result.mentions)
    assert store.puts == len(articles) - 1  # the copy was not analysed again
    # A second run reads every analysis from the cache.
    again = analyse_many(articles, store, watch, workers=workers, parallel_min=1)
    assert again == results and store.puts == len(articles) - 1


def test_analysing_many_reads_and_writes_the_store_in_bulk(tmp_path: Path) -> None:
    from brief.store import open_store

    every = many_articles()
    articles = [*every[:5], every[-1]]  # the last is a copy of the first's text
    with open_store(tmp_path / "s.sqlite3") as store:
        calls: list[int] = []
        real = store.put_analyses

        def counting(analyser: str, key: str, values: list[tuple[str, str]]) -> None:
            calls.append(len(values))
            real(analyser, key, values)

        store.put_analyses = counting  # type: ignore[method-assign]
        first = analyse_many(articles, store)
        assert calls == [5]  # one transaction; the copy's content analysed once
        again = analyse_many(articles, store)
        assert again == first and calls == [5]


def test_an_entry_of_the_old_format_is_redone_not_fatal() -> None:
    # Version 5 kept the analysis as the JSON of ``brief actors --json``; such an entry
    # under the current key (a hand-copied store, a downgrade) is analysed again.
    article = many_articles()[0]
    store = CountingStore()
    fresh = analyse_many([article], store)
    (key,) = store.values
    store.values[key] = to_json(fresh[0])
    assert analyse_many([article], store) == fresh and store.puts == 2


def test_analysing_many_redoes_unreadable_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = many_articles()[:3]
    store = CountingStore()
    analyse_many(articles, store)
    for key in store.values:
        store.values[key] = "{broken"
    calls: list[str] = []
    real = analysis.analyse_text

    def counting(text: str, **kwargs: object) -> ArticleActors:
        calls.append(text)
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis, "analyse_text", counting)
    results = analyse_many(articles, store)
    assert len(calls) == 3
    assert [replace(r, sentences=(), acting=(), lead=()) for r in results] == [
        analyse_text(a.text, article_id=a.id) for a in articles
    ]


def test_a_text_spelled_otherwise_is_not_read_from_another_texts_analysis() -> None:
    # One content hash (blind to case and spacing), two sets of offsets.
    text = "Mayor Anne Hidalgo said the plan was dead. Paris will try again."
    first = Article(id="a", source_id="s", source_name="S", title="T", text=text)
    other = replace(first, id="b", text=text.replace("Mayor ", "Mayor    "))
    store = CountingStore()
    analyse_many([first], store)
    (result,) = analyse_many([other], store)
    assert store.puts == 2
    hidalgo = next(m for m in result.mentions if m.actor == "Anne Hidalgo")
    assert other.text[hidalgo.start : hidalgo.end] == "Anne Hidalgo"
    assert result.sentences[0][1] == other.text.index(".") + 1


def test_briefs_read_from_cached_sentences_equal_briefs_split_afresh() -> None:
    from brief.actors.briefs import build_actor_briefs
    from brief.config import ActorsConfig, Config

    articles = many_articles()
    config = Config(actors=ActorsConfig(min_mentions=1, sentences=3, max_actors=30))
    fresh = [analyse_text(a.text, article_id=a.id) for a in articles]
    cached = analyse_many(articles, CountingStore())
    assert all(c.sentences for c in cached) and not any(f.sentences for f in fresh)
    assert build_actor_briefs(articles, config, analyses=cached) == build_actor_briefs(
        articles, config, analyses=fresh
    )


def test_analysing_many_keys_the_cache_by_the_hash_the_store_read() -> None:
    from brief.store import content_hash

    plain, stored = many_articles()[:2]
    carried = replace(stored, stored_hash="f" * 64)  # as read from a store: not hashed again
    cache = CountingStore()
    analyse_many([plain, carried], cache)
    assert {digest for digest, _, _ in cache.values} == {
        content_hash(plain.title, plain.text),
        "f" * 64,
    }

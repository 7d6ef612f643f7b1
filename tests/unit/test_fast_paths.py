"""Each quick path of the cleaning and quote passes finds what the plain search it stands for does.

The plain search is the rule's definition (one regular expression tried at
every position); the quick path tries it only where it can match.  Both run
over invented text built from the pieces the rules look for, in every order,
and over the seed articles.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from brief.actors import acting, furniture, speakers
from brief.text import clean, sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

_PIECES = (
    " ",
    "  ",
    "\n",
    ".",
    "!",
    "?",
    ",",
    ":",
    "-",
    "'",
    "’",
    '"',
    "“",
    "”",
    "(",
    ")",
    "|",
    "•",
    "the",
    "The",
    "a",
    "A",
    "An",
    "and",
    "But",
    "on",
    "Friday",
    "Monday",
    "Mr",
    "Mr.",
    "Ms",
    "Jane",
    "Roe",
    "Roe's",
    "garage",
    "pictured",
    "drives",
    "waves",
    "said",
    "says",
    "told",
    "was",
    "has",
    "star",
    "posted",
    "Share",
    "share",
    "SHARE",
    "Tweet",
    "Pin",
    "Email",
    "E-mail",
    "Facebook",
    "Print",
    "Comments",
    "Copy link",
    "12",
    "1.2k",
    "Scroll down for",
    "video",
    "Read more",
    "click here to read",
    "sponsored content",
    "Watch the video below",
    "shareholders",
    "already",
    "contributed",
    "contributed to this report",
    "uncontributed",
    " from ",
    " in ",
    "according to",
    "According To",
    "called",
    "called for",
    "ADDED",
    "reporting",
    "ſ",
    "ı",
    "İ",
    "K",
    "é",
    "U.S",
    "Inc",
    "p.m",
    "J",
    "No",
    "5",
    "e.g",
)


def _invented(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_PIECES) + rng.choice(("", " ")) for _ in range(rng.randrange(1, 30)))
        for _ in range(count)
    ]


# The share bar's words, each opening a run of three (the shortest the rule takes).
_SHARE_WORDS = (
    *("Share", "Tweet", "Pin", "Email", "E-mail", "Facebook", "Twitter", "Pinterest"),
    *("WhatsApp", "LinkedIn", "Print", "Flipboard", "Comment", "Comments", "Copy link", "shares"),
)
_RUNS = [f"Read it. {w} Share 12 Tweet | x" for w in _SHARE_WORDS] + [
    f"{w.upper()} {w} shares" for w in _SHARE_WORDS
]


def _corpus() -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.rglob("*")) if p.is_file()]
    return _invented(15, 3000) + _RUNS + [t for t in seeds if t]


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return _corpus()


def test_furniture_spans_are_the_expressions_matches(corpus: list[str]) -> None:
    for text in corpus:
        expected = [m.span() for m in clean._INLINE_FURNITURE.finditer(text)]
        assert clean.furniture_spans(text) == expected, text


def test_name_cuts_are_the_expressions_matches(corpus: list[str]) -> None:
    for text in corpus:
        expected = [m.span() for m in clean._NAME_AFTER_LOWER.finditer(text)]
        assert [m.span() for m in clean._names_after_lower(text)] == expected, text


def test_credit_lines_are_the_expressions_matches(corpus: list[str]) -> None:
    for text in corpus:
        found = [
            clean.is_furniture_sentence(s.text)
            == (
                bool(clean._BYLINE.fullmatch(s.text.strip()))
                or not s.text.strip().strip(".:|•·-—– ")
                or clean.is_time_stamp(s.text)
                or clean._INLINE_FURNITURE.fullmatch(s.text.strip().strip(".:|•·-—– ")) is not None
                or bool(clean._CREDIT.match(s.text.strip()))
            )
            for s in sentences.split_sentences(text)
        ]
        assert all(found), text


def test_time_stamps_read_every_word(corpus: list[str]) -> None:
    for text in [*corpus, "| 08:37 EST", ". Updated", "PUBLISHED: 12 May"]:
        words = [w for w in text.split() if w.strip(".,:|")]
        expected = bool(words) and all(clean._STAMP_WORD.fullmatch(w) for w in words)
        expected = expected and any(clean._STAMP_LABEL.match(w) or w[:1].isdigit() for w in words)
        assert clean.is_time_stamp(text) is expected, text


def test_credit_sentences_are_the_expressions_matches(corpus: list[str]) -> None:
    for text in corpus:
        expected = [m.span() for m in furniture._CONTRIBUTED_RE.finditer(text)]
        found = furniture._credit_sentences(text) if "contributed" in text else []
        assert found == expected, text


def test_speech_verbs_are_the_case_blind_expressions_matches(corpus: list[str]) -> None:
    for text in corpus:
        expected = [(m.span(), m.group().lower()) for m in speakers._VERB_RE.finditer(text)]
        assert [(m.span(), m.group().lower()) for m in speakers._speech_verbs(text)] == expected
        first = speakers._first_speech_verb(text)
        assert (first.span() if first else None) == (expected[0][0] if expected else None)


def test_the_word_before_a_period_is_the_searchs(corpus: list[str]) -> None:
    for text in corpus:
        for end in (m.end() for m in re.finditer(r"\.", text)):
            reach = max(0, end - 40)
            plain = sentences._WORD_BEFORE.search(text, reach, end)
            quick = sentences._WORD_BEFORE.search(
                text, max(reach, text.rfind(" ", reach, end) + 1), end
            )
            assert (plain and plain.span()) == (quick and quick.span()), text


def test_tokens_read_lazily_and_from_the_end_are_the_whole_texts(corpus: list[str]) -> None:
    for text in corpus:
        whole = acting._tokens(text)
        assert acting._last_tokens(text)[-3:] == whole[-3:], text
        lazy = acting._Tokens(text)
        assert [lazy.at(i) for i in range(len(whole) + 2)] == [*whole, None, None], text


def test_the_stem_before_a_stop_is_the_searchs(corpus: list[str]) -> None:
    from brief.actors import marks

    for text in corpus:
        for at in (m.start() for m in re.finditer(r"\.", text)):
            for start in (0, max(0, at - 5)):
                plain = marks._STEM_RE.search(text, max(start, at - 12), at + 1)
                ended = not plain or not (
                    plain.group(1) in marks.ABBREVIATIONS
                    or marks._CAPITAL_RE.fullmatch(plain.group(1))
                    or marks._DOTTED_RE.fullmatch(plain.group(1))
                )
                assert marks._ends_sentence(text, start, at) is ended, text

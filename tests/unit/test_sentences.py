"""The offline sentence splitter and the sumy tokenizer object."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brief.text.sentences import (
    OfflineTokenizer,
    split_paragraphs,
    split_sentences,
    syntok_sentences,
)

HARD_CASES = Path(__file__).resolve().parent.parent / "data" / "sentences-hard.jsonl"


def _hard_cases() -> list[tuple[str, list[str]]]:
    rows = [json.loads(line) for line in HARD_CASES.read_text(encoding="utf-8").splitlines()]
    return [(row["text"], row["sentences"]) for row in rows]


@pytest.mark.parametrize(("text", "expected"), _hard_cases())
def test_hard_cases_split_as_annotated(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n\n  ", []),
        ("no terminal punctuation", ["no terminal punctuation"]),
        ("One.\n\nTwo", ["One.", "Two"]),
        # A paragraph break always ends a sentence, even without punctuation.
        (
            "A headline without a stop\n\nThe body begins here.",
            ["A headline without a stop", "The body begins here."],
        ),
        # Hard-wrapped prose: a line end inside a sentence is only a space.
        (
            "The minister said on Tuesday that the government would not\n"
            "change its plans for the budget, despite the protests.",
            [
                "The minister said on Tuesday that the government would not\n"
                "change its plans for the budget, despite the protests."
            ],
        ),
        ("中文句子。第二句！", ["中文句子。", "第二句！"]),
        ("Prices rose 3.5 per cent. Rates held.", ["Prices rose 3.5 per cent.", "Rates held."]),
    ],
)
def test_edge_cases(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_offsets_index_into_the_text(seed_text: str) -> None:
    sentences = split_sentences(seed_text)
    assert len(sentences) > 20
    assert [s.index for s in sentences] == list(range(len(sentences)))
    previous_end = 0
    for s in sentences:
        assert seed_text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert s.start >= previous_end
        previous_end = s.end


def test_seed_furniture_lines_stand_alone(seed_text: str) -> None:
    texts = [s.text for s in split_sentences(seed_text)]
    assert texts[0] == "Skip to main content"
    assert texts[1] == "Open this photo in gallery:"
    assert any(t.startswith("Mr. Xi and Russian President Vladimir Putin") for t in texts)


def test_paragraphs_group_sentences() -> None:
    text = "First one. Second one.\n\nThird one.\n\n\nFourth one. Fifth."
    paragraphs = split_paragraphs(text)
    assert [[s.text for s in p] for p in paragraphs] == [
        ["First one.", "Second one."],
        ["Third one."],
        ["Fourth one.", "Fifth."],
    ]
    assert [s.index for p in paragraphs for s in p] == [0, 1, 2, 3, 4]


def test_split_is_at_least_as_accurate_as_syntok_on_hard_cases() -> None:
    cases = _hard_cases()
    ours = sum([s.text for s in split_sentences(t)] == e for t, e in cases)
    theirs = sum(syntok_sentences(t) == e for t, e in cases)
    assert ours == len(cases)
    assert ours >= theirs


def test_tokenizer_duck_types_sumy() -> None:
    tokenizer = OfflineTokenizer()
    assert tokenizer.language == "english"
    assert tokenizer.to_sentences("Mr. Xi met Mr. Putin. They talked.") == (
        "Mr. Xi met Mr. Putin.",
        "They talked.",
    )
    # Punctuation and numbers are not words, as with sumy's own tokenizer.
    assert tokenizer.to_words("Xi's visit, on Oct. 24, didn't end well-meaning talks.") == (
        "Xi",
        "visit",
        "on",
        "Oct",
        "did",
        "n't",
        "end",
        "well-meaning",
        "talks",
    )
    assert OfflineTokenizer(splitter="syntok").to_sentences("One here. Two here.") == (
        "One here.",
        "Two here.",
    )
    with pytest.raises(ValueError, match="splitter"):
        OfflineTokenizer(splitter="punkt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Sentences glued with no space are split ...
        ("It ended.Next came rain.", ["It ended.", "Next came rain."]),
        ("I was tired.I went home.", ["I was tired.", "I went home."]),
        # ... but not abbreviations, decimals, domains or file names.
        ("The U.S. economy grew.", ["The U.S. economy grew."]),
        ("Growth was 3.5 percent.", ["Growth was 3.5 percent."]),
        ("Visit example.com today.", ["Visit example.com today."]),
        ("See example.Com or open file.txt now.", ["See example.Com or open file.txt now."]),
        ("Ask Dr. Smith about it.", ["Ask Dr. Smith about it."]),
        ("Ask Dr.Smith about it.", ["Ask Dr.Smith about it."]),
        ("The Node.js runtime.", ["The Node.js runtime."]),
        # Rank and title abbreviations never end a sentence.
        (
            "Spc. Jones and Lt. Col. Ann Brown arrived. Gov. Lee and Sgt. Major Park spoke.",
            ["Spc. Jones and Lt. Col. Ann Brown arrived.", "Gov. Lee and Sgt. Major Park spoke."],
        ),
        ("Pfc. Ray and Cpl. Diaz were hurt.", ["Pfc. Ray and Cpl. Diaz were hurt."]),
        # CJK full stops end sentences without a space.
        ("東京は晴れ。大阪は雨！本当？はい。", ["東京は晴れ。", "大阪は雨！", "本当？", "はい。"]),
    ],
)
def test_joins_titles_and_cjk(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected

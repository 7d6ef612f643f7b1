"""The folded text stands in for the original under re.IGNORECASE, for every code point."""

from __future__ import annotations

import re
import string

from brief.text.folding import folded


def test_every_code_point_folds_as_the_engine_matches() -> None:
    word = re.compile(r"\w")
    letters = {letter: re.compile(letter, re.IGNORECASE) for letter in string.ascii_lowercase}
    any_letter = re.compile("[a-z]", re.IGNORECASE)
    for point in range(0x110000):
        char = chr(point)
        lowered = folded(char)
        if lowered is None:
            continue
        assert len(lowered) == 1, hex(point)
        assert bool(word.match(char)) == bool(word.match(lowered)), hex(point)
        if any_letter.fullmatch(char) or lowered in letters:
            # An ASCII letter of the folded text is the one letter the engine matches here.
            assert lowered in letters, hex(point)
            assert [c for c, p in letters.items() if p.fullmatch(char)] == [lowered], hex(point)


def test_the_unfoldable_characters_give_none() -> None:
    for char in "ſıİ":
        assert re.fullmatch("[a-z]", char, re.IGNORECASE)  # why they are left out
        assert folded(f"Share {char}") is None
    assert folded("Scroll DOWN") == "scroll down"

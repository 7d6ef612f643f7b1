"""The detector's reading of a text: the scanner's tokens and words, results lines, name keys."""

from __future__ import annotations

import pytest

from brief.actors.detect import _Finder
from brief.actors.merge import name_key

_RESULTS = (
    "SOCCER - RESULTS\n"
    "Bradford 1 Tranmere 0\n"
    "The game in Leeds ended 3 - 1 .\n"
    "Oxley v Dunmore\n"
    "Doncaster 4 1 1 2\n"
    "NICE , France 1996-08-30\n"
    "Leeds 2 Hull 1"
)


def _finder(text: str) -> _Finder:
    finder = _Finder(text, (), ())
    finder.run()
    finder.cues()
    return finder


def test_the_scanners_words_are_its_tokens_texts() -> None:
    """Runs, appositions and lists read slices of ``words`` as the texts of their tokens."""
    text = (
        "Mr. Xi’s visit to the U.S. Most analysts, said Dr. Smith.\n"
        "Skip to main content\n"
        "The Nations’ plan: Moscow's “deal” with Port-au-Prince, etc. and NATO's 2.0 push."
    )
    finder = _Finder(text, (), ())
    assert finder.words == [t.text for t in finder.toks]
    assert "Skip" not in finder.words  # (page furniture is not read)


def test_results_lines_are_lines_of_names_and_numbers_only() -> None:
    finder = _finder(_RESULTS)
    # A sentence with numbers is no table, nor is the dateline; a fixture is.
    assert finder.results_lines() == {1, 3, 4, 6}
    assert finder.dateline_lines == {5}


def test_a_results_line_counts_even_after_a_line_of_prose() -> None:
    """The reading of a line stops at its first everyday word: the next line is read anew."""
    finder = _finder("Scores were low on the day\nBradford 1 Tranmere 0")
    assert finder.results_lines() == {1}


@pytest.mark.parametrize(
    ("words", "key"),
    [
        (["Patricia", "M.", "Kim"], ("Patricia", "Kim")),  # an initial
        (["É.", "Kim"], ("E.", "Kim")),  # not an initial: accents go, the word stays
        (["m.", "Kim"], ("m.", "Kim")),
        (["MM.", "Kim"], ("MM.", "Kim")),
        (["Louis", "van", "Gaal", "Jr."], ("Louis", "Gaal")),  # a particle, a suffix
        (["Näslund"], ("Naslund",)),
    ],
)
def test_name_keys(words: list[str], key: tuple[str, ...]) -> None:
    assert name_key(words) == key

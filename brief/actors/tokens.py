"""Tokens as the detector sees them: possessives split off, capitals and shapes noted."""

from __future__ import annotations

from dataclasses import dataclass

from brief.actors.gazetteer import (
    load_gazetteer,
)
from brief.actors.words import (
    _PARTICLES,
)


@dataclass(slots=True)
class _Tok:
    """A token as the detector sees it: possessive split off, capitalisation and place noted."""

    text: str  # without a possessive ending
    raw: str
    start: int
    end: int  # end of ``text``
    word: bool
    cap: bool
    poss: bool = False
    initial: bool = False  # first word of a sentence
    line: int = 0


def _is_cap(word: str) -> bool:
    if word[:1].isupper():
        return True
    # "al-Assad", "bin-Salman": a lower-case particle joined to a capitalised name.
    head, _, rest = word.partition("-")
    return head in _PARTICLES and rest[:1].isupper()


def _name_word(word: str) -> bool:
    """Capitalised with lower-case letters after ("Xi", "O’Brien", "McDonald"), not "PGA".

    Hyphenated parts are capitalised ("Jean-Claude") or, after the first, short syllables
    ("Seo-yeon", "Ing-wen").
    """
    parts = word.split("-")
    if len(parts) > 1 and parts[0] in _PARTICLES:
        parts = parts[1:]
    for index, part in enumerate(parts):
        letters = part.replace("'", "").replace("’", "")
        if not letters.isalpha():
            return False
        if index > 0 and letters.islower() and len(letters) <= 5:
            continue
        if not letters[0].isupper() or not any(c.islower() for c in letters[1:]):
            return False
    return True


# What the scanner needs to know of a token's text, worked out once per distinct text:
# (a word?, capitalised?, the word without a possessive ending, was one taken off?,
# lower case?, hyphenated?, may it start a known phrase?, ends in "s"?).
_Shape = tuple[bool, bool, str, bool, bool, bool, bool, bool]
_SHAPES: dict[str, _Shape] = {}
_SHAPES_LIMIT = 200_000  # distinct token texts kept (a few MB); then the table starts over


def _shapes() -> dict[str, _Shape]:
    """The table of token shapes (emptied when it grows past its limit)."""
    if len(_SHAPES) > _SHAPES_LIMIT:
        _SHAPES.clear()
    return _SHAPES


def _shape(raw: str) -> _Shape:
    """Read ``raw`` (a token's text) once, and remember it in the table of shapes."""
    head = raw[0]
    firsts = load_gazetteer().firsts
    if not head.isalnum():
        shape: _Shape = (False, False, raw, False, False, False, raw in firsts, False)
    else:
        cap = head.isupper() or ("-" in raw and _is_cap(raw))
        stemmed = len(raw) > 2 and raw[-2] in "'’" and raw[-1] in "sS" and head.isalpha()
        word = raw[:-2] if stemmed else raw
        # A token in capitals may be a dateline's "WASHINGTON" (see _Finder._known).
        known = raw in firsts or word in firsts or (word.isupper() and len(word) > 3)
        plural = not stemmed and raw[-1] == "s"
        shape = (True, cap, word, stemmed, word.islower(), "-" in word, known, plural)
    _SHAPES[raw] = shape
    return shape


def _opens(text: str, pos: int) -> bool:
    """True when the quotation mark at ``pos`` opens a quote."""
    if text[pos] in "“‘«„":
        return True
    before = text[pos - 1] if pos > 0 else " "
    return before.isspace() or before in "([{—–-"

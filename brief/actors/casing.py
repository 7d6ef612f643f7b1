"""Lines in capitals ("SOCCER - JAPAN WIN IN ASIAN CUP") re-cased for reading, offsets kept.

Wire copy sets headlines, datelines and results tables in capitals, where every
word looks like a name and none like one the word lists know.  Such a line is
read as if written in sentence case: a word the gazetteer or the name lists
know gets its capital ("JAPAN" → "Japan", "NATO" stays), an everyday word
(one the article also writes in lower case) goes lower case, an unknown long
word is taken for a name ("GONZALEZ" → "Gonzalez").  Only the detector reads
the re-cased text; every change keeps the length of the word, so offsets into
the original text hold.
"""

from __future__ import annotations

import re

from brief.actors.gazetteer import Gazetteer, Lexicon

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’.&-][^\W\d_]+)*\.?")
_LOWER_WORD_RE = re.compile(r"\b[a-z]+\b")


def _is_shouting(line: str) -> bool:
    """A line with cased letters, none of them lower case, and a word of two letters or more."""
    return line.upper() == line and line.lower() != line and _WORD_RE.search(line) is not None


def _titled(word: str) -> str:
    """ "O'NEILL" → "O'Neill", "ENGLAND'S" → "England's", "AL-ASSAD" → "Al-Assad"."""
    titled = word.title()
    if len(titled) > 2 and titled[-2] in "'’" and titled[-1] == "S":
        titled = titled[:-1] + "s"
    return titled


def _recase_word(word: str, gaz: Gazetteer, lex: Lexicon, lower_vocab: set[str]) -> str:
    if len(word) < 2 or (word,) in gaz.entries:
        return word  # "A", "U.S.", "NATO", "UN": as written
    titled = _titled(word)
    stem = titled[:-2] if titled.endswith(("'s", "’s")) else titled
    if stem in gaz.firsts or stem in lex.given_names or stem in lex.family_names_first:
        return titled
    lower = word.lower()
    if lower in lex.common_words or lower.rstrip(".") in lower_vocab:
        return lower
    if len(word) <= 3 and word.isalpha():
        return word  # "LG", "OB": short unknown words in capitals are initials
    return titled


def recase_shouting(text: str, gaz: Gazetteer, lex: Lexicon) -> str:
    """``text`` with every line in capitals re-cased for reading (same length, same offsets)."""
    if not any(_is_shouting(line) for line in text.splitlines()):
        return text  # (most texts: one pass over the lines, no copy)
    lower_vocab = set(_LOWER_WORD_RE.findall(text))
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        if not _is_shouting(line):
            out.append(line)
            continue
        pieces: list[str] = []
        taken = 0
        for match in _WORD_RE.finditer(line):
            word = match.group()
            new = _recase_word(word, gaz, lex, lower_vocab)
            if len(new) != len(word):
                new = word  # (a case mapping that changes the length would move offsets)
            pieces.append(line[taken : match.start()])
            pieces.append(new)
            taken = match.end()
        pieces.append(line[taken:])
        out.append("".join(pieces))
    return "".join(out)

"""Lower-cased text aligned with the original: case-insensitive searches by plain ones.

Python's regular expression engine tries a case-insensitive pattern much more
slowly than a case-sensitive one (no quick test of an alternative's first
letter, no fast search for a word), and ``str.find`` is faster still.  For a
text without the three characters below, ``text.lower()`` is a drop-in
stand-in: it has the same length, a character of it is a word character
(``\\w``) exactly where the original's is, and it has an ASCII letter exactly
where an ``re.IGNORECASE`` pattern's ASCII letter (in either case) would match
the original's character.  So a case-sensitive pattern of lower-case ASCII
letters, word boundaries and characters without case finds on the folded text
what its ``re.IGNORECASE`` twin finds on the original, at the same offsets.
``tests/unit/test_folding.py`` checks this for every code point.
"""

from __future__ import annotations

# The engine also takes "ſ" (long s) for "s" and "ı" (dotless i) for "i", which lower-case
# to themselves; "İ" lower-cases to two characters.
_UNFOLDABLE = ("ſ", "ı", "İ")


def folded(text: str) -> str | None:
    """``text.lower()`` when it stands in for ``text`` under ``re.IGNORECASE``, else None."""
    for char in _UNFOLDABLE:
        if char in text:
            return None
    return text.lower()

"""How long a written briefing takes to read: the words a reader reads in its Markdown
(no front matter, link targets or Markdown marks), at a stated reading speed."""

from __future__ import annotations

import re

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
# A word is a run of non-space characters with at least one letter or digit in it.
_WORD = re.compile(r"\S*[^\W_]\S*")


def reading_words(markdown: str) -> int:
    """Words a reader reads in ``markdown`` (body text, headings, lines; not URLs)."""
    body = _FRONT_MATTER.sub("", markdown, count=1)
    body = _LINK_TARGET.sub("]", body)
    return len(_WORD.findall(body))


def reading_minutes(words: int, words_per_minute: int) -> float:
    """Minutes to read ``words`` at ``words_per_minute``, to one decimal."""
    return round(words / max(1, words_per_minute), 1)

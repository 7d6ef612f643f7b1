"""Counts in words for messages: ``1 feed``, ``2 feeds``, ``1 entry``, ``3 entries``."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` with its noun, singular for exactly one (``many``: an irregular plural)."""
    noun = word if count == 1 else (many if many is not None else word + "s")
    return f"{count} {noun}"

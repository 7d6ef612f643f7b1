"""Counts in words: one helper, singular for exactly one."""

from __future__ import annotations

import pytest

from brief.wording import plural


@pytest.mark.parametrize(
    ("count", "word", "many", "expected"),
    [
        (0, "feed", None, "0 feeds"),
        (1, "feed", None, "1 feed"),
        (2, "warning", None, "2 warnings"),
        (1, "entry", "entries", "1 entry"),
        (3, "entry", "entries", "3 entries"),
        (-1, "article", None, "-1 articles"),
    ],
)
def test_plural(count: int, word: str, many: str | None, expected: str) -> None:
    assert plural(count, word, many) == expected


def test_no_count_is_followed_by_a_hand_made_plural_in_messages() -> None:
    """Messages count with plural(); an f-string `{n} feeds` would say "1 feeds"."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "brief"
    pattern = re.compile(
        r"\{(?:len\([^)]*\)|[a-z_.]+)\} (?:feeds|sources|articles|warnings|entries|actors|"
        r"sentences|mentions|links)\b"
    )
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line) or ("s' if " in line and "!= 1" in line)
    ]
    assert found == []

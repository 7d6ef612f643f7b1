"""bench/editorial.py reads bullets as the reader reads them: no provenance, no quote lists."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "editorial.py"


@pytest.fixture(scope="module")
def editorial() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_editorial", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_editorial"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("line", "text"),
    [
        (
            "- The port reopened. — [Harbour Times](https://h.example/a#:~:text=The)",
            "The port reopened.",
        ),
        ("- The port reopened. — Sample articles", "The port reopened."),
        # an em dash inside the sentence stays; only the last segment is the source
        ("- Ships came in — at dawn — and left. — Wire", "Ships came in — at dawn — and left."),
        ("- Costs rose 5\\% in a year.", "Costs rose 5% in a year."),
    ],
)
def test_a_bullet_loses_its_provenance_and_escapes(
    editorial: ModuleType, line: str, text: str
) -> None:
    assert editorial.bullet_text(line) == text


def test_unattributed_quotes_are_not_summary_bullets(editorial: ModuleType) -> None:
    lines = [
        "- Lead sentence. — Wire",
        "",
        "*Unattributed quotes* (speaker not certain):",
        "",
        "- “We will not move.” — Wire",
        "- and 2 more in the article",
    ]
    summary, quotes = editorial.story_bullets(lines)
    assert summary == ["Lead sentence."]
    assert quotes == ["“We will not move.”"]

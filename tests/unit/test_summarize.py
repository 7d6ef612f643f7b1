"""The summarizer registry: every algorithm, lengths, order, caps, offline operation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from brief.config import SummaryConfig
from brief.errors import BriefError
from brief.models import Article
from brief.text.summarize import (
    algorithm_names,
    summarize_article,
    summarize_text,
    summary_length,
)

REPO = Path(__file__).resolve().parent.parent.parent

STORY = (
    "The city council approved a new budget on Monday after a long debate. "
    "The budget raises spending on schools by ten percent. "
    "Council members argued for hours about the cost of the new bus lanes. "
    "Mayor Jane Smith said the budget protects schools and buses. "
    "Opponents said the budget would raise property taxes. "
    "The vote was seven to four.\n\n"
    "The new budget takes effect in July. "
    "Schools will hire forty teachers with the extra money. "
    "The bus lanes will open next spring. "
    "A lawsuit against the budget is expected."
)


@pytest.mark.parametrize("algorithm", algorithm_names())
def test_every_algorithm_returns_input_sentences_in_order(algorithm: str) -> None:
    picked = summarize_text(STORY, algorithm=algorithm, sentences=3, title="Council passes budget")
    assert len(picked) == 3
    indexes = [s.index for s in picked]
    assert indexes == sorted(set(indexes))
    for s in picked:
        assert STORY[s.start : s.end] == s.text


@pytest.mark.parametrize("algorithm", algorithm_names())
def test_every_algorithm_handles_tiny_and_empty_input(algorithm: str) -> None:
    assert summarize_text("", algorithm=algorithm) == []
    assert [s.text for s in summarize_text("Just one.", algorithm=algorithm)] == ["Just one."]
    # Sentences without any word still give a summary (filled from the lead).
    picked = summarize_text("1. 2. 3. 4. 5. 6.", algorithm=algorithm, sentences=2)
    assert len(picked) == 2


def test_lead_takes_the_first_sentences() -> None:
    picked = summarize_text(STORY, algorithm="lead", sentences=2)
    assert [s.index for s in picked] == [0, 1]


@pytest.mark.parametrize(
    ("total", "sentences", "ratio", "expected"),
    [
        (10, 3, 0.0, 3),
        (2, 3, 0.0, 2),
        (10, 3, 0.2, 2),
        (10, 3, 0.01, 1),
        (0, 3, 0.0, 0),
        (10, 3, 0.5, 5),
    ],
)
def test_summary_length(total: int, sentences: int, ratio: float, expected: int) -> None:
    assert summary_length(total, sentences, ratio) == expected


def test_ratio_takes_a_fraction_of_the_sentences() -> None:
    assert len(summarize_text(STORY, algorithm="lexrank", ratio=0.5)) == 5
    assert len(summarize_text(STORY, algorithm="lexrank", ratio=0.01)) == 1


def test_long_input_is_capped() -> None:
    text = " ".join(f"Sentence number {i} talks about topic {i % 7}." for i in range(1000))
    picked = summarize_text(text, algorithm="lexrank", sentences=3, max_input_sentences=50)
    assert len(picked) == 3
    assert all(s.index < 50 for s in picked)


def test_repeated_sentences_are_picked_once() -> None:
    text = "Rain is coming. Rain is coming. Rain is coming. Sun tomorrow. Rain is coming."
    for algorithm in algorithm_names():
        texts = [s.text for s in summarize_text(text, algorithm=algorithm, sentences=2)]
        assert len(texts) == len(set(texts)) == 2


def test_unknown_algorithm_names_the_known_ones() -> None:
    with pytest.raises(BriefError) as caught:
        summarize_text(STORY, algorithm="magic")
    assert "magic" in caught.value.message
    assert caught.value.hint is not None
    for name in ("lead", "lexrank", "reduction"):
        assert name in caught.value.hint


def test_summarize_article_uses_the_config() -> None:
    article = Article(
        id="a1", source_id="s", source_name="S", title="Council passes budget", text=STORY
    )
    summary = summarize_article(article, SummaryConfig(algorithm="luhn", sentences=2))
    assert summary.article_id == "a1"
    assert summary.algorithm == "luhn"
    assert len(summary.sentences) == 2


def test_registry_names_import_no_sumy() -> None:
    code = (
        "import sys; from brief.text.summarize import algorithm_names; "
        "assert 'lexrank' in algorithm_names(); "
        "print(any(m == 'sumy' or m.startswith('sumy.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_summaries_work_without_any_nltk_data(tmp_path: Path) -> None:
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    env = {**os.environ, "NLTK_DATA": str(empty), "PYTHONWARNINGS": "error::ResourceWarning"}
    code = (
        "import json, sys\n"
        "from brief.text.summarize import algorithm_names, summarize_text\n"
        "text = sys.stdin.read()\n"
        "out = {a: [s.text for s in summarize_text(text, algorithm=a, sentences=2)]\n"
        "       for a in algorithm_names()}\n"
        "print(json.dumps(out))\n"
    )
    seed = (REPO / "seeds" / "globe-xi-russia-visit.txt").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=seed,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == set(algorithm_names())
    assert all(len(v) == 2 for v in result.values())

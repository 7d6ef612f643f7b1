"""The news ranker: properties of its picks, its shipped weights, its quality, robustness."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brief.config import SummaryConfig
from brief.text.clean import clean_sentences
from brief.text.news import FEATURES, analyse_document, defects, load_model, select_mmr
from brief.text.sentences import split_sentences
from brief.text.summarize import algorithm_names, summarize_text

STORY = (
    "Floods swept through the river town of Easton on Sunday, forcing hundreds of families "
    "from their homes. Emergency crews rescued 40 people from rooftops overnight. "
    "The river rose three metres in six hours after record rainfall. "
    "Officials said the flood defences built in 2010 had failed in two places. "
    "Easton's mayor called the flooding the worst in living memory. "
    "Scroll down for video\n\n"
    "Residents described water pouring into their kitchens within minutes. "
    "Floods swept through the river town of Easton on Sunday, forcing hundreds of families "
    "from their homes, officials confirmed. "
    "Schools will stay closed on Monday. "
    "Forecasters expect more rain later in the week."
)


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_picks_are_input_sentences_in_order_without_repeats(count: int) -> None:
    picked = summarize_text(STORY, algorithm="news", sentences=count, title="Floods hit Easton")
    assert len(picked) == count
    assert [s.index for s in picked] == sorted({s.index for s in picked})
    for s in picked:
        assert STORY[s.start : s.end] == s.text


def test_near_duplicate_sentences_are_not_both_picked() -> None:
    picked = [s.text for s in summarize_text(STORY, algorithm="news", sentences=4)]
    floods = [t for t in picked if t.startswith("Floods swept through")]
    assert len(floods) == 1


def test_the_lead_usually_survives_and_furniture_does_not() -> None:
    picked = [s.text for s in summarize_text(STORY, algorithm="news", sentences=3)]
    assert picked[0].startswith("Floods swept through")
    assert "Scroll down for video" not in picked


def test_ratio_and_whole_text() -> None:
    total = len(clean_sentences(STORY))  # the furniture line is not a sentence to summarize
    assert len(summarize_text(STORY, algorithm="news", ratio=0.5)) == round(total * 0.5)
    assert len(summarize_text(STORY, algorithm="news", sentences=100)) == total


def test_stable_across_runs_and_processes() -> None:
    first = [s.index for s in summarize_text(STORY, algorithm="news", sentences=3)]
    assert first == [s.index for s in summarize_text(STORY, algorithm="news", sentences=3)]
    code = (
        "import sys; from brief.text.summarize import summarize_text; "
        "print([s.index for s in summarize_text(sys.stdin.read(), algorithm='news', sentences=3)])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=STORY, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == str(first)


BODY = (
    "Shops closed across the country on Monday as sales fell for a third month. "
    "The retail federation said footfall was down by a fifth on last year. "
    "Small towns were hit hardest, with one in six units now empty. "
    "The government promised a review of business rates in the spring."
)


@pytest.mark.parametrize(
    "opening",
    [
        "Is this the end of the high street?",  # a question
        "Breaking news.",  # very short
        "'We are finished,' one owner said of the closures on the high street.",  # a teaser
        "Empty shop fronts on the high street in Easton",  # unterminated: a caption
    ],
)
def test_a_defective_lead_sentence_is_passed_over(opening: str) -> None:
    text = f"{opening}\n\n{BODY}"
    picked = [s.text for s in summarize_text(text, algorithm="news", sentences=2)]
    assert opening not in picked
    assert picked[0].startswith("Shops closed across the country on Monday as sales fell")


def test_a_near_duplicate_of_the_lead_is_passed_over() -> None:
    echo = "Shops closed across the country on Monday as sales fell for a third month, data show."
    picked = [s.text for s in summarize_text(f"{BODY} {echo}", algorithm="news", sentences=4)]
    assert echo not in picked and len(picked) == 4


def test_a_sound_lead_is_kept_whatever_the_title() -> None:
    for title in (None, "Business rates review promised"):
        picked = summarize_text(BODY, algorithm="news", sentences=1, title=title)
        assert picked[0].index == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Is it over?", "short"),
        ("Is this the end of the road for the city's trams?", "question"),
        ("“We will fight on,” the leader of the council told a packed hall.", "teaser"),
        ("Council members outside the town hall in the spring sunshine", "unterminated"),
        ("The council approved the new budget on Monday after a long debate.", None),
        ("東京都心で記録的な大雨が降った。", None),  # no spaces: words are not counted
    ],
)
def test_defects(text: str, reason: str | None) -> None:
    assert defects([text]) == [reason]


def test_the_word_budget_keeps_whole_sentences_and_the_lead() -> None:
    picked = summarize_text(BODY, algorithm="news", sentences=3, words=30)
    assert sum(len(s.text.split()) for s in picked) <= 30
    assert picked[0].index == 0 and len(picked) == 2
    lone = summarize_text(BODY, algorithm="news", sentences=3, words=5)
    assert [s.index for s in lone] == [0]  # over budget alone, but a story is never empty


def test_features_are_finite_and_shaped() -> None:
    texts = [s.text for s in split_sentences(STORY)]
    analysis = analyse_document(texts, "Floods hit Easton")
    assert analysis.features.shape == (len(texts), len(FEATURES))
    assert analysis.similarity.shape == (len(texts), len(texts))
    assert (analysis.features == analysis.features).all()  # no NaN


def test_select_mmr_respects_count_and_duplicates() -> None:
    import numpy as np

    scores = np.array([3.0, 2.9, 1.0, 0.5])
    similarity = np.eye(4)
    similarity[0, 1] = similarity[1, 0] = 0.95
    assert select_mmr(scores, similarity, 2, 0.0, 0.75) == [0, 2]
    # When only repeats are left, the best of them still fill the summary.
    assert select_mmr(scores[:2], similarity[:2, :2], 2, 0.0, 0.75) == [0, 1]


def test_shipped_weights_match_the_features() -> None:
    model = load_model()
    assert model.features == FEATURES
    assert len(model.coef) == len(model.mean) == len(model.scale) == len(FEATURES)
    assert all(s > 0 for s in model.scale)


def test_news_keeps_the_lead_on_cnndm_dev(shared_data: Path) -> None:
    """On real copy the first pick is the first sound sentence, and ROUGE does not fall off."""
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    records = [
        json.loads(line)
        for line in (shared_data / "eval" / "cnndm-dev.jsonl").read_text("utf-8").splitlines()
    ]
    news = lead = 0.0
    for record in records:
        sentences = clean_sentences(record["article"])
        reasons = defects([s.text for s in sentences])
        sound = [s for s, why in zip(sentences, reasons, strict=True) if not why]
        picked = summarize_text(
            record["article"], algorithm="news", sentences=3, words=SummaryConfig().words
        )
        assert picked[0] == (sound or sentences)[0]
        reference = "\n".join(s.text for s in split_sentences(record["summary"]))
        news += scorer.score(reference, "\n".join(s.text for s in picked))["rouge1"].fmeasure
        plain = split_sentences(record["article"])[:3]
        lead += scorer.score(reference, "\n".join(s.text for s in plain))["rouge1"].fmeasure
    # A floor against regressions, not a claim: bench/rouge.py reports the CI.
    assert news / len(records) > lead / len(records) - 0.02


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    text=st.text(max_size=400)
    | st.lists(
        st.text(alphabet=st.characters(), min_size=1, max_size=40), min_size=1, max_size=12
    ).map(lambda parts: ". ".join(parts)),
    title=st.none() | st.text(max_size=40),
    count=st.integers(min_value=1, max_value=5),
)
def test_arbitrary_unicode_never_crashes_a_summarizer(
    text: str, title: str | None, count: int
) -> None:
    for algorithm in algorithm_names():
        picked = summarize_text(text, algorithm=algorithm, sentences=count, title=title)
        assert len(picked) <= count
        for s in picked:
            assert text[s.start : s.end] == s.text


def test_the_vocabulary_marks_every_word_holding_a_digit() -> None:
    from brief.text.news import _Vocabulary

    words = ["budget", "2026", "B52", "x²", "٣rd", "Ünïcode", "word"]
    vocabulary = _Vocabulary()
    ids = vocabulary.ids(words)
    assert (
        [bool(vocabulary.digit[i]) for i in ids]
        == [any(c.isdigit() for c in w) for w in words]
        == [False, True, True, True, True, False, False]
    )

"""Fit the news ranker's weights, deterministically, and print cross-validated figures.

    .venv/bin/python bench/fit_news.py            # fit, report, write brief/text/news_weights.json
    .venv/bin/python bench/fit_news.py --dry-run  # report only

Two parts, fitted on different data so neither is tuned to the other's test:

1. The content model.  BBC News Summary's own reference summaries were made
   by an extractive algorithm (a content model fitted to them becomes
   LexRank, and loses to Lead-3 on CNN/DM), but every article also has its
   human-written headline.  So a sentence's label is whether it is one of the
   two sentences closest to the headline (TF-IDF cosine), and a logistic
   regression (L2, Newton's method: no randomness) learns from the other
   content features (centrality, length, informativeness; position is left
   out, the prior covers it; the title is left out, it defines the label)
   which sentences carry the story.  Its held-out precision is printed.
2. The blend.  How far content may move a sentence against the lead prior
   (``content_weight``), the penalty on unterminated lines and the MMR
   redundancy penalty are chosen on CNN/DailyMail-dev by nested 5-fold
   cross-validation: each fold's settings are chosen on the other four folds,
   so the printed figure is for articles the choice never saw.
3. The title weight (used when an article has a title; CNN/DM has none) is
   chosen on BBC by 5-fold cross-validation against BBC's references.

Folds are fixed (record number mod 5).

The default ``news`` ranker no longer uses this blend: it is lead-anchored
(``brief.text.news.lead_anchored``; its two rules are checked by nested CV in
``bench/rouge.py --nested``), because the blend's gain over Lead-3 did not
carry over to unseen articles.  This script stays to refit and re-measure the
content model (``score_sentences``) against that ranker.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "data" / "eval"
BBC = EVAL / "bbc-news-summary.jsonl"
CNNDM = EVAL / "cnndm-dev.jsonl"
OUTPUT = REPO / "brief" / "text" / "news_weights.json"
FOLDS = 5
L2 = 1.0
CONTENT_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
TITLE_WEIGHTS = (0.0, 0.5, 1.0, 2.0)
HEADLINE_SENTENCES = 2
UNTERMINATED_PENALTIES = (0.0, 1.0)
REDUNDANCIES = (0.0, 0.25, 0.5)
DUPLICATE = 0.75


@dataclass
class Doc:
    """One article, analysed: features, similarities, labels, and what ROUGE needs."""

    features: np.ndarray
    similarity: np.ndarray
    labels: np.ndarray
    texts: list[str]
    reference: str
    length: int


def normalise(text: str) -> str:
    """Whitespace-insensitive comparison key."""
    return " ".join(text.split())


def analyse(record: dict[str, Any], *, reference_length: bool) -> Doc | None:
    """Split, prepare and featurize one record the way summarize_text does."""
    from brief.text.news import analyse_document
    from brief.text.sentences import split_paragraphs, split_sentences
    from brief.text.summarize import prepare_paragraphs

    paragraphs = prepare_paragraphs(split_paragraphs(record["article"]), 400)
    texts = [s.text for p in paragraphs for s in p]
    if len(texts) < 2:
        return None
    gold_sentences = record.get("summary_sentences") or [
        s.text for s in split_sentences(record["summary"])
    ]
    gold = {normalise(s) for s in gold_sentences}
    analysis = analyse_document(texts, record.get("title"))
    labels = np.array([normalise(t) in gold for t in texts], dtype=np.float64)
    length = len(gold_sentences) if reference_length else 3
    return Doc(
        features=analysis.features,
        similarity=analysis.similarity,
        labels=labels,
        texts=texts,
        reference="\n".join(gold_sentences),
        length=max(1, min(length, len(texts))),
    )


def load(path: Path, *, reference_length: bool) -> list[Doc]:
    """Analyse every record of a JSON Lines file."""
    docs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = analyse(json.loads(line), reference_length=reference_length)
            if doc is not None:
                docs.append(doc)
    return docs


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (deterministic)."""
    rows, columns = x.shape
    design = np.hstack([x, np.ones((rows, 1))])
    weights = np.zeros(columns + 1)
    penalty = np.full(columns + 1, l2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(design @ weights)))
        gradient = design.T @ (p - y) + penalty * weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights[:-1], float(weights[-1])


def headline_labels(doc: Doc) -> np.ndarray | None:
    """1 for the sentences closest to the headline, else 0 (None when nothing overlaps)."""
    from brief.text.news import FEATURES

    closeness = doc.features[:, FEATURES.index("title_similarity")]
    if closeness.max() <= 0:
        return None
    labels = np.zeros(len(closeness))
    labels[np.argsort(-closeness, kind="stable")[:HEADLINE_SENTENCES]] = 1.0
    return labels


def content_columns() -> np.ndarray:
    """Feature columns the content model may use (all but the title, which defines the label)."""
    from brief.text.news import FEATURES

    return np.array([name != "title_similarity" for name in FEATURES])


def train(docs: Sequence[Doc]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Fit the content model: (mean, scale, coef, intercept) over standardised features."""
    usable = [(d, y) for d in docs if (y := headline_labels(d)) is not None]
    stacked = np.vstack([d.features for d, _ in usable])
    labels = np.concatenate([y for _, y in usable])
    mean = stacked.mean(axis=0)
    scale = stacked.std(axis=0)
    scale[scale < 1e-9] = 1.0
    columns = content_columns()
    coef = np.zeros(stacked.shape[1])
    fitted, intercept = fit_logistic(((stacked - mean) / scale)[:, columns], labels)
    coef[columns] = fitted
    return mean, scale, coef, intercept


def headline_precision(
    docs: Sequence[Doc], content: tuple[np.ndarray, np.ndarray, np.ndarray, float]
) -> float:
    """Share of the model's top sentences that are among the headline's closest."""
    mean, scale, coef, _ = content
    hits = total = 0
    for doc in docs:
        labels = headline_labels(doc)
        if labels is None:
            continue
        scores = ((doc.features - mean) / scale) @ coef
        top = np.argsort(-scores, kind="stable")[:HEADLINE_SENTENCES]
        hits += int(labels[top].sum())
        total += len(top)
    return 100 * hits / max(1, total)


def model_from(
    content: tuple[np.ndarray, np.ndarray, np.ndarray, float],
    weight: float,
    unterminated: float,
    redundancy: float,
    title: float = 0.0,
) -> Any:
    """A NewsModel from a fitted content model and blend settings."""
    from brief.text.news import FEATURES, NewsModel

    mean, scale, coef, intercept = content
    return NewsModel(
        features=FEATURES,
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        coef=tuple(round(float(v), 6) for v in coef),
        intercept=round(float(intercept), 6),
        content_weight=weight,
        title_weight=title,
        unterminated_penalty=unterminated,
        redundancy=redundancy,
        duplicate=DUPLICATE,
    )


def pick(doc: Doc, model: Any) -> list[int]:
    """The ranker's choice for one analysed document."""
    from brief.text.news import DocumentAnalysis, score_sentences, select_mmr

    analysis = DocumentAnalysis(features=doc.features, similarity=doc.similarity)
    scores = score_sentences(analysis, model)
    return select_mmr(scores, doc.similarity, doc.length, model.redundancy, model.duplicate)


def rouge_each(docs: Sequence[Doc], picks: Sequence[Sequence[int]]) -> np.ndarray:
    """Per-document ROUGE-1/2/Lsum F1 x100 (rouge-score, Porter, Lsum one sentence per line)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    out = np.zeros((len(docs), 3))
    for k, (doc, chosen) in enumerate(zip(docs, picks, strict=True)):
        scores = scorer.score(doc.reference, "\n".join(doc.texts[i] for i in chosen))
        out[k] = [100 * scores[m].fmeasure for m in ("rouge1", "rouge2", "rougeLsum")]
    return out


def row(label: str, scores: np.ndarray) -> str:
    """One table line."""
    return f"{label:<34}" + "".join(f"{v:7.2f}" for v in scores)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit, cross-validate, report and write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="report without writing weights")
    args = parser.parse_args(argv)
    if not BBC.is_file() or not CNNDM.is_file():
        print(f"evaluation data not found in {EVAL}", file=sys.stderr)
        return 2
    from brief.text.news import FEATURES

    bbc = load(BBC, reference_length=True)
    cnn = load(CNNDM, reference_length=False)
    print(f"BBC News Summary: {len(bbc)} articles; CNN/DM dev: {len(cnn)} articles")
    header = f"{'':<34}{'R1':>7}{'R2':>7}{'RLsum':>7}"

    # 1. The content model, cross-validated on BBC.
    precision = []
    for fold in range(FOLDS):
        fitted = train([d for k, d in enumerate(bbc) if k % FOLDS != fold])
        precision.append(
            headline_precision([d for k, d in enumerate(bbc) if k % FOLDS == fold], fitted)
        )
    content = train(bbc)
    print(
        f"content model: {FOLDS}-fold CV precision of its top {HEADLINE_SENTENCES} sentences "
        f"at finding the headline's closest: {np.mean(precision):.1f}%"
    )

    # 2. The blend, nested CV on CNN/DM dev (content model fitted on BBC only).
    grid = list(itertools.product(CONTENT_WEIGHTS, UNTERMINATED_PENALTIES, REDUNDANCIES))
    per_setting = {
        setting: rouge_each(cnn, [pick(d, model_from(content, *setting)) for d in cnn])
        for setting in grid
    }
    folds = np.arange(len(cnn)) % FOLDS
    nested = np.zeros((len(cnn), 3))
    chosen_per_fold = []
    for fold in range(FOLDS):
        inner = folds != fold
        best = max(grid, key=lambda s: float(per_setting[s][inner].sum()))
        chosen_per_fold.append(best)
        nested[~inner] = per_setting[best][~inner]
    final = max(grid, key=lambda s: float(per_setting[s].sum()))
    lead = rouge_each(cnn, [[0, 1, 2] for _ in cnn])
    print(f"\nCNN/DM dev, 3 sentences, nested {FOLDS}-fold CV of the blend:\n{header}")
    print(row("lead (Lead-3)", lead.mean(0)))
    print(row("news (nested CV)", nested.mean(0)))
    print(row("news (final settings, all 100)", per_setting[final].mean(0)))
    print(f"settings chosen per fold (content weight, unterminated, redundancy): {chosen_per_fold}")
    print(f"final settings: {final}")

    # 3. The title weight, CV on BBC against its references (reference length).
    per_title = {
        t: rouge_each(bbc, [pick(d, model_from(content, *final, title=t)) for d in bbc])
        for t in TITLE_WEIGHTS
    }
    bbc_folds = np.arange(len(bbc)) % FOLDS
    bbc_nested = np.zeros((len(bbc), 3))
    for fold in range(FOLDS):
        inner = bbc_folds != fold
        best_title = max(TITLE_WEIGHTS, key=lambda t: float(per_title[t][inner].sum()))
        bbc_nested[~inner] = per_title[best_title][~inner]
    title_weight = max(TITLE_WEIGHTS, key=lambda t: float(per_title[t].sum()))
    print(f"\nBBC News Summary, reference length, {FOLDS}-fold CV of the title weight:\n{header}")
    print(row("lead (Lead-K)", rouge_each(bbc, [list(range(d.length)) for d in bbc]).mean(0)))
    print(row("news (CV)", bbc_nested.mean(0)))
    print(f"title weight: {title_weight}")
    print("\ncontent model weights (standardised features):")
    for name, value in sorted(zip(FEATURES, content[2], strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:<20}{value:+.3f}")
    if args.dry_run:
        return 0
    model = model_from(content, *final, title=title_weight)
    payload = {
        "about": "brief news ranker; written by bench/fit_news.py (content model: BBC News "
        "Summary headlines; blend: nested CV on CNN/DM dev; title weight: CV on BBC)",
        "cross_validation": {
            "cnndm_dev_lead3": [round(float(v), 2) for v in lead.mean(0)],
            "cnndm_dev_news_nested_cv": [round(float(v), 2) for v in nested.mean(0)],
            "bbc_news_cv": [round(float(v), 2) for v in bbc_nested.mean(0)],
        },
        "model": model.to_json(),
    }
    OUTPUT.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())

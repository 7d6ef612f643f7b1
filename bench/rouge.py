"""ROUGE-1/2/Lsum and articles/second of every registered summarizer beside stock sumy LexRank.

    .venv/bin/python bench/rouge.py                      # cnndm-dev, 3 sentences
    .venv/bin/python bench/rouge.py --data ../shared/data/eval/bbc-news-summary.jsonl \
        --sentences ref
    .venv/bin/python bench/rouge.py --algorithms lead,news --json
    .venv/bin/python bench/rouge.py --algorithms lead,news --nested --split tune  # nested CV
    .venv/bin/python bench/rouge.py --algorithms news --split holdout         # the 30 kept aside

Scoring follows the published CNN/DailyMail convention: ``rouge-score`` with
the Porter stemmer, F1, ROUGE-Lsum with one sentence per line.  Speed is text
in → summary out (sentence splitting included), one process, one core;
"art/s" is a second pass over the same articles, "1st pass" the first one
with caches cold (imports excluded).  ``stock-lexrank`` is sumy's
LexRank as a user would drive it without brief: ``PlaintextParser`` with the
spine's syntok-based tokenizer, sumy's stock stemmer, no caching.  The
splitter table compares brief's splitter with syntok on hand-annotated hard
cases, on the BBC reference sentences and on speed.

Honesty: every algorithm is set beside Lead-3 (the first three sentences of
the plain split, no cleaning, no budget) with the paired bootstrap 95%
confidence interval of the per-article difference and win/tie/loss counts
(on the mean of R1, R2 and RLsum).  ``--nested`` chooses the news ranker's
rules (:class:`brief.text.news.LeadRules`) and the word budget (60 to 100
words: what a reader can skim) on the other folds of a 5-fold split and
scores each fold with the setting chosen without it; ``--select shortest``
(the default) picks the shortest budget within one standard error of the
best, so ROUGE's taste for length does not decide alone.  ``--split``
keeps a held-out part: ``tune`` is records whose number mod 10 is below 7
(70 of cnndm-dev's 100), ``holdout`` the other 30, never looked at while
tuning.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "data" / "eval"
DEFAULT_DATA = EVAL / "cnndm-dev.jsonl"
BBC_DATA = EVAL / "bbc-news-summary.jsonl"
HARD_CASES = REPO / "tests" / "data" / "sentences-hard.jsonl"

# A summarizer under test: (text, sentence count, title) -> summary sentences.
Summarizer = Callable[[str, int, "str | None"], list[str]]
BOOTSTRAP = 10_000
FOLDS = 5
SHORT_WORDS = (4, 6, 8)
DUPLICATES = (0.5, 0.7, 0.9)
# Word budgets a reader can still skim (at most 3 sentences, at most 100 words).
BUDGETS = (60, 70, 80, 90, 100)


@dataclass
class Row:
    """One algorithm's scores on the data set."""

    algorithm: str
    rouge1: float
    rouge2: float
    rougeLsum: float  # the metric's published name
    articles_per_second: float  # warm: second pass over the same articles
    first_pass_per_second: float  # cold caches (brief's stem cache starts empty)
    per_article: list[list[float]] | None = None  # R1, R2, RLsum per record (x100)
    words: float = float("nan")  # mean words per summary


@dataclass
class Comparison:
    """One algorithm against Lead-3: mean differences, their 95% CIs, wins/ties/losses."""

    algorithm: str
    diff: list[float]  # R1, R2, RLsum
    low: list[float]
    high: list[float]
    wins: int
    ties: int
    losses: int


@dataclass
class SplitterRow:
    """One sentence splitter's accuracy and speed."""

    splitter: str
    hard_cases: str
    bbc_recall: float | None
    ms_per_article: float


def load_records(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """Read a JSON Lines file of {"article", "summary", ...} records."""
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                if record.get("article") and record.get("summary"):
                    records.append(record)
            if limit is not None and len(records) >= limit:
                break
    return records


def reference_sentences(record: dict[str, Any]) -> list[str]:
    """The reference summary as sentences (given, or split with brief's splitter)."""
    given = record.get("summary_sentences")
    if isinstance(given, list) and given:
        return [str(s) for s in given]
    from brief.text.sentences import split_sentences

    return [s.text for s in split_sentences(str(record["summary"]))]


def brief_summarizer(name: str, words: int = 0, ranker: Any = None) -> Summarizer:
    """A registered brief algorithm as a bench summarizer (``words``: the word budget)."""
    from brief.text.summarize import summarize_text

    def run(text: str, count: int, title: str | None) -> list[str]:
        picked = summarize_text(
            text, algorithm=name, sentences=count, title=title, words=words, ranker=ranker
        )
        return [s.text for s in picked]

    return run


def lead3() -> Summarizer:
    """The Lead-K baseline as published: the first K sentences of the plain split."""
    from brief.text.sentences import split_sentences

    def run(text: str, count: int, title: str | None) -> list[str]:
        return [s.text for s in split_sentences(text)[:count]]

    return run


def select_split(records: list[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    """The records of ``split``: all, tune (number mod 10 below 7) or holdout (the rest)."""
    if split == "all":
        return records
    keep = (lambda i: i % 10 < 7) if split == "tune" else (lambda i: i % 10 >= 7)
    return [r for i, r in enumerate(records) if keep(i)]


def compare(name: str, scores: Any, baseline: Any, seed: int = 0) -> Comparison:
    """Paired bootstrap 95% CI of the mean difference ``scores - baseline`` (n x 3 arrays)."""
    import numpy as np

    delta = np.asarray(scores, dtype=np.float64) - np.asarray(baseline, dtype=np.float64)
    rng = np.random.default_rng(seed)
    samples = rng.integers(0, len(delta), size=(BOOTSTRAP, len(delta)))
    means = delta[samples].mean(axis=1)  # BOOTSTRAP x 3
    low, high = np.percentile(means, [2.5, 97.5], axis=0)
    overall = delta.mean(axis=1)
    return Comparison(
        algorithm=name,
        diff=[float(v) for v in delta.mean(axis=0)],
        low=[float(v) for v in low],
        high=[float(v) for v in high],
        wins=int((overall > 1e-9).sum()),
        ties=int((np.abs(overall) <= 1e-9).sum()),
        losses=int((overall < -1e-9).sum()),
    )


def score_outputs(
    records: Sequence[dict[str, Any]], outputs: Sequence[list[str]]
) -> list[list[float]]:
    """ROUGE-1/2/Lsum F1 x100 of each output against its record's reference."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    rows = []
    for record, output in zip(records, outputs, strict=True):
        reference = "\n".join(reference_sentences(record))
        scores = scorer.score(reference, "\n".join(output))
        rows.append([100 * scores[k].fmeasure for k in ("rouge1", "rouge2", "rougeLsum")])
    return rows


@dataclass(frozen=True)
class Setting:
    """One point of the nested grid: the news ranker's rules and the word budget."""

    rules: Any  # brief.text.news.LeadRules
    words: int

    def label(self) -> str:
        """How the fold lines name it."""
        return f"short<{self.rules.short_words}, dup>={self.rules.duplicate}, {self.words} words"


def choose(scores: Any, grid: Sequence[Setting], select: str) -> int:
    """The setting ``select`` picks from ``scores`` (settings x records x 3) of some records.

    ``best``: the highest mean ROUGE.  ``shortest``: the shortest budget whose
    mean is within one standard error (paired over the records) of the best,
    with the default rules when they are within it too: a reader gets the
    shortest summary the data cannot tell from the best one.
    """
    import numpy as np

    from brief.text.news import LeadRules

    means = np.asarray(scores).mean(axis=2)  # settings x records
    best = int(np.argmax(means.mean(axis=1)))
    if select == "best":
        return best
    gap = means - means[best]
    error = gap.std(axis=1, ddof=1) / np.sqrt(means.shape[1])
    near = [i for i in range(len(grid)) if gap[i].mean() >= -error[i]]
    return min(near, key=lambda i: (grid[i].words, grid[i].rules != LeadRules(), i))


def nested_news(
    records: Sequence[dict[str, Any]], lengths: Sequence[int], select: str = "shortest"
) -> tuple[list[list[float]], list[int], list[str]]:
    """Per-record scores and words of the news ranker with its rules and word budget chosen
    by nested CV (on the other folds), and each fold's pick."""
    import numpy as np

    from brief.text.news import LeadRules, news_ranker

    grid = [
        Setting(LeadRules(short, dup), words)
        for words in BUDGETS
        for short in SHORT_WORDS
        for dup in DUPLICATES
    ]
    table = []  # setting x record x 3
    sizes = []  # setting x record: words shown
    for setting in grid:
        run = brief_summarizer("news", setting.words, news_ranker(setting.rules))
        outputs = [
            run(r["article"], k, r.get("title")) for r, k in zip(records, lengths, strict=True)
        ]
        table.append(score_outputs(records, outputs))
        sizes.append([len(" ".join(o).split()) for o in outputs])
    scores = np.asarray(table)
    fold = np.arange(len(records)) % FOLDS
    nested = np.zeros(scores.shape[1:])
    words = np.zeros(len(records), dtype=np.int64)
    picks = []
    for f in range(FOLDS):
        inner = fold != f
        pick = choose(scores[:, inner, :], grid, select)
        nested[~inner] = scores[pick, ~inner]
        words[~inner] = np.asarray(sizes[pick])[~inner]
        picks.append(f"fold {f}: {grid[pick].label()}")
    pick = choose(scores, grid, select)
    picks.append(
        f"on all {len(records)} (what would ship; its in-sample score is no claim): "
        f"{grid[pick].label()}"
    )
    return nested.tolist(), words.tolist(), picks


def stock_lexrank() -> Summarizer:
    """sumy's LexRank driven the stock way: PlaintextParser + syntok tokenizer, stock stemmer."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    from brief.text.sentences import OfflineTokenizer

    tokenizer = OfflineTokenizer("english", splitter="syntok")
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(text: str, count: int, title: str | None) -> list[str]:
        document = PlaintextParser.from_string(text, tokenizer).document
        return [str(s) for s in summarizer(document, count)]

    return run


def evaluate(
    name: str, summarize: Summarizer, records: Sequence[dict[str, Any]], lengths: Sequence[int]
) -> Row:
    """Score one summarizer over the records and time it."""
    # One call first so imports and lazy set-up are not timed; then a first
    # pass (caches cold) and a second, warm pass over the same articles.
    summarize("Warm up. Two sentences here. And a third one.", 1, None)
    passes: list[float] = []
    outputs: list[list[str]] = []
    for _ in range(2):
        outputs = []
        started = time.perf_counter()
        for record, count in zip(records, lengths, strict=True):
            outputs.append(summarize(record["article"], count, record.get("title")))
        passes.append(time.perf_counter() - started)
    per_article = score_outputs(records, outputs)
    n = len(records)
    words = sum(len(" ".join(o).split()) for o in outputs) / n
    return Row(
        algorithm=name,
        rouge1=sum(r[0] for r in per_article) / n,
        rouge2=sum(r[1] for r in per_article) / n,
        rougeLsum=sum(r[2] for r in per_article) / n,
        articles_per_second=n / passes[1],
        first_pass_per_second=n / passes[0],
        per_article=per_article,
        words=words,
    )


def splitter_rows(records: Sequence[dict[str, Any]]) -> list[SplitterRow]:
    """Accuracy (hard cases, BBC reference sentences) and speed of brief's splitter and syntok."""
    from brief.text.sentences import split_sentences, syntok_sentences

    def ours(text: str) -> list[str]:
        return [s.text for s in split_sentences(text)]

    cases = [json.loads(line) for line in HARD_CASES.read_text(encoding="utf-8").splitlines()]
    bbc = load_records(BBC_DATA, None) if BBC_DATA.is_file() else []
    rows: list[SplitterRow] = []
    for label, split in (("brief", ours), ("syntok", syntok_sentences)):
        right = sum(split(c["text"]) == c["sentences"] for c in cases)
        recall: float | None = None
        if bbc:
            # BBC's reference sentences are sentences of the article: a good
            # splitter reproduces each of them exactly.
            found = total = 0
            for record in bbc:
                got = {" ".join(s.split()) for s in split(record["article"])}
                for gold in record.get("summary_sentences") or []:
                    if gold in record["article"]:
                        total += 1
                        found += " ".join(gold.split()) in got
            recall = 100 * found / max(1, total)
        split(records[0]["article"])  # warm-up
        started = time.perf_counter()
        for record in records:
            split(record["article"])
        per_article = 1000 * (time.perf_counter() - started) / len(records)
        rows.append(SplitterRow(label, f"{right}/{len(cases)}", recall, per_article))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run every summarizer, print the tables."""
    from brief.text.summarize import algorithm_names

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="JSON Lines of article/summary"
    )
    parser.add_argument(
        "--sentences", default="3", help="summary length K, or 'ref' for the reference's length"
    )
    parser.add_argument(
        "--algorithms", help="comma-separated subset (default: all + stock-lexrank)"
    )
    parser.add_argument("--limit", type=int, help="only the first N records")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--no-splitter", action="store_true", help="skip the splitter table")
    parser.add_argument(
        "--split", choices=("all", "tune", "holdout"), default="all", help="which records"
    )
    parser.add_argument(
        "--words", type=int, help="word budget for brief's algorithms (default: the config's)"
    )
    parser.add_argument(
        "--nested",
        action="store_true",
        help="news ranker rules and word budget chosen by nested 5-fold CV",
    )
    parser.add_argument(
        "--select",
        choices=("shortest", "best"),
        default="shortest",
        help="nested pick: the shortest budget within one standard error of the best "
        "(default), or the best mean",
    )
    args = parser.parse_args(argv)

    if not args.data.is_file():
        print(f"data file not found: {args.data}", file=sys.stderr)
        return 2
    records = select_split(load_records(args.data, args.limit), args.split)
    if not records:
        print(f"no article/summary records in {args.data}", file=sys.stderr)
        return 2
    if args.sentences == "ref":
        lengths = [max(1, len(reference_sentences(r))) for r in records]
    else:
        lengths = [int(args.sentences)] * len(records)

    known = [*algorithm_names(), "stock-lexrank"]
    names = args.algorithms.split(",") if args.algorithms else known
    unknown = [n for n in names if n not in known]
    if unknown:
        print(
            f"unknown algorithm(s): {', '.join(unknown)}; known: {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    from brief.config import SummaryConfig

    words = SummaryConfig().words if args.words is None else args.words
    baseline = evaluate("lead-3", lead3(), records, lengths)
    rows = [baseline]
    for name in names:
        summarize = stock_lexrank() if name == "stock-lexrank" else brief_summarizer(name, words)
        rows.append(evaluate(name, summarize, records, lengths))
    comparisons = [compare(r.algorithm, r.per_article, baseline.per_article) for r in rows[1:]]
    folds: list[str] = []
    if args.nested:
        nested, sizes, folds = nested_news(records, lengths, args.select)
        n = len(nested)
        means = [sum(r[k] for r in nested) / n for k in range(3)]
        rows.append(
            Row("news (nested)", *means, float("nan"), float("nan"), nested, sum(sizes) / n)
        )
        comparisons.append(compare("news (nested)", nested, baseline.per_article))
    splitters = [] if args.no_splitter else splitter_rows(records)

    default = SummaryConfig().algorithm
    speed = {r.algorithm: r.articles_per_second for r in rows}
    first = {r.algorithm: r.first_pass_per_second for r in rows}
    both = {default, "stock-lexrank"} <= set(speed)
    ratio = speed[default] / speed["stock-lexrank"] if both else None
    first_ratio = first[default] / first["stock-lexrank"] if both else None

    if args.json:
        print(
            json.dumps(
                {
                    "data": str(args.data),
                    "records": len(records),
                    "sentences": args.sentences,
                    "default_algorithm": default,
                    "split": args.split,
                    "words": words,
                    "rows": [{**asdict(r), "per_article": None} for r in rows],
                    "against_lead3": [asdict(c) for c in comparisons],
                    "nested_folds": folds,
                    "speedup_default_vs_stock_lexrank": ratio,
                    "speedup_first_pass": first_ratio,
                    "splitters": [asdict(s) for s in splitters],
                },
                indent=2,
            )
        )
        return 0
    length = "reference length" if args.sentences == "ref" else f"{args.sentences} sentences"
    print(
        f"{args.data.name}: {len(records)} articles, {length}; ROUGE F1 x100, rouge-score + Porter"
    )
    print(
        f"{'algorithm':<16}{'R1':>7}{'R2':>7}{'RLsum':>7}{'words':>7}{'art/s':>10}{'1st pass':>10}"
    )
    for r in rows:
        label = r.algorithm + (" *" if r.algorithm == default else "")
        print(
            f"{label:<16}{r.rouge1:7.2f}{r.rouge2:7.2f}{r.rougeLsum:7.2f}{r.words:7.1f}"
            f"{r.articles_per_second:10.1f}{r.first_pass_per_second:10.1f}"
        )
    print(
        f"(* = the configured default; lead-3 = first {args.sentences} sentences of the plain "
        f"split; brief's algorithms run with a {words}-word budget)"
    )
    print()
    print(f"against lead-3, paired bootstrap 95% CI ({BOOTSTRAP} resamples), W/T/L on mean ROUGE")
    print(
        f"{'algorithm':<16}{'dR1 [95% CI]':>24}{'dR2 [95% CI]':>24}{'dRLsum [95% CI]':>24}  W/T/L"
    )
    for c in comparisons:
        cells = "".join(
            f"{f'{d:+.2f} [{lo:+.2f}, {hi:+.2f}]':>24}"
            for d, lo, hi in zip(c.diff, c.low, c.high, strict=True)
        )
        print(f"{c.algorithm:<16}{cells}  {c.wins}/{c.ties}/{c.losses}")
    if folds:
        print(f"nested CV, rules and budget chosen on the other folds ({args.select}):")
        for line in folds:
            print(f"  {line}")
    if ratio is not None and first_ratio is not None:
        print(
            f"throughput, default '{default}' / stock sumy LexRank: {ratio:.1f}x "
            f"(first pass, cold caches: {first_ratio:.1f}x)"
        )
    if splitters:
        print()
        print(f"{'splitter':<10}{'hard cases':>12}{'BBC recall %':>14}{'ms/article':>12}")
        for s in splitters:
            recall = f"{s.bbc_recall:.2f}" if s.bbc_recall is not None else "n/a"
            print(f"{s.splitter:<10}{s.hard_cases:>12}{recall:>14}{s.ms_per_article:12.3f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())

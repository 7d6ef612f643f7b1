"""Time and peak memory of one article's actor analysis on huge and pathological texts.

    .venv/bin/python bench/robustness.py          # table on stdout
    .venv/bin/python bench/robustness.py --json   # the same figures as JSON

The size ladder is one article of 100 kB to 5 MB made of the CNN/DailyMail
articles in ``../shared/data/eval/cnndm-dev.jsonl`` run together (generated
text when that file is absent); the pathological texts are what broke the
analysis before (a repeated capitalised word, no spaces, 10^5 quote marks,
nested brackets, one huge line).  Each case is analysed as a briefing does it
(``analyse_article_cached`` without a store: budget, detection, quotes,
sentence spans), once for the time and once under ``tracemalloc`` for the peak
of Python allocations.  Target (issue 12): the 5 MB article in under 10 s and
under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CNNDM = REPO.parent / "shared" / "data" / "eval" / "cnndm-dev.jsonl"

sys.path.insert(0, str(REPO))

from brief.actors.analysis import analyse_article_cached  # noqa: E402
from brief.models import Article  # noqa: E402


def _corpus() -> str:
    """Real news text to repeat (or a generated paragraph without the reference data)."""
    if CNNDM.is_file():
        lines = CNNDM.read_text(encoding="utf-8").splitlines()
        return "\n\n".join(json.loads(line)["article"] for line in lines)
    return (
        'Chinese President Xi Jinping met Russian President Vladimir Putin in Moscow. "We '
        'agree," Mr. Xi said, according to Xinhua news agency. Joseph Webster, a senior '
        "fellow at the Atlantic Council, said the visit mattered.\n\n"
    ) * 200


def _sized(corpus: str, size: int) -> str:
    return (corpus * (size // len(corpus) + 1))[:size]


def cases() -> list[tuple[str, Callable[[], str]]]:
    """(name, text maker) for every case, the ladder first."""
    corpus = _corpus()
    ladder: list[tuple[str, Callable[[], str]]] = [
        (f"article {label}", lambda size=size: _sized(corpus, size))
        for label, size in (
            ("100 kB", 100_000),
            ("500 kB", 500_000),
            ("1 MB", 1_000_000),
            ("2 MB", 2_000_000),
            ("5 MB", 5_000_000),
        )
    ]
    return [
        *ladder,
        ('"Smith " x 1000 (6 kB)', lambda: "Smith " * 1000),
        ('"Smith " x 10^6 (6 MB)', lambda: "Smith " * 1_000_000),
        ("no spaces, 5 MB", lambda: "Abc" * 1_666_667),
        ("10^5 quote marks", lambda: '"' * 100_000),
        ("10^5 curly quote pairs", lambda: "“x” " * 100_000),
        ("nested brackets, 10^5 deep", lambda: "(" * 100_000 + "Smith" + ")" * 100_000),
        ("one huge line, 2 MB", lambda: _sized(corpus.replace("\n", " "), 2_000_000)),
        ("10^5 one-word sentences", lambda: "Smith. " * 100_000),
    ]


def _article(text: str, name: str) -> Article:
    return Article(id=name, source_id="bench", source_name="bench", title=name, text=text)


def measure(name: str, make: Callable[[], str]) -> dict[str, object]:
    """Seconds and peak MB of one analysis of the case's text."""
    text = make()
    start = time.perf_counter()
    result = analyse_article_cached(_article(text, name + " timed"))
    seconds = time.perf_counter() - start
    tracemalloc.start()
    analyse_article_cached(_article(text, name + " traced"), None, ())
    # (the in-process cache is keyed by content: a second title makes it miss)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "case": name,
        "chars": len(text),
        "seconds": round(seconds, 3),
        "peak_mb": round(peak / 1e6, 1),
        "actors": len(result.actors),
        "note": result.note or "",
    }


def main(argv: list[str] | None = None) -> int:
    """Run every case and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    rows = [measure(name, make) for name, make in cases()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'case':<30} {'chars':>10} {'seconds':>8} {'peak MB':>8} {'actors':>6}  note")
    for row in rows:
        print(
            f"{row['case']!s:<30} {row['chars']:>10,} {row['seconds']:>8.2f} "
            f"{row['peak_mb']:>8.1f} {row['actors']:>6}  {row['note']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

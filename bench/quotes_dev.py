"""Quote attribution on quotes-dev, split 14 articles to develop on and 6 to check.

    .venv/bin/python bench/quotes_dev.py dev   [-v]   # the scorer on the 14 (tune on these)
    .venv/bin/python bench/quotes_dev.py check        # the scorer on the 6 (report only)
    .venv/bin/python bench/quotes_dev.py all          # the scorer on all 20
    .venv/bin/python bench/quotes_dev.py sweep        # confidence thresholds on the 14
    .venv/bin/python bench/quotes_dev.py interval     # 95% bootstrap intervals, each half

The split is fixed before looking at any article: sort the article ids, every
third one from the third (positions 2, 5, 8, ... 17) is in the check half.  The
first three commands run ``../shared/data/actors/score_quotes_dev.py`` with this
worktree's ``brief`` on a gold file filtered to the half (written to a temporary
file); ``sweep`` analyses the 14 in this process once, with no threshold, and
scores each threshold the way the scorer does (its own functions, imported);
``interval`` resamples articles with replacement (2,000 times, fixed seed) and
prints the 2.5th and 97.5th percentiles of recall, precision and wrong
attributions for each half at the shipped threshold.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
GOLD = SHARED / "actors" / "quotes-dev.json"
SCORER = SHARED / "actors" / "score_quotes_dev.py"
ARTICLES = SHARED / "eval" / "cnndm-dev.jsonl"

sys.path.insert(0, str(REPO))


def split(gold: dict[str, Any], half: str) -> list[dict[str, Any]]:
    """The gold articles of one half: ``dev`` (14), ``check`` (6) or ``all``."""
    ids = sorted(a["id"] for a in gold["articles"])
    check = {article_id for index, article_id in enumerate(ids) if index % 3 == 2}
    if half == "all":
        return list(gold["articles"])
    return [a for a in gold["articles"] if (a["id"] in check) == (half == "check")]


def run_scorer(half: str, verbose: bool) -> int:
    """Run the reference scorer with this worktree's ``brief`` on one half."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    subset = dict(gold, articles=split(gold, half))
    exe = Path(sys.executable).parent / "brief"
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as handle:
        json.dump(subset, handle)
        handle.flush()
        command = [sys.executable, str(SCORER), str(exe), "--gold", handle.name]
        print(f"{half}: {len(subset['articles'])} articles", flush=True)
        return subprocess.run(command + (["-v"] if verbose else []), check=False).returncode


@functools.cache  # loaded once, not once per scoring
def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_quotes_dev", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def analysed(half: str) -> list[tuple[dict[str, Any], list[Any]]]:
    """The gold articles of ``half`` with brief's quotes (no threshold: every guess kept)."""
    from brief.actors.detect import detect
    from brief.actors.quotes import find_quotes, title_spans

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    texts = {}
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts[record["id"]] = record["article"]
    found = []
    for article in split(gold, half):
        text = texts[article["id"]]
        detection = detect(text, ignore=title_spans(text))
        found.append((article, find_quotes(detection, min_confidence=0.0)))
    return found


def score(found: list[tuple[dict[str, Any], list[Any]]], threshold: float) -> dict[str, float]:
    """The scorer's figures for quotes shown at ``threshold`` (matched by offsets, as it does)."""
    scorer = _scorer()
    total = right = given = right_given = 0
    for article, quotes in found:
        for q in article["quotes"]:
            if q.get("optional"):
                continue
            total += 1
            hits = [p for p in quotes if p.start <= q["offset"] < p.end]
            if not hits:
                continue
            best = max(hits, key=lambda p: p.start)
            got = best.speaker if best.confidence >= threshold else None
            names = {scorer.norm_name(q["speaker"])} | {
                scorer.norm_name(x) for x in q.get("also_ok", [])
            }
            named = bool(scorer.norm(got))
            ok = (named and scorer.norm_name(got) in names) or (
                q["speaker"] == "UNKNOWN" and not named
            )
            given += named
            right += ok
            right_given += ok and named
    return {
        "gold": total,
        "recall": round(100 * right / total, 1) if total else 0.0,
        "precision": round(100 * right_given / given, 1) if given else 0.0,
        "wrong": given - right_given,
        "given": given,
    }


def sweep(thresholds: list[float]) -> None:
    """Recall, precision and wrong attributions on the dev half for each threshold."""
    found = analysed("dev")
    print(f"{'threshold':>9}  {'recall':>7}  {'precision':>9}  {'wrong':>5}  {'given':>5}")
    for threshold in thresholds:
        row = score(found, threshold)
        print(
            f"{threshold:9.2f}  {row['recall']:6.1f}%  {row['precision']:8.1f}%  "
            f"{row['wrong']:5d}  {row['given']:5d}"
        )


def _bounds(draws: list[dict[str, float]], key: str) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of ``key`` over the bootstrap draws."""
    values = sorted(float(d[key]) for d in draws)
    return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]


def intervals(resamples: int = 2000, seed: int = 7) -> None:
    """Each half's figures with a 95% bootstrap interval over articles (the unit that varies)."""
    from brief.actors.quotes import MIN_CONFIDENCE

    print(
        f"{'half':<6}  {'recall % [95% CI]':>22}  {'precision % [95% CI]':>22}  {'wrong [CI]':>12}"
    )
    rng = random.Random(seed)
    for half in ("dev", "check", "all"):
        found = analysed(half)
        point = score(found, MIN_CONFIDENCE)
        draws = [
            score([rng.choice(found) for _ in found], MIN_CONFIDENCE) for _ in range(resamples)
        ]

        (r0, r1), (p0, p1), (w0, w1) = (_bounds(draws, k) for k in ("recall", "precision", "wrong"))
        print(
            f"{half:<6}  {point['recall']:>6.1f} [{r0:5.1f}, {r1:5.1f}]    "
            f"{point['precision']:>6.1f} [{p0:5.1f}, {p1:5.1f}]    "
            f"{point['wrong']:>3} [{w0:.0f}, {w1:.0f}]"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("half", choices=("dev", "check", "all", "sweep", "interval"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    if not GOLD.exists() or not SCORER.exists():
        print(f"reference data not found: {GOLD} (see ../shared/data/README.md)", file=sys.stderr)
        return 1
    if args.half == "interval":
        intervals()
        return 0
    if args.half == "sweep":
        sweep([round(0.05 * step, 2) for step in range(0, 20)])
        return 0
    return run_scorer(args.half, args.verbose)


if __name__ == "__main__":
    raise SystemExit(main())

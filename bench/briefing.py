"""Whole-briefing speed: 1,000 and 10,000 synthetic articles, cold and warm cache, beside sumy.

    .venv/bin/python bench/briefing.py                 # 1,000 and 10,000 articles
    .venv/bin/python bench/briefing.py --sizes 1000    # one size
    .venv/bin/python bench/briefing.py --json

The articles are built from the eval sets (BBC News Summary and CNN/DM dev):
real article texts and titles, spread over 24 hours and 40 sources, and a
third of the stories carried by two to four sources, each telling it a little
differently (sentences dropped and reordered after the lead, another title),
so clustering has real work to do.  Beyond the 2,325 real texts, stories are
reused with such changes.

By default the briefing has its stories and sources sections (the part this
benchmark is about); ``--full`` adds the actor briefs, which cost more than
the stories and are measured by bench/actors.py.  Each measurement runs in a
fresh process so its peak memory (max RSS) is its
own: "cold" composes and renders the briefing with an empty analysis cache
(a new SQLite store), "warm" does it again in another new process over the
same store, so only the store's cached summaries carry over.  The reference
builds the same briefing with sumy's LexRank (``algorithm = "lexrank"``).  A
last table times summarizing every article (what a full re-analysis costs),
in one process and across the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "data" / "eval"
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
SOURCES = 40


def synthetic_articles(count: int, seed: int = 7) -> list[Any]:
    """``count`` realistic articles from the eval sets (deterministic for a seed)."""
    from brief.models import Article
    from brief.text.sentences import split_sentences

    pool: list[tuple[str, str]] = []
    for name in ("bbc-news-summary.jsonl", "cnndm-dev.jsonl"):
        with (EVAL / name).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = record["article"]
                title = record.get("title") or split_sentences(text)[0].text[:90]
                pool.append((title, text))
    rng = random.Random(seed)
    out: list[Article] = []
    story = 0
    while len(out) < count:
        title, text = pool[story % len(pool)]
        sentences = [s.text for s in split_sentences(text)]
        tellings = rng.choice((1, 1, 1, 1, 2, 3, 4)) if len(sentences) > 4 else 1
        hour = rng.uniform(0, 24)
        sources = rng.sample(range(SOURCES), tellings)
        for telling, source in enumerate(sources):
            if len(out) >= count:
                break
            body = sentences
            headline = title
            if telling or story >= len(pool):
                # Another outlet's version: same lead, some sentences dropped and reordered.
                rest = [s for s in sentences[1:] if rng.random() > 0.3]
                rng.shuffle(rest)
                body = [sentences[0], *rest]
                words = title.split()
                headline = " ".join(words[: max(3, len(words) - rng.randint(0, 2))])
            out.append(
                Article(
                    id=f"s{story}-{telling}",
                    source_id=f"source-{source}",
                    source_name=f"Source {source}",
                    title=headline,
                    text=" ".join(body),
                    url=f"https://source-{source}.example/{story}/{telling}",
                    published=NOW - timedelta(hours=hour + rng.uniform(0, 3)),
                )
            )
        story += 1
    return out


def peak_mb() -> float:
    """This process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(size: int, algorithm: str, store_path: Path, full: bool) -> dict[str, Any]:
    """Build one briefing (compose + render) in this process and measure it."""
    from brief.briefing.compose import compose_briefing
    from brief.briefing.render import render_markdown
    from brief.config import Config, SummaryConfig
    from brief.models import CollectResult
    from brief.store import open_store

    articles = synthetic_articles(size)
    config = Config(summary=SummaryConfig(algorithm=algorithm))
    sections = config.briefing.sections if full else ("stories", "sources")
    config = replace(config, briefing=replace(config.briefing, window_hours=48, sections=sections))
    result = CollectResult(articles=tuple(articles), health=())
    with open_store(store_path) as store:
        started = time.perf_counter()
        briefing = compose_briefing(config, result, now=NOW, cache=store)
        markdown = render_markdown(briefing)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "stories": len(briefing.stories),
        "multi_source_stories": sum(len(s.articles) > 1 for s in briefing.stories),
        "markdown_chars": len(markdown),
    }


def run_worker(size: int, algorithm: str, store_path: Path, full: bool) -> dict[str, Any]:
    """Run one measurement in a fresh Python process."""
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            str(size),
            algorithm,
            str(store_path),
            *(["--full"] if full else []),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def analysis_rows(size: int) -> list[dict[str, Any]]:
    """Summarize every article: one process vs a process pool over all cores."""
    from brief.config import SummaryConfig
    from brief.text import stories

    articles = synthetic_articles(size)
    config = SummaryConfig()
    rows = []
    for label, workers, minimum in (
        ("one process", 1, 1 << 30),
        (f"{os.cpu_count()} processes", os.cpu_count() or 1, 1),
    ):
        stories._memory.clear()
        started = time.perf_counter()
        stories.summarize_many(articles, config, workers=workers, parallel_min=minimum)
        rows.append({"mode": label, "articles": size, "seconds": time.perf_counter() - started})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", nargs=3, metavar=("SIZE", "ALGORITHM", "STORE"))
    parser.add_argument(
        "--full", action="store_true", help="all sections (actor briefs too), not only stories"
    )
    args = parser.parse_args(argv)
    if args.worker:
        size, algorithm, store = args.worker
        print(json.dumps(worker(int(size), algorithm, Path(store), args.full)))
        return 0
    if not (EVAL / "bbc-news-summary.jsonl").is_file():
        print(f"evaluation data not found in {EVAL}", file=sys.stderr)
        return 2
    from brief.config import SummaryConfig

    default = SummaryConfig().algorithm
    table = []
    with tempfile.TemporaryDirectory() as work:
        for size in (int(s) for s in args.sizes.split(",")):
            for algorithm in (default, "lexrank"):
                store = Path(work) / f"{size}-{algorithm}.sqlite"
                cold = run_worker(size, algorithm, store, args.full)
                warm = run_worker(size, algorithm, store, args.full)
                table.append({"articles": size, "algorithm": algorithm, "cold": cold, "warm": warm})
    analysis = [
        row for size in (int(s) for s in args.sizes.split(",")) for row in analysis_rows(size)
    ]
    if args.json:
        print(json.dumps({"briefings": table, "summarize_all": analysis}, indent=2))
        return 0
    what = "all sections" if args.full else "stories + sources sections"
    print(f"Briefing (compose + render, {what}, 48 h window), fresh process each:")
    print(
        f"{'articles':>8} {'summarizer':<22}{'cold s':>8}{'warm s':>8}"
        f"{'cold MB':>9}{'warm MB':>9}{'stories':>9}{'multi':>7}"
    )
    for row in table:
        name = row["algorithm"] + (" (brief)" if row["algorithm"] == default else " (sumy)")
        cold, warm = row["cold"], row["warm"]
        print(
            f"{row['articles']:>8} {name:<22}{cold['seconds']:8.2f}{warm['seconds']:8.2f}"
            f"{cold['peak_mb']:9.0f}{warm['peak_mb']:9.0f}{cold['stories']:9d}"
            f"{cold['multi_source_stories']:7d}"
        )
    print("(multi = stories carried by more than one source; MB = peak RSS of the process)")
    print(f"\nSummarizing every article with '{default}' (no cache):")
    for row in analysis:
        rate = row["articles"] / row["seconds"]
        print(f"{row['articles']:>8} {row['mode']:<14}{row['seconds']:8.2f} s {rate:9.0f} art/s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())

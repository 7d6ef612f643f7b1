"""The reading budget on real news: how close the written briefing comes to the minutes asked.

    .venv/bin/python bench/budget.py            # BBC News Summary, two disjoint days
    .venv/bin/python bench/budget.py --json

One feed per BBC category (business, politics, tech, sport, entertainment; the
category is the feed's tag), 12 articles each per "day"; day A takes the first 12
of each category, day B the next 12.  The budget's constants (actor share, the
summary word steps, the good-fit margin) were set by reasoning before either day
was run, not fitted: both days are held out.  Each row composes a briefing with
``[briefing] minutes`` set and counts the words of the rendered file as
:mod:`brief.briefing.reading` does.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from brief.briefing.compose import compose_briefing  # noqa: E402
from brief.briefing.reading import reading_words  # noqa: E402
from brief.briefing.render import render_markdown  # noqa: E402
from brief.config import parse_config  # noqa: E402
from brief.models import Article, CollectResult, Source, SourceHealth  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "eval" / "bbc-news-summary.jsonl"
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
CATEGORIES = ("business", "politics", "tech", "sport", "entertainment")
PER_DAY = 12


def day_of_news(rows: list[dict[str, str]], day: int) -> CollectResult:
    """One day's articles: ``PER_DAY`` of each category, the ``day``-th slice."""
    articles, health = [], []
    for category in CATEGORIES:
        chosen = [r for r in rows if r["category"] == category][day * PER_DAY : (day + 1) * PER_DAY]
        source = Source(f"feed:{category}", category.title(), "feed", "x", (category,))
        health.append(SourceHealth(source=source, article_count=len(chosen)))
        for n, row in enumerate(chosen):
            articles.append(
                Article(
                    id=f"{category}-{row['id']}",
                    source_id=source.id,
                    source_name=source.name,
                    title=row["title"],
                    text=row["article"],
                    url=f"https://bbc.example/{category}/{n}",
                    published=NOW.replace(hour=6, minute=n),
                )
            )
    return CollectResult(tuple(articles), tuple(health))


def main() -> int:
    """Print target minutes, estimate, stories and error per day."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"reference data not found at {DATA}", file=sys.stderr)
        return 1
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    results: list[dict[str, object]] = []
    for day, label in ((0, "A"), (1, "B")):
        news = day_of_news(rows, day)
        for minutes in (0.0, 1.0, 2.0, 3.0, 5.0, 8.0):  # 0: no budget, for the cost
            config = parse_config(
                f"[briefing]\nmax_stories = 60\nminutes = {minutes}\n", Path("bench.toml")
            )
            cpu, wall = time.process_time(), time.perf_counter()
            briefing = compose_briefing(config, news, now=NOW)
            words = reading_words(render_markdown(briefing))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            got = words / config.briefing.words_per_minute
            results.append(
                {
                    "day": label,
                    "minutes": minutes,
                    "estimate": round(got, 2),
                    "error_pct": round(100 * (got - minutes) / minutes, 1) if minutes else None,
                    "stories": len(briefing.stories),
                    "actors": len(briefing.actor_briefs),
                    "cpu_s": round(cpu, 2),
                    "wall_s": round(wall, 2),
                }
            )
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(
        f"{'day':<4}{'minutes':>8}{'estimate':>10}{'error %':>9}{'stories':>9}{'actors':>8}"
        f"{'cpu s':>7}{'wall s':>8}"
    )
    for r in results:
        r = {k: ("-" if v is None else v) for k, v in r.items()}
        print(
            f"{r['day']:<4}{r['minutes']:>8}{r['estimate']:>10}{r['error_pct']:>9}"
            f"{r['stories']:>9}{r['actors']:>8}{r['cpu_s']:>7}{r['wall_s']:>8}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak RSS {peak} MB; {len(news.articles)} articles a day")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What the actor ledger costs: composing a 1,000-article day with 30 days of ledger history
against composing it without the ledger.

    .venv/bin/python bench/ledger.py                      # 1,000 articles, 30 days
    .venv/bin/python bench/ledger.py --articles 300 --days 7 --repeat 5

Articles are real texts from the eval sets (``../shared/data/eval``), spread over the
day and 40 sources.  The analysis cache is warmed first (one untimed compose), so both
sides measure composing over cached analyses, as a morning ``brief run`` does.  The
history is generated from the day's own ledger entries: each earlier day records every
actor again with other counts and a changed share of its quotes and company, so the
tables hold 30 days of rows of the real size.  "without" composes with ``cache=store``;
"with" adds ``ledger=store`` (reads the week before, rewrites today in one transaction).
Runs alternate, and the table gives the median wall and CPU time of each side.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
EVAL = REPO.parent / "shared" / "data" / "eval"
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def day_articles(count: int, seed: int = 11) -> list[Any]:
    """``count`` articles of the eval sets, published over the 24 hours before NOW."""
    from brief.models import Article

    texts: list[tuple[str, str]] = []
    for name in ("bbc-news-summary.jsonl", "cnndm-dev.jsonl"):
        with (EVAL / name).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = record["article"]
                texts.append((record.get("title") or text[:80], text))
    rng = random.Random(seed)
    rng.shuffle(texts)
    return [
        Article(
            id=f"a{i}",
            source_id=f"source-{i % 40}",
            source_name=f"Source {i % 40}",
            title=title,
            text=text,
            url=f"https://source-{i % 40}.example/{i}",
            published=NOW - timedelta(hours=rng.uniform(0, 23)),
        )
        for i, (title, text) in enumerate(texts[:count])
    ]


def fake_history(store: Any, entries: list[Any], days: int, seed: int = 5) -> int:
    """Record ``days`` earlier days from today's entries, each changed a little; rows added."""
    rng = random.Random(seed)
    today = NOW.date()
    for back in range(days, 0, -1):
        day_entries = [
            replace(
                e,
                mentions=max(1, round(e.mentions * rng.uniform(0.2, 1.8))),
                quotes=tuple(q for q in e.quotes if rng.random() < 0.5),
                company=tuple(c for c in e.company if rng.random() < 0.6),
            )
            for e in entries
            if rng.random() < 0.7
        ]
        store.record_ledger_day(today - timedelta(days=back), day_entries, at=NOW)
    tables = ("ledger_days", "ledger_names", "ledger_articles", "ledger_quotes", "ledger_company")
    return sum(int(store._read(f"SELECT count(*) FROM {t}")[0][0]) for t in tables)


def main(argv: list[str] | None = None) -> int:
    """Print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles in the day")
    parser.add_argument("--days", type=int, default=30, help="days of ledger history")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        print(f"bench/ledger.py: the eval sets are not at {EVAL}; nothing measured")
        return 1

    from brief.actors.briefs import gather_actors
    from brief.actors.ledgerrows import ledger_entries
    from brief.briefing.compose import compose_briefing, select_articles
    from brief.config import Config
    from brief.models import CollectResult
    from brief.store import open_store

    articles = day_articles(args.articles)
    config = Config()
    config = replace(
        config,
        store=replace(config.store, retention_days=max(30, args.days + 1)),
    )
    result = CollectResult(articles=tuple(articles), health=())
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "s.db") as store:
        started = time.perf_counter()
        compose_briefing(config, result, now=NOW, cache=store)  # warms the analysis cache
        warm_up = time.perf_counter() - started
        chosen = select_articles(articles, config, NOW)
        entries = ledger_entries(gather_actors(chosen, config, store=store))
        rows = fake_history(store, entries, args.days)
        timings: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
        for _ in range(args.repeat):
            for side in ("without", "with"):
                ledger = store if side == "with" else None
                wall, cpu = time.perf_counter(), time.process_time()
                compose_briefing(config, result, now=NOW, cache=store, ledger=ledger)
                timings[side].append((time.perf_counter() - wall, time.process_time() - cpu))
        today_rows = store._read(
            "SELECT count(*) FROM ledger_days WHERE day = ?", (NOW.date().isoformat(),)
        )
    figures = {
        side: {
            "wall_s": statistics.median(w for w, _ in runs),
            "cpu_s": statistics.median(c for _, c in runs),
        }
        for side, runs in timings.items()
    }
    ratio = figures["with"]["wall_s"] / figures["without"]["wall_s"]
    cpu_ratio = figures["with"]["cpu_s"] / figures["without"]["cpu_s"]
    report = {
        "articles": len(chosen),
        "history_days": args.days,
        "ledger_rows": rows,
        "actors_today": int(today_rows[0][0]),
        "warm_up_s": warm_up,
        "repeat": args.repeat,
        **figures,
        "ratio_wall": ratio,
        "ratio_cpu": cpu_ratio,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{len(chosen)} articles, {report['actors_today']} actors today, {args.days} days of "
        f"history ({rows:,} ledger rows); median of {args.repeat} (warm-up {warm_up:.1f} s)"
    )
    print(f"{'compose':<16}{'wall s':>9}{'cpu s':>9}")
    for side in ("without", "with"):
        label = "without ledger" if side == "without" else "with ledger"
        print(f"{label:<16}{figures[side]['wall_s']:>9.3f}{figures[side]['cpu_s']:>9.3f}")
    print(f"{'ratio':<16}{ratio:>9.2f}{cpu_ratio:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Briefings with memory: what memory costs, and how its link threshold was chosen.

    .venv/bin/python bench/memory.py            # 30 days x 1,000 articles: with vs without memory
    .venv/bin/python bench/memory.py --full     # the same with the actor briefs
    .venv/bin/python bench/memory.py --links    # the link threshold on the invented threads

Speed: a store is filled in bulk with 30 days of synthetic articles (1,000 a day:
generated topics, each a place, a person, an organisation and a subject, told in
templated sentences by 20 sources; topics run for days, a few are big) and with 29
days of briefing history (each day's stories as the clustering gives them, with their
signatures, summarized by the cheap ``lead`` summarizer so the history builds quickly,
recorded with memory).  Day 30's briefing is then composed over a warm analysis
cache, alternately without memory (``history=None``) and with it
(``history=store``), and the median wall and CPU times are printed with their ratio;
then once each over an emptied analysis cache (cold: every summary and actor
analysis computed, including the longer summaries memory asks for when a story
lost sentences the reader had seen).

Links: the stories of tests/data/memory_threads.json are composed day by day, and
the cosine of every day-1/day-2 pair is printed per split: the threshold is the
midpoint between the dev split's highest unrelated pair and lowest same-story pair;
the held-out split is scored at that threshold.
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
TODAY = datetime(2026, 12, 30, 7, 0, tzinfo=UTC)
DAYS = 30
PER_DAY = 1000
SOURCES = 20

_SYLLABLES = [
    "ka",
    "lo",
    "ven",
    "mar",
    "tis",
    "bel",
    "dor",
    "an",
    "ri",
    "sel",
    "mo",
    "na",
    "gre",
    "vik",
    "tal",
    "um",
    "pe",
    "ros",
    "ly",
    "har",
]
_NOUNS = [
    "strike",
    "budget",
    "election",
    "flood",
    "trial",
    "recall",
    "merger",
    "outbreak",
    "protest",
    "summit",
    "drought",
    "reform",
    "wildfire",
    "ceasefire",
    "tariff",
    "inquiry",
    "bridge",
    "pipeline",
    "vaccine",
    "stadium",
]
_VERBS = [
    "approved",
    "rejected",
    "delayed",
    "expanded",
    "halted",
    "announced",
    "questioned",
    "backed",
]
_FILLER = [
    "Officials said more details would follow in the coming days.",
    "The figures were published on the ministry's website.",
    "Local businesses said the uncertainty was hurting trade.",
    "Analysts expect the debate to continue next week.",
    "Residents gathered outside the town hall to hear the news.",
]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _topics(count: int, seed: int = 3) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {
            "place": _name(rng, 3),
            "person": f"{_name(rng, 2)} {_name(rng, 3)}",
            "org": f"{_name(rng, 2)} {rng.choice(['Council', 'Group', 'Union', 'Ministry'])}",
            "noun": rng.choice(_NOUNS),
        }
        for _ in range(count)
    ]


def _article(topic: dict[str, str], day: int, n: int, rng: random.Random) -> tuple[str, str]:
    place, person, org, noun = topic["place"], topic["person"], topic["org"], topic["noun"]
    verb = rng.choice(_VERBS)
    sentences = [
        f"The {noun} in {place} {verb} a new phase on day {day}, {person} said.",
        f"{org} officials met in {place} to discuss the {noun} and its cost.",
        f"{person} told reporters that {org} would publish its plan for the {noun} soon.",
        f"Critics in {place} said the {noun} had been handled badly from the start.",
        f"Report {n} from {place}: the {noun} drew {rng.randint(50, 5000)} people on day {day}.",
        *rng.sample(_FILLER, 3),
    ]
    return f"{place} {noun} {verb} as {org} meets", " ".join(sentences)


def fill_store(store: Any, seed: int = 5) -> dict[int, list[Any]]:
    """30 days of articles (in bulk, one transaction a day); returns them by day."""
    from brief.models import Article, Source

    rng = random.Random(seed)
    topics = _topics(DAYS * 5 + 200)
    sources = [
        Source(id=f"bench{k}", name=f"Wire {k}", kind="feed", location=f"https://bench{k}.test/")
        for k in range(SOURCES)
    ]
    by_day: dict[int, list[Any]] = {}
    for day in range(DAYS):
        start = TODAY - timedelta(days=DAYS - 1 - day, hours=24)
        live = topics[day * 5 : day * 5 + 200]  # topics run for about 40 days, 5 new a day
        weights = [1.0 / (1 + i) for i in range(len(live))]
        articles = []
        for n in range(PER_DAY):
            index = rng.choices(range(len(live)), weights)[0]
            title, text = _article(live[index], day, n, rng)
            source = sources[n % SOURCES]
            articles.append(
                Article(
                    id=f"d{day}-{n}",
                    source_id=source.id,
                    source_name=source.name,
                    title=title,
                    text=text,
                    url=f"https://bench.test/{day}/{n}",
                    guid=f"urn:bench:{day}:{n}",
                    published=start + timedelta(seconds=rng.randint(0, 86_000)),
                )
            )
        for source in sources:
            mine = [a for a in articles if a.source_id == source.id]
            store.upsert_articles(source, mine, fetched=start + timedelta(hours=24))
        by_day[day] = articles
    return by_day


def fill_history(store: Any, by_day: dict[int, list[Any]], name: str = "default") -> None:
    """29 days of briefing history: each day's stories as the clustering gives them (their
    real signatures), summarized by the cheap ``lead`` summarizer, recorded with memory."""
    from brief.briefing.memory import apply_memory, load_past, remember_briefing
    from brief.config import Config
    from brief.models import Briefing
    from brief.text.stories import build_stories

    config = Config()
    config = replace(config, summary=replace(config.summary, algorithm="lead"))
    for day in range(DAYS - 1):
        when = TODAY - timedelta(days=DAYS - 1 - day)
        past = load_past(store, name, when.date(), config)
        stories = build_stories(by_day[day], config, now=when, exclude=past.seen)
        stories, quiet = apply_memory(stories, past, when.date())
        briefing = Briefing("B", when.date(), when, stories=stories, sources=(), quiet=quiet)
        remember_briefing(store, briefing, when, name)


def _forget_analyses(store: Any) -> None:
    """An empty analysis cache (the store's and the in-process one): a cold compose."""
    import sqlite3

    from brief.text import stories

    stories._memory.clear()
    db = sqlite3.connect(store.path, timeout=30)
    with db:
        db.execute("DELETE FROM analyses")
    db.close()


def _time(runs: dict[str, Any], repeats: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each run, the runs interleaved so load hits both."""
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in runs}


def bench_speed(full: bool, repeats: int) -> dict[str, Any]:
    """Compose day 30 with and without memory over the same warm store."""
    from brief.briefing.compose import compose_briefing
    from brief.briefing.render import render_markdown
    from brief.config import Config
    from brief.models import CollectResult
    from brief.store import open_store

    config = Config()
    sections = ("stories", "actors", "sources") if full else ("stories", "sources")
    config = replace(config, briefing=replace(config.briefing, sections=sections))
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.sqlite3")
        started = time.perf_counter()
        by_day = fill_store(store, seed=5)
        fill_history(store, by_day)
        built = time.perf_counter() - started
        result = CollectResult(articles=tuple(by_day[DAYS - 1]), health=())

        def without() -> None:
            render_markdown(compose_briefing(config, result, now=TODAY, cache=store))

        def with_memory() -> None:
            render_markdown(compose_briefing(config, result, now=TODAY, cache=store, history=store))

        cold = {}
        for label, run in (("without", without), ("with", with_memory)):
            _forget_analyses(store)
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            cold[label] = (time.perf_counter() - wall, time.process_time() - cpu)
        briefing = compose_briefing(config, result, now=TODAY, cache=store, history=store)
        marks: dict[str, int] = {}
        for story in briefing.stories:
            state = story.continuity.state if story.continuity else "none"
            marks[state] = marks.get(state, 0) + 1
        times = _time({"without": without, "with": with_memory}, repeats)
        store.close()
    return {
        "articles_stored": DAYS * PER_DAY,
        "history_days": DAYS - 1,
        "build_seconds": round(built, 1),
        "without": times["without"],
        "with": times["with"],
        "cold": cold,
        "marks": marks,
        "quiet": len(briefing.quiet),
    }


def _signatures(threads: list[dict[str, Any]], day: str) -> dict[str, Any]:
    from brief.config import Config
    from brief.models import Article
    from brief.text.stories import build_stories

    now = TODAY
    articles = [
        Article(
            id=f"{t['id']}:{day}",
            source_id="s",
            source_name="S",
            title=t[day][0],
            text=t[day][1],
            published=now,
        )
        for t in threads
    ]
    return {s.id.split(":")[0]: s.terms for s in build_stories(articles, Config(), now=now)}


def bench_links() -> None:
    """The threshold chosen on the dev threads, scored on the held-out ones."""
    from brief.briefing.memory import LINK_THRESHOLD, cosine

    data = json.loads((REPO / "tests" / "data" / "memory_threads.json").read_text("utf-8"))
    chosen = None
    print(f"{'split':8} {'pairs+':>6} {'min same':>9} {'pairs-':>6} {'max other':>10} {'right':>7}")
    for split in ("dev", "heldout"):
        first, second = _signatures(data[split], "day1"), _signatures(data[split], "day2")
        same = [cosine(first[k], second[k]) for k in first]
        other = [cosine(first[i], second[j]) for i in first for j in second if i != j]
        if split == "dev":
            chosen = (min(same) + max(other)) / 2
        assert chosen is not None
        right = sum(s >= chosen for s in same) + sum(o < chosen for o in other)
        print(
            f"{split:8} {len(same):6} {min(same):9.3f} {len(other):6} {max(other):10.3f}"
            f" {right:3}/{len(same) + len(other)}"
        )
    print(f"threshold chosen on dev: {chosen:.3f}; LINK_THRESHOLD = {LINK_THRESHOLD}")


def main() -> None:
    """Print the speed table (or the link table with ``--links``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="include the actor briefs")
    parser.add_argument("--links", action="store_true", help="the link threshold table")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs each (median)")
    args = parser.parse_args()
    if args.links:
        bench_links()
        return
    for line in speed_lines(bench_speed(args.full, args.repeats), args.repeats):
        print(line)


def speed_lines(out: dict[str, Any], repeats: int) -> list[str]:
    """:func:`bench_speed`'s figures as the table printed (bench/briefing.py prints it too)."""
    (wall0, cpu0), (wall1, cpu1) = out["without"], out["with"]
    lines = [
        f"store: {out['articles_stored']} articles over {DAYS} days, {out['history_days']} days"
        f" of history (built in {out['build_seconds']} s); day {DAYS}: {PER_DAY} articles",
        f"marks with memory: {out['marks']}, one-liners: {out['quiet']}",
        f"{'compose + render':18} {'wall s':>8} {'cpu s':>8}",
        f"{'without memory':18} {wall0:8.3f} {cpu0:8.3f}",
        f"{'with memory':18} {wall1:8.3f} {cpu1:8.3f}",
        f"{'ratio':18} {wall1 / wall0:8.2f} {cpu1 / cpu0:8.2f}",
    ]
    (wall0, cpu0), (wall1, cpu1) = out["cold"]["without"], out["cold"]["with"]
    lines += [
        f"cold (empty analysis cache, one run each; warm above: medians of {repeats})",
        f"{'without memory':18} {wall0:8.3f} {cpu0:8.3f}",
        f"{'with memory':18} {wall1:8.3f} {cpu1:8.3f}",
        f"{'ratio':18} {wall1 / wall0:8.2f} {cpu1 / cpu0:8.2f}",
    ]
    return lines


if __name__ == "__main__":
    main()

"""The whole morning run, measured whole: `brief run` over a 1,000- and a 10,000-article day.

    .venv/bin/python bench/briefing.py                 # 1,000 and 10,000 articles
    .venv/bin/python bench/briefing.py --sizes 1000    # one size
    .venv/bin/python bench/briefing.py --json
    .venv/bin/python bench/briefing.py --memory        # and composing with memory vs without

What is measured is exactly what ``brief run --offline`` builds with the default
configuration: every default section (stories, actors, sources), the default
summarizer, the bundled seeds as the default local source, 40 subscribed feeds
whose articles are already in the store (fetching is bench/fetch.py's part),
and the Markdown file written.  Each run is ``brief.cli.main`` in a fresh
Python process (so start-up, imports and peak memory are its own), with
``BRIEF_NOW`` pinned, brief's bytecode compiled beforehand as an installed
brief's is.  "cold" is the first run over the store (no cached
summary or actor analysis), "warm" the second run in another new process over
the same store (the caches filled).  Beside it, in the same run, the same
briefing with sumy's LexRank as the summarizer (same articles, same sentence
count: only ``summary.algorithm`` differs), and the default run with the actor
analysis as plain Python (``BRIEF_NATIVE=0``: brief where ``make`` found no C
compiler to build brief/native with mypyc; the same briefing, the same file).

The articles are real news texts: the BBC News Summary and CNN/DailyMail dev
eval sets (``../shared/data/eval``, 2,325 texts), spread over the 24-hour
window and 40 sources; a third of the stories carried by two to four sources,
each telling it a little differently (sentences after the lead dropped and
reordered, a shorter title), and beyond the 2,325 texts stories are reused
with such changes, so clustering and the actor merge have real work.

Each phase's share is wall time spent in it, exclusive of the phases nested in
it (timed by wrapping brief's own functions in the measured process):
collect/select (reading the day from the store, the window), actor analysis
(detection and quotes of every article of the day, the analysis cache read
back), actor merge/briefs (the day's actors, story weights, briefs, the actor
ledger's day),
summaries, story clustering (and ranking), render/write, store writes (the
analysis and summary caches, the actor ledger), and the rest (start-up: imports, config, opening
the store).  CPU time adds the process pool's workers (RUSAGE_CHILDREN); peak
RSS is the main process's and, apart, the largest worker's.

``--memory`` adds composing with the briefing memory against without it (issue 13:
30 days of history, 1,000 articles a day, target <= 1.5x): bench/memory.py's own
measurement (its ``bench_speed`` with the actor briefs, as the default sections
have them), imported and run here after the table, its lines printed as it prints them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "data" / "eval"
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
SOURCES = 40
PHASES = (
    "collect/select",
    "actor analysis",
    "actor merge/briefs",
    "summaries",
    "story clustering",
    "render/write",
    "store writes",
    "start-up/other",
)


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
        hour = rng.uniform(0.5, 21)
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
                    source_id=f"feed:https://source-{source}.example/feed",
                    source_name=f"Source {source}",
                    title=headline,
                    text=" ".join(body),
                    url=f"https://source-{source}.example/{story}/{telling}",
                    guid=f"https://source-{source}.example/{story}/{telling}",
                    published=NOW - timedelta(hours=hour + rng.uniform(0, 2.5)),
                )
            )
        story += 1
    return out


def write_config(folder: Path, algorithm: str | None) -> Path:
    """A config file with the defaults, 40 feeds, and the store and output in ``folder``."""
    lines = [
        "[briefing]",
        f'output_dir = "{folder / "out"}"',
        "[store]",
        f'path = "{folder / "store.sqlite3"}"',
    ]
    if algorithm is not None:
        lines += ["[summary]", f'algorithm = "{algorithm}"']
    for source in range(SOURCES):
        lines += [
            "[[feeds]]",
            f'url = "https://source-{source}.example/feed"',
            f'name = "Source {source}"',
        ]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_store(size: int, folder: Path) -> float:
    """The store of a day of ``size`` articles under the 40 feeds; returns seconds taken."""
    from brief.models import Source
    from brief.store import open_store
    from brief.store.fetchstate import FetchState

    started = time.perf_counter()
    by_source: dict[str, list[Any]] = {}
    for article in synthetic_articles(size):
        by_source.setdefault(article.source_id, []).append(article)
    with open_store(folder / "store.sqlite3") as store:
        for source_id, articles in sorted(by_source.items()):
            url = source_id.removeprefix("feed:")
            name = articles[0].source_name
            source = Source(id=source_id, name=name, kind="feed", location=url)
            fetched = NOW - timedelta(minutes=30)
            state = FetchState(
                source_id,
                last_attempt=fetched,
                last_success=fetched,
                status=200,
                article_count=len(articles),
            )
            store.upsert_articles(source, articles, fetched=fetched, state=state)
    return time.perf_counter() - started


# --- the measured process ------------------------------------------------------------


class Phases:
    """Wall time per phase, exclusive of phases nested inside (a stack of running phases)."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(PHASES, 0.0)
        self.cpu = dict.fromkeys(PHASES, 0.0)  # this process's CPU time (not the pool's)
        self._stack: list[tuple[str, float, float]] = []

    def wrap(self, owner: Any, name: str, phase: str) -> None:
        """Replace ``owner.name`` by a wrapper that bills its time to ``phase``."""
        inner: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            now, cpu = time.perf_counter(), time.process_time()
            if self._stack:
                parent, since, since_cpu = self._stack[-1]
                self.seconds[parent] += now - since
                self.cpu[parent] += cpu - since_cpu
            self._stack.append((phase, now, cpu))
            try:
                return inner(*args, **kwargs)
            finally:
                done, done_cpu = time.perf_counter(), time.process_time()
                _, since, since_cpu = self._stack.pop()
                self.seconds[phase] += done - since
                self.cpu[phase] += done_cpu - since_cpu
                if self._stack:
                    self._stack[-1] = (self._stack[-1][0], done, done_cpu)

        setattr(owner, name, timed)


def measured_run(folder: Path) -> dict[str, Any]:
    """``brief run --offline`` in this process, every phase timed."""
    started, started_cpu = time.perf_counter(), time.process_time()
    phases = Phases()
    import brief.actors.analysis
    import brief.actors.briefs
    import brief.briefing.compose
    import brief.briefing.render
    import brief.briefing.write
    import brief.cli
    import brief.store.analyses
    import brief.text.stories
    from brief.cli import main

    phases.wrap(brief.cli, "collect_for_run", "collect/select")
    phases.wrap(brief.briefing.compose, "select_articles", "collect/select")
    phases.wrap(brief.actors.briefs, "analyse_many", "actor analysis")
    phases.wrap(brief.actors.briefs, "gather_actors", "actor merge/briefs")
    phases.wrap(brief.actors.briefs, "build_actor_briefs", "actor merge/briefs")
    phases.wrap(brief.actors.briefs.DayActors, "article_weights", "actor merge/briefs")
    phases.wrap(brief.briefing.compose, "build_stories", "story clustering")
    phases.wrap(brief.text.stories, "summarize_many", "summaries")
    phases.wrap(brief.briefing.render, "render_markdown", "render/write")
    phases.wrap(brief.briefing.write, "write_briefing", "render/write")
    for name in ("put_analysis", "put_analyses"):
        if hasattr(brief.store.analyses.Analyses, name):
            phases.wrap(brief.store.analyses.Analyses, name, "store writes")
    try:  # the actor ledger (what is new since the days before), where the checkout has it
        import brief.briefing.actor_news
        import brief.store.ledger
    except ImportError:
        pass
    else:
        phases.wrap(brief.briefing.actor_news, "remember_day", "actor merge/briefs")
        phases.wrap(brief.store.ledger.Ledger, "record_ledger_day", "store writes")
    os.environ["BRIEF_NOW"] = NOW.isoformat()
    try:  # the compiled analysis (brief/native), where the checkout has it
        import brief.native
    except ImportError:
        core = "plain"
    else:
        core = "mypyc" if brief.native.active() else "plain"
    code = main(["-q", "--config", str(folder / "config.toml"), "run", "--offline", "--force"])
    seconds = time.perf_counter() - started
    phases.seconds["start-up/other"] = seconds - sum(phases.seconds.values())
    cpu = time.process_time() - started_cpu
    phases.cpu["start-up/other"] = cpu - sum(phases.cpu.values())
    own = resource.getrusage(resource.RUSAGE_SELF)
    pool = resource.getrusage(resource.RUSAGE_CHILDREN)
    written = sorted((folder / "out").glob("*.md"))
    markdown = written[-1].read_text(encoding="utf-8") if written else ""
    return {
        "exit": code,
        "core": core,
        "seconds": seconds,
        "cpu": own.ru_utime + own.ru_stime + pool.ru_utime + pool.ru_stime,
        "peak_mb": own.ru_maxrss / 1024,
        "worker_peak_mb": pool.ru_maxrss / 1024,
        "phases": phases.seconds,
        "phases_cpu": phases.cpu,
        "pool_cpu": pool.ru_utime + pool.ru_stime,
        "markdown_chars": len(markdown),
        "markdown_sha256": hashlib.sha256(markdown.encode("utf-8")).hexdigest(),
        "stories": len(re.findall(r"^### \d+\. ", markdown, re.MULTILINE)),
        "actors": len(re.findall(r"^### (?!\d+\. )", markdown, re.MULTILINE)),
    }


def run_measured(folder: Path, checkout: Path | None = None, plain: bool = False) -> dict[str, Any]:
    """One measured run in a fresh Python process (of brief from ``checkout`` if given;
    ``plain``: without the compiled analysis, as where no C compiler built it)."""
    env = dict(os.environ)
    if plain:
        env["BRIEF_NATIVE"] = "0"
    if checkout is not None:
        env["BRIEF_BENCH_CHECKOUT"] = str(checkout)
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=env,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the table ----------------------------------------------------------------------------


def measure(
    sizes: Sequence[int], work: Path, save: Path | None, checkout: Path | None = None
) -> list[dict[str, Any]]:
    """Cold and warm runs per size, brief's default summarizer and sumy's LexRank.

    With ``checkout``, the same runs of brief from that checkout come first on each
    row's articles (a before/after table in one run).
    """
    table = []
    # (label, summarizer, checkout, plain Python)
    variants: list[tuple[str, str | None, Path | None, bool]] = [
        ("news (brief, default)", None, None, False),
        ("news, plain Python", None, None, True),
        ("lexrank (sumy)", "lexrank", None, False),
    ]
    if checkout is not None:
        variants.insert(0, ("news, " + checkout.name, None, checkout, False))
    # As an installed brief runs: its bytecode compiled beforehand (where
    # PYTHONDONTWRITEBYTECODE is set, a fresh checkout would compile every module
    # in every measured process, about 0.3 s of CPU each).
    import compileall

    for where in {REPO, *(v[2] for v in variants if v[2] is not None)}:
        compileall.compile_dir(where / "brief", quiet=1)
    for size in sizes:
        template = work / f"template-{size}"
        template.mkdir()
        built = build_store(size, template)
        print(f"  store of {size:,} articles built in {built:.1f} s", file=sys.stderr)
        for number, (label, algorithm, where, plain) in enumerate(variants):
            name = f"{size}-{number}-{algorithm or 'default'}"
            folder = work / name
            folder.mkdir()
            shutil.copy(template / "store.sqlite3", folder / "store.sqlite3")
            write_config(folder, algorithm)
            cold = run_measured(folder, where, plain)
            if save is not None:
                save.mkdir(parents=True, exist_ok=True)
                for written in (folder / "out").glob("*.md"):
                    shutil.copy(written, save / f"{name}-cold.md")
            warm = run_measured(folder, where, plain)
            if save is not None:
                for written in (folder / "out").glob("*.md"):
                    shutil.copy(written, save / f"{name}-warm.md")
            print(f"  {size:,} {label}: cold {cold['seconds']:.2f} s", file=sys.stderr)
            table.append({"articles": size, "summarizer": label, "cold": cold, "warm": warm})
    return table


def print_table(table: list[dict[str, Any]]) -> None:
    """The figures, one line per run and one line of phase shares."""
    print(
        "`brief run --offline`, default config (sections stories, actors, sources; seeds as\n"
        "the local source; 40 feeds already in the store), a fresh process per run:\n"
    )
    print(
        f"{'articles':>8}  {'summarizer':<22}{'run':<6}{'core':<7}{'wall s':>8}{'CPU s':>8}"
        f"{'RSS MB':>8}{'pool MB':>8}{'stories':>8}{'actors':>7}  file"
    )
    for row in table:
        for run in ("cold", "warm"):
            r = row[run]
            print(
                f"{row['articles']:>8}  {row['summarizer']:<22}{run:<6}{r.get('core', '?'):<7}"
                f"{r['seconds']:8.2f}"
                f"{r['cpu']:8.2f}{r['peak_mb']:8.0f}{r['worker_peak_mb']:8.0f}{r['stories']:8d}{r['actors']:7d}"
                f"  {r['markdown_sha256'][:10]}"
            )
    short = {
        "collect/select": "collect",
        "actor analysis": "analyse",
        "actor merge/briefs": "merge",
        "summaries": "summary",
        "story clustering": "cluster",
        "render/write": "render",
        "store writes": "writes",
        "start-up/other": "other",
    }
    print("\nShare of wall time per phase (seconds in brackets):")
    print(
        f"{'articles':>8}  {'summarizer':<22}{'run':<6}"
        + "".join(f"{v:>13}" for v in short.values())
    )
    for row in table:
        for run in ("cold", "warm"):
            r = row[run]
            cells = "".join(
                f"{100 * r['phases'][p] / r['seconds']:5.0f}% ({r['phases'][p]:4.1f})"
                for p in PHASES
            )
            print(f"{row['articles']:>8}  {row['summarizer']:<22}{run:<6}{cells}")
    print("\nCPU seconds per phase, this process (the pool's workers apart, last column):")
    print(
        f"{'articles':>8}  {'summarizer':<22}{'run':<6}"
        + "".join(f"{v:>8}" for v in short.values())
        + f"{'pool':>8}"
    )
    for row in table:
        for run in ("cold", "warm"):
            r = row[run]
            cells = "".join(f"{r['phases_cpu'][p]:8.2f}" for p in PHASES)
            print(
                f"{row['articles']:>8}  {row['summarizer']:<22}{run:<6}{cells}{r['pool_cpu']:8.2f}"
            )
    print(
        "\n(core = the actor analysis compiled with mypyc (brief/native) or plain Python;"
        " CPU = this process and the pool's workers; RSS = the main process's peak,"
        " pool MB = the largest worker's; file = the briefing's SHA-256: the same file is"
        " the same briefing)"
    )


def memory_section(repeats: int) -> tuple[dict[str, Any], list[str]]:
    """bench/memory.py's with-memory-vs-without measurement (all default sections) and
    its printed lines; the module is bench/memory.py itself, imported from beside this file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_memory", Path(__file__).with_name("memory.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out: dict[str, Any] = module.bench_speed(True, repeats)
    lines: list[str] = module.speed_lines(out, repeats)
    return out, lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--save", type=Path, help="copy each briefing written into this folder")
    parser.add_argument(
        "--checkout", type=Path, help="also time brief from this checkout (before/after)"
    )
    parser.add_argument(
        "--memory",
        action="store_true",
        help="also compose with the briefing memory vs without (bench/memory.py's measurement)",
    )
    parser.add_argument(
        "--memory-repeats", type=int, default=5, help="timed composes each for --memory (median)"
    )
    parser.add_argument("--worker", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(measured_run(Path(args.worker))))
        return 0
    if not (EVAL / "bbc-news-summary.jsonl").is_file():
        print(f"evaluation data not found in {EVAL}", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(
        "Includes: collect (the day read from the store), select, actor analysis of every"
        " article,\nthe day's actors, stories (clustering, ranking, summaries), actor briefs,"
        " render, write.\n",
        file=sys.stderr,
    )
    with tempfile.TemporaryDirectory() as work:
        table = measure(sizes, Path(work), args.save, args.checkout) if sizes else []
    memory = memory_section(args.memory_repeats) if args.memory else None
    if args.json:
        print(
            json.dumps(table if memory is None else {"runs": table, "memory": memory[0]}, indent=2)
        )
        return 0
    if table:
        print_table(table)
    if memory is not None:
        print(
            "\nComposing day 30 with the briefing memory vs without (bench/memory.py's"
            " measurement,\nimported and run here: 30 days of 1,000 articles, 29 days of"
            " history, all default\nsections, compose + render in this process; target:"
            " with memory <= 1.5x without):\n"
        )
        print("\n".join(memory[1]))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.environ.get("BRIEF_BENCH_CHECKOUT") or str(REPO))
    raise SystemExit(main())

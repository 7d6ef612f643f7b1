"""Time to first paint and memory of brief's TUI, beside a minimal Textual app, in a real pty.

    .venv/bin/python bench/tui.py                 # 5 runs each, 100x30 terminal
    .venv/bin/python bench/tui.py --runs 9 --articles 10000 --json
    .venv/bin/python bench/tui.py --no-bytecode-cache   # compile brief's source every start

Each case starts a fresh Python process on a pseudo-terminal (as a user's
shell would), reads what it draws, and stops it once the mark it waits for
appears.  "first paint" is the time from process start to the first frame
(for brief: its navigation bar); "ready" is the time until the day's articles
are listed (the article count appears in the list header).  "CPU" is the CPU
time of the child's main thread at first paint (Linux schedstat): on a busy
machine it moves much less than the wall clock does, and it leaves out the
background threads brief starts once the frame is out.  Memory is the child's
peak resident set (VmHWM) at the moment it is ready.

Bytecode: an installed brief (a wheel, or an editable install after its first
start) runs from cached ``.pyc`` files, as Textual itself does.  Some
environments set ``PYTHONDONTWRITEBYTECODE``, which would make every start
compile brief's source while Textual's stays compiled -- a cost no user pays.
So the children get a private bytecode cache in the work folder (filled by the
warm-up run); ``--no-bytecode-cache`` measures the environment as it is.

Cases:
  minimal app      a Textual App with one Static and a Footer, nothing else
  brief, empty     no sources at all: an empty store
  brief, 10k       a store holding 10,000 of today's feed articles (20 feeds)

The goal from the issue: with 10,000 articles, brief's first paint within
1.5x of the minimal app's.  Feeds point at a closed port on 127.0.0.1, so the
background refresh fails fast and no request leaves the machine.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import random
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import textwrap
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
SIZE = (100, 30)

MINIMAL_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Static

    class Minimal(App):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self):
            yield Static("minimal-ready")
            yield Footer()

    Minimal().run()
    """
)


@dataclass
class Case:
    """One thing to start and the marks that say it has drawn."""

    name: str
    argv: list[str]
    env: dict[str, str]
    first_paint: str  # text that appears in the first frame
    ready: str  # text that appears when the content is shown


@dataclass
class Row:
    """Median (and best) timings and memory of one case over several runs."""

    case: str
    first_paint_ms: float
    first_paint_best_ms: float
    first_paint_cpu_ms: float
    ready_ms: float
    ready_best_ms: float
    peak_rss_mb: float


def measure(case: Case, timeout: float = 60.0) -> tuple[float, float, float, float]:
    """Start ``case`` on a pty: seconds to first paint, to ready, CPU seconds at first
    paint, and peak RSS in MB."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program under test
        os.execvpe(case.argv[0], case.argv, case.env)
    width, height = SIZE
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    seen = b""
    first = ready = None
    cpu = float("nan")
    peak = 0.0
    first_mark = case.first_paint.encode()
    ready_mark = case.ready.encode()
    try:
        while time.perf_counter() - started < timeout:
            readable, _, _ = select.select([fd], [], [], 0.05)
            if not readable:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            # Keep only text: the marks may be split by colour changes between segments.
            seen += re.sub(rb"\x1b\[[0-9;?<>=$]*[A-Za-z]|\x1b\][^\x07]*\x07", b"", chunk)
            now = time.perf_counter() - started
            if first is None and first_mark in seen:
                first = now
                cpu = _cpu_seconds(pid)
            if first is not None and ready_mark in seen:
                ready = now
                peak = _peak_rss_mb(pid)
                break
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if first is None or ready is None:
        tail = seen[-400:].decode("utf-8", "replace")
        raise RuntimeError(f"{case.name}: marks not seen within {timeout}s; last output: {tail!r}")
    return first, ready, cpu, peak


def _cpu_seconds(pid: int) -> float:
    """CPU time the process's main thread has used so far (Linux schedstat, nanoseconds)."""
    try:
        return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return float("nan")


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (Linux /proc), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def base_env(home: Path, pycache: Path | None) -> dict[str, str]:
    """A private, pinned environment: no user config, no network, a 256-colour+ terminal.

    With ``pycache``, bytecode is cached there (see the module docstring).
    """
    unset = {"COLUMNS", "LINES", "NO_COLOR", "BRIEF_CONFIG", "BRIEF_DATA_DIR"}
    if pycache is not None:
        unset |= {"PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    if pycache is not None:
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        HOME=str(home),
        BRIEF_NOW=NOW.isoformat(),
        BRIEF_OUTPUT_DIR=str(home / "out"),
        PYTHONPATH=str(REPO),
    )
    return env


def write_config(path: Path, *, feeds: int) -> None:
    """A config with no local sources and ``feeds`` feeds on a closed local port."""
    lines = ["[sources]", "local = []", ""]
    for n in range(feeds):
        lines += [
            "[[feeds]]",
            f'url = "http://127.0.0.1:9/feed-{n}.xml"',
            f'name = "Feed {n:02d}"',
            "",
        ]
    lines += ["[fetch]", "timeout_seconds = 2.0", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def fill_store(path: Path, *, articles: int, feeds: int) -> None:
    """A store with ``articles`` feed articles spread over the 24 hours before NOW."""
    from brief.collect.stored import feed_source
    from brief.config import FeedConfig
    from brief.models import Article
    from brief.store import open_store

    seed = (REPO / "seeds" / "globe-xi-russia-visit.txt").read_text(encoding="utf-8")
    sentences = [s.strip() + "." for s in seed.replace("\n", " ").split(". ") if len(s) > 40]
    rng = random.Random(7)
    per_feed = articles // feeds
    with open_store(path) as store:
        for n in range(feeds):
            source = feed_source(
                FeedConfig(url=f"http://127.0.0.1:9/feed-{n}.xml", name=f"Feed {n:02d}")
            )
            batch = []
            for i in range(per_feed):
                body = "\n\n".join(rng.sample(sentences, 8))
                batch.append(
                    Article(
                        id="",
                        source_id=source.id,
                        source_name=source.name,
                        title=f"Story {n}-{i}: " + rng.choice(sentences)[:70],
                        text=body,
                        url=f"https://news.example.org/{n}/{i}",
                        guid=f"{n}-{i}",
                        published=NOW - timedelta(minutes=rng.randrange(1, 23 * 60)),
                    )
                )
            store.upsert_articles(source, batch, fetched=NOW)


def cases(workdir: Path, articles: int, *, bytecode_cache: bool = True) -> list[Case]:
    """The minimal app and brief on an empty and a full store."""
    pycache = workdir / "pycache" if bytecode_cache else None
    minimal = workdir / "minimal_app.py"
    minimal.write_text(MINIMAL_APP, encoding="utf-8")
    empty_home, full_home = workdir / "empty", workdir / "full"
    write_config(empty_home / "config.toml", feeds=0)
    write_config(full_home / "config.toml", feeds=20)
    store = full_home / "data" / "brief.sqlite3"
    if not store.exists():
        started = time.perf_counter()
        fill_store(store, articles=articles, feeds=20)
        print(f"(built a store of {articles} articles in {time.perf_counter() - started:.1f}s)")

    def brief_env(home: Path) -> dict[str, str]:
        env = base_env(home, pycache)
        env.update(BRIEF_CONFIG=str(home / "config.toml"), BRIEF_DATA_DIR=str(home / "data"))
        return env

    python = sys.executable
    return [
        Case(
            "minimal Textual app",
            [python, str(minimal)],
            base_env(workdir, pycache),
            "minimal-ready",
            "minimal-ready",
        ),
        Case(
            "brief, empty store",
            [python, "-m", "brief"],
            brief_env(empty_home),
            "1 Today",
            "0 articles from",
        ),
        Case(
            f"brief, {articles:,} articles",
            [python, "-m", "brief"],
            brief_env(full_home),
            "1 Today",
            f" {articles} ",
        ),
    ]


def run(runs: int, articles: int, workdir: Path, *, bytecode_cache: bool = True) -> list[Row]:
    """Measure every case ``runs`` times, interleaved so drift hits all of them alike."""
    all_cases = cases(workdir, articles, bytecode_cache=bytecode_cache)
    timings: dict[str, list[tuple[float, float, float, float]]] = {c.name: [] for c in all_cases}
    for case in all_cases:  # one warm-up each: the first start pays for cold disk caches
        measure(case)
    for _ in range(runs):
        for case in all_cases:
            timings[case.name].append(measure(case))
    rows = []
    for case in all_cases:
        got = timings[case.name]
        rows.append(
            Row(
                case=case.name,
                first_paint_ms=statistics.median(t[0] for t in got) * 1000,
                first_paint_best_ms=min(t[0] for t in got) * 1000,
                first_paint_cpu_ms=statistics.median(t[2] for t in got) * 1000,
                ready_ms=statistics.median(t[1] for t in got) * 1000,
                ready_best_ms=min(t[1] for t in got) * 1000,
                peak_rss_mb=statistics.median(t[3] for t in got),
            )
        )
    return rows


def print_table(rows: list[Row], runs: int, *, bytecode_cache: bool = True) -> None:
    """The results as a table, with each case's first paint relative to the minimal app."""
    base = rows[0].first_paint_ms
    base_cpu = rows[0].first_paint_cpu_ms
    bytecode = "cached, as installed" if bytecode_cache else "as the environment has it"
    print(
        f"\nTUI start-up in a {SIZE[0]}x{SIZE[1]} pty, median of {runs} runs (best in brackets); "
        f"bytecode {bytecode}\n"
    )
    header = (
        f"{'case':<24} {'first paint ms':>15} {'vs minimal':>10} {'CPU ms':>7} {'vs min':>7} "
        f"{'ready ms':>15} {'peak RSS MB':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        paint = f"{row.first_paint_ms:.0f} ({row.first_paint_best_ms:.0f})"
        ready = f"{row.ready_ms:.0f} ({row.ready_best_ms:.0f})"
        ratio = f"{row.first_paint_ms / base:.2f}x"
        cpu_ratio = f"{row.first_paint_cpu_ms / base_cpu:.2f}x"
        print(
            f"{row.case:<24} {paint:>15} {ratio:>10} {row.first_paint_cpu_ms:>7.0f} "
            f"{cpu_ratio:>7} {ready:>15} {row.peak_rss_mb:>12.1f}"
        )
    full = rows[-1]
    verdict = "met" if full.first_paint_ms <= 1.5 * base else "NOT met"
    print(
        f"\ngoal (10k first paint <= 1.5x minimal): {verdict} ({full.first_paint_ms / base:.2f}x; "
        f"CPU {full.first_paint_cpu_ms / base_cpu:.2f}x)"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per case (default 5)")
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the full store")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--keep", type=Path, help="build/reuse the stores in this folder")
    parser.add_argument(
        "--no-bytecode-cache",
        dest="bytecode_cache",
        action="store_false",
        help="keep the environment's bytecode settings (e.g. PYTHONDONTWRITEBYTECODE)",
    )
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        rows = run(args.runs, args.articles, args.keep, bytecode_cache=args.bytecode_cache)
    else:
        with tempfile.TemporaryDirectory(prefix="brief-bench-tui-") as tmp:
            rows = run(args.runs, args.articles, Path(tmp), bytecode_cache=args.bytecode_cache)
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=2))
    else:
        print_table(rows, args.runs, bytecode_cache=args.bytecode_cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())

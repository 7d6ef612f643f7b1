"""Cold and warm `brief fetch` of 200 real feeds beside newsboat, same server, same run.

    .venv/bin/python bench/fetch.py                 # 200 feeds, 50 ms per response
    .venv/bin/python bench/fetch.py --feeds 100 --delay 0.1 --repeat 3
    .venv/bin/python bench/fetch.py --threads 8,16,32 --json
    .venv/bin/python bench/fetch.py --retention-days 36500   # every entry counts as recent
    .venv/bin/python bench/fetch.py --store-size 100000      # warm fetch into 10k vs 100k
    .venv/bin/python bench/fetch.py --parse                  # parse_feed MB/s, both parsers
    .venv/bin/python bench/fetch.py --split                  # CPU: parsing vs store writes

An asyncio HTTP server on 127.0.0.1 serves 200 distinct feeds built from the
real saved feeds in ``../shared/data/feeds/`` (each copy's URLs and ids are
rewritten so no two feeds share an article), with ETag and Last-Modified and
every response delayed by ``--delay`` seconds.  Each client runs as a child
process from a clean state:

* **cold**: an empty store (brief) / an empty cache (newsboat);
* **warm**: immediately again, so every feed answers 304 Not Modified.

The two clients run in pairs, A B A B (brief cold, newsboat cold, brief warm,
newsboat warm, then the next repeat), so a change in the machine's load hits
both alike; the table gives wall and CPU time (user + system of the child and
the children it waited for), medians over the repeats.
Wall time is the child's whole run (start-up included).  Peak memory is the
largest sum of resident memory over the child's process tree, sampled every
20 ms from /proc.  newsboat is run as
``newsboat -x reload`` with a urls file and ``reload-threads`` set to the best
of ``--threads`` (measured cold first); brief runs with ``concurrency`` (and,
since every feed shares the one test host, ``per_host``) set to the largest
``--threads`` value, the most parallelism newsboat is offered.  When newsboat
is not installed its columns are skipped with a message (Debian/Ubuntu:
``apt-get install newsboat``).  The load average at start is printed: other
work on the machine slows the CPU-bound cold runs most.

The saved feeds are years old, so with brief's default retention (30 days)
nearly every entry is older than the window: brief only counts such entries
(the fast path reads them; for the feeds it declines, they are cut out before
feedparser reads them, ``brief.collect.oldentries``), and a cold run measures
mostly network, HTTP and that.  ``--retention-days 36500``
makes every entry recent, so brief parses and stores all of them: the cost
of a first fetch of feeds that are all fresh news.  newsboat (``max-items 0``)
always reads and keeps every item.

``--store-size N`` measures instead whether a fetch grows with the store:
for a store of 10,000 and of N articles, a cold ``brief fetch`` fills the
validators, the store is then grown in bulk (plain SQL ``executemany``, FTS
triggers included) with filler articles credited to the same 200 feeds,
spread over the last four weeks (inside the retention window, as a normal
user's store is), the last-purge mark is cleared, and the timed run is the
first warm ``brief fetch`` (all 304, purge included).  ``--source DIR``
runs the children from another source tree (e.g. an older brief, for a
before/after in one run); the store build uses SQL both schemas share.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FEEDS = REPO.parent / "shared" / "data" / "feeds"
LAST_MODIFIED = "Sat, 28 Nov 2026 06:00:00 GMT"


@dataclass
class Measure:
    """One client run."""

    client: str
    phase: str
    seconds: float
    peak_mb: float
    exit_code: int
    note: str = ""
    cpu_s: float = 0.0  # user + system CPU of the child and the children it waited for
    written_mb: float = 0.0  # bytes the child passed to write() (/proc/PID/io wchar)


# --- the feeds ---------------------------------------------------------------------


def source_feeds() -> list[Path]:
    """The real saved feeds that parse into entries (brief's parser decides)."""
    from brief.collect.parse import parse_feed

    found = []
    for folder in ("real-rss-parser", "real-netnewswire"):
        for path in sorted((FEEDS / folder).glob("*")):
            if path.name.startswith("LICENSE") or path.suffix in (".html", ".opml"):
                continue
            if parse_feed(path.read_bytes(), "http://bench.test/").entries:
                found.append(path)
    return found


# Links and ids to make distinct per copy, but not namespace names (xmlns="http://...")
# or the JSON Feed version URL: rewriting those would turn a feed into something else.
_ID_RE = re.compile(rb"""(xmlns(?::[\w.-]+)?\s*=\s*["']|"version"\s*:\s*")?(https?://|tag:|urn:)""")


def _rewrite(match: re.Match[bytes], copy: int) -> bytes:
    if match.group(1):
        return match.group(0)
    return match.group(2) + b"c%d." % copy


def distinct_copies(paths: list[Path], count: int) -> list[tuple[bytes, str]]:
    """``count`` feed bodies, cycling over ``paths``; copy k rewrites every URL/id with "k."."""
    bodies = []
    for i in range(count):
        path = paths[i % len(paths)]
        body = path.read_bytes()
        copy = i // len(paths)
        if copy:
            body = _ID_RE.sub(functools.partial(_rewrite, copy=copy), body)
        kind = "application/feed+json" if path.suffix == ".json" else "application/xml"
        bodies.append((body, kind))
    return bodies


# --- the server ------------------------------------------------------------------------


class BenchServer:
    """An asyncio HTTP/1.1 server on 127.0.0.1 (keep-alive, ETag/Last-Modified, a delay).

    One event loop in a thread: no thread per connection and a deep accept
    backlog, so the server is never what limits either client.
    """

    def __init__(self, feeds: list[tuple[bytes, str]], delay: float) -> None:
        self.feeds = feeds
        self.delay = delay
        self.requests = 0
        self.not_modified = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def url(self, i: int) -> str:
        """The URL of feed ``i``."""
        return f"http://127.0.0.1:{self.port}/feed/{i}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=1024)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        key, value = line.split(":", 1)
                        headers[key.strip().lower()] = value.strip()
                await asyncio.sleep(self.delay)
                self.requests += 1
                try:
                    index = int(path.rsplit("/", 1)[1])
                    body, kind = self.feeds[index]
                except (ValueError, IndexError):
                    writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    continue
                etag = f'"bench-{index}"'
                fresh = headers.get("if-none-match") == etag or (
                    "if-none-match" not in headers
                    and headers.get("if-modified-since") == LAST_MODIFIED
                )
                common = f"ETag: {etag}\r\nLast-Modified: {LAST_MODIFIED}\r\n"
                if fresh:
                    self.not_modified += 1
                    writer.write(f"HTTP/1.1 304 Not Modified\r\n{common}\r\n".encode())
                else:
                    writer.write(
                        f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\n{common}"
                        f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    def __enter__(self) -> BenchServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


# --- measuring a child process -----------------------------------------------------------


def _tree_rss_kb(root: int) -> int:
    """Resident memory (KiB) of ``root`` and all its descendants, from /proc."""
    total = 0
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as handle:
                    pending.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_child(
    argv: list[str], env: dict[str, str], client: str, phase: str, cwd: Path | None = None
) -> Measure:
    """Run ``argv`` in its own process group; wall time, CPU, bytes written, peak tree RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=cwd,
    )
    peak = 0
    written = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, written
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            written = max(written, _wchar(proc.pid))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    # wait4, not wait: its resource usage is the child's CPU time.
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    lines = err.decode("utf-8", "replace").strip().splitlines() if err else []
    # brief's one summary line ("brief: fetched ...") says more than a trailing failure line.
    note = next((line for line in lines if line.startswith("brief: fetched")), "")
    note = note or (lines[-1] if lines else "")
    cpu = usage.ru_utime + usage.ru_stime
    return Measure(client, phase, seconds, peak / 1024, proc.returncode, note, cpu, written / 1e6)


def _wchar(pid: int) -> int:
    """Bytes ``pid`` has passed to write() so far (0 when /proc does not say)."""
    try:
        with open(f"/proc/{pid}/io", "rb") as handle:
            for line in handle:
                if line.startswith(b"wchar:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def brief_runs(
    urls: list[str],
    work: Path,
    repeat: int,
    concurrency: int,
    retention_days: int,
    source: str | None = None,
) -> list[tuple[Callable[[], Measure], Callable[[], Measure]]]:
    """Cold and warm `brief fetch`, ``repeat`` times each from a fresh store (run later).

    Every feed sits on the one test host, so ``per_host`` is raised to the
    overall ``concurrency`` (real subscriptions spread over many hosts).
    """
    config = work / "brief.toml"
    config.write_text(
        f"[fetch]\nmin_interval_minutes = 0\nconcurrency = {concurrency}\n"
        f"per_host = {concurrency}\n\n[store]\nretention_days = {retention_days}\n\n"
        + "".join(f'[[feeds]]\nurl = "{u}"\n\n' for u in urls),
        encoding="utf-8",
    )
    runs = []
    for i in range(repeat):
        data = work / f"brief-data-{i}"
        env = dict(os.environ, BRIEF_CONFIG=str(config), BRIEF_DATA_DIR=str(data))
        env.pop("BRIEF_NOW", None)
        if source:
            env["PYTHONPATH"] = source + os.pathsep + env.get("PYTHONPATH", "")
        argv = [sys.executable, "-m", "brief", "fetch"]
        # From the work folder: ``-m`` puts the current folder first on sys.path.
        runs.append(
            (
                functools.partial(run_child, argv, env, "brief", "cold", cwd=work),
                functools.partial(run_child, argv, env, "brief", "warm", cwd=work),
            )
        )
    return runs


def newsboat_runs(
    urls: list[str], work: Path, repeat: int, threads: list[int]
) -> tuple[list[tuple[Callable[[], Measure], Callable[[], Measure]]], int | None]:
    """Pick newsboat's best reload-threads (cold), then cold and warm runs with it."""
    exe = shutil.which("newsboat")
    if exe is None:
        print(
            "newsboat not found: skipping its columns (apt-get install newsboat)", file=sys.stderr
        )
        return [], None
    url_file = work / "urls"
    url_file.write_text("".join(u + "\n" for u in urls), encoding="utf-8")
    env = dict(os.environ, HOME=str(work))

    def argv(n: int, cache: Path) -> list[str]:
        config = work / f"newsboat-{n}.conf"
        config.write_text(f"reload-threads {n}\nmax-items 0\n", encoding="utf-8")
        return [exe, "-x", "reload", "-u", str(url_file), "-c", str(cache), "-C", str(config)]

    trials = {}
    for n in threads:
        cache = work / f"nb-trial-{n}.db"
        trials[n] = run_child(argv(n, cache), env, f"newsboat ({n} threads)", "cold").seconds
    best = min(trials, key=lambda n: trials[n])
    print(
        "newsboat reload-threads (cold seconds): "
        + ", ".join(f"{n}: {s:.2f}" for n, s in trials.items())
        + f" → {best}",
        file=sys.stderr,
    )
    runs = []
    for i in range(repeat):
        cache = work / f"nb-{i}.db"
        runs.append(
            (
                functools.partial(run_child, argv(best, cache), env, "newsboat", "cold"),
                functools.partial(run_child, argv(best, cache), env, "newsboat", "warm"),
            )
        )
    return runs, best


def paired(
    first: list[tuple[Callable[[], Measure], Callable[[], Measure]]],
    second: list[tuple[Callable[[], Measure], Callable[[], Measure]]],
) -> list[Measure]:
    """Run the two clients' runs in pairs, A B A B (cold, then warm): load drifts hit both."""
    results: list[Measure] = []
    for index in range(max(len(first), len(second))):
        for phase in (0, 1):
            for runs in (first, second):
                if index < len(runs):
                    results.append(runs[index][phase]())
    return results


# --- fetch against a big store ---------------------------------------------------------

FILLER_WORDS = [
    "minister",
    "council",
    "market",
    "storm",
    "court",
    "election",
    "border",
    "trade",
    "energy",
    "river",
    "vote",
    "hospital",
    "strike",
    "budget",
    "summit",
    "rail",
    "harbour",
    "police",
    "museum",
    "festival",
    "drought",
]


def grow_store(path: Path, target: int, now: float) -> tuple[int, float]:
    """Add filler articles until the store at ``path`` holds ``target``; (added, seconds).

    Plain SQL on tables every schema version has; the articles are credited to the
    feeds already in the store (their history) and dated inside the last four weeks.
    """
    import sqlite3

    started = time.perf_counter()
    db = sqlite3.connect(path, isolation_level=None)
    try:
        have = int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
        sources = [row[0] for row in db.execute("SELECT id FROM sources ORDER BY id")]
        base = int(db.execute("SELECT coalesce(max(pk), 0) FROM articles").fetchone()[0])
        wanted = max(0, target - have)
        db.execute("BEGIN IMMEDIATE")
        batch = 5_000
        for start in range(0, wanted, batch):
            articles, keys, carriers = [], [], []
            for i in range(start, min(wanted, start + batch)):
                pk = base + 1 + i
                when = now - (i % (28 * 24)) * 3600.0  # one every hour, back four weeks
                # About 2.5 kB of text, a feed entry's usual size.
                words = [FILLER_WORDS[(i * 7 + j * 13) % len(FILLER_WORDS)] for j in range(360)]
                text = f"Filler {i}. " + " ".join(words) + "."
                source = sources[i % len(sources)]
                guid = f"urn:filler:{i}"
                digest = f"{i:064x}"
                articles.append(
                    (
                        pk,
                        f"f{i:020d}",
                        source,
                        guid,
                        f"Filler story {i}",
                        when,
                        when,
                        when,
                        text,
                        digest,
                    )
                )
                keys.append((f"guid:{guid}", pk))
                keys.append((f"hash:{digest}", pk))
                carriers.append((pk, source, when))
            db.executemany(
                "INSERT INTO articles(pk, id, source_id, guid, title, published, fetched, "
                "last_seen, text, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                articles,
            )
            db.executemany("INSERT INTO article_keys(key, article_pk) VALUES (?, ?)", keys)
            db.executemany(
                "INSERT INTO article_sources(article_pk, source_id, first_seen) VALUES (?, ?, ?)",
                carriers,
            )
        # The timed run is a first run: the once-a-day purge is due.
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
            db.execute("DELETE FROM meta WHERE key = 'last_purge'")
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return wanted, time.perf_counter() - started


def evict_from_page_cache(store_file: Path) -> None:
    """Drop the store's pages from the OS page cache (no root needed): the next run reads disk.

    This is what a first fetch of the morning meets after a night of other work.
    """
    for path in (store_file, store_file.with_name(store_file.name + "-wal")):
        if not path.exists():
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


UPSERT_SNIPPET = """
import sys, time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from brief.models import Article, Source
from brief.store import open_store
now = datetime.now(UTC)
n, per_feed = int(sys.argv[1]), 50
with open_store(Path(sys.argv[2])) as store:
    started = time.perf_counter()
    for f in range(n // per_feed):
        source = Source(id=f"feed:{f}", name=f"Feed {f}", kind="feed", location=f"http://x/{f}")
        batch = [
            Article(id="", source_id="", source_name="", title=f"Story {f}-{i}",
                    text=f"Body of story {f}-{i}. " * 40, url=f"https://x.test/{f}/{i}",
                    guid=f"urn:x:{f}:{i}", published=now - timedelta(minutes=i))
            for i in range(per_feed)
        ]
        store.upsert_articles(source, batch, fetched=now)
    print(f"{n / (time.perf_counter() - started):.0f}")
"""


def upsert_rate(env: dict[str, str], work: Path, count: int = 5_000) -> float:
    """Articles per second ``Store.upsert_articles`` stores (feeds of 50 new articles each)."""
    done = subprocess.run(
        [sys.executable, "-c", UPSERT_SNIPPET, str(count), str(work / "upsert.sqlite3")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=work,
    )
    return float(done.stdout.strip())


def store_size_runs(
    urls: list[str], work: Path, sizes: list[int], concurrency: int, source: str | None
) -> list[dict[str, object]]:
    """For each store size: cold fetch, grow the store in bulk, time the first warm fetch."""
    config = work / "brief.toml"
    config.write_text(
        f"[fetch]\nmin_interval_minutes = 0\nconcurrency = {concurrency}\n"
        f"per_host = {concurrency}\n\n[store]\nretention_days = 30\n\n"
        + "".join(f'[[feeds]]\nurl = "{u}"\n\n' for u in urls),
        encoding="utf-8",
    )
    rows: list[dict[str, object]] = []
    for size in sizes:
        data = work / f"store-{size}"
        env = dict(os.environ, BRIEF_CONFIG=str(config), BRIEF_DATA_DIR=str(data))
        env.pop("BRIEF_NOW", None)
        if source:
            env["PYTHONPATH"] = source + os.pathsep + env.get("PYTHONPATH", "")
        argv = [sys.executable, "-m", "brief", "fetch"]
        # Run from the work folder: ``-m`` puts the current folder first on sys.path,
        # which from a checkout would shadow --source.
        cold = run_child(argv, env, "brief", "cold", cwd=work)
        [store_file] = data.rglob("*.sqlite3")
        added, build_s = grow_store(store_file, size, time.time())
        evict_from_page_cache(store_file)
        warm = run_child(argv, env, "brief", "warm", cwd=work)
        cached = run_child(
            argv, env, "brief", "warm", cwd=work
        )  # page cache warm, purge done today
        rows.append(
            {
                "store_size": size,
                "cold_s": round(cold.seconds, 2),
                "filler_added": added,
                "build_s": round(build_s, 2),
                "build_per_s": round(added / build_s) if build_s else 0,
                "warm_s": round(warm.seconds, 2),
                "warm_exit": warm.exit_code,
                "warm_peak_mb": round(warm.peak_mb),
                "warm_summary": warm.note,
                "warm_cpu_s": round(warm.cpu_s, 2),
                "warm_written_mb": round(warm.written_mb, 1),
                "cached_s": round(cached.seconds, 2),
                "cached_exit": cached.exit_code,
                "store_mb": round(store_file.stat().st_size / 1e6),
                "upsert_per_s": round(upsert_rate(env, data)) if size == sizes[0] else None,
            }
        )
    return rows


def print_store_sizes(rows: list[dict[str, object]], feeds: int, delay: float) -> None:
    """The store-size table and the ratio of the biggest to the smallest store."""
    print(
        f"\nwarm fetch (all 304) of {feeds} feeds, {delay * 1000:.0f} ms per response, "
        "into stores of different sizes.\nfirst run: store file evicted from the page cache, "
        "purge due; cached: straight after, page cache warm\n"
    )
    print(
        "| store articles | file MB | bulk build s (articles/s) | first run s | CPU s "
        "| written MB | exit | cached s | exit | peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['store_size']:,} | {row['store_mb']} | {row['build_s']} "
            f"({row['build_per_s']:,}/s) | {row['warm_s']:.2f} | {row['warm_cpu_s']:.2f} "
            f"| {row['warm_written_mb']} | {row['warm_exit']} "
            f"| {row['cached_s']:.2f} | {row['cached_exit']} | {row['warm_peak_mb']} |"
        )
    for row in rows:
        print(f"{row['store_size']:,}: {row['warm_summary']}")
    first, last = rows[0], rows[-1]
    ratio = float(str(last["warm_s"])) / float(str(first["warm_s"]))
    print(f"\nfirst run, {last['store_size']:,} / {first['store_size']:,} store: {ratio:.2f}x")
    print(f"Store.upsert_articles: {first['upsert_per_s']:,} articles/s (feeds of 50 new)")


# --- parsing alone -------------------------------------------------------------------


def parse_rates(bodies: list[tuple[bytes, str]], rounds: int = 3) -> list[dict[str, object]]:
    """CPU MB/s of ``parse_feed`` over ``bodies``, through the fast path and feedparser alone.

    Best of ``rounds`` (CPU time of this process); with every entry recent
    (no retention window), as on a first fetch.  Also how much of the input
    the fast path read itself.
    """
    from brief.collect.fastparse import fast_parse
    from brief.collect.parse import load_feedparser, parse_feed

    feedparser = load_feedparser()
    total = sum(len(body) for body, _ in bodies)
    fast_bytes = sum(
        len(body)
        for body, kind in bodies
        if fast_parse(
            body, {"content-type": kind, "content-location": "http://bench.test/"}, feedparser
        )
        is not None
    )
    rows: list[dict[str, object]] = []
    for engine in ("auto", "feedparser"):
        best = float("inf")
        entries = 0
        for _ in range(rounds):
            started = time.process_time()
            entries = sum(
                len(
                    parse_feed(
                        body, "http://bench.test/", {"content-type": kind}, engine=engine
                    ).entries
                )
                for body, kind in bodies
            )
            best = min(best, time.process_time() - started)
        rows.append(
            {
                "engine": engine,
                "cpu_s": round(best, 3),
                "mb_per_s": round(total / 1e6 / best, 1),
                "entries": entries,
                "fast_share": round(fast_bytes / total, 3) if engine == "auto" else 0.0,
            }
        )
    return rows


# --- the in-process CPU split ----------------------------------------------------------


def cpu_split(bodies: list[tuple[bytes, str]], rounds: int = 3) -> dict[str, float]:
    """CPU seconds of a first fetch's work without HTTP, best of ``rounds``, in this process.

    Every body is parsed with every entry recent (``parse_feed``; of that, the
    time in turning feedparser-shaped entries into brief's text, links and
    enclosures) and stored in a fresh store, one ``upsert_articles`` per feed
    as ``brief fetch`` does, so the split says where a cold run's CPU goes.
    """
    import brief.collect.parse as parse_module
    from brief.collect.stored import feed_source
    from brief.config import FeedConfig
    from brief.store import open_store

    normalise = parse_module._entry_from_feedparser
    spent = [0.0]

    def timed(item: object) -> object:
        started = time.process_time()
        try:
            return normalise(item)
        finally:
            spent[0] += time.process_time() - started

    best: dict[str, float] = {}
    parse_module._entry_from_feedparser = timed  # type: ignore[assignment]
    try:
        for _ in range(rounds):
            spent[0] = 0.0
            parse_s = store_s = 0.0
            with (
                tempfile.TemporaryDirectory(prefix="brief-split-") as tmp,
                open_store(Path(tmp) / "store.sqlite3") as store,
            ):
                for i, (body, kind) in enumerate(bodies):
                    url = f"http://127.0.0.1:1/feed/{i}"
                    source = feed_source(FeedConfig(url=url))
                    store.upsert_sources([source])
                    started = time.process_time()
                    parsed = parse_module.parse_feed(body, url, {"content-type": kind})
                    articles = parse_module.entries_to_articles(source, parsed.entries)
                    middle = time.process_time()
                    store.upsert_articles(source, articles, title=parsed.title)
                    parse_s += middle - started
                    store_s += time.process_time() - middle
            run = {
                "parse_s": parse_s,
                "of_which_entry_text_links_s": spent[0],
                "store_s": store_s,
            }
            if not best or parse_s + store_s < best["parse_s"] + best["store_s"]:
                best = run
    finally:
        parse_module._entry_from_feedparser = normalise  # type: ignore[assignment]
    return {name: round(value, 3) for name, value in best.items()}


# --- main ----------------------------------------------------------------------------


def _median(results: list[Measure], client: str, phase: str) -> Measure | None:
    runs = [m for m in results if m.client == client and m.phase == phase]
    if not runs:
        return None
    seconds = statistics.median(m.seconds for m in runs)
    peak = statistics.median(m.peak_mb for m in runs)
    cpu = statistics.median(m.cpu_s for m in runs)
    exit_code = max(m.exit_code for m in runs)
    return Measure(client, phase, seconds, peak, exit_code, runs[-1].note, cpu)


def main(argv: list[str] | None = None) -> int:
    """Serve the feeds, run both clients, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--feeds", type=int, default=200, help="number of feeds (default 200)")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds per response (0.05)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per client and phase (median)")
    parser.add_argument("--threads", default="4,8,16,32", help="newsboat reload-threads to try")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=0,
        help="brief's [fetch] concurrency (default: the largest --threads value newsboat gets)",
    )
    parser.add_argument(
        "--retention-days",
        type=int,
        default=30,
        help="brief's [store] retention_days (default 30, brief's default; the saved feeds "
        "are years old, so 36500 makes every entry recent)",
    )
    parser.add_argument(
        "--store-size",
        type=int,
        default=0,
        help="measure the first warm fetch into a store of 10,000 and of this many articles",
    )
    parser.add_argument(
        "--source",
        default=None,
        help="run brief from this source tree (PYTHONPATH), e.g. an old one, for a before/after",
    )
    parser.add_argument(
        "--parse",
        action="store_true",
        help="time parse_feed alone over the same bodies: fast path vs feedparser (CPU MB/s)",
    )
    parser.add_argument(
        "--split",
        action="store_true",
        help="in-process CPU of parsing (entry text and links apart) and store writes, no HTTP",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if not FEEDS.is_dir():
        print(f"reference feeds not found at {FEEDS}", file=sys.stderr)
        return 1

    load = os.getloadavg()[0]  # before we add any: other work on the machine skews times
    paths = source_feeds()
    bodies = distinct_copies(paths, args.feeds)
    total = sum(len(b) for b, _ in bodies)
    if args.split:
        split = cpu_split(bodies)
        if args.json:
            print(json.dumps({"feeds": args.feeds, "megabytes": round(total / 1e6, 1), **split}))
            return 0
        print(
            f"\nfirst-fetch CPU in process, {args.feeds} bodies ({total / 1e6:.1f} MB), best of 3"
        )
        print(f"load average {load:.2f} at start on {os.cpu_count()} cores\n")
        print("| parse_feed s | of which entry text, links s | store writes s |")
        print("|---|---|---|")
        print(
            f"| {split['parse_s']} | {split['of_which_entry_text_links_s']} | {split['store_s']} |"
        )
        return 0
    if args.parse:
        rates = parse_rates(bodies)
        if args.json:
            print(
                json.dumps({"feeds": args.feeds, "megabytes": round(total / 1e6, 1), "runs": rates})
            )
            return 0
        print(f"\nparse_feed over {args.feeds} bodies ({total / 1e6:.1f} MB), CPU, best of 3\n")
        print("| engine | CPU s | MB/s | entries | read by the fast path |")
        print("|---|---|---|---|---|")
        for row in rates:
            share = (
                f"{float(str(row['fast_share'])):.0%} of bytes" if row["engine"] == "auto" else "-"
            )
            cells = (row["engine"], row["cpu_s"], row["mb_per_s"], row["entries"], share)
            print("| " + " | ".join(str(c) for c in cells) + " |")
        return 0
    with (
        BenchServer(bodies, args.delay) as server,
        tempfile.TemporaryDirectory(prefix="brief-bench-") as tmp,
    ):
        work = Path(tmp)
        urls = [server.url(i) for i in range(len(bodies))]
        if args.store_size:
            sizes = sorted({10_000, args.store_size})
            concurrency = args.concurrency or 32  # as the newsboat comparison offers
            rows = store_size_runs(urls, work, sizes, concurrency, args.source)
            if args.json:
                print(json.dumps({"feeds": args.feeds, "delay_s": args.delay, "runs": rows}))
            else:
                print_store_sizes(rows, args.feeds, args.delay)
            return 0
        threads = [int(n) for n in args.threads.split(",") if n.strip()]
        nb_runs, best = newsboat_runs(urls, work, args.repeat, threads)
        concurrency = args.concurrency or max(threads, default=16)
        ours = brief_runs(urls, work, args.repeat, concurrency, args.retention_days, args.source)
        results = paired(ours, nb_runs)
        requests = server.requests

    summary = {
        "feeds": args.feeds,
        "distinct_source_files": len(paths),
        "megabytes": round(total / 1e6, 1),
        "delay_s": args.delay,
        "newsboat_threads": best,
        "brief_concurrency": concurrency,
        "brief_retention_days": args.retention_days,
        "load_average_at_start": load,
        "cores": os.cpu_count(),
        "requests": requests,
        "runs": [asdict(m) for m in results],
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"\n{args.feeds} feeds ({len(paths)} real files, {total / 1e6:.1f} MB), "
        f"{args.delay * 1000:.0f} ms per response, median of {args.repeat}"
        + f"; brief concurrency {concurrency}, retention {args.retention_days} days"
        + f"; load average {load:.2f} at start on {os.cpu_count()} cores"
        + (f", newsboat reload-threads {best}" if best else "")
    )
    print(
        f"\n| {'phase':<5} | {'brief s':>8} | {'newsboat s':>10} | {'ratio':>6} | "
        f"{'brief CPU s':>11} | {'newsboat CPU s':>14} | {'CPU ratio':>9} | "
        f"{'brief MB':>8} | {'newsboat MB':>11} |"
    )
    print(
        f"|{'-' * 7}|{'-' * 10}|{'-' * 12}|{'-' * 8}|{'-' * 13}|{'-' * 16}|{'-' * 11}|"
        f"{'-' * 10}|{'-' * 13}|"
    )
    for phase in ("cold", "warm"):
        ours_m = _median(results, "brief", phase)
        theirs = _median(results, "newsboat", phase)
        if ours_m is None:
            continue
        nb_s = f"{theirs.seconds:10.2f}" if theirs else f"{'-':>10}"
        ratio = f"{ours_m.seconds / theirs.seconds:6.2f}" if theirs else f"{'-':>6}"
        nb_cpu = f"{theirs.cpu_s:14.2f}" if theirs else f"{'-':>14}"
        cpu_ratio = (
            f"{ours_m.cpu_s / theirs.cpu_s:9.2f}" if theirs and theirs.cpu_s else f"{'-':>9}"
        )
        nb_mb = f"{theirs.peak_mb:11.0f}" if theirs else f"{'-':>11}"
        print(
            f"| {phase:<5} | {ours_m.seconds:8.2f} | {nb_s} | {ratio} "
            f"| {ours_m.cpu_s:11.2f} | {nb_cpu} | {cpu_ratio} "
            f"| {ours_m.peak_mb:8.0f} | {nb_mb} |"
        )
    print("\nratio = brief / newsboat wall time (below 1: brief is faster)")
    for m in results:
        if m.exit_code not in (0, 3) or (m.client == "brief" and m.exit_code != 0):
            print(f"note: {m.client} {m.phase} exited {m.exit_code}: {m.note}", file=sys.stderr)
    cold = _median(results, "brief", "cold")
    if cold is not None and cold.note:
        print(f"brief cold: {cold.note}")
    warm = _median(results, "brief", "warm")
    if warm is not None and warm.note:
        print(f"brief warm: {warm.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

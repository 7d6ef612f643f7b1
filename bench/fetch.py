"""Cold and warm `brief fetch` of 200 real feeds beside newsboat, same server, same run.

    .venv/bin/python bench/fetch.py                 # 200 feeds, 50 ms per response
    .venv/bin/python bench/fetch.py --feeds 100 --delay 0.1 --repeat 3
    .venv/bin/python bench/fetch.py --threads 8,16,32 --json

A threaded HTTP server on 127.0.0.1 serves 200 distinct feeds built from the
real saved feeds in ``../shared/data/feeds/`` (each copy's URLs and ids are
rewritten so no two feeds share an article), with ETag and Last-Modified and
every response delayed by ``--delay`` seconds.  Each client runs as a child
process from a clean state:

* **cold**: an empty store (brief) / an empty cache (newsboat);
* **warm**: immediately again, so every feed answers 304 Not Modified.

Wall time is the child's whole run (start-up included).  Peak memory is the
largest sum of resident memory over the child's process tree (brief's parse
workers count), sampled every 10 ms from /proc.  newsboat is run as
``newsboat -x reload`` with a urls file and ``reload-threads`` set to the best
of ``--threads`` (measured cold first).  When newsboat is not installed its
columns are skipped with a message (Debian/Ubuntu: ``apt-get install
newsboat``).
"""

from __future__ import annotations

import argparse
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
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FEEDS = REPO.parent / "shared" / "data" / "feeds"
sys.path.insert(0, str(REPO))

from tests.httpserver import FeedServer, Reply  # noqa: E402


@dataclass
class Measure:
    """One client run."""

    client: str
    phase: str
    seconds: float
    peak_mb: float
    exit_code: int
    note: str = ""


# --- the feeds ---------------------------------------------------------------------


def source_feeds() -> list[Path]:
    """The real saved feeds that parse into entries (brief's parser decides)."""
    from brief.collect.feeds import parse_feed

    found = []
    for folder in ("real-rss-parser", "real-netnewswire"):
        for path in sorted((FEEDS / folder).glob("*")):
            if path.name.startswith("LICENSE") or path.suffix in (".html", ".opml"):
                continue
            if parse_feed(path.read_bytes(), "http://bench.test/").entries:
                found.append(path)
    return found


_ID_RE = re.compile(rb"(https?://|tag:|urn:)")


def distinct_copies(paths: list[Path], count: int) -> list[tuple[bytes, str]]:
    """``count`` feed bodies, cycling over ``paths``; copy k rewrites every URL/id with "k."."""
    bodies = []
    for i in range(count):
        path = paths[i % len(paths)]
        body = path.read_bytes()
        copy = i // len(paths)
        if copy:
            body = _ID_RE.sub(lambda m, c=copy: m.group(1) + b"c%d." % c, body)
        kind = "application/feed+json" if path.suffix == ".json" else "application/xml"
        bodies.append((body, kind))
    return bodies


# --- measuring a child process -----------------------------------------------------------


def _tree_rss_kb(pgid: int) -> int:
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != pgid:  # field 5 of stat: process group
                continue
            with open(f"/proc/{entry}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_child(argv: list[str], env: dict[str, str], client: str, phase: str) -> Measure:
    """Run ``argv`` in its own process group; wall time and peak tree RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            stop.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    note = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
    return Measure(client, phase, seconds, peak / 1024, proc.returncode, note[0] if note else "")


def brief_runs(urls: list[str], work: Path, repeat: int) -> list[Measure]:
    """Cold and warm `brief fetch`, ``repeat`` times each from a fresh store."""
    config = work / "brief.toml"
    config.write_text(
        "[fetch]\nmin_interval_minutes = 0\n\n" + "".join(f'[[feeds]]\nurl = "{u}"\n\n' for u in urls),
        encoding="utf-8",
    )
    results = []
    for i in range(repeat):
        data = work / f"brief-data-{i}"
        env = dict(os.environ, BRIEF_CONFIG=str(config), BRIEF_DATA_DIR=str(data))
        env.pop("BRIEF_NOW", None)
        argv = [sys.executable, "-m", "brief", "fetch"]
        results.append(run_child(argv, env, "brief", "cold"))
        results.append(run_child(argv, env, "brief", "warm"))
    return results


def newsboat_runs(
    urls: list[str], work: Path, repeat: int, threads: list[int]
) -> tuple[list[Measure], int | None]:
    """Pick newsboat's best reload-threads (cold), then cold and warm runs with it."""
    exe = shutil.which("newsboat")
    if exe is None:
        print("newsboat not found: skipping its columns (apt-get install newsboat)", file=sys.stderr)
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
    results = []
    for i in range(repeat):
        cache = work / f"nb-{i}.db"
        results.append(run_child(argv(best, cache), env, "newsboat", "cold"))
        results.append(run_child(argv(best, cache), env, "newsboat", "warm"))
    return results, best


# --- main ----------------------------------------------------------------------------


def _median(results: list[Measure], client: str, phase: str) -> Measure | None:
    runs = [m for m in results if m.client == client and m.phase == phase]
    if not runs:
        return None
    seconds = statistics.median(m.seconds for m in runs)
    peak = statistics.median(m.peak_mb for m in runs)
    return Measure(client, phase, seconds, peak, max(m.exit_code for m in runs), runs[-1].note)


def main(argv: list[str] | None = None) -> int:
    """Serve the feeds, run both clients, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--feeds", type=int, default=200, help="number of feeds (default 200)")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds per response (0.05)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per client and phase (median)")
    parser.add_argument("--threads", default="4,8,16,32", help="newsboat reload-threads to try")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if not FEEDS.is_dir():
        print(f"reference feeds not found at {FEEDS}", file=sys.stderr)
        return 1

    paths = source_feeds()
    bodies = distinct_copies(paths, args.feeds)
    total = sum(len(b) for b, _ in bodies)
    with FeedServer() as server, tempfile.TemporaryDirectory(prefix="brief-bench-") as tmp:
        work = Path(tmp)
        urls = []
        for i, (body, kind) in enumerate(bodies):
            reply = Reply(
                body,
                content_type=kind,
                etag=f'"bench-{i}"',
                last_modified="Sat, 28 Nov 2026 06:00:00 GMT",
                delay=args.delay,
            )
            urls.append(server.add(f"/feed/{i}", reply))
        results = brief_runs(urls, work, args.repeat)
        threads = [int(n) for n in args.threads.split(",") if n.strip()]
        nb_results, best = newsboat_runs(urls, work, args.repeat, threads)
        results += nb_results
        requests = len(server.requests)

    summary = {
        "feeds": args.feeds,
        "distinct_source_files": len(paths),
        "megabytes": round(total / 1e6, 1),
        "delay_s": args.delay,
        "newsboat_threads": best,
        "requests": requests,
        "runs": [asdict(m) for m in results],
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"\n{args.feeds} feeds ({len(paths)} real files, {total / 1e6:.1f} MB), "
        f"{args.delay * 1000:.0f} ms per response, median of {args.repeat}"
        + (f"; newsboat reload-threads {best}" if best else "")
    )
    print(f"\n| {'phase':<5} | {'brief s':>8} | {'newsboat s':>10} | {'ratio':>6} | "
          f"{'brief MB':>8} | {'newsboat MB':>11} |")
    print(f"|{'-' * 7}|{'-' * 10}|{'-' * 12}|{'-' * 8}|{'-' * 10}|{'-' * 13}|")
    for phase in ("cold", "warm"):
        ours = _median(results, "brief", phase)
        theirs = _median(results, "newsboat", phase)
        if ours is None:
            continue
        nb_s = f"{theirs.seconds:10.2f}" if theirs else f"{'-':>10}"
        ratio = f"{ours.seconds / theirs.seconds:6.2f}" if theirs else f"{'-':>6}"
        nb_mb = f"{theirs.peak_mb:11.0f}" if theirs else f"{'-':>11}"
        print(f"| {phase:<5} | {ours.seconds:8.2f} | {nb_s} | {ratio} | {ours.peak_mb:8.0f} | {nb_mb} |")
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

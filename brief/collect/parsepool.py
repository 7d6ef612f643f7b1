"""Run ``parse_feed`` off the event loop: one thread, or a process pool when parsing is heavy."""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import threading
import time
from datetime import datetime

from brief.collect.parse import ParsedFeed, load_feedparser, parse_feed

# Parsing moves from a thread to a process pool when a run has this many feeds due and,
# judging by the feeds parsed so far (at least a tenth of them), this many CPU seconds of
# parsing still to come (a pool costs ~0.4 s of CPU per worker to start; light runs never
# pay it), and then only for bodies of at least PROCESS_POOL_MIN_BYTES (smaller ones cost
# less to parse than the trip to a worker and back).
PROCESS_POOL_MIN_FEEDS = 8
PROCESS_POOL_MIN_REMAINING_CPU = 1.5
PROCESS_POOL_MIN_BYTES = 8_000


def _parse_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> ParsedFeed:
    return parse_feed(body, url, headers, since=since)


def _timed_parse_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> tuple[ParsedFeed, float]:
    started = time.thread_time()
    parsed = _parse_job(body, url, headers, since)
    return parsed, time.thread_time() - started


def _warm_worker() -> None:
    """First job of a pool worker: import feedparser before real work arrives."""
    load_feedparser()


def _warm_parser(first_fetch: bool) -> None:
    """Import feedparser while the first responses are still on their way.

    On a first fetch of many feeds, also load the character-set detector
    feedparser falls back on for feeds that misdeclare their encoding: its
    first use costs about 80 ms, which would otherwise land mid-run.
    """
    feedparser = load_feedparser()
    detect = getattr(feedparser.encodings, "lazy_chardet_encoding", None)
    if first_fetch and callable(detect):
        detect("Últimas notícias".encode("latin-1"))


def _exit_with_parent(parent: int) -> None:
    """Pool-worker initializer: leave when brief goes (even by ``kill -9``), never linger."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="brief-parent-watch", daemon=True).start()


class Parsers:
    """Runs parse_feed off the event loop: in one thread, or in processes when parsing is heavy.

    A thread is enough while parsing is light (most refreshes: few changed
    feeds, old entries cut before feedparser sees them), and costs nothing to
    start.  One thread, not several: parsing holds the GIL, so more threads
    only take turns with the event loop downloading the other feeds.  When
    the work measured so far says more than PROCESS_POOL_MIN_REMAINING_CPU
    seconds of parsing remain (a first fetch of big feeds whose entries are
    all recent), a process pool starts, and large bodies go to it once its
    workers are up: feedparser is pure Python, and processes use every core.
    """

    def __init__(self, expected: int, workers: int | None = None) -> None:
        cpus = os.cpu_count() or 1
        self._workers = workers if workers is not None else min(cpus, 8)
        self._processes = expected >= PROCESS_POOL_MIN_FEEDS and self._workers > 1
        self._expected = expected
        self._thread = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="brief-parse"
        )
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._warming: list[concurrent.futures.Future[None]] = []
        self._broken = False
        self._parsed = 0
        self._cpu = 0.0

    def prepare(self, likely: int, first_fetch: int) -> None:
        """Warm the parse thread up when ``likely`` feeds will probably need parsing."""
        if likely:
            self._thread.submit(_warm_parser, first_fetch >= PROCESS_POOL_MIN_FEEDS)

    def _start(self) -> None:
        # spawn, never fork: the TUI runs threads, and forking those is unsafe.
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )
        # Start every worker now (interpreter, feedparser import), not on first use.
        self._warming = [self._pool.submit(_warm_worker) for _ in range(self._workers)]

    def _pool_ready(self) -> bool:
        if self._pool is None or self._broken:
            return False
        if not all(f.done() for f in self._warming):
            return False  # bodies meanwhile go to the thread rather than queue behind start-up
        if any(f.exception() is not None for f in self._warming):
            self._broken = True
            return False
        return True

    def _maybe_start(self) -> None:
        if not self._processes or self._pool is not None or self._broken:
            return
        if self._parsed < max(PROCESS_POOL_MIN_FEEDS, self._expected // 10):
            return  # too few feeds parsed yet to judge the rest by (sizes vary a lot)
        remaining = max(0, self._expected - self._parsed) * (self._cpu / self._parsed)
        if remaining >= PROCESS_POOL_MIN_REMAINING_CPU:
            try:
                self._start()
            except OSError:
                self._broken = True

    async def parse(
        self, body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
    ) -> ParsedFeed:
        """Parse one body in a worker (thread or process); never raises for bad input."""
        loop = asyncio.get_running_loop()
        if len(body) >= PROCESS_POOL_MIN_BYTES and self._pool_ready():
            assert self._pool is not None
            try:
                return await loop.run_in_executor(self._pool, _parse_job, body, url, headers, since)
            except (concurrent.futures.process.BrokenProcessPool, OSError):
                self._broken = True  # fall back to the thread for the rest of the run
        parsed, cpu = await loop.run_in_executor(
            self._thread, _timed_parse_job, body, url, headers, since
        )
        self._parsed += 1
        self._cpu += cpu
        self._maybe_start()
        return parsed

    def close(self) -> None:
        """Stop the parse thread and the pool's workers (if it was started)."""
        self._thread.shutdown(wait=True, cancel_futures=True)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

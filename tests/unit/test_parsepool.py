"""The parse worker process: same results as the thread, never a lost feed, never a stray process.

Every test runs real processes (fork and spawn); nothing of multiprocessing
or the pipes is mocked.  Jobs that misbehave on purpose are module-level
functions here, so a spawned worker can import them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import brief.collect.parsepool as parsepool
from brief.collect.fetch import fetch_feeds
from brief.collect.parse import FeedEntry, ParsedFeed, parse_feed
from brief.collect.parsepool import Parsers
from brief.config import Config, FeedConfig, FetchConfig, StoreConfig
from brief.models import Article, Enclosure, Link
from brief.store import open_store
from tests.httpserver import FeedServer, Item, Reply, rss

METHODS = ("fork", "spawn")
PARENT_ENV = "BRIEF_TEST_PARSEPOOL_PARENT"  # the test process's pid, for the jobs below


class _Unpicklable:
    def __reduce__(self) -> str:
        raise TypeError("this warning does not travel")


def _in_worker() -> bool:
    return str(os.getpid()) != os.environ[PARENT_ENV]


def stamping_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> ParsedFeed:
    """parse_feed, with the pid of the process that ran it in ``version``."""
    parsed = parse_feed(body, url, headers, since=since)
    return dataclasses.replace(parsed, version=f"{parsed.version} pid={os.getpid()}")


def unpicklable_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> ParsedFeed:
    """stamping_job, but a result for a URL with "unpicklable" in it cannot be pickled."""
    parsed = stamping_job(body, url, headers, since)
    if "unpicklable" in url:
        return dataclasses.replace(parsed, warnings=(*parsed.warnings, _Unpicklable()))  # type: ignore[arg-type]
    return parsed


def parking_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> ParsedFeed:
    """stamping_job, but in the worker a URL with "park" in it waits (to be killed meanwhile)."""
    if "park" in url and _in_worker():
        time.sleep(60)
    return stamping_job(body, url, headers, since)


def broken_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> ParsedFeed:
    """stamping_job in the thread; in the worker, the process dies on the spot."""
    if _in_worker():
        os._exit(3)
    return stamping_job(body, url, headers, since)


def homeless_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> ParsedFeed:
    """stamping_job, under a module name no worker can import (so it fails on start-up)."""
    return stamping_job(body, url, headers, since)


homeless_job.__module__ = "brief.no_such_module"


@pytest.fixture(autouse=True)
def parent_pid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PARENT_ENV, str(os.getpid()))


@pytest.fixture
def bodies(shared_data: Path) -> list[tuple[bytes, str]]:
    """Real saved feeds (fast path and feedparser alike), HTML pages, OPML files, an empty body."""
    feeds = shared_data / "feeds"
    paths = sorted((feeds / "real-netnewswire").iterdir()) + sorted(
        (feeds / "real-rss-parser").iterdir()
    )
    paths += sorted((feeds / "feedparser" / "illformed").rglob("*.xml"))[:30]
    found = [(p.read_bytes(), p.name) for p in paths if not p.name.startswith("LICENSE")]
    return [*found, (b"", "empty")]


def _pid(parsed: ParsedFeed) -> int:
    return int(parsed.version.rpartition("pid=")[2])


def _unstamped(parsed: ParsedFeed) -> ParsedFeed:
    return dataclasses.replace(parsed, version=parsed.version.rpartition(" pid=")[0])


_REFERENCE: dict[tuple[str, ...], list[ParsedFeed]] = {}


def _reference(bodies: list[tuple[bytes, str]]) -> list[ParsedFeed]:
    """What the thread gives for ``bodies`` (parse_feed in this process), computed once."""
    key = tuple(name for _, name in bodies)
    if key not in _REFERENCE:
        _REFERENCE[key] = [parse_feed(b, f"http://feeds.test/{n}", {}) for b, n in bodies]
    return _REFERENCE[key]


async def _parse_all(
    parsers: Parsers, bodies: list[tuple[bytes, str]], *, spaced: bool = False
) -> list[ParsedFeed]:
    """Every body through ``parsers`` at once (or one after another when ``spaced``)."""
    calls = [parsers.parse(body, f"http://feeds.test/{name}", {}) for body, name in bodies]
    if spaced:
        return [await call for call in calls]
    return list(await asyncio.gather(*calls))


async def _until_ready(parsers: Parsers) -> None:
    worker = parsers._worker
    assert worker is not None, "no worker was started"
    for _ in range(3000):
        if worker.ready.is_set():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the worker never came up")


def _exited(pid: int) -> bool:
    """True when process ``pid`` is no more (or only a zombie left to init)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")


def _reaped(pid: int) -> bool:
    """True when ``pid``, a child of this process, has been waited for (no zombie)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture
def started() -> Iterator[list[Parsers]]:
    """Parsers a test starts; whatever the test does, each is closed and its worker reaped."""
    made: list[Parsers] = []
    yield made
    for parsers in made:
        pid = parsers.worker_pid
        parsers.close()
        assert pid is None or _reaped(pid)


def _parsers(started: list[Parsers], **kw: object) -> Parsers:
    parsers = Parsers(**kw)  # type: ignore[arg-type]
    started.append(parsers)
    parsers.prepare(likely=parsepool.PROCESS_MIN_FEEDS, first_fetch=parsepool.PROCESS_MIN_FEEDS)
    return parsers


@pytest.mark.parametrize("method", METHODS)
def test_the_worker_gives_what_the_thread_gives(
    method: str, bodies: list[tuple[bytes, str]], started: list[Parsers]
) -> None:
    async def run() -> list[ParsedFeed]:
        parsers = _parsers(started, start=method)
        await _until_ready(parsers)
        return await _parse_all(parsers, bodies)

    assert asyncio.run(run()) == _reference(bodies)


@pytest.mark.parametrize("method", METHODS)
def test_once_up_the_worker_parses_every_body(
    method: str, bodies: list[tuple[bytes, str]], started: list[Parsers]
) -> None:
    async def run() -> tuple[list[ParsedFeed], int | None]:
        parsers = _parsers(started, start=method, job=stamping_job)
        await _until_ready(parsers)
        return await _parse_all(parsers, bodies), parsers.worker_pid

    parsed, worker = asyncio.run(run())
    assert worker is not None and worker != os.getpid()
    assert {_pid(p) for p in parsed} == {worker}
    assert [_unstamped(p) for p in parsed] == _reference(bodies)


def test_a_small_fetch_or_a_warm_one_starts_no_worker(started: list[Parsers]) -> None:
    few = Parsers()
    started.append(few)
    few.prepare(likely=parsepool.PROCESS_MIN_FEEDS - 1, first_fetch=parsepool.PROCESS_MIN_FEEDS - 1)
    warm = Parsers()
    started.append(warm)
    warm.prepare(likely=1000, first_fetch=0)  # many feeds without validators, none new
    assert few.worker_pid is None and warm.worker_pid is None


def test_auto_forks_only_while_brief_runs_one_thread(started: list[Parsers]) -> None:
    """Forking beside other threads (the TUI's) is unsafe: a fresh interpreter then."""

    def command_line(parsers: Parsers) -> bytes:
        assert parsers.worker_pid is not None
        return Path(f"/proc/{parsers.worker_pid}/cmdline").read_bytes()

    if parsepool._single_threaded():  # not so after a test that left a thread behind
        assert command_line(_parsers(started)) == Path("/proc/self/cmdline").read_bytes()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert b"brief.collect.parsepool" in command_line(_parsers(started))
    finally:
        stop.set()
        other.join()


def _marked(bodies: list[tuple[bytes, str]], at: int, prefix: str) -> list[tuple[bytes, str]]:
    """The bodies, the one at ``at`` renamed with ``prefix`` (which the test job acts on)."""
    return [(b, f"{prefix}{n}" if i == at else n) for i, (b, n) in enumerate(bodies)]


@pytest.mark.parametrize("method", METHODS)
def test_a_result_that_does_not_pickle_is_parsed_at_home(
    method: str, bodies: list[tuple[bytes, str]], started: list[Parsers]
) -> None:
    middle = len(bodies) // 2
    named = _marked(bodies, middle, "unpicklable-")

    async def run() -> tuple[list[ParsedFeed], int | None]:
        parsers = _parsers(started, start=method, job=unpicklable_job)
        await _until_ready(parsers)
        return await _parse_all(parsers, named, spaced=True), parsers.worker_pid

    parsed, worker = asyncio.run(run())
    pids = [_pid(p) for p in parsed]
    assert pids[middle] == os.getpid()
    assert set(pids[:middle] + pids[middle + 1 :]) == {worker}  # the worker goes on after it
    expected = _reference(named)
    assert [_unstamped(p) for i, p in enumerate(parsed) if i != middle] == [
        e for i, e in enumerate(expected) if i != middle
    ]
    assert _unstamped(parsed[middle]).entries == expected[middle].entries


@pytest.mark.parametrize("method", METHODS)
def test_a_worker_killed_mid_run_loses_no_feed(
    method: str, bodies: list[tuple[bytes, str]], started: list[Parsers]
) -> None:
    half = len(bodies) // 2
    named = _marked(bodies, half, "park-")

    async def run() -> tuple[list[ParsedFeed], int | None]:
        parsers = _parsers(started, start=method, job=parking_job)
        await _until_ready(parsers)
        first = await _parse_all(parsers, named[:half])
        parked = asyncio.ensure_future(_parse_all(parsers, named[half : half + 1]))
        await asyncio.sleep(0.2)
        assert not parked.done()
        assert parsers.worker_pid is not None
        os.kill(parsers.worker_pid, signal.SIGKILL)
        rest = await _parse_all(parsers, named[half + 1 :])
        return [*first, *await parked, *rest], parsers.worker_pid

    parsed, worker = asyncio.run(run())
    pids = [_pid(p) for p in parsed]
    assert set(pids[:half]) == {worker}
    assert set(pids[half:]) == {os.getpid()}  # the parked body, and all after it
    assert [_unstamped(p) for p in parsed] == _reference(named)


@pytest.mark.parametrize("method", METHODS)
def test_a_worker_that_dies_on_its_first_body_loses_none(
    method: str, bodies: list[tuple[bytes, str]], started: list[Parsers]
) -> None:
    async def run() -> list[ParsedFeed]:
        parsers = _parsers(started, start=method, job=broken_job)
        await _until_ready(parsers)
        return await _parse_all(parsers, bodies)

    parsed = asyncio.run(run())
    assert {_pid(p) for p in parsed} == {os.getpid()}
    assert [_unstamped(p) for p in parsed] == _reference(bodies)


def test_a_worker_that_cannot_start_leaves_parsing_to_the_thread(
    bodies: list[tuple[bytes, str]], started: list[Parsers], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def run() -> list[ParsedFeed]:
        parsers = _parsers(started, start="spawn")
        assert parsers.worker_pid is None
        return await _parse_all(parsers, bodies)

    monkeypatch.setattr(sys, "executable", "/nonexistent/python3")
    assert asyncio.run(run()) == _reference(bodies)


@pytest.mark.parametrize("method", METHODS)
def test_a_worker_that_fails_on_start_up_leaves_parsing_to_the_thread(
    method: str, bodies: list[tuple[bytes, str]], started: list[Parsers]
) -> None:
    async def run() -> list[ParsedFeed]:
        parsers = _parsers(started, start=method, job=homeless_job)
        worker = parsers._worker
        assert worker is not None
        await asyncio.to_thread(worker._receiver.join, 30)  # it exits before it is ready
        assert not worker.ready.is_set()
        return await _parse_all(parsers, bodies)

    parsed = asyncio.run(run())
    assert {_pid(p) for p in parsed} == {os.getpid()}
    assert [_unstamped(p) for p in parsed] == _reference(bodies)


@pytest.mark.parametrize("method", METHODS)
def test_close_after_a_deadline_stops_a_busy_worker_at_once(
    method: str, bodies: list[tuple[bytes, str]], started: list[Parsers]
) -> None:
    """A run deadline cancels the feeds still out: close() neither waits for them nor hangs."""

    async def run() -> Parsers:
        parsers = _parsers(started, start=method, job=parking_job)
        await _until_ready(parsers)
        body, name = bodies[0]
        parked = asyncio.ensure_future(parsers.parse(body, f"http://feeds.test/park-{name}", {}))
        queued = [asyncio.ensure_future(parsers.parse(b, n, {})) for b, n in bodies[1:]]
        await asyncio.sleep(0.2)
        for task in (parked, *queued):
            task.cancel()
        await asyncio.gather(parked, *queued, return_exceptions=True)
        return parsers

    parsers = asyncio.run(run())
    pid = parsers.worker_pid
    assert pid is not None
    started_at = time.monotonic()
    parsers.close()
    assert time.monotonic() - started_at < 30  # the parked job sleeps 60 s
    assert _reaped(pid)


@pytest.mark.parametrize("method", METHODS)
def test_ctrl_c_is_for_brief_not_for_the_worker(
    method: str, bodies: list[tuple[bytes, str]], started: list[Parsers]
) -> None:
    """The terminal sends SIGINT to the whole group: the worker leaves it to brief."""

    async def run() -> tuple[list[ParsedFeed], int | None]:
        parsers = _parsers(started, start=method, job=stamping_job)
        await _until_ready(parsers)
        assert parsers.worker_pid is not None
        os.kill(parsers.worker_pid, signal.SIGINT)
        await asyncio.sleep(0.2)
        return await _parse_all(parsers, bodies[:10]), parsers.worker_pid

    parsed, worker = asyncio.run(run())
    assert {_pid(p) for p in parsed} == {worker}


@pytest.mark.parametrize("method", METHODS)
def test_the_worker_never_outlives_brief_even_after_kill_9(method: str, tmp_path: Path) -> None:
    code = (
        "import asyncio, sys, time\n"
        "from brief.collect.parsepool import Parsers\n"
        f"parsers = Parsers(start={method!r})\n"
        "parsers.prepare(likely=1000, first_fetch=1000)\n"
        "while not parsers._worker.ready.wait(0.01): pass\n"
        "print(parsers.worker_pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    ) as brief:
        try:
            assert brief.stdout is not None
            worker = int(brief.stdout.readline())
            assert not _exited(worker)
        finally:
            brief.kill()
    for _ in range(1000):
        if _exited(worker):
            break
        time.sleep(0.01)
    assert _exited(worker)


def test_the_compact_pickles_rebuild_every_field() -> None:
    """Results travel as (class, field values): every field must be an __init__ argument."""
    for cls in (ParsedFeed, FeedEntry, Link, Enclosure):
        assert all(field.init for field in dataclasses.fields(cls)), cls


def test_a_big_first_fetch_stores_the_same_through_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fetch_feeds end to end: with the worker (this process has threads: spawned) as without."""
    now = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    workers: list[int | None] = []
    close = Parsers.close

    def recording_close(self: Parsers) -> None:
        workers.append(self.worker_pid)
        close(self)

    monkeypatch.setattr(Parsers, "close", recording_close)
    feeds = parsepool.PROCESS_MIN_FEEDS

    def first_fetch(server: FeedServer, store_path: Path) -> tuple[list[int], list[Article]]:
        urls = []
        for n in range(feeds):
            stories = [
                Item(f"Feed {n} story {i}", f"<p>Story {i} of feed {n}.</p>", guid=f"urn:{n}:{i}",
                     published=now - timedelta(hours=i + 1), link=f"https://news.test/{n}/{i}")
                for i in range(5)
            ]  # fmt: skip
            urls.append(server.add(f"/f{n}.rss", Reply(rss(f"Feed {n}", stories))))
        config = Config(
            feeds=tuple(FeedConfig(url=u) for u in urls),
            fetch=FetchConfig(timeout_seconds=10.0, min_interval_minutes=0),
            store=StoreConfig(retention_days=30),
        )
        with open_store(store_path) as store:
            report = fetch_feeds(config, store, now=now)
            stored = store.articles_between(now - timedelta(days=2), now)
        articles = sorted(stored, key=lambda a: a.id)  # the order of arrival varies
        return [o.added for o in report.outcomes], articles

    with FeedServer() as server:
        pooled = first_fetch(server, tmp_path / "pooled.sqlite3")
        monkeypatch.setattr(parsepool, "PROCESS_MIN_FEEDS", 10**9)
        threaded = first_fetch(server, tmp_path / "threaded.sqlite3")
    assert workers[0] is not None and _reaped(workers[0]) and workers[1] is None
    assert pooled == threaded and sum(pooled[0]) == 5 * len(pooled[0])

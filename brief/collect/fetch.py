"""Fetch the configured feeds into the store: the run loop, its schedule and each feed's state.

Per feed: ETag and Last-Modified make a refresh of an unchanged feed a 304
that costs no parsing; ``Retry-After`` on 429/503 and exponential back-off
after repeated failures decide when to try again; a minimum refresh interval
stops hammering.  Concurrency is bounded overall and per host.

Every failure becomes one line in the feed's health; nothing here raises for
a bad feed, so one broken subscription never stops the others.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import functools
import gc
import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from brief.collect.cleantext import ERROR_CHARS, clean_text, one_line
from brief.collect.http import Download, decode_html, download, make_clients
from brief.collect.parse import FeedEntry, entries_to_articles
from brief.collect.parsepool import Parsers
from brief.collect.stored import (
    collect_stored_feeds,
    feed_source_id,
    health_from_state,
    open_feed_store,
    source_with_title,
    stored_feed_articles,
)
from brief.config import Config, FeedConfig, FetchConfig
from brief.models import Article, Source, SourceHealth
from brief.store import FetchState, Store
from brief.wording import plural

if TYPE_CHECKING:
    import httpx

MAX_BACKOFF = timedelta(hours=24)
MIN_BACKOFF = timedelta(minutes=5)
FULL_TEXT_PER_FEED = 20
# The retention purge runs at most this often (it is bookkeeping, not news).
PURGE_INTERVAL = timedelta(days=1)

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What happened to one feed in one fetch run."""

    source: Source
    health: SourceHealth
    fetched: bool = False
    not_modified: bool = False
    skipped: str | None = None
    added: int = 0
    updated: int = 0
    discovered: tuple[str, ...] = ()
    late: bool = False  # not finished within the run deadline
    store_trouble: str | None = None  # the store failed under this feed (full, read-only...)


@dataclass(frozen=True, slots=True)
class FetchReport:
    """Every feed's outcome in one run, with totals."""

    outcomes: tuple[FeedOutcome, ...] = ()
    purged: int = 0

    @property
    def health(self) -> tuple[SourceHealth, ...]:
        """Each feed's health, in config order."""
        return tuple(o.health for o in self.outcomes)

    @property
    def added(self) -> int:
        """New articles stored."""
        return sum(o.added for o in self.outcomes)

    @property
    def failed(self) -> tuple[FeedOutcome, ...]:
        """Outcomes whose feed is in error."""
        return tuple(o for o in self.outcomes if o.health.error)

    def summary_line(self) -> str:
        """One line for logs: feeds fetched, unchanged, skipped, failed, new articles."""
        total = len(self.outcomes)
        fetched = sum(
            1 for o in self.outcomes if o.fetched and not o.health.error and not o.not_modified
        )
        unchanged = sum(1 for o in self.outcomes if o.not_modified)
        skipped = sum(1 for o in self.outcomes if o.skipped)
        parts = [plural(total, "feed"), f"{fetched} updated"]
        parts.append(f"{unchanged} unchanged")
        if skipped:
            parts.append(f"{skipped} not due")
        parts.append(f"{len(self.failed)} failed")
        late = sum(1 for o in self.outcomes if o.late)
        if late:
            parts.append(f"{late} late (run deadline)")
        line = ", ".join(parts) + f"; {plural(self.added, 'new article')}"
        if self.purged:
            line += f"; {self.purged} old purged"
        return line


ProgressCallback = Callable[[FeedOutcome, int, int], None]


def _backoff(failures: int, fetch: FetchConfig) -> timedelta | None:
    """How long to leave a feed alone after ``failures`` failures in a row."""
    if failures < 2:
        return None
    base = max(timedelta(minutes=fetch.min_interval_minutes), MIN_BACKOFF)
    delay: timedelta = min(base * (2 ** min(failures - 2, 20)), MAX_BACKOFF)
    return delay


def due(state: FetchState | None, fetch: FetchConfig, now: datetime) -> str | None:
    """None when the feed may be fetched now, else why not (one line)."""
    if state is None:
        return None
    if state.gone:
        return "gone"
    if state.not_before is not None and now < state.not_before:
        return f"waiting until {state.not_before:%Y-%m-%d %H:%M} UTC"
    interval = timedelta(minutes=fetch.min_interval_minutes)
    if (
        state.error is None
        and state.last_attempt is not None
        and interval
        and now - state.last_attempt < interval
    ):
        return f"fetched less than {fetch.min_interval_minutes} min ago"
    return None


class _Run:
    """One fetch run over many feeds, sharing clients, semaphores, parsers and the store."""

    def __init__(
        self,
        store: Store,
        fetch: FetchConfig,
        clients: Sequence[httpx.AsyncClient],
        parsers: Parsers,
        writer: concurrent.futures.Executor,
        *,
        now: datetime,
        keep_since: datetime | None,
    ) -> None:
        self.store = store
        self.writer = writer
        self.fetch = fetch
        self.clients = list(clients)
        self.busy = [0] * len(self.clients)  # requests in flight per client
        self.parsers = parsers
        self.now = now
        self.keep_since = keep_since
        self.overall = asyncio.Semaphore(fetch.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}

    async def stored(self, call: Callable[[], _T]) -> _T:
        """Run a store call in the store's thread: a slow disk never stalls the downloads."""
        return await asyncio.get_running_loop().run_in_executor(self.writer, call)

    def _host_gate(self, url: str) -> asyncio.Semaphore:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        gate = self.hosts.get(host)
        if gate is None:
            gate = self.hosts[host] = asyncio.Semaphore(self.fetch.per_host)
        return gate

    async def get(self, url: str, **kw: Any) -> Download:
        async with self.overall, self._host_gate(url):
            lane = min(range(len(self.clients)), key=self.busy.__getitem__)
            self.busy[lane] += 1
            try:
                return await download(self.clients[lane], url, self.fetch, now=self.now, **kw)
            finally:
                self.busy[lane] -= 1

    async def feed(
        self, feed: FeedConfig, source: Source, state: FetchState | None, force: bool
    ) -> FeedOutcome:
        if not force:
            reason = due(state, self.fetch, self.now)
            if reason is not None:
                return FeedOutcome(
                    source=source, health=health_from_state(source, state), skipped=reason
                )
        previous = state or FetchState(source_id=source.id)
        target = previous.final_url or feed.url
        got = await self.get(target, etag=previous.etag, last_modified=previous.last_modified)
        if got.error is not None or got.status is None:
            return await self._failed(source, previous, got, got.error or "no response")
        warnings: list[str] = []
        final_url = previous.final_url
        if got.moved_permanently and got.final_url and got.final_url != target:
            final_url = got.final_url
        if final_url and final_url != feed.url:
            warnings.append(f"moved permanently to {final_url}; update the feed URL")
        if got.status == 304:
            state = dataclasses.replace(
                previous,
                last_attempt=self.now,
                last_success=self.now,
                status=304,
                etag=got.headers.get("etag") or previous.etag,
                last_modified=got.headers.get("last-modified") or previous.last_modified,
                error=None,
                failures=0,
                not_before=None,
                final_url=final_url,
            )
            return await self._not_modified(source, state)
        body_hash = hashlib.sha256(got.body).hexdigest()
        if previous.body_hash == body_hash and previous.error is None and previous.last_success:
            # Same bytes as last time (a server without validators): nothing to parse.
            state = dataclasses.replace(
                previous,
                last_attempt=self.now,
                status=got.status,
                final_url=final_url,
                last_success=self.now,
                etag=got.headers.get("etag"),
                last_modified=got.headers.get("last-modified"),
                failures=0,
                not_before=None,
            )
            return await self._not_modified(source, state)
        parsed = await self.parsers.parse(
            got.body, got.final_url or target, dict(got.headers), self.keep_since
        )
        if not parsed.ok:
            return await self._failed(
                source, previous, got, parsed.error or "not a feed", discovered=parsed.discovered
            )
        entries = list(parsed.entries)
        articles = entries_to_articles(source, entries, fetched=self.now)
        update_text = True
        if feed.full_text:
            articles, full_warnings = await self._full_text(source, entries, articles)
            warnings.extend(full_warnings)
            update_text = False  # never overwrite a fetched full text with the teaser again
        warnings = list(parsed.warnings) + warnings
        state = FetchState(
            source_id=source.id,
            last_attempt=self.now,
            last_success=self.now,
            status=got.status,
            etag=got.headers.get("etag"),
            last_modified=got.headers.get("last-modified"),
            error=None,
            warnings=tuple(one_line(w) for w in warnings),
            failures=0,
            not_before=None,
            gone=False,
            final_url=final_url,
            article_count=parsed.entry_count,
            body_hash=body_hash,
            generation=previous.generation + 1,  # what this body carries is the feed now
        )
        result = await self.stored(
            lambda: self.store.upsert_articles(
                source,
                articles,
                fetched=self.now,
                state=state,
                title=parsed.title,
                update_text=update_text,
            )
        )
        if not feed.name and parsed.title:
            source = dataclasses.replace(source, name=parsed.title)
        return FeedOutcome(
            source=source,
            health=health_from_state(source, state),
            fetched=True,
            added=result.added,
            updated=result.updated,
        )

    async def _not_modified(self, source: Source, state: FetchState) -> FeedOutcome:
        """Nothing new to parse (a 304, or the same bytes again): only the feed's state is saved."""
        await self.stored(functools.partial(self.store.save_fetch_state, state))
        return FeedOutcome(
            source=source,
            health=health_from_state(source, state),
            fetched=True,
            not_modified=True,
        )

    async def failed_unexpectedly(
        self, source: Source, state: FetchState | None, error: str
    ) -> FeedOutcome:
        """The same book-keeping as any failure (count, back-off) for an unexpected error.

        When even saving that fails (the store is the trouble), the error is
        still reported for this run.
        """
        previous = state or FetchState(source_id=source.id)
        try:
            return await self._failed(source, previous, Download(url=source.location), error)
        except Exception:  # the store itself is failing: report without saving
            return FeedOutcome(source=source, health=SourceHealth(source=source, error=error))

    async def _failed(
        self,
        source: Source,
        previous: FetchState,
        got: Download,
        error: str,
        *,
        discovered: tuple[str, ...] = (),
    ) -> FeedOutcome:
        failures = previous.failures + 1
        not_before = None
        if got.retry_after is not None:
            not_before = self.now + min(got.retry_after, MAX_BACKOFF)
            error += f"; retrying after {not_before:%Y-%m-%d %H:%M:%S} UTC"
        else:
            delay = _backoff(failures, self.fetch)
            if delay is not None:
                not_before = self.now + delay
        state = dataclasses.replace(
            previous,
            last_attempt=self.now,
            status=got.status,
            error=one_line(error, ERROR_CHARS + 100),
            warnings=(),
            failures=failures,
            not_before=not_before,
            gone=got.status == 410,
        )
        await self.stored(functools.partial(self.store.save_fetch_state, state))
        return FeedOutcome(
            source=source,
            health=health_from_state(source, state),
            fetched=got.status is not None,
            discovered=discovered,
        )

    async def _full_text(
        self, source: Source, entries: list[FeedEntry], articles: list[Article]
    ) -> tuple[list[Article], list[str]]:
        """Replace teasers of new entries with the article page's main text."""
        known = await self.stored(lambda: self.store.existing_article_ids(source, articles))
        wanted = [
            i
            for i, (entry, article_id) in enumerate(zip(entries, known, strict=True))
            if article_id is None
            and entry.teaser
            and entry.url
            and entry.url.startswith(("http://", "https://"))
        ][:FULL_TEXT_PER_FEED]
        if not wanted:
            return articles, []
        pages = await asyncio.gather(*(self._page_text(entries[i].url or "") for i in wanted))
        failures = [error for _text, error in pages if error]
        result = list(articles)
        for i, (text, _error) in zip(wanted, pages, strict=True):
            if text and len(text) > len(articles[i].text):
                result[i] = dataclasses.replace(articles[i], text=text)
        warnings = []
        if failures:
            warnings.append(
                f"full text of {plural(len(failures), 'article')} not fetched ({failures[0]})"
            )
        return result, warnings

    async def _page_text(self, url: str) -> tuple[str, str | None]:
        got = await self.get(url, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        if got.error is not None:
            return "", got.error
        page = decode_html(got.body, got.headers.get("content-type", ""))
        text = await asyncio.to_thread(_page_main_text, page, got.final_url or url)
        return text, None if text else "no article text found on the page"


def _page_main_text(page: str, url: str) -> str:
    """An article page's main text (trafilatura), page furniture removed, within the body cap."""
    from brief.collect.extract import html_to_text, strip_furniture
    from brief.collect.parse import TEXT_MAX_CHARS, cap_chars

    return cap_chars(clean_text(strip_furniture(html_to_text(page, url))), TEXT_MAX_CHARS)


async def fetch_feeds_async(
    feeds: Sequence[FeedConfig],
    store: Store,
    fetch: FetchConfig,
    *,
    now: datetime,
    retention_days: int | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> FetchReport:
    """Fetch every feed concurrently into ``store``; return each one's outcome, in config order."""
    sources = [source_with_title(feed, store) for feed in feeds]
    # The store keeps the configured name ('' = use the feed's own title), not the display name.
    store.upsert_sources(
        dataclasses.replace(s, name=f.name) for f, s in zip(feeds, sources, strict=True)
    )
    states = store.fetch_states()
    keep_since = now - timedelta(days=retention_days) if retention_days else None
    due_states = [
        states.get(s.id) for s in sources if force or due(states.get(s.id), fetch, now) is None
    ]
    parsers = Parsers()
    # Feeds never fetched, or whose server gives no validators, will be parsed.
    parsers.prepare(
        likely=sum(1 for st in due_states if st is None or not (st.etag or st.last_modified)),
        first_fetch=sum(1 for st in due_states if st is None or not st.last_success),
    )
    done = 0
    # One thread for every store call of the run: writes queue there in order, off the loop.
    writer = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="brief-store")
    try:
        async with contextlib.AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(c) for c in make_clients(fetch)]
            run = _Run(store, fetch, clients, parsers, writer, now=now, keep_since=keep_since)

            async def one(feed: FeedConfig, source: Source) -> FeedOutcome:
                nonlocal done
                try:
                    outcome = await run.feed(feed, source, states.get(source.id), force)
                except Exception as exc:  # a bug or a store error for one feed: report, go on
                    error = f"internal error: {type(exc).__name__}: " + one_line(str(exc), 120)
                    outcome = await run.failed_unexpectedly(source, states.get(source.id), error)
                    if isinstance(exc, sqlite3.Error):
                        trouble = f"{type(exc).__name__}: {one_line(str(exc), 120)}"
                        outcome = dataclasses.replace(outcome, store_trouble=trouble)
                done += 1
                if progress is not None:
                    progress(outcome, done, len(sources))
                return outcome

            tasks = [asyncio.ensure_future(one(f, s)) for f, s in zip(feeds, sources, strict=True)]
            deadline = fetch.run_deadline_seconds or None
            await asyncio.wait(tasks, timeout=deadline)
            outcomes = [
                await _finished_or_late(task, source, fetch)
                for task, source in zip(tasks, sources, strict=True)
            ]
        # After every download, never inside one: a purge only frees space.
        purged = 0
        if keep_since is not None and purge_due(store.last_purge(), now):
            purged = await asyncio.get_running_loop().run_in_executor(
                writer, lambda: store.purge(keep_since, now=now)
            )
    finally:
        parsers.close()
        writer.shutdown(wait=True)
    return FetchReport(outcomes=tuple(outcomes), purged=purged)


async def _finished_or_late(
    task: asyncio.Future[FeedOutcome], source: Source, fetch: FetchConfig
) -> FeedOutcome:
    """The feed's outcome, or, past the run deadline, "late" (the task is cancelled).

    A late feed is not a failing feed: nothing is counted against it, and the
    next run fetches it again.
    """
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if task.cancelled():
        error = (
            f"late: not finished within the run deadline of {fetch.run_deadline_seconds:g} s "
            "([fetch] run_deadline_seconds); fetched again next run"
        )
        return FeedOutcome(
            source=source, health=SourceHealth(source=source, error=error), late=True
        )
    return task.result()


def purge_due(last: datetime | None, now: datetime) -> bool:
    """True when the retention purge has not run in the last PURGE_INTERVAL (or ran "later")."""
    return last is None or not (now - PURGE_INTERVAL < last <= now)


def fetch_feeds(
    config: Config,
    store: Store,
    *,
    now: datetime,
    force: bool = False,
    progress: ProgressCallback | None = None,
    feeds: Sequence[FeedConfig] | None = None,
) -> FetchReport:
    """Fetch the configured feeds (or ``feeds``) into the store; blocking, for CLI and workers."""
    with fewer_collections():
        return asyncio.run(
            fetch_feeds_async(
                config.feeds if feeds is None else feeds,
                store,
                config.fetch,
                now=now,
                retention_days=config.store.retention_days,
                force=force,
                progress=progress,
            )
        )


# Objects allocated between two young-generation collections during a fetch run.
FETCH_GC_THRESHOLD = 10_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run with the cyclic collector's young threshold raised to FETCH_GC_THRESHOLD.

    A first fetch allocates millions of short-lived dicts and strings (parsed
    entries) that reference counting frees; at Python's default of 700 the
    collector ran about 300 times during the 200-feed first fetch, 0.24 s,
    against about 75 times and 0.10 s at 10,000.  Nothing is freed later than
    a cycle would be anyway; the previous thresholds come back afterwards.
    """
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], FETCH_GC_THRESHOLD), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def collect_feeds(
    config: Config,
    *,
    now: datetime,
    start: datetime,
    end: datetime,
    fetch: bool = True,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> tuple[list[Article], list[SourceHealth]]:
    """The configured feeds' stored articles in ``[start, end)``, fetched first unless offline.

    Each feed's health counts its articles in the window.  When the store
    cannot be opened, every feed reports that (one line) and the run goes on
    with local sources only.
    """
    if not fetch:
        return collect_stored_feeds(config, start=start, end=end)
    if not config.feeds:
        return [], []
    store = open_feed_store(config)
    if isinstance(store, str):
        return collect_feeds_in_memory(config, config.feeds, store, now=now, start=start, end=end)
    with store:
        report = fetch_feeds(config, store, now=now, force=force, progress=progress)
        troubled = {o.source.id: o.store_trouble for o in report.outcomes if o.store_trouble}
        articles, health = stored_feed_articles(store, list(report.health), start=start, end=end)
    if troubled:
        # The store took no writes for these feeds: fetch them again into memory.
        again = [f for f in config.feeds if feed_source_id(f.url) in troubled]
        problem = "article store failed: " + next(iter(troubled.values()))
        extra, fresh = collect_feeds_in_memory(
            config, again, problem, now=now, start=start, end=end
        )
        by_id = {h.source.id: h for h in fresh}
        seen = {a.id for a in articles}
        articles = [*articles, *(a for a in extra if a.id not in seen)]
        health = [by_id.get(h.source.id, h) for h in health]
    return articles, health


def collect_feeds_in_memory(
    config: Config,
    feeds: Sequence[FeedConfig],
    problem: str,
    *,
    now: datetime,
    start: datetime,
    end: datetime,
) -> tuple[list[Article], list[SourceHealth]]:
    """Fetch ``feeds`` into a store in memory, for a run whose store file failed (``problem``).

    The briefing gets what arrived; each feed's health says the store failed
    and that nothing was saved (so the next run fetches it again).
    """
    from brief.store import open_memory_store

    note = f"{problem}; fetched into memory for this briefing only (nothing saved)"
    with open_memory_store() as memory:
        report = fetch_feeds(config, memory, now=now, force=True, feeds=feeds)
        articles = memory.articles_between(
            start, end, source_ids=[o.source.id for o in report.outcomes]
        )
        counts = memory.counts_between(start, end)
    health = [
        dataclasses.replace(
            o.health,
            article_count=counts.get(o.source.id, 0),
            warnings=(*o.health.warnings, note),
        )
        for o in report.outcomes
    ]
    return articles, health

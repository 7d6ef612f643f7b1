"""Fetching from a real server on 127.0.0.1: conditional GET, politeness, dedupe, full text."""

from __future__ import annotations

import dataclasses
import gc
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import brief.collect.fetch as fetch_module
import brief.collect.http as http_module
import brief.collect.parsepool as parsepool
from brief.collect.fetch import FetchReport, fetch_feeds
from brief.collect.probe import probe_feed
from brief.collect.stored import feed_source_id
from brief.config import Config, FeedConfig, FetchConfig, StoreConfig
from brief.store import Store, open_store
from tests.httpserver import FeedServer, Item, Reply, _Handler, json_feed, rss

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
LONG = " ".join(["This paragraph is part of a long article body about the summit."] * 12)


def items(prefix: str, n: int = 3, **kw: Any) -> list[Item]:
    return [
        Item(
            f"{prefix} story {i}",
            f"<p>{prefix} body {i}. {LONG}</p>",
            link=f"https://news.test/{prefix}/{i}",
            guid=f"urn:{prefix}:{i}",
            published=NOW - timedelta(hours=i + 1),
            **kw,
        )
        for i in range(n)
    ]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "store.sqlite3") as s:
        yield s


def make_config(*feeds: FeedConfig, **fetch: Any) -> Config:
    settings = {"timeout_seconds": 5.0, "min_interval_minutes": 0, **fetch}
    return Config(feeds=feeds, fetch=FetchConfig(**settings), store=StoreConfig(retention_days=30))


def run(config: Config, store: Store, *, now: datetime = NOW, force: bool = False) -> FetchReport:
    return fetch_feeds(config, store, now=now, force=force)


@pytest.fixture
def parse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every body brief parses (small runs parse in threads, so the patch applies)."""
    calls: list[str] = []
    original = parsepool._parse_job

    def counting(body: bytes, url: str, headers: dict[str, str], since: Any = None) -> Any:
        calls.append(url)
        return original(body, url, headers, since)

    monkeypatch.setattr(parsepool, "_parse_job", counting)
    return calls


def test_cold_then_warm_refresh_is_conditional_and_parses_nothing(
    server: FeedServer, store: Store, parse_calls: list[str]
) -> None:
    lm = "Sat, 28 Nov 2026 06:00:00 GMT"
    a = server.add("/a.rss", Reply(rss("Alpha", items("alpha")), etag='"a1"'))
    b = server.add("/b.json", Reply(json_feed("Beta", items("beta")), last_modified=lm))
    # No validators at all: brief notices the bytes did not change.
    c = server.add("/c.rss", Reply(rss("Gamma", items("gamma"))))
    config = make_config(FeedConfig(url=a), FeedConfig(url=b), FeedConfig(url=c, name="Mine"))

    cold = run(config, store)
    assert [o.added for o in cold.outcomes] == [3, 3, 3]
    assert all(o.health.ok and o.health.status == 200 for o in cold.outcomes)
    assert [o.source.name for o in cold.outcomes] == ["Alpha", "Beta", "Mine"]
    assert len(parse_calls) == 3
    assert store.article_count() == 9

    warm = run(config, store, now=NOW + timedelta(minutes=1))
    assert [o.not_modified for o in warm.outcomes] == [True, True, True]
    assert [o.health.status for o in warm.outcomes] == [304, 304, 200]
    assert len(parse_calls) == 3  # nothing re-parsed
    assert server.requests_for("/a.rss")[-1].headers["if-none-match"] == '"a1"'
    assert server.requests_for("/b.json")[-1].headers["if-modified-since"] == lm
    assert warm.summary_line() == "3 feeds, 0 updated, 3 unchanged, 0 failed; 0 new articles"
    state = store.fetch_state(feed_source_id(a))
    assert state is not None and state.last_success == NOW + timedelta(minutes=1)


def test_requests_carry_one_user_agent_and_our_encodings(server: FeedServer, store: Store) -> None:
    url = server.add("/f", Reply(rss("F", items("f", 1)), gzip=True))
    report = run(make_config(FeedConfig(url=url), user_agent="brief-test/9 (+tests)"), store)
    assert report.outcomes[0].added == 1  # the gzip body was decoded
    [request] = server.requests_for("/f")
    assert request.headers["user-agent"] == "brief-test/9 (+tests)"
    assert request.headers["accept-encoding"] == "gzip, deflate"
    assert "application/rss+xml" in request.headers["accept"]


def test_min_interval_skips_until_due_or_forced(server: FeedServer, store: Store) -> None:
    url = server.add("/f", Reply(rss("F", items("f", 1)), etag='"1"'))
    config = make_config(FeedConfig(url=url), min_interval_minutes=30)
    run(config, store)
    again = run(config, store, now=NOW + timedelta(minutes=10))
    assert again.outcomes[0].skipped == "fetched less than 30 min ago"
    assert again.outcomes[0].health.ok
    assert len(server.requests_for("/f")) == 1
    run(config, store, now=NOW + timedelta(minutes=10), force=True)
    run(config, store, now=NOW + timedelta(minutes=41))
    assert len(server.requests_for("/f")) == 3


def test_429_retry_after_is_honoured(server: FeedServer, store: Store) -> None:
    url = server.add("/busy", Reply(b"slow down", status=429, headers={"Retry-After": "120"}))
    config = make_config(FeedConfig(url=url))
    first = run(config, store).outcomes[0]
    assert first.health.error == (
        "HTTP 429 Too Many Requests; retrying after 2026-11-28 07:02:00 UTC"
    )
    second = run(config, store, now=NOW + timedelta(seconds=60)).outcomes[0]
    assert second.skipped == "waiting until 2026-11-28 07:02 UTC"
    assert second.health.error == first.health.error  # the reason stays visible
    assert len(server.requests_for("/busy")) == 1
    run(config, store, now=NOW + timedelta(seconds=121))
    assert len(server.requests_for("/busy")) == 2


def test_repeated_failures_back_off(server: FeedServer, store: Store) -> None:
    url = server.add("/err", Reply(b"oops", status=500, content_type="text/plain"))
    config = make_config(FeedConfig(url=url), min_interval_minutes=10)
    run(config, store)
    state = store.fetch_state(feed_source_id(url))
    assert state is not None and state.failures == 1 and state.not_before is None
    run(config, store, now=NOW + timedelta(minutes=1))
    state = store.fetch_state(feed_source_id(url))
    assert state is not None and state.failures == 2
    assert state.not_before == NOW + timedelta(minutes=11)
    run(config, store, now=NOW + timedelta(minutes=12))
    state = store.fetch_state(feed_source_id(url))
    assert state is not None and state.failures == 3
    assert state.not_before == NOW + timedelta(minutes=32)
    # Recovery resets the count.
    server.add("/err", Reply(rss("ok", items("ok", 1))))
    run(config, store, now=NOW + timedelta(hours=1))
    state = store.fetch_state(feed_source_id(url))
    assert state is not None and (state.failures, state.error, state.not_before) == (0, None, None)


def test_410_marks_the_feed_gone(server: FeedServer, store: Store) -> None:
    url = server.add("/gone", Reply(b"", status=410, content_type=None))
    config = make_config(FeedConfig(url=url))
    first = run(config, store).outcomes[0]
    assert first.health.error is not None and first.health.error.startswith("HTTP 410 Gone")
    later = run(config, store, now=NOW + timedelta(days=1)).outcomes[0]
    assert later.skipped == "gone" and later.health.error == first.health.error
    assert len(server.requests_for("/gone")) == 1


def test_permanent_redirect_is_remembered(server: FeedServer, store: Store) -> None:
    new = server.add("/new.rss", Reply(rss("Moved", items("m", 1)), etag='"m"'))
    old = server.add("/old.rss", Reply(b"", status=301, headers={"Location": new}))
    config = make_config(FeedConfig(url=old))
    outcome = run(config, store).outcomes[0]
    assert outcome.added == 1
    assert outcome.health.warnings == (f"moved permanently to {new}; update the feed URL",)
    run(config, store, now=NOW + timedelta(hours=1))
    assert len(server.requests_for("/old.rss")) == 1
    assert server.requests_for("/new.rss")[-1].headers["if-none-match"] == '"m"'


def test_the_same_story_in_two_feeds_is_stored_once(server: FeedServer, store: Store) -> None:
    story = Item("Summit", f"<p>{LONG}</p>", link="https://wire.test/summit?utm_source=a")
    copy = dataclasses.replace(story, link="https://wire.test/summit?utm_medium=rss&utm_source=b")
    a = server.add("/a", Reply(rss("Wire A", [story])))
    b = server.add("/b", Reply(rss("Wire B", [copy])))
    report = run(make_config(FeedConfig(url=a), FeedConfig(url=b)), store)
    assert sorted(o.added for o in report.outcomes) == [0, 1]
    [article] = store.articles_between(NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert article.also_in in (("Wire A",), ("Wire B",))


def test_entries_older_than_retention_are_not_stored(server: FeedServer, store: Store) -> None:
    old = Item("Ancient", "Old news.", guid="urn:old", published=NOW - timedelta(days=90))
    url = server.add("/f", Reply(rss("F", [old, *items("new", 1)])))
    report = run(make_config(FeedConfig(url=url)), store)
    assert report.outcomes[0].added == 1
    assert report.outcomes[0].health.article_count == 2  # entries in the feed


def test_full_text_replaces_teasers_once(server: FeedServer, store: Store) -> None:
    page = (
        "<html><head><title>Page</title></head><body><nav>Home | World</nav><article>"
        "<h1>Summit talks</h1>"
        + "".join(
            f"<p>Paragraph {i} of the full article, with enough words to count.</p>"
            for i in range(12)
        )
        + "</article><footer>Copyright</footer></body></html>"
    ).encode()
    article_url = server.add("/story.html", Reply(page, content_type="text/html; charset=utf-8"))
    teaser = Item("Summit talks", "Leaders met… Read more", link=article_url, guid="urn:t:1")
    url = server.add("/teasers", Reply(rss("Teasers", [teaser])))
    config = make_config(FeedConfig(url=url, full_text=True))
    run(config, store)
    [article] = store.articles_between(NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert "Paragraph 11 of the full article" in article.text
    assert "Home | World" not in article.text
    run(config, store, now=NOW + timedelta(hours=1))
    assert len(server.requests_for("/story.html")) == 1  # not fetched again
    [again] = store.articles_between(NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert again.text == article.text  # and never overwritten by the teaser


def test_full_text_failure_is_a_warning(server: FeedServer, store: Store) -> None:
    teaser = Item("T", "Short teaser…", link=server.url("/missing"), guid="urn:t:2")
    url = server.add("/teasers", Reply(rss("Teasers", [teaser])))
    outcome = run(make_config(FeedConfig(url=url, full_text=True)), store).outcomes[0]
    assert outcome.health.ok and outcome.added == 1
    assert outcome.health.warnings == ("full text of 1 article not fetched (HTTP 404 Not Found)",)


def test_per_host_concurrency_is_bounded(server: FeedServer, store: Store) -> None:
    active = 0
    peak = 0
    lock = threading.Lock()
    body = rss("Slow", items("s", 1))

    def slow(handler: _Handler, srv: FeedServer) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.2)
        with lock:
            active -= 1
        handler._send(Reply(body))

    urls = [server.add(f"/slow{i}", slow) for i in range(6)]
    config = make_config(*(FeedConfig(url=u) for u in urls), per_host=2, concurrency=8)
    report = run(config, store)
    assert all(o.health.ok for o in report.outcomes)
    assert peak == 2


def test_proxy_comes_from_the_environment(
    server: FeedServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The local server plays the proxy: it receives the absolute URL of a host
    # that does not exist, which only a proxied request can reach.
    feed_url = "http://feeds.invalid/world.rss"
    server.add(feed_url, Reply(rss("Via proxy", items("p", 1))))
    monkeypatch.setenv("HTTP_PROXY", server.url(""))
    report = run(make_config(FeedConfig(url=feed_url)), store)
    assert report.outcomes[0].added == 1, report.outcomes[0].health.error
    assert server.requests_for(feed_url)


def test_probe_follows_a_web_pages_feed_link(server: FeedServer) -> None:
    feed = server.add("/feed.xml", Reply(rss("Found", items("x", 2))))
    link = f'<link rel="alternate" type="application/rss+xml" href="{feed}">'
    page = f"<html><head>{link}</head></html>"
    home = server.add("/", Reply(page.encode(), content_type="text/html"))
    probe = probe_feed(home, FetchConfig(timeout_seconds=5))
    assert (probe.url, probe.title, probe.entries, probe.error) == (feed, "Found", 2, None)
    bad = probe_feed(server.url("/nothing"), FetchConfig(timeout_seconds=5))
    assert bad.error == "HTTP 404 Not Found"


def test_concurrency_beyond_one_client_is_spread_over_several(
    server: FeedServer, store: Store
) -> None:
    # httpcore's pool costs grow with its size, so brief caps each client at
    # CLIENT_CONNECTIONS and opens more clients: together they still honour
    # `concurrency` exactly.
    assert http_module.CLIENT_CONNECTIONS == 2
    lanes = [http_module.client_lanes(n) for n in (1, 2, 4, 9, 12, 16)]
    assert lanes == [(1, 1), (1, 2), (2, 2), (5, 2), (6, 2), (8, 2)]
    active = peak = 0
    lock = threading.Lock()
    body = rss("Slow", items("s", 1))

    def slow(handler: _Handler, srv: FeedServer) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.3)
        with lock:
            active -= 1
        handler._send(Reply(body))

    urls = [server.add(f"/slow{i}", slow) for i in range(14)]
    config = make_config(*(FeedConfig(url=u) for u in urls), per_host=12, concurrency=12)
    report = run(config, store)
    assert all(o.health.ok for o in report.outcomes)
    assert peak == 12


def test_a_warm_refresh_reuses_connections(server: FeedServer, store: Store) -> None:
    ports: list[int] = []
    lock = threading.Lock()

    def recording(reply: Reply) -> Any:
        def serve(handler: _Handler, srv: FeedServer) -> None:
            with lock:
                ports.append(handler.client_address[1])
            handler._send(reply)

        return serve

    urls = [
        server.add(f"/f{i}", recording(Reply(rss(f"F{i}", items(f"f{i}", 1)), etag=f'"{i}"')))
        for i in range(6)
    ]
    config = make_config(*(FeedConfig(url=u) for u in urls), concurrency=1, per_host=1)
    run(config, store)
    ports.clear()
    warm = run(config, store, now=NOW + timedelta(minutes=1))
    assert all(o.not_modified for o in warm.outcomes)
    assert len(ports) == 6
    assert len(set(ports)) == 1  # one connection served every 304


def test_parsing_runs_in_one_thread_and_starts_no_processes(
    server: FeedServer, store: Store
) -> None:
    """A first fetch of under PROCESS_MIN_FEEDS feeds parses in the parse thread: no process."""
    import multiprocessing
    import threading

    seen: set[str] = set()
    real = parsepool._parse_job

    def recording(body: bytes, url: str, headers: dict[str, str], since: Any = None) -> Any:
        seen.add(threading.current_thread().name)
        return real(body, url, headers, since)

    urls = [server.add(f"/f{i}", Reply(rss(f"F{i}", items(f"f{i}", 2)))) for i in range(12)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parsepool, "_parse_job", recording)
        report = run(make_config(*(FeedConfig(url=u) for u in urls)), store)
    assert report.added == 24 and not report.failed
    assert len(seen) == 1 and next(iter(seen)).startswith("brief-parse")
    assert not multiprocessing.active_children()


def test_store_calls_of_a_run_leave_the_event_loop_thread(
    server: FeedServer, tmp_path: Path
) -> None:
    """Writes happen in the store's thread, so a slow disk never stalls a download."""
    threads: list[str] = []

    class Recording(Store):
        def save_fetch_state(self, state: Any) -> None:
            threads.append(threading.current_thread().name)
            super().save_fetch_state(state)

        def upsert_articles(self, *args: Any, **kw: Any) -> Any:
            threads.append(threading.current_thread().name)
            return super().upsert_articles(*args, **kw)

    opened = open_store(tmp_path / "rec.sqlite3")
    store = Recording(opened._db, opened.path)
    a = server.add("/a.rss", Reply(rss("Alpha", items("alpha")), etag='"a1"'))
    bad = server.add("/missing.rss", Reply(b"", status=500))
    config = make_config(FeedConfig(url=a), FeedConfig(url=bad))
    try:
        run(config, store)
        run(config, store, now=NOW + timedelta(minutes=1))  # a 304 and a failure again
    finally:
        store.close()
    assert len(threads) == 4
    assert threading.current_thread().name not in threads
    assert all(name.startswith("brief-store") for name in threads), threads


def test_the_purge_runs_at_most_once_a_day(server: FeedServer, store: Store) -> None:
    a = server.add("/a.rss", Reply(rss("Alpha", items("alpha")), etag='"a1"'))
    config = make_config(FeedConfig(url=a))
    run(config, store)
    assert store.last_purge() == NOW
    run(config, store, now=NOW + timedelta(hours=23))
    assert store.last_purge() == NOW  # not again the same day
    run(config, store, now=NOW + timedelta(hours=25))
    assert store.last_purge() == NOW + timedelta(hours=25)


def test_a_run_collects_garbage_less_often_and_restores_the_collector(
    server: FeedServer, store: Store
) -> None:
    url = server.add("/gc", Reply(rss("GC", items("g", 2))))
    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    report = fetch_feeds(
        make_config(FeedConfig(url=url)),
        store,
        now=NOW,
        progress=lambda *_: during.append(gc.get_threshold()),
    )
    assert report.added == 2
    assert during == [(max(before[0], fetch_module.FETCH_GC_THRESHOLD), *before[1:])]
    assert gc.get_threshold() == before

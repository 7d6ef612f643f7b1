"""Reload that reloads: a key press fetches now, one refresh at a time, skipped feeds say why."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.config import Config, FeedConfig, SourcesConfig, parse_config
from brief.errors import BriefError
from brief.tui.app import BriefApp
from tests.httpserver import FeedServer, Item, Reply, rss
from tests.tui.conftest import notices, settle

FEED = rss(
    "Harbour Times",
    [
        Item(
            "Ferry strike called off",
            "<p>The ferry crews accepted a new pay offer on Friday night.</p>",
            link="https://harbour.example/ferry",
            guid="ferry-1",
            published=datetime(2026, 11, 28, 6, 30, tzinfo=UTC),
        )
    ],
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.add("/feed.xml", Reply(FEED, delay=0.3))  # slow enough to press r twice
        yield running


@pytest.fixture
def feed_app(config: Config, server: FeedServer) -> BriefApp:
    feeds = (FeedConfig(url=server.url("/feed.xml")),)
    return BriefApp(
        config=dataclasses.replace(config, sources=SourcesConfig(local=()), feeds=feeds)
    )


@pytest.mark.asyncio
async def test_r_right_after_a_fetch_fetches_again(feed_app: BriefApp, server: FeedServer) -> None:
    async with feed_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(server.requests) == 1 and "collected" in feed_app.status
        await pilot.press("r")
        await settle(pilot)
        assert len(server.requests) == 2  # the refresh interval is for cron, not a person
        assert "1 article from 1 source · collected" in feed_app.status


@pytest.mark.asyncio
async def test_a_second_refresh_joins_the_running_one(
    feed_app: BriefApp, server: FeedServer
) -> None:
    async with feed_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert feed_app.refreshing
        await pilot.press("r", "r")
        await settle(pilot)
        assert len(server.requests) == 2  # the start's fetch and one refresh, not three
        assert any("already running" in n for n in notices(feed_app))
        assert "failed" not in feed_app.status


@pytest.mark.asyncio
async def test_auto_refresh_keeps_the_interval_and_says_why_it_skipped(
    feed_app: BriefApp, server: FeedServer
) -> None:
    async with feed_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        feed_app.refresh_sources(force=False)  # what the auto-refresh timer does
        await settle(pilot)
        assert len(server.requests) == 1
        assert "not fetched (fetched less than 15 min ago)" in feed_app.status


def test_auto_refresh_minutes_is_validated() -> None:
    text = "[tui]\nauto_refresh_minutes = -1\n"
    with pytest.raises(BriefError, match="auto_refresh_minutes"):
        parse_config(text, Path("config.toml"))


@pytest.mark.asyncio
async def test_refreshing_one_feed_fetches_it_alone_and_joins_a_running_refresh(
    config: Config, server: FeedServer
) -> None:
    server.add("/other.xml", Reply(FEED.replace(b"Harbour Times", b"Other Times"), delay=0.3))
    feeds = (FeedConfig(url=server.url("/feed.xml")), FeedConfig(url=server.url("/other.xml")))
    app = BriefApp(config=dataclasses.replace(config, sources=SourcesConfig(local=()), feeds=feeds))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(server.requests) == 2
        await pilot.press("4")  # Sources; the cursor is on the first feed
        await settle(pilot)
        first = app.screen.highlighted_source  # type: ignore[attr-defined]
        assert first is not None
        path = "/feed.xml" if first.source.location.endswith("/feed.xml") else "/other.xml"
        await pilot.press("r")
        await pilot.pause()
        assert app.refreshing  # on the one refresh thread, not a worker beside it
        await pilot.press("r", "R")  # both join the running fetch
        await settle(pilot)
        assert len(server.requests) == 3, [r.path for r in server.requests]
        assert len(server.requests_for(path)) == 2  # that feed only, once more
        assert any("already running" in n for n in notices(app))
        assert any("1 feed" in n for n in notices(app))  # the one-feed outcome is shown
        assert "failed" not in app.status and "collected" in app.status


def test_an_item_published_during_the_refresh_is_in_todays_list(
    config: Config, server: FeedServer
) -> None:
    from datetime import timedelta

    from brief.tui import jobs

    started = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    during = rss(
        "Harbour Times",
        [
            Item(
                "Breaking: the bridge reopens",
                "<p>The bridge reopened while the feeds were being fetched.</p>",
                link="https://harbour.example/bridge",
                guid="bridge-1",
                published=started + timedelta(seconds=20),
            )
        ],
    )
    server.add("/during.xml", Reply(during))
    feeds = (FeedConfig(url=server.url("/during.xml")),)
    config = dataclasses.replace(config, sources=SourcesConfig(local=()), feeds=feeds)
    finished = started + timedelta(seconds=45)
    found = jobs.collect(config, started, force=True, clock=lambda: finished)
    assert [a.title for a in found.articles] == ["Breaking: the bridge reopens"]
    # Without the clock the window ended when the refresh began: the item was left out.
    assert jobs.collect(config, started, fetch=False).articles == ()

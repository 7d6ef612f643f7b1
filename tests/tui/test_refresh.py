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

"""Pilot tests of the Sources screen against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from brief import paths
from brief.config import Config, FeedConfig, load_config
from brief.tui.app import BriefApp
from brief.tui.screens.dialogs import ChoiceDialog, PromptDialog
from brief.tui.screens.sources import SourcesScreen
from brief.tui.widgets.article_list import ArticleList
from tests.httpserver import FeedServer, Item, Reply, rss
from tests.tui.conftest import notices, screen_text, settle

pytestmark = pytest.mark.asyncio

FEED = rss(
    "Harbour Times",
    [
        Item(
            "Ferry strike called off",
            "<p>The ferry crews accepted a new pay offer on Friday night.</p>"
            "<p>Sailings to the islands resume on Saturday morning.</p>",
            link="https://harbour.example/ferry",
            guid="ferry-1",
            published=datetime(2026, 11, 28, 6, 30, tzinfo=UTC),
        )
    ],
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.add("/feed.xml", Reply(FEED))
        running.add("/missing.xml", Reply(b"not here", status=404, content_type="text/plain"))
        running.add(
            "/page.html",
            Reply(b"<html><body><p>No feed here</p></body></html>", content_type="text/html"),
        )
        yield running


async def add_feed(pilot, url: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("4")
    await settle(pilot)
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PromptDialog)
    # Set the field rather than type it: typing is tested elsewhere and costs a frame a key.
    pilot.app.screen.query_one(Input).value = url
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize(("path", "reason"), [("/missing.xml", "404"), ("/page.html", "")])
async def test_adding_a_feed_that_fails_reports_it_and_keeps_running(
    config: Config, server: FeedServer, path: str, reason: str
) -> None:
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await add_feed(pilot, server.url(path))
        errors = [n for n in notices(app) if n.startswith("error")]
        assert errors, notices(app)
        assert "Source change failed" in errors[-1] and server.url(path) in errors[-1]
        assert reason in errors[-1]
        assert app.is_running
        assert not paths.config_file().exists()  # nothing subscribed
        assert app.config.feeds == ()
        await pilot.press("1")  # the app still works
        await settle(pilot)
        assert app.screen.query_one(ArticleList).row_count == 3


async def test_adding_a_feed_subscribes_collects_and_lists_its_articles(
    config: Config, server: FeedServer
) -> None:
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        url = server.url("/feed.xml")
        await add_feed(pilot, url)
        assert [f.url for f in load_config(paths.config_file()).feeds] == [url]
        assert any("Subscribed: Harbour Times (1 entry)" in n for n in notices(app))
        assert isinstance(app.screen, SourcesScreen)
        text = screen_text(app)
        assert "Harbour Times" in text
        health = app.desk.source_health(f"feed:{url}")
        assert health is not None and health.ok and health.article_count == 1
        await pilot.press("1")
        await settle(pilot)
        titles = [app.desk.article(i).title for i in app.screen.query_one(ArticleList).article_ids]  # type: ignore[union-attr]
        assert "Ferry strike called off" in titles
        # Search goes through the store's full-text index (and still finds local files).
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "sailings"
        await pilot.press("enter")
        await settle(pilot)
        found = app.screen.query_one(ArticleList).article_ids
        assert [app.desk.article(i).title for i in found] == ["Ferry strike called off"]  # type: ignore[union-attr]
        assert app.screen.found is not None  # type: ignore[attr-defined]


async def test_removing_a_source_asks_and_updates_the_config(
    config: Config, server: FeedServer
) -> None:
    url = server.url("/feed.xml")
    config = dataclasses.replace(config, feeds=(FeedConfig(url=url),))
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        table.move_cursor(row=1)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert load_config(paths.config_file()).feeds == ()
        assert app.screen.query_one(DataTable).row_count == 1


async def test_opml_export_then_import(config: Config, server: FeedServer, tmp_path: Path) -> None:
    url = server.url("/feed.xml")
    config = dataclasses.replace(
        config, feeds=(FeedConfig(url=url, name="Harbour", tags=("local",)),)
    )
    app = BriefApp(config=config)
    target = tmp_path / "mine.opml"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        dialog.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        text = target.read_text(encoding="utf-8")
        assert url in text and 'text="Harbour"' in text and "local" in text
        assert any(f"Wrote 1 feed to {target}" in n for n in notices(app))

    fresh = BriefApp(config=dataclasses.replace(config, feeds=()))
    async with fresh.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        app_screen = fresh.screen
        assert isinstance(app_screen, PromptDialog)
        app_screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        feeds = load_config(paths.config_file()).feeds
        assert [(f.url, f.name, f.tags) for f in feeds] == [(url, "Harbour", ("local",))]

"""Pilot tests of Actors, Help, the command palette, cancelling, and the terminal's colour modes."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import threading

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable

from brief.config import Config
from brief.tui import jobs
from brief.tui.app import BriefApp
from brief.tui.screens.actors import ActorsScreen
from brief.tui.screens.help import HelpScreen, help_sections
from brief.tui.screens.today import TodayScreen
from brief.tui.widgets.article_list import ArticleList
from tests.tui.conftest import content_of, notices, screen_text, settle

pytestmark = pytest.mark.asyncio


async def test_actors_are_ranked_and_enter_lists_their_articles(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ActorsScreen)
        names = [b.actor.name for b in app.desk.actor_briefs]
        # Paul Okafor, the transport minister, is in two of the day's three stories.
        assert "Paul Okafor" in names
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=names.index("Paul Okafor"))
        await pilot.pause()
        text = screen_text(app)
        assert "Paul Okafor" in text and "person" in text
        assert "mentions in 2 articles" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        listed = app.screen.query_one(ArticleList).article_ids
        titles = sorted(app.desk.article(i).title.split()[0] for i in listed)  # type: ignore[union-attr]
        assert titles == ["Dockworkers", "Parliament"]
        assert 'actor:"Paul Okafor"' in str(app.screen.query_one(ArticleList).border_title)


async def test_reader_marks_actor_mentions(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j")  # the harbour strike
        await settle(pilot)
        body = content_of(app.screen.query_one("#reader-body"))
        marked = {
            body.plain[s.start : s.end] for s in body.spans if "brief-mention" in str(s.style)
        }
        assert {"Tomas Reyes", "Hanna Lindqvist"} <= marked


async def test_help_lists_every_binding(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = content_of(app.screen.query_one("#help-text")).plain
        for title, rows in help_sections():
            assert title in shown
            for keys, text in rows:
                assert keys in shown and text in shown
        for needed in ("Search", "Save", "Add feed", "Import an OPML", "Command palette", "Quit"):
            assert needed in shown
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)


async def test_help_shows_the_keys_as_rebound_in_config(config: Config) -> None:
    keys = dataclasses.replace(config.keys, next_unread="ctrl+n", links="ctrl+l,f6")
    app = BriefApp(config=dataclasses.replace(config, keys=keys))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = content_of(app.screen.query_one("#help-text")).plain.splitlines()
        rows = {" ".join(line.split()) for line in lines}
        assert "ctrl+n Next unread" in rows
        assert "n Next unread" not in rows
        assert "ctrl+l / f6 Links and enclosures of the article (numbered)" in rows
        assert "p Previous unread" in rows  # what was not rebound keeps its key
        await pilot.press("escape")
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        start = articles.cursor
        await pilot.press("n")  # no longer bound
        await settle(pilot)
        assert articles.cursor == start
        await pilot.press("ctrl+n")  # the rebound key is the one that acts
        await settle(pilot)
        assert articles.cursor != start


async def test_command_palette_offers_every_action(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for needed in (
            "Go to Today", "Go to Actors", "Go to Briefing", "Go to Sources", "Go to Settings",
            "Refresh all sources", "Cancel", "Search articles", "Sort articles",
            "Copy article link",
            "Save briefing", "Add feed", "Add local folder", "Remove source", "Refresh source",
            "Import OPML", "Export OPML", "Save settings", "Help", "Theme", "Quit",
        ):  # fmt: skip
            assert needed in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"go to brief")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "briefing"


async def test_cancelling_a_refresh_keeps_what_was_shown(
    app: BriefApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_collect = jobs.collect

    def slow_collect(config: Config, now, **kw):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real_collect(config, now, **kw)

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = app.desk.version
        monkeypatch.setattr(jobs, "collect", slow_collect)
        await pilot.press("r")
        await pilot.pause()
        assert "Collecting" in app.status
        assert app.progress is not None
        assert "Cancel" in screen_text(app).splitlines()[-1]  # offered in the footer while busy
        await pilot.press("x")
        release.set()
        await settle(pilot)
        await asyncio.sleep(0.05)
        await pilot.pause()
        assert app.status == "Cancelled."
        assert app.progress is None
        assert app.desk.version == before  # the cancelled result was dropped
        assert app.is_running
        assert "Cancel" not in screen_text(app).splitlines()[-1]


async def test_no_color_is_honoured(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = BriefApp(config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        svg = app.export_screenshot()
        # Monochrome: no chromatic colour (every fill is a grey: r == g == b), apart
        # from the screenshot's own window frame and its three title-bar buttons.
        frame = {"292929", "c5c8c6", "ff5f57", "febc2e", "28c840"}
        colours = set(re.findall(r"fill=\"#([0-9a-f]{6})\"", svg)) - frame
        assert colours
        assert all(c[0:2] == c[2:4] == c[4:6] for c in colours), colours


async def test_failures_become_notifications_not_tracebacks(
    app: BriefApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kw: object) -> object:
        raise OSError("disk on fire")

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(jobs, "collect", broken)
        await pilot.press("r")
        await settle(pilot)
        assert any("Refresh failed: OSError: disk on fire" in n for n in notices(app))
        assert app.is_running
        assert app.screen.query_one(ArticleList).row_count == 3  # the last good list stays


async def test_clicking_the_navigation_bar_switches_screens(app: BriefApp) -> None:
    from brief.tui.widgets.chrome import NavBar

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        nav = app.screen.query_one(NavBar)
        start, _end, mode = next(p for p in nav._places if p[2] == "sources")
        await pilot.click(NavBar, offset=(start + 1, 0))
        await settle(pilot)
        assert app.current_mode == mode == "sources"


async def test_mouse_click_on_an_article_reads_it(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click(ArticleList, offset=(10, 3))  # header, then the third row
        await settle(pilot)
        reader = app.screen.query_one("#reader")
        assert reader.article is not None  # type: ignore[attr-defined]
        assert reader.article.title.startswith("Parliament")  # type: ignore[attr-defined]
        await pilot.click(ArticleList, offset=(5, 0))  # the Time header: reverse the order
        assert app.screen.query_one(ArticleList).sort_reverse

"""Start-up: what the first frame needs, `brief tui`, the key bar and the sources pane."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Input

from brief.tui.app import BriefApp
from brief.tui.widgets.article_list import ArticleList
from brief.tui.widgets.chrome import KeyBar, KeyItem, key_bar_content
from brief.tui.widgets.reader import Reader
from brief.tui.widgets.source_list import SourceList
from tests.tui.conftest import settle

REPO = Path(__file__).resolve().parents[2]

# The core's heavy parts, which the workers import after the first frame.
HEAVY = ("sumy", "numpy", "trafilatura", "httpx", "feedparser", "sqlite3", "brief.models")

FIRST_FRAME = """
import asyncio, json, sys
from brief.cli import build_parser
from brief.config import load_config

build_parser().parse_args([])
from brief.tui.app import BriefApp

async def main():
    app = BriefApp(config=load_config(None), refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print(json.dumps(sorted(sys.modules)))

asyncio.run(main())
"""


def test_the_first_frame_imports_none_of_the_core_s_heavy_parts() -> None:
    # A fresh interpreter: this test process has long imported everything.
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "textual" in modules and "brief.tui.screens.today" in modules
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)
    assert loaded == [], f"imported before the first frame: {loaded}"


def test_brief_tui_refuses_without_a_terminal() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "brief", "tui"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        cwd=REPO,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a terminal" in lines[0] and "brief run" in lines[0]


def test_key_bar_cuts_at_a_whole_key_and_keeps_the_palette_right() -> None:
    items = [
        KeyItem("s", "s", "Sort", True),
        KeyItem("o", "o", "Link", False),
        KeyItem("q", "q", "Quit", True),
    ]
    palette = KeyItem("ctrl+p", "^p", "", True)
    line, places = key_bar_content(items, palette, 40)
    assert line.plain.startswith("s Sort o Link q Quit")
    assert line.plain.rstrip().endswith("^p palette") and line.cell_length == 40
    assert [key for *_, key in places] == ["s", "o", "q", "ctrl+p"]
    narrow, places = key_bar_content(items, None, 12)
    assert narrow.plain.rstrip() == "s Sort"
    assert [key for *_, key in places] == ["s"]
    assert isinstance(narrow, Content)


@pytest.mark.asyncio
async def test_key_bar_follows_focus_and_a_click_presses_the_key(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)

        def shown() -> list[str]:
            return [item.description for item in bar.items()]

        assert "Read" in shown() and "Back" not in shown()
        await pilot.press("enter")
        assert isinstance(app.focused, Reader)
        await pilot.pause()
        assert "Back" in shown() and "Read" not in shown()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, ArticleList) and "Back" not in shown()

        articles = app.screen.query_one(ArticleList)
        before = articles.sort_key
        x = next(start for start, _end, key in bar._places if key == "s")
        await pilot.click(KeyBar, offset=(x, 0))
        await pilot.pause()
        assert articles.sort_key != before


@pytest.mark.asyncio
async def test_esc_back_is_offered_while_a_search_is_on(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        await pilot.press("slash", *"storm", "enter")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "storm"
        assert "Back" in [item.description for item in bar.items()]
        await pilot.press("escape")
        await settle(pilot)
        assert "Back" not in [item.description for item in bar.items()]
        assert app.screen.query_one(ArticleList).row_count == 3


@pytest.mark.asyncio
async def test_sources_pane_keys_and_clicks(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        sources = app.screen.query_one(SourceList)
        assert sources.option_count == 2 and sources.selected_source is None
        sources.focus()
        await pilot.press("j")
        await settle(pilot)
        assert sources.selected_source == app.desk.sources[0].source.id
        await pilot.press("enter")  # its articles: focus moves to the list
        assert isinstance(app.focused, ArticleList)
        await pilot.click(SourceList, offset=(3, 0))  # "All sources"
        await settle(pilot)
        assert sources.selected_source is None
        assert isinstance(app.focused, ArticleList)

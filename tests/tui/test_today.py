"""Pilot tests of the Today screen: open, navigate, read, search, links, read marks."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from brief.tui.app import BriefApp
from brief.tui.screens.today import TodayScreen
from brief.tui.widgets.article_list import ArticleList
from brief.tui.widgets.reader import SUMMARY_STYLE, Reader
from brief.tui.widgets.source_list import SourceList
from tests.tui.conftest import content_of, notices, screen_text, settle

pytestmark = pytest.mark.asyncio


async def test_opens_on_today_with_the_days_articles(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        articles = app.screen.query_one(ArticleList)
        # Three fixture articles fall inside the 24 hours before the pinned 07:00;
        # the chip-plant story is from the day before and is left out.
        assert articles.row_count == 3
        text = screen_text(app)
        assert "Flood warnings issued" in text
        assert "Dockworkers strike" in text
        assert "Korvel" not in text.split("\n")[2]  # not in the list's first row
        assert "3 articles from 1 source" in text
        # Newest first: the flood warning (06:20) leads.
        assert articles.highlighted_id == app.desk.articles[0].id or articles.cursor == 0
        first = articles.article_ids[0]
        assert app.desk.article(first) is not None
        assert app.desk.article(first).title.startswith("Flood warnings")  # type: ignore[union-attr]


async def test_moving_the_cursor_reads_the_article_with_its_summary_marked(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        assert reader.article is not None and reader.article.title.startswith("Flood warnings")
        await pilot.press("j")
        await settle(pilot)
        assert reader.article.title.startswith("Dockworkers strike")
        assert reader.analysed
        body = content_of(reader.query_one("#reader-body"))
        highlighted = [
            body.plain[span.start : span.end] for span in body.spans if span.style == SUMMARY_STYLE
        ]
        # The summary is whole sentences of the article (at most three, within the
        # word budget), in article order.
        assert 2 <= len(highlighted) <= 3
        assert sum(len(sentence.split()) for sentence in highlighted) <= app.config.summary.words
        positions = [reader.article.text.index(sentence) for sentence in highlighted]
        assert positions == sorted(positions)
        await pilot.press("k")
        await settle(pilot)
        assert reader.article.title.startswith("Flood warnings")


async def test_enter_focuses_the_reader_and_tab_moves_between_panes(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, ArticleList)
        await pilot.press("enter")
        assert isinstance(app.focused, Reader)
        assert app.screen.has_class("-reading")  # full screen: the list is out of the way
        assert not app.screen.query_one("#today-list").display
        await pilot.press("escape")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("z", "z")  # z toggles the same way
        assert isinstance(app.focused, ArticleList) and not app.screen.has_class("-reading")
        await pilot.press("enter", "enter")  # and Enter in the reader goes back
        assert isinstance(app.focused, ArticleList)
        await pilot.press("tab")  # side by side, tab still moves between the panes
        assert isinstance(app.focused, Reader)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, SourceList)


async def test_sorting_cycles_time_source_title(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)

        def titles() -> list[str]:
            return [app.desk.article(i).title for i in articles.article_ids]  # type: ignore[union-attr]

        assert titles()[0].startswith("Flood")
        await pilot.press("s")  # by source: Capital Daily before Coastal Wire
        assert articles.sort_key == "source"
        assert titles()[0].startswith("Parliament")
        await pilot.press("s")  # by title
        assert titles() == sorted(titles(), key=str.casefold)
        await pilot.press("s")
        assert str(articles.sort_key) == "time"


async def test_search_filters_by_words_and_by_source(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        await pilot.press("slash")
        await pilot.press(*"okafor")
        await pilot.press("enter")
        await settle(pilot)
        titles = {app.desk.article(i).title.split()[0] for i in articles.article_ids}  # type: ignore[union-attr]
        assert titles == {"Dockworkers", "Parliament"}
        assert "matching okafor" in str(articles.border_title)
        assert isinstance(app.focused, ArticleList)
        await pilot.press("escape")
        assert articles.row_count == 3
        await pilot.press("slash")
        await pilot.press(*'source:"capital daily"', "enter")
        await settle(pilot)
        assert articles.row_count == 1


async def test_choosing_a_source_lists_only_its_articles(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        sources = app.screen.query_one(SourceList)
        sources.focus()
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.query_one(ArticleList).row_count == 3  # one local folder: all of them
        assert "wire" in screen_text(app)


async def test_open_link_copies_it_and_shows_it(app: BriefApp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 50000")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert app.clipboard == "https://news.example.org/weather/storm-elda"
        assert any(
            "Copied to the clipboard: https://news.example.org/weather/storm-elda" in n
            for n in notices(app)
        )


async def test_works_at_80_by_24(app: BriefApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        lines = text.splitlines()
        assert len(lines) == 24
        assert all(len(line) <= 80 for line in lines)
        assert "1 Today" in lines[0] and "5 Settings" in lines[0]
        assert "Flood warnings" in text
        assert "Search" in lines[-1] and "Quit" in lines[-1]
        await pilot.press("j")
        await settle(pilot)
        assert "Dockworkers" in text or "Dockworkers" in screen_text(app)


async def test_ten_thousand_articles_list_sort_and_page(config) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from brief.models import Article, Source, SourceHealth
    from brief.tui.messages import CollectionLoaded

    start = datetime(2026, 11, 28, 6, 59, tzinfo=UTC)
    source = Source("feed:x", "Big Feed", "feed", "https://big.example/feed")
    articles = tuple(
        Article(
            id=f"a{n:05d}",
            source_id=source.id,
            source_name=source.name,
            title=f"Story number {n:05d}",
            text=f"Body of story {n}. It has two sentences.",
            published=start - timedelta(seconds=7 * n),
        )
        for n in range(10_000)
    )
    app = BriefApp(config=config, refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.post_message(
            CollectionLoaded(
                articles, (SourceHealth(source, article_count=10_000),), from_cache=False, at=start
            )
        )
        await settle(pilot)
        listing = app.screen.query_one(ArticleList)
        assert listing.row_count == 10_000
        assert listing.article_ids[0] == "a00000"  # newest first
        await pilot.press("G")
        assert listing.highlighted_id == "a09999"
        assert "Story number 09999" in screen_text(app)
        await pilot.press("pageup")
        assert listing.cursor < 9_999
        await pilot.press("s", "s")  # by title: the same order here, reversed by time
        assert listing.sort_key == "title"
        assert listing.article_ids[0] == "a00000" and listing.article_ids[-1] == "a09999"
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "09998"
        await pilot.press("enter")
        await settle(pilot)
        assert listing.article_ids == ["a09998"]


async def test_at_80_by_24_the_list_keeps_twelve_rows_even_while_searching(
    app: BriefApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert articles.scrollable_content_region.height - 1 >= 12  # rows below the header
        await pilot.press("slash")
        await pilot.pause()
        assert app.screen.query_one("#search").region.height == 1  # one line
        assert articles.scrollable_content_region.height - 1 >= 12
        # Three articles fit: no scrollbar for nothing to scroll, none sideways at all.
        assert not articles.show_vertical_scrollbar and not articles.show_horizontal_scrollbar


async def test_pager_keys_scroll_the_briefing_preview(app: BriefApp) -> None:
    from brief.tui.widgets.pager import Pager

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        pane = app.screen.query_one("#briefing-scroll", Pager)
        pane.focus()
        await pilot.pause()
        assert pane.max_scroll_y > 0  # the preview is longer than the screen
        await pilot.press("G")
        await pilot.pause(0.3)
        assert pane.scroll_y == pane.max_scroll_y
        await pilot.press("g")
        await pilot.pause(0.3)
        assert pane.scroll_y == 0
        await pilot.press("j", "j")
        await pilot.pause(0.3)
        assert pane.scroll_y > 0

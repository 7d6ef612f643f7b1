"""The Actors screen's 7-day sparkline and the timeline it opens, from the actor ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import DataTable

from brief.config import Config
from brief.store import open_store
from brief.store.ledger import LedgerEntry, LedgerQuote
from brief.tui.app import BriefApp
from brief.tui.screens.actors import ActorsScreen, sparkline
from brief.tui.screens.timeline import TimelineScreen
from tests.tui.conftest import screen_text, settle

AT = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("trend", "line"),
    [
        ((None, None, None, None, None, None, 4), "······█"),
        ((0, 1, 2, 4, 8, 0, None), "▁▂▃▅█▁·"),
        ((0, 0, 0), "▁▁▁"),
    ],
)
def test_sparkline_scales_to_the_week_and_marks_unknown_days(
    trend: tuple[int | None, ...], line: str
) -> None:
    assert sparkline(trend) == line


def _record_yesterday(config: Config) -> None:
    quote = LedgerQuote("The ferries run on Monday", "x1", "Ferry deal <draft>", "https://p.test/1")
    entry = LedgerEntry(
        "person",
        "Paul Okafor",
        5,
        2,
        ("Okafor",),
        quotes=(quote,),
        company=(("person", "Ann Lee", 2),),
    )
    with open_store(config.store_path()) as store:
        store.record_ledger_day(date(2026, 11, 27), [entry], at=AT)


@pytest.mark.asyncio
async def test_actors_show_a_week_of_mentions_and_t_opens_the_timeline(
    app: BriefApp, config: Config
) -> None:
    _record_yesterday(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ActorsScreen)
        briefs = app.desk.actor_briefs
        names = [b.actor.name for b in briefs]
        okafor = briefs[names.index("Paul Okafor")]
        assert okafor.news is not None and okafor.news.trend[:6] == (None,) * 5 + (5,)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=names.index("Paul Okafor"))
        await pilot.pause()
        text = screen_text(app)
        assert sparkline(okafor.news.trend) in text
        assert f"mentions, last 7 days: - - - - - 5 {okafor.mention_count}" in text
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        text = screen_text(app)
        assert "Paul Okafor (person), 2026-11-22 to 2026-11-28" in text
        assert "2026-11-27: 5 mentions in 2 articles" in text
        assert "“The ferries run on Monday” (Ferry deal <draft>" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ActorsScreen)


@pytest.mark.asyncio
async def test_an_actor_the_ledger_has_not_seen_gets_a_line_not_an_error(app: BriefApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert "brief run" in screen_text(app)

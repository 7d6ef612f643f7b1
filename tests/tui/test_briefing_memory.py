"""Pilot test: the Briefing screen's preview reads the briefing history, only a save writes it."""

from __future__ import annotations

from datetime import date

import pytest

from brief.config import Config
from brief.store import open_store
from brief.tui.app import BriefApp, current_time
from brief.tui.screens.briefing import BriefingScreen
from tests.tui.conftest import settle

pytestmark = pytest.mark.asyncio


def _remembered(config: Config, day: date) -> int:
    with open_store(config.store_path()) as store:
        return len(
            store.past_briefings("default", date.fromordinal(day.toordinal() + 1), 1).stories
        )


async def test_preview_marks_but_does_not_remember_and_a_save_does(config: Config) -> None:
    today = current_time().date()
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        assert "**New** ·" in app.desk.markdown
        assert _remembered(config, today) == 0
        await pilot.press("w")
        await settle(pilot)
        assert _remembered(config, today) == len(app.desk.briefing.stories) > 0  # type: ignore[union-attr]

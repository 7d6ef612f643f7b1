"""Smaller reader fixes: wide Actors counts, a status line per screen, front matter."""

from __future__ import annotations

import re

import pytest

from brief.models import Actor, ActorBrief
from brief.tui.app import BriefApp
from brief.tui.screens.actors import ActorsScreen
from tests.tui.conftest import screen_text, settle


def _brief(name: str, articles: int, mentions: int) -> ActorBrief:
    return ActorBrief(
        actor=Actor(name, "person"),
        article_count=articles,
        source_count=1,
        mention_count=mentions,
    )


@pytest.mark.asyncio
@pytest.mark.parametrize("width", [100, 130, 200])
async def test_actor_counts_are_never_clipped(app: BriefApp, width: int) -> None:
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ActorsScreen)
        app.desk.set_actor_briefs(
            [_brief("Tomas Reyes", 1234, 16105), _brief("Hanna Lindqvist", 7, 161)]
        )
        screen.sync()
        await settle(pilot)
        lines = screen_text(app).splitlines()
        rows = [line for line in lines if re.match(r"\s*1\s+Tomas Reyes\s", line)]
        assert rows and re.search(r"\s1234\s+16105\s", rows[0]), lines
        rows = [line for line in lines if re.match(r"\s*2\s+Hanna Lindqvist\s", line)]
        assert rows and re.search(r"\s7\s+161\s", rows[0]), lines


@pytest.mark.asyncio
async def test_the_status_line_does_not_carry_one_screens_message_to_another(
    app: BriefApp,
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        resting = app.status
        await pilot.press("s")
        await settle(pilot)
        assert app.status.startswith("Sorted by")
        await pilot.press("4")  # Sources
        await settle(pilot)
        assert not app.status.startswith("Sorted by")
        assert app.status == resting
        await pilot.press("1")
        await settle(pilot)
        assert app.status == resting

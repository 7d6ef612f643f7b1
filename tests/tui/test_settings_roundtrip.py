"""Issue 11: saving the Settings screen keeps the user's comments, order and meanwhile edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from brief import paths
from brief.config import load_config
from brief.tui.app import BriefApp
from brief.tui.screens.settings import SettingsScreen
from tests.tui.conftest import WIRE, settle


def user_text() -> str:
    """A hand-written config over the fixture articles: comments, odd order, blank lines."""
    return f"""\
# brief, my way

[summary]
algorithm = "textrank"  # after trying them all
sentences = 3    # enough

# my sources
[sources]
local = ['{WIRE}']


[briefing]
# short sections only
sections = ["stories", "sources"]
title = "Desk"  # the heading
"""


def write_user_config() -> Path:
    """The hand-written config at the private config path."""
    file = paths.config_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(user_text(), encoding="utf-8")
    return file


@pytest.mark.asyncio
async def test_a_settings_save_keeps_comments_order_and_an_edit_made_meanwhile(
    private_env: object,
) -> None:
    file = write_user_config()
    app = BriefApp(config=load_config(file))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # The user edits the file in an editor while brief runs.
        edited = user_text().replace('title = "Desk"', 'title = "Edited"')
        file.write_text(edited, encoding="utf-8")
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#set-sentences", Input).value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
    text = file.read_text(encoding="utf-8")
    assert text == edited.replace("sentences = 3    # enough", "sentences = 2    # enough")
    saved = load_config(file)
    assert saved.summary.sentences == 2
    assert saved.briefing.title == "Edited"
    assert file.with_name("config.toml.bak").read_text(encoding="utf-8") == edited


@pytest.mark.asyncio
async def test_the_word_budget_is_written_into_the_summary_table_in_place(
    private_env: object,
) -> None:
    file = write_user_config()
    app = BriefApp(config=load_config(file))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#set-words", Input).value = "55"
        await pilot.press("ctrl+s")
        await settle(pilot)
    text = file.read_text(encoding="utf-8")
    assert load_config(file).summary.words == 55
    # One line added (in [summary]); everything the user wrote kept as written.
    assert text.count("words = 55\n") == 1
    assert text.replace("words = 55\n", "") == user_text()

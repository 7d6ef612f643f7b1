"""Pilot tests of the Settings screen and themes: save TOML atomically with a .bak, switch theme."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from brief import paths
from brief.config import Config, WatchedActor, load_config
from brief.errors import ConfigError
from brief.tui.app import BriefApp
from brief.tui.screens.settings import SettingsScreen, format_watchlist, parse_watchlist
from tests.tui.conftest import notices, settle


@pytest.mark.asyncio
async def test_change_settings_and_save_writes_toml_and_keeps_a_backup(config: Config) -> None:
    app = BriefApp(config=config)
    file = paths.config_file()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        title = app.screen.query_one("#set-title", Input)
        title.focus()
        await pilot.press("end", *" at dawn")
        app.screen.query_one("#set-sentences", Input).value = "2"
        app.screen.query_one("#set-algorithm", Select).value = "textrank"
        app.screen.query_one("#set-watch", TextArea).text = "Paul Okafor | person | Mr. Okafor"
        app.screen.query_one("#set-mute", Input).value = "Red Cross"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert file.exists()
        saved = load_config(file)
        assert saved.briefing.title == "Morning briefing at dawn"
        assert saved.summary.sentences == 2
        assert saved.summary.algorithm == "textrank"
        assert saved.actors.watch == (WatchedActor("Paul Okafor", "person", ("Mr. Okafor",)),)
        assert saved.actors.mute == ("Red Cross",)
        assert saved.sources == config.sources  # untouched settings are kept
        # The status line keeps it (the notification may have timed out on a busy machine).
        assert f"Saved to {file}" in app.status
        assert app.config.summary.sentences == 2  # in use at once
        assert not file.with_name("config.toml.bak").exists()  # nothing to back up the first time

        app.screen.query_one("#set-sentences", Input).value = "4"
        await pilot.press("ctrl+s")
        await settle(pilot)
        backup = file.with_name("config.toml.bak")
        assert tomllib.loads(backup.read_text(encoding="utf-8"))["summary"]["sentences"] == 2
        assert load_config(file).summary.sentences == 4
        assert any("previous kept as config.toml.bak" in n for n in notices(app))


@pytest.mark.asyncio
async def test_invalid_settings_are_reported_and_nothing_is_written(config: Config) -> None:
    app = BriefApp(config=config)
    file = paths.config_file()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#set-filename", Input).value = "briefing.md"  # no {date}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not file.exists()
        assert any("briefing.filename" in n and "error" in n for n in notices(app))
        app.screen.query_one("#set-filename", Input).value = "{date}.md"
        app.screen.query_one("#set-watch", TextArea).text = "Somebody | wizard"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not file.exists()
        assert any("watchlist line 1" in n for n in notices(app))
        assert app.is_running
        await pilot.press("ctrl+r")  # revert asks first: escape keeps the edits
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#set-watch", TextArea).text == "Somebody | wizard"
        await pilot.press("ctrl+r", "enter")  # revert puts the saved settings back
        await pilot.pause()
        assert app.screen.query_one("#set-watch", TextArea).text == ""


@pytest.mark.asyncio
async def test_escape_leaves_a_field_so_screen_keys_work_again(config: Config) -> None:
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        title = app.screen.query_one("#set-title", Input)
        title.focus()
        await pilot.press("end", "x", "escape", "1")  # 1: back to Today, not typed
        await settle(pilot)
        assert title.value == "Morning briefingx"
        assert app.current_mode == "today"


@pytest.mark.asyncio
async def test_switching_theme_applies_at_once_and_is_saved(config: Config) -> None:
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "brief-dark"
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#set-theme", Select).value = "brief-light"
        await settle(pilot)
        assert app.theme == "brief-light"
        assert load_config(paths.config_file()).tui.theme == "brief-light"
        app.theme = "nord"  # as the command palette's theme picker does
        await settle(pilot)
        assert load_config(paths.config_file()).tui.theme == "nord"
    again = BriefApp(config=load_config(paths.config_file()))
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


@pytest.mark.asyncio
async def test_unknown_theme_falls_back_with_a_warning(config: Config) -> None:
    from dataclasses import replace

    app = BriefApp(config=replace(config, tui=replace(config.tui, theme="no-such-theme")))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "brief-dark"
        assert any("no-such-theme" in n and n.startswith("warning") for n in notices(app))


def test_watchlist_round_trips() -> None:
    watch = (
        WatchedActor("Xi Jinping", "person", ("Mr. Xi", "Chinese President Xi Jinping")),
        WatchedActor("Atlantic Council", "organisation"),
    )
    assert parse_watchlist(format_watchlist(watch)) == watch
    assert parse_watchlist("# comment\n\nNATO | org\n") == (WatchedActor("NATO", "organisation"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Somebody | wizard",
            "watchlist line 1: kind 'wizard' is not one of person, state, organisation",
        ),
        ("ok\n | person", "watchlist line 2: the name is missing"),
        ("a | b | c | d", "watchlist line 1: expected Name | kind | aliases"),
    ],
)
def test_bad_watchlist_lines_are_named(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_watchlist(text)
    assert str(caught.value) == message


def test_user_themes_folder_is_loaded(private_env: Path) -> None:
    from brief.tui.themes import load_themes, theme_folders

    user = paths.user_themes_dir()
    user.mkdir(parents=True)
    (user / "paper.toml").write_text('primary = "#224466"\ndark = false\n', encoding="utf-8")
    (user / "broken.toml").write_text('primary = "not a colour"\n', encoding="utf-8")
    loaded = load_themes(theme_folders())
    names = {t.name for t in loaded.themes}
    assert {"brief-dark", "brief-light", "brief-ssh", "paper"} <= names
    assert (
        len(loaded.errors) == 1
        and "broken.toml: primary: 'not a colour' is not a colour" in loaded.errors[0]
    )


async def open_settings(pilot: Pilot[None]) -> None:
    """Start-up settled, then the Settings screen (key 5) settled."""
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)


@pytest.mark.asyncio
async def test_the_word_budget_is_a_setting_checked_and_saved(config: Config) -> None:
    app = BriefApp(config=config)
    file = paths.config_file()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        words = app.screen.query_one("#set-words", Input)
        assert words.value == str(config.summary.words)
        for bad in ("-5", "many"):
            words.value = bad
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not file.exists()
        assert any("Words: expected 0 (no budget)" in n for n in notices(app))
        assert any("Words: expected a whole number, got 'many'" in n for n in notices(app))
        words.value = "45"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert load_config(file).summary.words == 45
        assert app.config.summary.words == 45  # in use at once
        words.value = "0"  # no budget
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert load_config(file).summary.words == 0
        await pilot.press("ctrl+r", "enter")
        await pilot.pause()
        assert app.screen.query_one("#set-words", Input).value == "0"

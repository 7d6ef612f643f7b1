"""Pilot tests of the Briefing screen: preview what is written, save, ask before replacing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from textual.widgets import Static

from brief.briefing.compose import compose_briefing
from brief.briefing.render import render_markdown
from brief.collect import collect_sources
from brief.config import Config
from brief.store import open_store
from brief.tui.app import BriefApp, current_time
from brief.tui.screens.briefing import BriefingScreen
from brief.tui.screens.dialogs import ChoiceDialog
from tests.tui.conftest import content_of, notices, screen_text, settle

pytestmark = pytest.mark.asyncio


def expected_markdown(config: Config) -> str:
    """What `brief run` would write for this config, computed with the core alone (the
    store's briefing history read, as `brief run` reads it)."""
    now = current_time()
    result = collect_sources(config, now=now, fetch=False)
    with open_store(config.store_path()) as store:
        return render_markdown(compose_briefing(config, result, now=now, history=store))


async def test_preview_is_exactly_what_brief_run_would_write(config: Config) -> None:
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        assert app.desk.markdown == expected_markdown(config)
        text = screen_text(app)
        assert "Morning briefing" in text
        assert "Top stories" in text
        assert "w saves to" in text and "2026-11-28.md" in text


async def test_save_writes_the_file_and_says_where(config: Config, private_env: Path) -> None:
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        target = private_env / "out" / "2026-11-28.md"
        assert target.read_text(encoding="utf-8") == app.desk.markdown
        assert any(f"Saved the briefing to {target}" in n for n in notices(app))
        text = screen_text(app)
        assert "(exists: you will be asked)" in text
        assert "✓ saved 2026-11-28.md" in text


async def test_save_asks_before_replacing_and_can_keep_both(
    config: Config, private_env: Path
) -> None:
    out = private_env / "out"
    out.mkdir()
    (out / "2026-11-28.md").write_text("yesterday's edit\n", encoding="utf-8")
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")  # cancel: nothing written
        await settle(pilot)
        assert (out / "2026-11-28.md").read_text(encoding="utf-8") == "yesterday's edit\n"
        assert not (out / "2026-11-28-2.md").exists()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")  # the default answer: keep both
        await settle(pilot)
        assert (out / "2026-11-28.md").read_text(encoding="utf-8") == "yesterday's edit\n"
        assert (out / "2026-11-28-2.md").read_text(encoding="utf-8") == app.desk.markdown
        await pilot.press("w")
        await pilot.pause()
        await pilot.click("#choice-overwrite")
        await settle(pilot)
        assert (out / "2026-11-28.md").read_text(encoding="utf-8") == app.desk.markdown


def story_bullets(markdown: str) -> int:
    """Bullets of the Top stories section only."""
    section = markdown.partition("## Top stories")[2].partition("\n## ")[0]
    return section.count("\n- ")


async def test_sections_and_length_change_the_preview_and_the_file(
    config: Config, private_env: Path
) -> None:
    # No word budget: each story's bullet count follows the sentence count exactly.
    config = dataclasses.replace(config, summary=dataclasses.replace(config.summary, words=0))
    app = BriefApp(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        bullets = story_bullets(app.desk.markdown)
        await pilot.press("minus")
        await settle(pilot)
        # One sentence fewer in each of the three stories (the actor briefs follow their length).
        assert story_bullets(app.desk.markdown) == bullets - 3
        await pilot.press("h")  # source health off
        await settle(pilot)
        assert "## Sources" not in app.desk.markdown
        assert "## Top stories" in app.desk.markdown
        await pilot.press("w")
        await settle(pilot)
        saved = (private_env / "out" / "2026-11-28.md").read_text(encoding="utf-8")
        assert saved == app.desk.markdown
        summary = dataclasses.replace(config.summary, sentences=2)
        briefing = dataclasses.replace(config.briefing, sections=("stories", "actors"))
        assert saved == expected_markdown(
            dataclasses.replace(config, summary=summary, briefing=briefing)
        )
        # The saved settings are untouched: the choice is for this briefing only.
        assert app.config.summary.sentences == 3


async def test_p_switches_between_briefing_profiles_at_80_by_24(config: Config) -> None:
    from brief.briefing.profiles import profile_config
    from brief.config import LocalFolderConfig, ProfileConfig, SourcesConfig

    wire = config.sources.local[0]
    config = dataclasses.replace(
        config,
        sources=SourcesConfig(local=(), folders=(LocalFolderConfig(path=wire, tags=("wire",)),)),
        briefings=(
            ProfileConfig(name="wire", title="Wire desk", tags=("wire",)),
            ProfileConfig(name="quiet", tags=("nothing-tagged-so",)),
        ),
    )
    app = BriefApp(config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert "Profile p default (1/3)" in screen_text(app)
        await pilot.press("p")
        await settle(pilot)
        assert "Profile p wire (2/3)" in screen_text(app)
        path_line = content_of(app.screen.query_one("#briefing-path", Static)).plain
        assert path_line.endswith("/out/2026-11-28-wire.md")
        wanted = profile_config(config, config.briefings[0])
        assert app.desk.markdown == expected_markdown(wanted)
        assert "Wire desk" in app.desk.markdown
        await pilot.press("p")
        await settle(pilot)
        assert "Profile p quiet (3/3)" in screen_text(app)
        assert "No stories in this window." in app.desk.markdown
        await pilot.press("p")
        await settle(pilot)
        assert "Profile p default (1/3)" in screen_text(app)
        assert app.desk.markdown == expected_markdown(config)

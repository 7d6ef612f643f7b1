"""Snapshots of every screen (pytest-textual-snapshot), on fixed data and a pinned clock.

The collection is the real local reader on the fixture articles, with the
source's location and times fixed and a failing feed added, so the pictures
do not depend on where the checkout lives or when the test runs.
Update with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and
review the SVGs before committing them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from brief import paths
from brief.collect.local import collect_local
from brief.config import BriefingConfig, Config, FeedConfig, SourcesConfig, TuiConfig, save_config
from brief.models import Source, SourceHealth
from brief.tui import app as app_module
from brief.tui import jobs
from brief.tui.app import BriefApp
from tests.tui.conftest import WIRE, settle

FEED_URL = "https://feeds.example.org/world.xml"
LOCAL = Source(id="local:wire", name="wire", kind="local", location="/home/reader/news/wire")
FEED = Source(
    id=f"feed:{FEED_URL}", name="World Desk", kind="feed", location=FEED_URL, tags=("world",)
)
PINNED = datetime(2026, 11, 28, 6, 59, tzinfo=UTC)


def fixed_collect(config: Config, now: datetime, **_: object) -> jobs.Collection:
    """The real local collection of the fixture articles, with fixed places and times."""
    articles, _health = collect_local([WIRE])
    articles = [dataclasses.replace(a, source_id=LOCAL.id, fetched=PINNED) for a in articles]
    health = (
        SourceHealth(LOCAL, article_count=len(articles), last_success=PINNED),
        SourceHealth(
            FEED,
            error="HTTP 503 Service Unavailable (retrying after 07:10)",
            status=503,
            last_success=datetime(2026, 11, 27, 21, 40, tzinfo=UTC),
        ),
    )
    return jobs.Collection(jobs.day_articles(config, tuple(articles), now), health)


@pytest.fixture
def snapshot_app(private_env: Path, monkeypatch: pytest.MonkeyPatch) -> BriefApp:
    monkeypatch.setattr(jobs, "collect", fixed_collect)
    # The settings screen shows a fixed config path; anything saved goes to the private one.
    private = paths.config_file()
    monkeypatch.setattr(
        app_module, "save_config", lambda config, path=None: save_config(config, private)
    )
    config = Config(
        briefing=BriefingConfig(output_dir="/srv/briefings"),
        sources=SourcesConfig(local=(str(WIRE),)),
        feeds=(FeedConfig(url=FEED_URL, name="World Desk", tags=("world",)),),
        path=Path("/home/reader/.config/brief/config.toml"),
    )
    return BriefApp(config=config)


def after(*keys: str) -> Callable[[Pilot[int]], Awaitable[None]]:
    """Let the app settle, press ``keys``, settle again, and drop notifications."""

    async def run(pilot: Pilot[int]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


SnapCompare = Callable[..., bool]


class TestToday:
    def test_today_100x30(self, snap_compare: SnapCompare, snapshot_app: BriefApp) -> None:
        assert snap_compare(snapshot_app, terminal_size=(100, 30), run_before=after("j"))

    def test_today_80x24(self, snap_compare: SnapCompare, snapshot_app: BriefApp) -> None:
        assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=after())

    def test_today_wide_140x36(self, snap_compare: SnapCompare, snapshot_app: BriefApp) -> None:
        assert snap_compare(snapshot_app, terminal_size=(140, 36), run_before=after("j"))


class TestActors:
    def test_actors_100x30(self, snap_compare: SnapCompare, snapshot_app: BriefApp) -> None:
        assert snap_compare(snapshot_app, terminal_size=(100, 30), run_before=after("2"))


class TestBriefing:
    def test_briefing_100x30(self, snap_compare: SnapCompare, snapshot_app: BriefApp) -> None:
        assert snap_compare(snapshot_app, terminal_size=(100, 30), run_before=after("3"))


class TestSources:
    def test_sources_100x30(self, snap_compare: SnapCompare, snapshot_app: BriefApp) -> None:
        assert snap_compare(snapshot_app, terminal_size=(100, 30), run_before=after("4", "down"))


class TestSettings:
    def test_settings_100x30(self, snap_compare: SnapCompare, snapshot_app: BriefApp) -> None:
        assert snap_compare(snapshot_app, terminal_size=(100, 30), run_before=after("5"))


class TestHelp:
    def test_help_100x30(self, snap_compare: SnapCompare, snapshot_app: BriefApp) -> None:
        assert snap_compare(
            snapshot_app, terminal_size=(100, 30), run_before=after("question_mark")
        )


class TestThemes:
    @pytest.mark.parametrize("theme", ["brief-light", "brief-ssh"])
    def test_today_in_theme(
        self, snap_compare: SnapCompare, snapshot_app: BriefApp, theme: str
    ) -> None:
        config = snapshot_app.config
        themed = BriefApp(config=dataclasses.replace(config, tui=TuiConfig(theme=theme)))
        assert snap_compare(themed, terminal_size=(100, 30), run_before=after("j"))

"""Shared set-up for the TUI tests: a private config over the fixture articles, and helpers."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import time
from pathlib import Path

import pytest
from rich.console import Console
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget

from brief import paths
from brief.config import Config, SourcesConfig
from brief.tui.app import BriefApp

WIRE = Path(__file__).resolve().parent / "data" / "wire"


@pytest.fixture
def wire() -> Path:
    """The fixture articles: four invented news stories with front matter."""
    return WIRE


@pytest.fixture
def config(private_env: Path) -> Config:
    """Settings over the fixture articles, saved (when saved) to the private config path."""
    config = dataclasses.replace(
        Config(), sources=SourcesConfig(local=(str(WIRE),)), path=paths.config_file()
    )
    import importlib.util  # TEMPORARY until brief.actors.briefs lands

    if importlib.util.find_spec("brief.actors.briefs") is None:
        config = dataclasses.replace(
            config, briefing=dataclasses.replace(config.briefing, sections=("stories", "sources"))
        )
    return config


@pytest.fixture
def app(config: Config) -> BriefApp:
    """A fresh app on the fixture articles."""
    return BriefApp(config=config)


async def settle(pilot: Pilot[int], timeout: float = 30.0) -> None:
    """Wait until every worker has finished and every message has been handled."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    # Two quiet rounds in a row: a finished worker's message may start another worker.
    while quiet < 2:
        await pilot.pause()
        busy = any(worker.is_running or worker.state.name == "PENDING" for worker in app.workers)
        if busy or app.refreshing:  # the refresh runs on a thread of its own
            quiet = 0
            await asyncio.sleep(0.01)
        else:
            quiet += 1
        if time.monotonic() > deadline:
            raise AssertionError(f"workers did not settle: {list(app.workers)}")


def screen_text(app: BriefApp) -> str:
    """Everything on the screen as plain text: what a user would read."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    render = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(render)
    return console.export_text()


def notices(app: BriefApp) -> list[str]:
    """The app's current notifications as ``severity: title: message`` lines."""
    return [f"{n.severity}: {n.title}: {n.message}" for n in app._notifications]


def content_of(widget: Widget) -> Content:
    """What a Static-like widget shows, as Textual content (to inspect its text and spans)."""
    rendered = widget.render()
    assert isinstance(rendered, Content), type(rendered)
    return rendered

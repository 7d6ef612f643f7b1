"""Random keys on every screen, during refreshes against a local feed server: nothing breaks.

Hypothesis draws the key sequences (thousands of keys per run); each example
is one app session that must end with no exception and a clean exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from brief.config import Config, FeedConfig
from brief.tui.app import BriefApp
from tests.httpserver import FeedServer, Item, Reply, rss

# Keys that do something somewhere (navigation, read state, dialogs, search, the palette),
# letters and digits for fields, and the screen switches.  Not ctrl+q: each session ends
# with it, so the exit itself is checked.
KEYS = [
    *"12345jkgGnpNACUuzsoxrwadile",
    *"?/",
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "space",
    "up",
    "down",
    "left",
    "right",
    "pageup",
    "pagedown",
    "home",
    "end",
    "backspace",
    "ctrl+s",
    "ctrl+r",
    "ctrl+p",
    "minus",
    "plus",
]
FEED = rss(
    "Harbour Times",
    [
        Item(
            f"Story {n}: the harbour reopens",
            "<p>The harbour reopened on Friday.</p><p>Ships came in at dawn.</p>",
            link=f"https://harbour.example/{n}",
            guid=f"story-{n}",
            published=datetime(2026, 11, 28, 6, n, tzinfo=UTC),
        )
        for n in range(12)
    ],
)


async def _session(config: Config, keys: list[list[str]]) -> BriefApp:
    app = BriefApp(config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        for burst in keys:
            await pilot.press(*burst)
            await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    return app


@pytest.mark.slow
@settings(
    # A few hundred keys in CI's minute; BRIEF_FUZZ_EXAMPLES=30 types thousands.
    max_examples=int(os.environ.get("BRIEF_FUZZ_EXAMPLES", "3")),
    phases=[Phase.generate],  # no replay of stored examples, no shrinking: a fixed budget
    database=None,
    deadline=None,
    derandomize=True,  # the same sequences in every run: a failure can be replayed
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    keys=st.lists(
        st.lists(st.sampled_from(KEYS), min_size=10, max_size=30), min_size=5, max_size=10
    )
)
def test_random_keys_never_break_the_app(
    config: Config, keys: list[list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Typed keys reach path fields (the OPML export): relative paths land in a scratch
    # directory, never in the checkout.
    scratch = tmp_path_factory.mktemp("fuzz-cwd")
    with contextlib.chdir(scratch), FeedServer() as server:
        server.add("/feed.xml", Reply(FEED, delay=0.2))  # refreshes overlap the typing
        feeds = (FeedConfig(url=server.url("/feed.xml")),)
        app = asyncio.run(_session(dataclasses.replace(config, feeds=feeds), keys))
    if os.environ.get("BRIEF_FUZZ_COUNT"):
        print("session keys", sum(map(len, keys)))
    assert app.return_code in (0, None)
    assert not app.is_running

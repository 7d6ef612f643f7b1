"""The reader's numbered links and enclosures: listed under the article, opened or copied."""

from __future__ import annotations

import dataclasses
import shlex
import sys
import time
from pathlib import Path

import pytest

from brief.config import Config, SourcesConfig, TuiConfig
from brief.models import Article, Enclosure, Link
from brief.tui.app import BriefApp
from brief.tui.screens.links import LinkPicker
from brief.tui.widgets.reader import article_links, article_targets, file_size
from tests.tui.conftest import content_of, settle

STORY = (
    "---\ntitle: Harbour reopens\ndate: 2026-11-28T06:00:00+00:00\n"
    "url: https://harbour.example/reopens\n---\n\n"
    "The harbour reopened on Friday after the storm, said [the port authority]"
    "(https://www.port.example/news). The [repair plan](https://city.example/plan) "
    "runs to March; [a trap](javascript:alert(1)) and [write to us](mailto:desk@harbour.example) "
    "are text only. [Hostile \x1b text](https://evil.example/x)\n"
)


def _article(**changes: object) -> Article:
    base = Article(id="a", source_id="s", source_name="S", title="T", text="x")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_numbers_go_to_http_links_then_enclosures_only() -> None:
    article = _article(
        links=(
            Link("https://www.port.example/news", "the port authority"),
            Link("javascript:", "a trap"),
            Link("https://city.example/plan", ""),
        ),
        enclosures=(
            Enclosure("https://cdn.example/ep.mp3", "audio/mpeg", 34_215_000),
            Enclosure("file:///etc/passwd", "audio/mpeg", 1),
        ),
    )
    targets = article_targets(article)
    assert [(t.number, t.url, t.label, t.enclosure) for t in targets] == [
        (1, "https://www.port.example/news", "the port authority", False),
        (2, "https://city.example/plan", "city.example", False),
        (3, "https://cdn.example/ep.mp3", "audio/mpeg · 34.2 MB", True),
    ]
    text = article_links(article).plain
    assert "[1] the port authority — port.example" in text
    assert "[3] audio/mpeg · 34.2 MB — cdn.example" in text
    assert "a trap (javascript: not opened)" in text
    assert "passwd" not in text


def test_link_text_with_terminal_controls_is_shown_as_text() -> None:
    article = _article(links=(Link("https://e.example/", "a\x1b[31mred [bold]x[/bold]"),))
    text = article_links(article).plain
    assert "\x1b" not in text
    assert "a␛[31mred [bold]x[/bold]" in text


@pytest.mark.parametrize(
    ("length", "shown"),
    [
        (None, ""),
        (999, "999 bytes"),
        (1500, "1.5 kB"),
        (34_215_000, "34.2 MB"),
        (2 * 10**12, "2000.0 GB"),
    ],
)
def test_file_size(length: int | None, shown: str) -> None:
    assert file_size(length) == shown


def _config(config: Config, folder: Path, browser: str = "") -> Config:
    folder.mkdir()
    (folder / "story.md").write_text(STORY, encoding="utf-8")
    return dataclasses.replace(
        config, sources=SourcesConfig(local=(str(folder),)), tui=TuiConfig(browser=browser)
    )


@pytest.mark.asyncio
async def test_the_reader_lists_links_and_L_then_a_number_copies_it(
    config: Config, tmp_path: Path
) -> None:
    app = BriefApp(config=_config(config, tmp_path / "news"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = content_of(app.screen.query_one("#reader-links")).plain
        assert "[1] the port authority — port.example" in shown
        assert "[2] repair plan — city.example" in shown
        assert "write to us (mailto:desk@harbour.example not opened)" in shown
        assert "\x1b" not in shown and "[3] Hostile" in shown  # cleaned when parsed
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("2", "y")
        await settle(pilot)
        assert not isinstance(app.screen, LinkPicker)
        assert app.clipboard == "https://city.example/plan"
        assert "Copied link 2" in app.status


@pytest.mark.asyncio
async def test_L_then_a_number_then_enter_opens_it_in_the_configured_browser(
    config: Config, tmp_path: Path
) -> None:
    out = tmp_path / "opened.txt"
    script = f"import sys; open({str(out)!r}, 'w').write(sys.argv[1])"
    browser = f"{sys.executable} -c {shlex.quote(script)} %u"
    app = BriefApp(config=_config(config, tmp_path / "news", browser))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("L", "3", "enter")
        await settle(pilot)
        deadline = time.monotonic() + 10
        while not out.exists() and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert out.read_text(encoding="utf-8") == "https://evil.example/x"


@pytest.mark.asyncio
async def test_digits_add_up_and_escape_closes_without_acting() -> None:
    targets = article_targets(
        _article(links=tuple(Link(f"https://x.example/{i}", str(i)) for i in range(1, 13)))
    )
    picker = LinkPicker(targets, "[b]Title[/b]")
    from textual.app import App

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(picker)

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        from textual.containers import Vertical

        title = picker.query_one(Vertical)._border_title
        assert title is not None and "[b]Title[/b]" in title.plain  # a feed title, not markup
        await pilot.press("1", "2")
        from textual.widgets import OptionList

        assert picker.query_one(OptionList).highlighted == 11  # link 12
        await pilot.press("9")  # 129 is no link: start again at 9
        assert picker.query_one(OptionList).highlighted == 8
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not picker


@pytest.mark.asyncio
async def test_under_brief_serve_links_open_in_a_browser_tab(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brief.tui.serve import WEB_DRIVER

    app = BriefApp(config=_config(config, tmp_path / "news", browser="never-run %u"))
    opened: list[tuple[str, bool]] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # Textual's web driver sends the URL to the page; the test driver has no page.
        monkeypatch.setattr(
            app, "open_url", lambda url, new_tab=True: opened.append((url, new_tab))
        )
        monkeypatch.setenv("TEXTUAL_DRIVER", WEB_DRIVER)
        await pilot.press("L", "1", "enter")
        await settle(pilot)
        app.open_link("javascript:alert(1)")
        await settle(pilot)
    assert opened == [("https://www.port.example/news", True)]

"""Untrusted text (feed titles, bodies, error lines) is shown as literal text, never interpreted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from brief import paths
from brief.config import Config, SourcesConfig
from brief.tui.app import BriefApp
from brief.tui.untrusted import one_line, plain, plain_line, printable, rich_line
from brief.tui.widgets.reader import Reader
from tests.tui.conftest import content_of, notices, screen_text, settle

HOSTILE_TITLE = "[bold red]BREAKING[/] [@click=app.quit]click me[/] \x1b[2J\x1b]52;c;cHduZWQ=\x07"
HOSTILE_BODY = (
    "Officials said the [link=https://evil.example]report[/link] was false"
    " \x1b]52;c;cHduZWQ=\x07 in a statement.\n\n"
    "The screen should not clear.\x1b[2J\x1b[H Nor should the title change.\x1b]0;pwned\x07\n\n"
    "A bell\x07, a backspace\x08, a C1 CSI\x9b31m and a bidi override \u202egnp.exe stay visible."
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "␛[2J"),
        ("\x1b]52;c;aGk=\x07", "␛]52;c;aGk=␇"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("del\x7f", "del␡"),
        ("c1\x9b31m", "c1\ufffd31m"),
        ("bidi\u202eevil", "bidi\ufffdevil"),
        ("crlf\r\n", "crlf \n"),
        ("[bold]not markup[/bold]", "[bold]not markup[/bold]"),
    ],
)
def test_printable_replaces_controls_one_for_one(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    assert len(printable(raw)) == len(raw)  # offsets into the text stay valid


def test_one_line_folds_whitespace_and_controls() -> None:
    assert one_line("  a\n\nb\t c\x1b[0m ") == "a b c␛[0m"


@pytest.mark.parametrize("make", [plain, plain_line])
def test_content_is_never_parsed_as_markup(make: object) -> None:
    content = make("[bold red]x[/] [@click=app.quit]y[/]")  # type: ignore[operator]
    assert content.plain == "[bold red]x[/] [@click=app.quit]y[/]"
    assert not content.spans


def test_rich_cells_are_never_parsed_as_markup() -> None:
    text = rich_line("[b]x[/b]\x1b[31m")
    assert text.plain == "[b]x[/b]␛[31m"
    assert not text.spans


@pytest.fixture
def hostile_config(tmp_path: Path) -> Config:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "story.md").write_text(
        f"---\ntitle: {HOSTILE_TITLE}\ndate: 2026-11-28T06:00:00+00:00\n"
        "url: https://evil.example/story\n---\n\n" + HOSTILE_BODY,
        encoding="utf-8",
    )
    return dataclasses.replace(
        Config(), sources=SourcesConfig(local=(str(folder),)), path=paths.config_file()
    )


@pytest.mark.asyncio
async def test_hostile_article_is_shown_literally(hostile_config: Config) -> None:
    app = BriefApp(config=hostile_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert "[bold red]BREAKING[/] [@click=app.quit]click" in text  # shown, not applied
        assert "␛[2J␛]52;c;cHduZWQ=␇" in text
        assert "[link=https://evil.example]report[/link]" in text
        reader = app.screen.query_one(Reader)
        head = content_of(reader.query_one("#reader-head"))
        assert (
            "[bold red]BREAKING[/] [@click=app.quit]click me[/] ␛[2J␛]52;c;cHduZWQ=␇" in head.plain
        )
        # The body keeps every character visible, with the summary still lined up on it.
        body = content_of(reader.query_one("#reader-body"))
        assert body.plain == printable(reader.article.text)  # type: ignore[union-attr]
        assert all(span.end <= len(body.plain) for span in body.spans)
        # Clicking the "link" in the title does nothing: the app keeps running.
        await pilot.click(Reader, offset=(20, 0))
        await pilot.pause()
        assert app.is_running
        assert app.clipboard != "pwned"


@pytest.mark.asyncio
async def test_hostile_text_in_the_briefing_preview_is_literal(hostile_config: Config) -> None:
    config = dataclasses.replace(
        hostile_config,
        briefing=dataclasses.replace(hostile_config.briefing, sections=("stories", "sources")),
    )
    app = BriefApp(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        assert "BREAKING" in text
        assert app.is_running


@pytest.mark.asyncio
async def test_notifications_show_markup_literally(app: BriefApp) -> None:
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.say("feed said [bold]hi[/] [@click=app.quit]x[/]\x1b[2J", severity="error")
        await pilot.pause(0.3)
        assert any("[bold]hi[/] [@click=app.quit]x[/]␛[2J" in n for n in notices(app))
        assert "[bold]hi[/]" in screen_text(app)

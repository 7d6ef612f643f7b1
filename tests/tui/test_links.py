"""Links handed to programs: only http(s), through the configured ``browser`` command."""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import pytest

from brief.config import Config, SourcesConfig, TuiConfig
from brief.tui.app import BriefApp
from brief.tui.untrusted import browser_command, safe_link
from tests.tui.conftest import notices, settle


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://news.example.org/a?b=1#c", True),
        ("HTTP://example.com/", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>x</script>", False),
        ("https://", False),
        ("https://example.com/a b", False),
        ("https://example.com/\x1b]52;c;eA==\x07", False),
        ("", False),
    ],
)
def test_only_http_links_leave_the_app(url: str, ok: bool) -> None:
    assert (safe_link(url) is not None) is ok


def test_the_browser_command_takes_the_link_as_one_word() -> None:
    assert browser_command("w3m %u", "https://a.example/x") == ["w3m", "https://a.example/x"]
    assert browser_command("open -a 'My Browser'", "https://a/") == [
        "open",
        "-a",
        "My Browser",
        "https://a/",
    ]
    link = "https://a.example/;rm -rf ~"  # never shell syntax: one argv word
    assert browser_command("sh -c 'echo %u'", link) == ["sh", "-c", f"echo {link}"]


def _article(folder: Path, url: str) -> None:
    folder.mkdir()
    (folder / "story.md").write_text(
        f"---\ntitle: Harbour reopens\ndate: 2026-11-28T06:00:00+00:00\nurl: {url}\n---\n\n"
        "The harbour reopened on Friday after the storm.\n",
        encoding="utf-8",
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("url", "opened"), [("https://harbour.example/reopens", True), ("javascript:alert(1)", False)]
)
async def test_o_hands_http_links_to_the_configured_browser(
    config: Config, tmp_path: Path, url: str, opened: bool
) -> None:
    _article(tmp_path / "news", url)
    out = tmp_path / "opened.txt"
    script = f"import sys; open({str(out)!r}, 'w').write(sys.argv[1])"
    browser = f"{sys.executable} -c {_sh(script)} %u"
    app = BriefApp(
        config=dataclasses.replace(
            config,
            sources=SourcesConfig(local=(str(tmp_path / "news"),)),
            tui=TuiConfig(browser=browser),
        )
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        if opened:
            await pilot.press("o")
        else:  # the local reader drops such links itself; a feed's could still carry one
            app.open_link(url)
        await settle(pilot)
        deadline = time.monotonic() + 10
        while opened and not out.exists() and time.monotonic() < deadline:
            await pilot.pause(0.05)
        if opened:
            assert out.read_text(encoding="utf-8") == url
        else:
            assert not out.exists()
            assert any("only http(s) links" in n for n in notices(app))


def _sh(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"

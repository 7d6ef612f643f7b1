"""Smoke test in a real terminal: the real `brief` inside tmux on the bundled seeds.

Keys go in with ``tmux send-keys`` and the screen comes back with
``tmux capture-pane``, so this checks what a user at a terminal would see,
including the colours the terminal is sent.  Skipped when tmux is missing
(``.ci/run`` installs it in CI).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

REPO = Path(__file__).resolve().parents[2]


class Terminal:
    """One tmux server of our own (its own socket) running `brief` in a pane."""

    def __init__(self, env: dict[str, str], size: tuple[int, int] = (100, 30)) -> None:
        self.socket = f"brief-test-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.size = size

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )

    def start(self, *argv: str) -> None:
        width, height = self.size
        assignments = [f"{k}={v}" for k, v in self.env.items()]
        unset = [
            arg
            for name in ("COLORTERM", "NO_COLOR", "COLUMNS", "LINES")
            if name not in self.env
            for arg in ("-u", name)
        ]
        command = ["env", *unset, *assignments, sys.executable, "-m", "brief", *argv]
        # A fixed window size (no client ever attaches to resize it), and the pane kept
        # after brief exits so its exit can be seen.
        result = self.tmux(
            "-f", "/dev/null", "new-session", "-d", "-s", "brief",
            "-x", str(width), "-y", str(height), " ".join(_quote(c) for c in command),
            ";", "set-option", "-t", "brief", "window-size", "manual",
            ";", "set-option", "-t", "brief", "remain-on-exit", "on",
            ";", "resize-window", "-t", "brief", "-x", str(width), "-y", str(height),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr

    def screen(self, *, escapes: bool = False) -> str:
        args = ["capture-pane", "-p", "-t", "brief"] + (["-e"] if escapes else [])
        return self.tmux(*args).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "brief", key)
            time.sleep(0.15)

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if check(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{text}")

    def wait_text(self, needle: str, timeout: float = 30.0) -> str:
        return self.wait_for(lambda text: needle in text, repr(needle), timeout)

    def exited(self) -> bool:
        return (
            self.tmux("display-message", "-p", "-t", "brief", "#{pane_dead}").stdout.strip() == "1"
        )

    def stop(self) -> None:
        socket = self.tmux("display-message", "-p", "#{socket_path}").stdout.strip()
        self.tmux("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)  # tmux may leave its socket file behind


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


@pytest.fixture
def terminal_env(private_env: Path) -> dict[str, str]:
    """The private folders of this test, a terminal type, and the pinned clock."""
    env = {
        name: os.environ[name]
        for name in (
            "HOME",
            "BRIEF_CONFIG",
            "BRIEF_DATA_DIR",
            "BRIEF_OUTPUT_DIR",
            "BRIEF_NOW",
            "TZ",
        )
    }
    env["TERM"] = "xterm-256color"
    env["PYTHONPATH"] = str(REPO)
    return env


@pytest.fixture
def terminal(terminal_env: dict[str, str]) -> Iterator[Terminal]:
    term = Terminal(terminal_env)
    try:
        yield term
    finally:
        term.stop()


def test_a_newcomer_reads_explores_actors_and_saves_the_briefing(
    terminal: Terminal, private_env: Path
) -> None:
    terminal.env["COLORTERM"] = "truecolor"
    terminal.start()
    screen = terminal.wait_for(
        lambda s: "1 article from 1 source" in s and "q Quit" in s, "the first collection"
    )
    lines = screen.rstrip("\n").splitlines()
    assert len(lines) == 30
    assert "1 Today" in lines[0] and "3 Briefing" in lines[0] and "Sat 28 Nov 2026" in lines[0]
    assert "Sample articles" in screen
    assert "Chinese President Xi Jinping is flying to Russia" in screen
    assert "/ Search" in lines[-1] and "? Help" in lines[-1] and "q Quit" in lines[-1]

    terminal.keys("2")
    screen = terminal.wait_text("Vladimir Putin")
    assert "Xi Jinping" in screen and "Russia" in screen and "person" in screen

    terminal.keys("3")
    screen = terminal.wait_text("Top stories")
    assert "Morning briefing" in screen and "w saves to" in screen
    terminal.keys("w")
    target = private_env / "out" / "2026-11-28.md"
    terminal.wait_text("✓ saved 2026-11-28.md")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle:") and "## Top stories" in text and "Xi Jinping" in text

    terminal.keys("?")
    terminal.wait_text("Command palette")
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Command palette" not in s, "help to close")

    terminal.keys("q")
    terminal.wait_for(lambda _: terminal.exited(), "brief to exit", timeout=20)


def test_the_newcomer_flow_at_80_by_24_with_only_the_keys_on_screen(
    terminal_env: dict[str, str], private_env: Path
) -> None:
    term = Terminal(terminal_env, size=(80, 24))
    try:
        term.start("tui")
        screen = term.wait_for(lambda s: "1 article from 1 source" in s, "the first collection")
        lines = screen.rstrip("\n").splitlines()
        assert len(lines) == 24 and "5 Settings" in lines[0]
        assert "Sample articles" in lines[2]  # the source's name fits its pane
        assert "⏎ Read" in lines[-1] and "q Quit" in lines[-1]

        term.keys("Enter")  # read: the key bar now says how to get back
        term.wait_for(lambda s: "esc Back" in s.splitlines()[-1], "esc Back in the key bar")
        term.keys("Escape")
        term.wait_for(lambda s: "⏎ Read" in s.splitlines()[-1], "the list again")

        term.keys("2")  # actors: Enter is offered, j moves down the ranking
        term.wait_for(lambda s: "⏎ Articles" in s.splitlines()[-1], "the actors' keys")
        term.keys("j", "Enter")
        screen = term.wait_text('actor:"Russia"')  # the second-ranked actor
        assert "Chinese President Xi Jinping" in screen

        term.keys("Escape", "3")
        screen = term.wait_text("Top stories")
        # A long story title wraps instead of running off the right edge.
        # (the digest line above the stories, cut to 16 words, wraps the same way)
        assert "underlining Beijing…" in screen
        assert "Briefing: 1 story, " in screen and "1 source" in screen
        term.keys("w")
        term.wait_text("Saved the briefing")
        term.keys("w")
        screen = term.wait_text("Replace the existing briefing?")
        assert "esc cancels" in screen
        term.keys("Right", "Enter")  # "Keep both"
        out = private_env / "out"
        deadline = time.monotonic() + 20
        while not (out / "2026-11-28-2.md").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(p.name for p in out.iterdir()) == ["2026-11-28-2.md", "2026-11-28.md"]

        term.keys("q")
        term.wait_for(lambda _: term.exited(), "brief to exit", timeout=20)
    finally:
        term.stop()


def test_without_colorterm_only_256_colours_are_sent(terminal: Terminal) -> None:
    terminal.start()  # TERM=xterm-256color, no COLORTERM: as over ssh by default
    terminal.wait_text("Sample articles")
    coloured = terminal.screen(escapes=True)
    assert re.search(r"\x1b\[[0-9;]*38;5;\d+", coloured)  # palette colours are used
    assert not re.search(r"[34]8;2;\d+;\d+;\d+", coloured)  # and never 24-bit ones
    terminal.keys("q")
    terminal.wait_for(lambda _: terminal.exited(), "brief to exit", timeout=20)


# xterm-256 entries that are pure greys: the grey ramp and the grey diagonal of the cube.
GREYS = {*range(232, 256), 16, 59, 102, 145, 188, 231, 0, 7, 8, 15}


def test_no_color_sends_greys_only(terminal: Terminal) -> None:
    terminal.env["NO_COLOR"] = "1"
    terminal.start()
    screen = terminal.wait_text("Sample articles")
    assert "Chinese President Xi Jinping" in screen
    coloured = terminal.screen(escapes=True)
    # Textual honours NO_COLOR by drawing in shades of grey: no hue anywhere, while the
    # cursor and highlights stay visible through brightness alone.
    used = {int(n) for n in re.findall(r"[34]8;5;(\d+)", coloured)}
    assert used and used <= GREYS, used - GREYS
    assert not re.search(r"[34]8;2;", coloured)
    terminal.keys("q")
    terminal.wait_for(lambda _: terminal.exited(), "brief to exit", timeout=20)

"""The frame around every screen: the navigation bar on top and the status line below."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Label, ProgressBar, Static

from brief.tui.untrusted import one_line

# (mode, key, label): the screens, in the order of their number keys.
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("today", "1", "Today"),
    ("actors", "2", "Actors"),
    ("briefing", "3", "Briefing"),
    ("sources", "4", "Sources"),
    ("settings", "5", "Settings"),
)


def nav_content(current: str, day: datetime | None, width: int) -> Content:
    """The navigation line: brief's name, the screens with their keys, the day."""
    parts: list[Content] = [Content.assemble((" brief ", "bold reverse $primary"), " ")]
    for mode, key, label in SCREENS:
        style = "bold reverse $accent" if mode == current else ""
        item = Content.assemble((key, "bold $accent" if mode != current else ""), " ", label)
        item = (
            Content.assemble(" ", item, " ").stylize(style)
            if style
            else Content.assemble(" ", item, " ")
        )
        parts.append(item.stylize(f"@click=app.goto('{mode}')"))
    line = Content("").join(parts)
    if day is not None:
        stamp = day.astimezone().strftime("%a %d %b %Y")
        room = width - line.cell_length - 1
        if room >= len(stamp):
            line = Content.assemble(line, " " * (room - len(stamp)), (stamp, "$text-muted"), " ")
    return line


class NavBar(Static):
    """One line naming the screens and their number keys; click or press the number."""

    DEFAULT_CSS = """
    NavBar {
        height: 1;
        background: $panel;
    }
    """

    def __init__(self, current: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        from brief.tui.app import BriefApp

        day = self.app.now() if isinstance(self.app, BriefApp) else None
        self.update(nav_content(self.current, day, self.size.width))


class StatusLine(Horizontal):
    """What the app is doing: a one-line status with counts, and a progress bar while busy."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $text-muted;
    }
    StatusLine > #status-text {
        width: 1fr;
        padding: 0 1;
    }
    StatusLine > ProgressBar {
        width: 32;
        display: none;
    }
    StatusLine.-busy > ProgressBar {
        display: block;
    }
    """

    status: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        yield Label("", id="status-text", markup=False)
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="status-progress")

    def on_mount(self) -> None:
        app = self.app
        self.watch(app, "status", self._on_status, init=True)
        self.watch(app, "progress", self._on_progress, init=True)

    def _on_status(self, status: str) -> None:
        self.query_one("#status-text", Label).update(Content(one_line(status)))

    def _on_progress(self, progress: tuple[int, int] | None) -> None:
        bar = self.query_one(ProgressBar)
        self.set_class(progress is not None, "-busy")
        if progress is None:
            return
        done, total = progress
        bar.update(total=total if total > 0 else None, progress=done)

"""The frame around every screen: the navigation bar on top and the status line below."""

from __future__ import annotations

from datetime import datetime

from textual import events
from textual.content import Content
from textual.widgets import Static

from brief.tui.untrusted import one_line

# (mode, key, label): the screens, in the order of their number keys.
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("today", "1", "Today"),
    ("actors", "2", "Actors"),
    ("briefing", "3", "Briefing"),
    ("sources", "4", "Sources"),
    ("settings", "5", "Settings"),
)


def nav_content(
    current: str, day: datetime | None, width: int
) -> tuple[Content, list[tuple[int, int, str]]]:
    """The navigation line (brief's name, the screens with their keys, the day) and where
    each screen's label sits on it: (start, end, mode) for mouse clicks."""
    parts: list[Content] = [Content.assemble((" brief ", "bold reverse $primary"), " ")]
    places: list[tuple[int, int, str]] = []
    x = parts[0].cell_length
    for mode, key, label in SCREENS:
        if mode == current:
            item = Content.assemble((f" {key} {label} ", "bold reverse $accent"))
        else:
            item = Content.assemble(" ", (key, "bold $accent"), f" {label} ")
        places.append((x, x + item.cell_length, mode))
        x += item.cell_length
        parts.append(item)
    line = Content("").join(parts)
    if day is not None:
        stamp = day.astimezone().strftime("%a %d %b %Y")
        room = width - line.cell_length - 1
        if room >= len(stamp):
            line = Content.assemble(line, " " * (room - len(stamp)), (stamp, "$text-muted"), " ")
    return line, places


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
        self._places: list[tuple[int, int, str]] = []
        # Drawn at once (not on mount) so the very first frame already names the screens.
        line, self._places = nav_content(current, None, 0)
        self.update(line)

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        from brief.tui.app import BriefApp

        day = self.app.now() if isinstance(self.app, BriefApp) else None
        line, self._places = nav_content(self.current, day, self.size.width)
        self.update(line)

    async def on_click(self, event: events.Click) -> None:
        for start, end, mode in self._places:
            if start <= event.x < end:
                await self.app.run_action(f"goto('{mode}')")
                return


def progress_bar(done: int, total: int, width: int = 20) -> str:
    """A text progress bar: ``━━━━━━╺━━━━━━━━ 6/20``; without a total, just an ellipsis."""
    if total <= 0:
        return "…"
    filled = min(width, round(width * done / total))
    return (
        "━" * filled
        + ("╺" if filled < width else "")
        + "─" * max(0, width - filled - 1)
        + f" {done}/{total}"
    )


class StatusLine(Static):
    """What the app is doing: one line with counts, and a text progress bar while busy.

    Text rather than a progress-bar widget: nothing animates, so it costs nothing
    while idle, reads the same over a slow ssh link, and shows exact counts.
    """

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        app = self.app
        self.watch(app, "status", self._redraw, init=False)
        self.watch(app, "progress", self._redraw, init=False)
        self._redraw()

    def _redraw(self, _: object = None) -> None:
        status = str(getattr(self.app, "status", ""))
        progress: tuple[int, int] | None = getattr(self.app, "progress", None)
        if progress is None:
            self.update(Content(one_line(status)))
            return
        bar = progress_bar(*progress)
        self.update(Content.assemble((bar, "$accent"), "  ", one_line(status)))

"""The frame around every screen: the navigation bar on top and the status line below."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.binding import ActiveBinding, Binding
    from textual.screen import Screen

from brief.tui.untrusted import one_line

# (mode, key, label): the screens, in the order of their number keys.
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("today", "1", "Today"),
    ("actors", "2", "Actors"),
    ("briefing", "3", "Briefing"),
    ("sources", "4", "Sources"),
    ("settings", "5", "Settings"),
)


class Pane(Widget, inherit_bindings=False):
    """A plain box for laying out a screen's parts; its layout comes from the screen's CSS.

    Textual's ``Horizontal``/``Vertical`` would do, but each brings default styles
    to parse before the first frame; a screen's own stylesheet says it all anyway.
    """


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
        from brief.tui.protocol import DeskApp

        app = self.app
        day = app.now() if isinstance(app, DeskApp) else None
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


class KeyItem(NamedTuple):
    """One key offered in the key bar."""

    key: str  # the key to simulate when clicked
    display: str  # how the key is shown (``⏎``, ``^p``)
    description: str
    enabled: bool


def key_items(
    bindings: Iterable[ActiveBinding], key_display: Callable[[Binding], str]
) -> list[KeyItem]:
    """The keys to show, in binding order: one per action (``up,k`` shows once)."""
    items: dict[str, KeyItem] = {}
    for active in bindings:
        binding = active.binding
        if binding.show and binding.action not in items:
            items[binding.action] = KeyItem(
                binding.key, key_display(binding), binding.description, active.enabled
            )
    return list(items.values())


def key_bar_content(
    items: list[KeyItem], palette: KeyItem | None, width: int
) -> tuple[Content, list[tuple[int, int, str]]]:
    """The key bar line, cut to ``width`` at a whole key, and where each key sits on it."""
    parts: list[Content] = []
    places: list[tuple[int, int, str]] = []
    x = 0
    right = (
        Content.assemble((palette.display, "bold $footer-key-foreground"), " palette ")
        if palette is not None
        else Content("")
    )
    room = width - (right.cell_length + 1 if palette is not None else 0)
    for item in items:
        part = Content.assemble(
            (item.display, "bold $footer-key-foreground"),
            (f" {item.description}" if item.description else "", "$footer-description-foreground"),
            " ",
        )
        if not item.enabled:
            part = part.stylize("dim")
        if x + part.cell_length - 1 > room:  # the trailing space may go
            break
        places.append((x, x + part.cell_length, item.key))
        parts.append(part)
        x += part.cell_length
    line = Content("").join(parts)
    if palette is not None and x + right.cell_length <= width:
        gap = width - x - right.cell_length
        places.append((width - right.cell_length, width, palette.key))
        line = Content.assemble(line, " " * gap, right)
    return line, places


class KeyBar(Widget):
    """The keys that work here, on one line; click a key to press it.

    What Textual's ``Footer`` shows, drawn as a single line of text: the footer
    builds a widget per key and rebuilds them all whenever the bindings change
    (several times while a screen opens), which was the largest single cost of
    the first frame.  This one just draws the line again.
    """

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $panel;
    }
    """

    show_command_palette: reactive[bool] = reactive(True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._places: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def items(self) -> list[KeyItem]:
        """The keys offered now (the focused widget's, its screen's and the app's)."""
        return key_items(self.screen.active_bindings.values(), self.app.get_key_display)

    def _palette_item(self) -> KeyItem | None:
        app = self.app
        if not (self.show_command_palette and app.ENABLE_COMMAND_PALETTE):
            return None
        active = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if active is None:
            return None
        return KeyItem(active.binding.key, app.get_key_display(active.binding), "", active.enabled)

    def render(self) -> Content:
        line, self._places = key_bar_content(
            self.items(), self._palette_item(), self.content_region.width
        )
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._places:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return

"""One actor's timeline from the actor ledger, as ``brief actor NAME`` prints it; Escape closes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from brief.tui.untrusted import plain_line
from brief.tui.widgets.pager import Pager


def timeline_content(lines: Sequence[str]) -> Content:
    """The timeline's lines (untrusted text) as content; the first one is its heading."""
    shown = [
        plain_line(line, "bold $accent" if number == 0 else "") for number, line in enumerate(lines)
    ]
    return Content("\n").join(shown)


class TimelineScreen(ModalScreen[None]):
    """The highlighted actor's days: mentions, stories, quotes with dates and links, company."""

    DEFAULT_CSS = """
    TimelineScreen {
        align: center middle;
        background: $background 60%;
    }
    TimelineScreen > Vertical {
        width: 96;
        max-width: 100%;
        height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    TimelineScreen Pager {
        height: 1fr;
    }
    TimelineScreen .dialog-hint {
        width: 100%;
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,t", "dismiss_none", "Close"),
    ]

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self._lines = tuple(lines)

    def compose(self) -> ComposeResult:
        with Vertical():
            with Pager(id="timeline-pager"):
                yield Static(timeline_content(self._lines), id="timeline-text")
            yield Label(Content("j k space scroll · esc closes"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#timeline-pager", Pager).focus()

    def action_dismiss_none(self) -> None:
        """Close the timeline."""
        self.dismiss(None)

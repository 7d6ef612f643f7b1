"""The link picker (``L``): the shown article's numbered links and enclosures, by keyboard.

Type a link's number (digits add up: ``1`` ``2`` is link 12), then Enter (or
``o``) opens it through the same path as ``o`` (the configured ``browser``,
only http(s)), ``y`` copies it with OSC 52.  Nothing else from the feed is
ever handed on: the list holds only the article's http(s) targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from brief.tui.untrusted import one_line, plain
from brief.tui.widgets.reader import Target, host_of

Choice = tuple[Literal["open", "copy"], Target]


def target_prompt(target: Target) -> Content:
    """One row of the picker: ``[3] text — host``."""
    kind = "enclosure: " if target.enclosure else ""
    return Content.assemble(
        (f"[{target.number}] ", "bold"),
        plain(kind + one_line(target.label)),
        plain(" — " + one_line(host_of(target.url))),
    )


class LinkPicker(ModalScreen[Choice | None]):
    """Pick one of an article's links by number; dismissed with what to do with it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss_none", "Close"),
        Binding("enter,o", "choose('open')", "Open", priority=True),
        Binding("y,c", "choose('copy')", "Copy (OSC 52)"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
        *(Binding(str(d), f"digit({d})", show=False) for d in range(10)),
    ]

    DEFAULT_CSS = """
    LinkPicker {
        align: center middle;
        background: $background 60%;
    }
    LinkPicker > Vertical {
        width: 90;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
    }
    LinkPicker OptionList {
        height: auto;
        max-height: 20;
        border: none;
    }
    LinkPicker #links-hint {
        color: $text-muted;
        padding: 0 1;
        height: 1;
    }
    """

    def __init__(self, targets: Sequence[Target], title: str = "") -> None:
        super().__init__()
        self.targets = tuple(targets)
        self._title = title
        self._typed = ""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            # Content, not a str: a str border title is parsed as markup.
            box.border_title = plain("Links of " + (one_line(self._title)[:60] or "the article"))
            yield OptionList(
                *(Option(target_prompt(t), id=str(t.number)) for t in self.targets),
                id="links-list",
            )
            yield Static(
                Content("a number, then Enter opens · y copies · esc closes"), id="links-hint"
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def action_digit(self, digit: int) -> None:
        """Add a digit to the number typed; highlight that link (or start again from it)."""
        typed = self._typed + str(digit)
        if not typed.lstrip("0") or int(typed) > len(self.targets):
            typed = str(digit)
        self._typed = typed
        number = int(typed)
        if 1 <= number <= len(self.targets):
            self.query_one(OptionList).highlighted = number - 1
            self.query_one("#links-hint", Static).update(
                Content(f"link {number}: Enter opens · y copies · esc closes")
            )

    def action_cursor(self, direction: str) -> None:
        self._typed = ""
        options = self.query_one(OptionList)
        if direction == "down":
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_choose(self, what: Literal["open", "copy"]) -> None:
        """Dismiss with the highlighted link and what to do with it."""
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.targets):
            return
        self.dismiss((what, self.targets[index]))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

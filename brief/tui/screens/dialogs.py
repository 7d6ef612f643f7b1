"""Small modal questions: confirm a choice, or ask for one line of text."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from brief.tui.untrusted import plain

DIALOG_CSS = """
{name} {{
    align: center middle;
    background: $background 60%;
}}
{name} > Vertical {{
    width: 72;
    max-width: 95%;
    height: auto;
    border: thick $primary;
    background: $surface;
    padding: 1 2;
}}
{name} .dialog-title {{
    text-style: bold;
    width: 100%;
    padding-bottom: 1;
}}
{name} .dialog-text {{
    width: 100%;
    padding-bottom: 1;
}}
{name} Horizontal {{
    height: auto;
    align-horizontal: right;
}}
{name} Button {{
    margin-left: 1;
}}
{name} .dialog-hint {{
    width: 100%;
    padding-top: 1;
    color: $text-muted;
}}
"""


class ChoiceDialog(ModalScreen[str | None]):
    """Ask the user to pick one of a few answers; Escape means None (cancel)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("left", "app.focus_previous", "Previous answer", show=False),
        Binding("right", "app.focus_next", "Next answer", show=False),
    ]

    def __init__(self, title: str, text: str, choices: list[tuple[str, str]]) -> None:
        """``choices`` are (answer id, button label); the first is the default button."""
        super().__init__()
        self._title = title
        self._text = text
        self._choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self._title), classes="dialog-title")
            yield Label(plain(self._text), classes="dialog-text")
            with Horizontal():
                for index, (answer, label) in enumerate(self._choices):
                    yield Button(
                        Content(label),
                        id=f"choice-{answer}",
                        variant="primary" if index == 0 else "default",
                    )
                yield Button(Content("Cancel"), id="choice-cancel")
            yield Label(
                Content("enter picks the highlighted answer · ← → or tab move · esc cancels"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        answer = (event.button.id or "").removeprefix("choice-")
        self.dismiss(None if answer == "cancel" else answer)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line of text (a URL, a folder); Enter accepts, Escape cancels."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PromptDialog")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, title: str, text: str, *, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._placeholder = placeholder
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self._title), classes="dialog-title")
            yield Label(plain(self._text), classes="dialog-text")
            yield Input(value=self._value, placeholder=self._placeholder, id="prompt-input")
            with Horizontal():
                yield Button(Content("OK"), id="prompt-ok", variant="primary")
                yield Button(Content("Cancel"), id="prompt-cancel")
            yield Label(Content("enter accepts · esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._accept(event.value)

    @on(Button.Pressed, "#prompt-ok")
    def _ok(self) -> None:
        self._accept(self.query_one(Input).value)

    @on(Button.Pressed, "#prompt-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def _accept(self, value: str) -> None:
        value = value.strip()
        self.dismiss(value or None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

"""A scrolling pane with the pager keys a terminal reader expects: j k g G space."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll


class Pager(VerticalScroll, can_focus=True):
    """Vertical scrolling with less/newsboat keys; no scrollbar unless there is more to see."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("b,pageup", "page_up", "Page up", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
    ]

    DEFAULT_CSS = """
    Pager {
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

"""The sources pane of the Today screen: every source with its unread count and health mark."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from brief.tui.untrusted import one_line

if TYPE_CHECKING:
    from brief.models import SourceHealth

ALL_SOURCES = "*all*"


def health_mark(health: SourceHealth) -> tuple[str, str]:
    """A one-cell mark and its style: ✓ ok, ! ok with warnings, ✗ failed, · not yet collected."""
    if health.error:
        return "✗", "bold $error"
    if health.last_success is None and health.article_count == 0:
        return "·", "$text-muted"
    if health.warnings:
        return "!", "bold $warning"
    return "✓", "$success"


COUNT_WIDTH = 3


def _line(mark: tuple[str, str], name: str, name_style: str, unread: int, width: int) -> Content:
    """``mark name … count``: the name cut to fit, the unread count right-aligned."""
    count = str(unread) if unread else ""
    room = max(4, width - 2 - COUNT_WIDTH)
    if cell_len(name) > room:
        name = set_cell_size(name, room - 1) + "…"
    return Content.assemble(
        mark, " ", (set_cell_size(name, room), name_style), (count.rjust(COUNT_WIDTH), "$accent")
    )


def source_prompt(health: SourceHealth, unread: int, width: int) -> Content:
    """One source line: health mark, name and unread count."""
    return _line(
        health_mark(health), one_line(health.source.name), "bold" if unread else "", unread, width
    )


def all_prompt(unread: int, width: int) -> Content:
    """The first line: every source together."""
    return _line(("≡", "$primary"), "All sources", "bold", unread, width)


class SourceList(ScrollView, can_focus=True):
    """Pick a source to list only its articles; the first entry lists them all.

    A line-API list rather than an ``OptionList``: it draws only what is on
    screen and brings no styles of its own beyond these few rules, which keeps
    the first frame of the Today screen quick.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "select", "Its articles", show=True),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"source-list--cursor"}

    DEFAULT_CSS = """
    SourceList {
        width: 26;
        background: $surface;
    }
    SourceList > .source-list--cursor {
        background: $block-cursor-blurred-background;
    }
    SourceList:focus > .source-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class _SourceMessage(Message):
        """A message about one source of the list (``source_id`` None: all sources)."""

        def __init__(self, source_list: SourceList, source_id: str | None) -> None:
            super().__init__()
            self.source_list = source_list
            self.source_id = source_id

        @property
        def control(self) -> SourceList:
            """The list that sent the message."""
            return self.source_list

    class Highlighted(_SourceMessage):
        """The cursor moved onto a source (``source_id`` None: all sources)."""

    class Selected(_SourceMessage):
        """A source was chosen (Enter or click): its articles are wanted."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._sources: tuple[SourceHealth, ...] = ()
        self._unread: Counter[str] = Counter()
        self._quiet = False

    # -- data --

    def show(
        self, sources: Sequence[SourceHealth], unread: Counter[str], *, selected: str | None
    ) -> None:
        """List ``sources`` with unread counts, keeping ``selected`` highlighted (quietly)."""
        self._sources = tuple(sources)
        self._unread = unread
        ids = [h.source.id for h in self._sources]
        self.virtual_size = Size(self.size.width, len(ids) + 1)
        self._quiet = True  # the screen chose this source itself: no Highlighted back
        self.cursor = ids.index(selected) + 1 if selected in ids else 0
        self._quiet = False

    def update_counts(self, unread: Counter[str]) -> None:
        """Redraw with new unread counts."""
        self._unread = unread
        self.refresh()

    @property
    def option_count(self) -> int:
        """Entries listed: "All sources" and each source."""
        return len(self._sources) + 1

    @property
    def selected_source(self) -> str | None:
        """The highlighted source id, or None for all sources."""
        if 1 <= self.cursor <= len(self._sources):
            return self._sources[self.cursor - 1].source.id
        return None

    # -- cursor --

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self._sources)))

    def watch_cursor(self, cursor: int) -> None:
        self.scroll_to_region(Region(0, cursor, 1, 1), animate=False, force=True)
        self.refresh()
        if not self._quiet:
            self.post_message(self.Highlighted(self, self.selected_source))

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._sources)

    def action_select(self) -> None:
        self.post_message(self.Selected(self, self.selected_source))

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "source_row" in meta:
            row = int(meta["source_row"])
            if row != self.cursor:
                self.cursor = row
            self.action_select()

    # -- rendering --

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._sources) + 1)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        base = self.get_visual_style()
        if not 0 <= index <= len(self._sources):
            return Strip.blank(width, base.rich_style)
        room = max(10, width - 1)  # a cell of margin on the left; the counts end the line
        if index == 0:
            prompt = all_prompt(sum(self._unread.values()), room)
        else:
            health = self._sources[index - 1]
            prompt = source_prompt(health, self._unread.get(health.source.id, 0), room)
        style = self.get_visual_style("source-list--cursor") if index == self.cursor else base
        strips = Visual.to_strips(self, Content.assemble(" ", prompt), width, 1, style)
        strip = strips[0] if strips else Strip.blank(width)
        return strip.extend_cell_length(width, style.rich_style).apply_meta({"source_row": index})

"""The day's articles as a fast, sortable list: time, source, title; one line each.

A line-API widget: only the rows on screen are rendered, so 10,000 articles
cost no more to draw than ten, and re-sorting is a plain list sort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from brief.tui.state import SORT_KEYS, SortKey, sort_articles
from brief.tui.untrusted import one_line

if TYPE_CHECKING:
    from brief.models import Article

TIME_WIDTH = 5
SOURCE_WIDTH = 14
MARK_WIDTH = 2


@dataclass(frozen=True, slots=True)
class Row:
    """One article as the list shows it (already made printable)."""

    article_id: str
    time: str
    source: str
    title: str


def article_time(published: datetime | None, today: datetime | None) -> str:
    """``HH:MM`` for today's articles, ``DD Mon`` for older ones, blank when unknown."""
    if published is None:
        return ""
    local = published.astimezone()
    if today is not None and local.date() == today.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b")


class ArticleList(ScrollView, can_focus=True):
    """A cursor over the day's articles; Enter reads the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "select", "Read", show=True),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--header",
        "article-list--cursor",
    }

    DEFAULT_CSS = """
    ArticleList {
        background: $surface;
        overflow-x: hidden;
    }
    ArticleList > .article-list--header {
        text-style: bold;
        color: $text-muted;
        background: $panel;
    }
    ArticleList > .article-list--cursor {
        background: $block-cursor-blurred-background;
    }
    ArticleList:focus > .article-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    sort_key: reactive[SortKey] = reactive[SortKey]("time", init=False)
    sort_reverse: reactive[bool] = reactive(False, init=False)

    class Highlighted(Message):
        """The cursor moved onto an article."""

        def __init__(self, article_list: ArticleList, article_id: str | None) -> None:
            super().__init__()
            self.article_list = article_list
            self.article_id = article_id

        @property
        def control(self) -> ArticleList:
            """The list that sent the message."""
            return self.article_list

    class Selected(Message):
        """An article was chosen (Enter or click) to read."""

        def __init__(self, article_list: ArticleList, article_id: str) -> None:
            super().__init__()
            self.article_list = article_list
            self.article_id = article_id

        @property
        def control(self) -> ArticleList:
            """The list that sent the message."""
            return self.article_list

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._articles: list[Article] = []
        self._rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._read: dict[str, None] | set[str] = set()
        self._today: datetime | None = None
        self._last_highlight: str | bool | None = False

    # -- data --

    @property
    def row_count(self) -> int:
        """How many articles are listed."""
        return len(self._rows)

    @property
    def article_ids(self) -> list[str]:
        """The listed article ids, in display order."""
        return [row.article_id for row in self._rows]

    @property
    def highlighted_id(self) -> str | None:
        """The id of the article under the cursor."""
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor].article_id
        return None

    def show(
        self,
        articles: list[Article],
        *,
        read: dict[str, None] | set[str],
        today: datetime | None,
        keep: str | None = None,
    ) -> None:
        """List ``articles`` (re-sorted by the current key), keeping the cursor on ``keep``."""
        keep = keep if keep is not None else self.highlighted_id
        self._articles = list(articles)
        self._read = read
        self._today = today
        self._rebuild(keep)

    def mark_read(self, read: dict[str, None] | set[str]) -> None:
        """Redraw with new read marks."""
        self._read = read
        self.refresh()

    def _rebuild(self, keep: str | None) -> None:
        ordered = sort_articles(self._articles, self.sort_key, reverse=self.sort_reverse)
        self._rows = [
            Row(
                a.id,
                article_time(a.published, self._today),
                one_line(a.source_name),
                one_line(a.title),
            )
            for a in ordered
        ]
        self._index = {row.article_id: i for i, row in enumerate(self._rows)}
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._last_highlight = False
        self.cursor = self._index.get(keep, 0) if keep else 0
        self.refresh()

    def select_article(self, article_id: str) -> bool:
        """Move the cursor to an article; False when it is not listed."""
        index = self._index.get(article_id)
        if index is None:
            return False
        self.cursor = index
        return True

    def cycle_sort(self) -> SortKey:
        """Sort by the next key (time → source → title); returns the new key."""
        position = SORT_KEYS.index(self.sort_key)
        self.sort_key = SORT_KEYS[(position + 1) % len(SORT_KEYS)]
        return self.sort_key

    def sort_by(self, key: SortKey) -> None:
        """Sort by ``key``; the same key again reverses the order."""
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_reverse = False
            self.sort_key = key

    def watch_sort_key(self) -> None:
        self._rebuild(self.highlighted_id)

    def watch_sort_reverse(self) -> None:
        self._rebuild(self.highlighted_id)

    # -- cursor --

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, cursor: int) -> None:
        self.scroll_to_region(
            Region(0, cursor + 1, 1, 1), spacing=Spacing(1, 0, 0, 0), animate=False, force=True
        )
        self.refresh()
        article_id = self.highlighted_id
        if article_id != self._last_highlight:
            self._last_highlight = article_id
            self.post_message(self.Highlighted(self, article_id))

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 2)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 2)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_select(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.Selected(self, article_id))

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "sort" in meta:
            self.sort_by(meta["sort"])
        elif "row" in meta:
            row = int(meta["row"])
            if row == self.cursor and event.chain >= 2:
                self.action_select()
            else:
                self.cursor = row
                if event.chain >= 2:
                    self.action_select()

    # -- rendering --

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._render_header(width)
        index = self.scroll_offset.y + y - 1
        base = self.get_visual_style()
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, base.rich_style)
        row = self._rows[index]
        unread = row.article_id not in self._read
        source_width = self._source_width(width)
        title_width = max(1, width - MARK_WIDTH - TIME_WIDTH - 1 - source_width - 1)
        cells = Content.assemble(
            ("● ", "$accent") if unread else "  ",
            (_fit(row.time, TIME_WIDTH), "dim"),
            " ",
            (_fit(row.source, source_width), "dim"),
            " ",
            (_fit(row.title, title_width), "bold" if unread else ""),
        )
        style = base
        if index == self.cursor:
            style = self.get_visual_style("article-list--cursor")
        strips = Visual.to_strips(self, cells, width, 1, style)
        strip = strips[0] if strips else Strip.blank(width)
        return strip.extend_cell_length(width, style.rich_style).apply_meta({"row": index})

    def _source_width(self, width: int) -> int:
        # Narrow terminals give the title the room; the source column shrinks first.
        return SOURCE_WIDTH if width >= 60 else max(6, SOURCE_WIDTH - (60 - width) // 2)

    def _render_header(self, width: int) -> Strip:
        style = self.get_visual_style("article-list--header")
        arrow = "▲" if self.sort_reverse else "▼"
        labels = {
            key: (f"{key.title()}{arrow}" if key == self.sort_key else key.title())
            for key in SORT_KEYS
        }
        source_width = self._source_width(width)
        segments = [
            Segment(" " * MARK_WIDTH, style.rich_style),
            Segment(_fit(labels["time"], TIME_WIDTH), style.rich_style + _meta("time")),
            Segment(" ", style.rich_style),
            Segment(_fit(labels["source"], source_width), style.rich_style + _meta("source")),
            Segment(" ", style.rich_style),
            Segment(labels["title"], style.rich_style + _meta("title")),
        ]
        count = f" {len(self._rows)} "
        strip = Strip(segments).adjust_cell_length(max(0, width - len(count)), style.rich_style)
        return Strip([*strip, Segment(count, style.rich_style)]).crop(0, width)


def _meta(key: str) -> RichStyle:
    return RichStyle.from_meta({"sort": key})


def _fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` cells (an ellipsis marks a cut)."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…"

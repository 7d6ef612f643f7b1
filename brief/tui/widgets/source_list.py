"""The sources pane of the Today screen: every source with its unread count and health mark."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

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
    if len(name) > room:
        name = name[: room - 1] + "…"
    return Content.assemble(
        mark, " ", (name.ljust(room), name_style), (count.rjust(COUNT_WIDTH), "$accent")
    )


def source_prompt(health: SourceHealth, unread: int, width: int) -> Content:
    """One source line: health mark, name and unread count."""
    return _line(
        health_mark(health), one_line(health.source.name), "bold" if unread else "", unread, width
    )


def all_prompt(unread: int, width: int) -> Content:
    """The first line: every source together."""
    return _line(("≡", "$primary"), "All sources", "bold", unread, width)


class SourceList(OptionList):
    """Pick a source to list only its articles; the first entry lists them all."""

    DEFAULT_CSS = """
    SourceList {
        width: 26;
        border: none;
        background: $surface;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._sources: tuple[SourceHealth, ...] = ()
        self._unread: Counter[str] = Counter()

    def show(
        self, sources: Sequence[SourceHealth], unread: Counter[str], *, selected: str | None
    ) -> None:
        """List ``sources`` with unread counts, keeping ``selected`` highlighted."""
        self._sources = tuple(sources)
        self._unread = unread
        width = self._prompt_width()
        total = sum(unread.values())
        options = [Option(all_prompt(total, width), id=ALL_SOURCES)]
        options += [
            Option(source_prompt(h, unread.get(h.source.id, 0), width), id=h.source.id)
            for h in self._sources
        ]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            target = selected if selected in {h.source.id for h in self._sources} else ALL_SOURCES
            self.highlighted = self.get_option_index(target)

    def update_counts(self, unread: Counter[str]) -> None:
        """Redraw the unread counts only."""
        self._unread = unread
        width = self._prompt_width()
        self.replace_option_prompt(ALL_SOURCES, all_prompt(sum(unread.values()), width))
        for health in self._sources:
            self.replace_option_prompt(
                health.source.id, source_prompt(health, unread.get(health.source.id, 0), width)
            )

    def _prompt_width(self) -> int:
        # Options have one cell of padding each side; before the first layout the
        # region is empty, and 26 matches the CSS width.
        return max(10, (self.scrollable_content_region.width or 26) - 2)

    def on_resize(self) -> None:
        if self._sources:
            self.update_counts(self._unread)

    @property
    def selected_source(self) -> str | None:
        """The highlighted source id, or None for all sources."""
        option = self.highlighted_option
        if option is None or option.id == ALL_SOURCES:
            return None
        return option.id

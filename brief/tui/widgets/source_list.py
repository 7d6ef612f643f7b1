"""The sources pane of the Today screen: every source with its unread count and health mark."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from brief.models import SourceHealth
from brief.tui.untrusted import one_line

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


def source_prompt(health: SourceHealth, unread: int, width: int) -> Content:
    """One source line: mark, name (cut to fit) and unread count."""
    mark, style = health_mark(health)
    count = str(unread) if unread else ""
    room = max(4, width - 2 - len(count) - 1)
    name = one_line(health.source.name)
    if len(name) > room:
        name = name[: room - 1] + "…"
    return Content.assemble(
        (mark, style),
        " ",
        (name, "bold" if unread else ""),
        " " * max(1, room - len(name) + 1),
        (count, "$accent"),
    )


class SourceList(OptionList):
    """Pick a source to list only its articles; the first entry lists them all."""

    DEFAULT_CSS = """
    SourceList {
        width: 26;
        border: none;
        background: $surface;
    }
    SourceList.-narrow {
        width: 20;
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
        options = [Option(self._all_prompt(total, width), id=ALL_SOURCES)]
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
        self.replace_option_prompt(ALL_SOURCES, self._all_prompt(sum(unread.values()), width))
        for health in self._sources:
            self.replace_option_prompt(
                health.source.id, source_prompt(health, unread.get(health.source.id, 0), width)
            )

    def _prompt_width(self) -> int:
        # Before the first layout the region is empty; 24 matches the CSS width.
        return max(12, (self.scrollable_content_region.width or 24) - 2)

    def on_resize(self) -> None:
        if self._sources:
            self.update_counts(self._unread)

    @staticmethod
    def _all_prompt(total: int, width: int) -> Content:
        count = str(total) if total else ""
        label = "All sources"
        return Content.assemble(
            ("≡", "$primary"),
            " ",
            (label, "bold"),
            " " * max(1, width - len(label) - len(count) - 1),
            (count, "$accent"),
        )

    @property
    def selected_source(self) -> str | None:
        """The highlighted source id, or None for all sources."""
        option = self.highlighted_option
        if option is None or option.id == ALL_SOURCES:
            return None
        return option.id

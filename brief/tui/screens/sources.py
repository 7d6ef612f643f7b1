"""Sources: every feed and local folder with its health; add, remove, refresh, OPML."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from brief.models import SourceHealth
from brief.tui import jobs
from brief.tui.messages import OpmlExported
from brief.tui.screens.base import DeskScreen
from brief.tui.screens.dialogs import ChoiceDialog, PromptDialog
from brief.tui.untrusted import one_line, plain_line, rich_line
from brief.tui.widgets.source_list import health_mark
from brief.tui.widgets.table import ListTable
from brief.wording import plural

NAME_WIDTH = 28
# Cells taken by everything but the name and status columns (widths plus padding).
_FIXED_CELLS = 1 + 5 + 4 + 12 + 2 * 6 + 4  # (and a scrollbar)


def when(moment: datetime | None, now: datetime) -> str:
    """A short, local time: ``07:02`` today, ``27 Nov 07:02`` before, ``never``."""
    if moment is None:
        return "never"
    local = moment.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b %H:%M")


def source_detail(health: SourceHealth, now: datetime) -> Content:
    """Everything known about one source, for the detail pane."""
    source = health.source
    mark, style = health_mark(health)
    lines = [
        Content.assemble((mark, style), " ", plain_line(source.name, "bold")),
        plain_line(
            f"{'feed' if source.kind == 'feed' else 'local'} · {source.location}", "$text-muted"
        ),
    ]
    if source.tags:
        lines.append(plain_line("tags: " + ", ".join(source.tags), "$text-muted"))
    status = f"HTTP {health.status} · " if health.status else ""
    last = when(health.last_success, now)
    count = plural(health.article_count, "article")
    lines.append(Content(f"{status}{count} · last success {last}"))
    if health.error:
        lines.append(Content.assemble(("error: ", "bold $error"), plain_line(health.error)))
    for warning in health.warnings[:5]:
        lines.append(Content.assemble(("warning: ", "$warning"), plain_line(warning)))
    if len(health.warnings) > 5:
        lines.append(Content(f"… and {plural(len(health.warnings) - 5, 'more warning')}"))
    return Content("\n").join(lines)


class SourcesScreen(DeskScreen):
    """Manage where articles come from and see how each source fared."""

    MODE = "sources"
    CSS_PATH = "sources.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_feed", "Add feed"),
        Binding("l", "add_folder", "Add folder"),
        Binding("d,delete", "remove", "Remove"),
        Binding("r", "refresh_one", "Refresh"),
        Binding("R", "app.refresh_sources", "Refresh all", show=False),
        Binding("i", "import_opml", "Import", tooltip="Import an OPML subscription list"),
        Binding("e", "export_opml", "Export", tooltip="Export your feeds as OPML"),
    ]

    _columns_for = 0

    def compose_body(self) -> ComposeResult:
        table = ListTable(id="source-table", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="source-detail"):
            yield Static(Content(""), id="source-detail-text")

    def on_mount(self) -> None:
        self._add_columns(self.app.size.width)
        super().on_mount()
        self.query_one("#source-table", DataTable).focus()

    def _add_columns(self, width: int) -> None:
        """(Re)create the columns, sharing the width between name and status.

        Nothing then scrolls sideways, at 80 columns or 200.
        """
        table = self.query_one("#source-table", DataTable)
        table.clear(columns=True)
        room = max(20, width - _FIXED_CELLS)
        name = min(NAME_WIDTH, max(12, room // 2))
        self._columns_for = width
        table.add_column(" ", width=1, key="mark")
        table.add_column("Kind", width=5, key="kind")
        table.add_column("Name", width=name, key="name")
        table.add_column("Art", width=4, key="articles")
        table.add_column("Last ok", width=12, key="success")
        table.add_column("Status", width=max(8, room - name), key="status")

    def desk_versions(self) -> tuple[int, ...]:
        return (self.desk.version,)

    def on_resize(self) -> None:
        super().on_resize()
        if self.size.width != self._columns_for:
            self._add_columns(self.size.width)
            self.refresh_from_desk()

    def refresh_from_desk(self) -> None:
        table: DataTable[Text] = self.query_one("#source-table", DataTable)
        keep = self.highlighted_source
        table.clear()
        now = self.brief_app.now()
        for health in self.desk.sources:
            mark, style = health_mark(health)
            status = health.error or (
                plural(len(health.warnings), "warning") if health.warnings else "ok"
            )
            table.add_row(
                Text(mark, style=_rich_style(style)),
                Text(health.source.kind),
                rich_line(health.source.name),
                Text(str(health.article_count), justify="right"),
                Text(when(health.last_success, now)),
                rich_line(status, "red" if health.error else ""),
                key=health.source.id,
            )
        if keep is not None:
            ids = [h.source.id for h in self.desk.sources]
            if keep.source.id in ids:
                table.move_cursor(row=ids.index(keep.source.id), animate=False)
        failed = sum(1 for h in self.desk.sources if h.error)
        table.border_title = plural(len(self.desk.sources), "source") + (
            f", {failed} failing" if failed else ""
        )
        self._show_detail()

    @property
    def highlighted_source(self) -> SourceHealth | None:
        """The source under the cursor."""
        table = self.query_one("#source-table", DataTable)
        sources = self.desk.sources
        row = table.cursor_row
        if table.row_count == 0 or not 0 <= row < len(sources):
            return None
        return sources[row]

    @on(DataTable.RowHighlighted, "#source-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        text = self.query_one("#source-detail-text", Static)
        health = self.highlighted_source
        if health is None:
            text.update(
                Content(
                    "No sources yet.  a adds a feed URL, l a folder of articles, "
                    "i imports an OPML subscription list."
                )
            )
        else:
            text.update(source_detail(health, self.brief_app.now()))

    # -- actions --

    def action_add_feed(self) -> None:
        """Subscribe to a feed URL (checked before it is added)."""

        def answered(url: str | None) -> None:
            if url:
                self.brief_app.status = f"Checking {one_line(url)}…"
                self._add_feed(url)

        self.app.push_screen(
            PromptDialog(
                "Add a feed",
                "The address of an RSS, Atom or JSON feed (a web page with a feed link works too).",
                placeholder="https://example.com/feed.xml",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def _add_feed(self, url: str) -> None:
        config, found = jobs.add_feed(self.desk.config, url, self.brief_app.now())
        self.app.call_from_thread(self.brief_app.save_settings, config, f"Subscribed: {found}")

    def action_add_folder(self) -> None:
        """Add a local folder (or file) of articles."""

        def answered(entry: str | None) -> None:
            if entry:
                self._add_folder(entry)

        self.app.push_screen(
            PromptDialog(
                "Add a local folder",
                "A folder (or one file) of .txt, .md or .html articles.",
                placeholder=str(Path.home() / "articles"),
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def _add_folder(self, entry: str) -> None:
        config = jobs.add_folder(self.desk.config, entry)
        self.app.call_from_thread(self.brief_app.save_settings, config, f"Added {entry}")

    def action_remove(self) -> None:
        """Remove the highlighted source (asks first)."""
        health = self.highlighted_source
        if health is None:
            return
        source = health.source

        def answered(answer: str | None) -> None:
            if answer == "remove":
                self._remove(source.id)

        self.app.push_screen(
            ChoiceDialog(
                "Remove this source?",
                f"{source.name}\n{source.location}\nIts stored articles go too "
                "(unless another source also carried them).",
                [("remove", "Remove")],
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def _remove(self, source_id: str) -> None:
        health = self.desk.source_health(source_id)
        if health is None:
            return
        config = jobs.remove_source(self.desk.config, health.source)
        self.app.call_from_thread(
            self.brief_app.save_settings, config, f"Removed {health.source.name}"
        )

    def action_refresh_one(self) -> None:
        """Collect the highlighted source now."""
        health = self.highlighted_source
        if health is None:
            return
        if health.source.kind != "feed":
            self.brief_app.refresh_sources()
            return
        self.brief_app.refresh_feed(health.source)

    def action_import_opml(self) -> None:
        """Subscribe to every feed of an OPML file."""

        def answered(entry: str | None) -> None:
            if entry:
                self._import(entry)

        self.app.push_screen(
            PromptDialog(
                "Import OPML", "Path of an OPML subscription list.", placeholder="feeds.opml"
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def _import(self, entry: str) -> None:
        config, note = jobs.import_opml(self.desk.config, Path(entry).expanduser())
        self.app.call_from_thread(self.brief_app.save_settings, config, note)

    def action_export_opml(self) -> None:
        """Write the feed list as an OPML file."""
        default = str(Path.home() / "brief-feeds.opml")

        def answered(entry: str | None) -> None:
            if entry:
                self._export(entry)

        self.app.push_screen(
            PromptDialog("Export OPML", "Where to write the OPML file.", value=default), answered
        )

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def _export(self, entry: str) -> None:
        path, count = jobs.export_opml(
            self.desk.config, Path(entry).expanduser(), self.brief_app.now()
        )
        self.post_message(OpmlExported(path, count))

    def on_opml_exported(self, message: OpmlExported) -> None:
        self.brief_app.say(
            f"Wrote {plural(message.count, 'feed')} to {message.path}", title="OPML exported"
        )


def _rich_style(style: str) -> str:
    # Theme variables do not exist in Rich styles; map the few we use to plain colours.
    if "$error" in style:
        return "bold red"
    if "$warning" in style:
        return "bold yellow"
    if "$success" in style:
        return "green"
    return "dim"

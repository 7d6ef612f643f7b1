"""Actors: who is in today's news, ranked; each one's brief; Enter lists their articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from brief.models import ActorBrief
from brief.tui.screens.base import DeskScreen
from brief.tui.untrusted import one_line, plain_line, rich_line
from brief.tui.widgets.pager import Pager
from brief.tui.widgets.table import ListTable
from brief.wording import plural

KIND_LABELS = {"person": "person", "state": "state", "organisation": "org"}
_BARS = "▂▃▄▅▆▇█"  # a day's mentions, scaled to the week's most; zero is "▁", unknown "·"


def sparkline(trend: Sequence[int | None]) -> str:
    """A week of mentions as one character a day: "·" a day no briefing recorded."""
    top = max((n for n in trend if n), default=0)
    return "".join(
        "·"
        if n is None
        else "▁"
        if n == 0
        else _BARS[min(len(_BARS) - 1, (n * len(_BARS) - 1) // top)]
        for n in trend
    )


def trend_line(brief: ActorBrief) -> str:
    """ "mentions, last 7 days: - 0 3 2 ..." as the briefing writes it ("" without a trend)."""
    if brief.news is None or not brief.news.trend:
        return ""
    counts = " ".join("-" if n is None else str(n) for n in brief.news.trend)
    return f"mentions, last {len(brief.news.trend)} days: {counts}"


def actor_brief_content(brief: ActorBrief) -> Content:
    """One actor's brief as the right-hand pane shows it."""
    actor = brief.actor
    lines: list[Content] = [plain_line(actor.name, "bold $accent")]
    about: list[str] = [actor.kind]
    if actor.role:
        about.append(one_line(actor.role))
    if actor.affiliation:
        about.append(one_line(actor.affiliation))
    lines.append(plain_line(" · ".join(about), "$text-muted"))
    if actor.aliases:
        lines.append(plain_line("also: " + ", ".join(actor.aliases[:8]), "$text-muted"))
    lines.append(
        Content(
            f"{plural(brief.mention_count, 'mention')} in "
            f"{plural(brief.article_count, 'article')} from {plural(brief.source_count, 'source')}"
        )
    )
    trend = trend_line(brief)
    if trend:
        spark = sparkline(brief.news.trend) if brief.news else ""
        lines.append(Content.assemble(trend, "  ", (spark, "$accent")))
    if brief.sentences:
        lines += [Content(""), Content.assemble(("What happened", "bold"))]
        lines += [Content.assemble("• ", plain_line(s)) for s in brief.sentences]
    if brief.quotes:
        lines += [Content(""), Content.assemble(("What they said", "bold"))]
        for quote, source in brief.quotes:
            said = Content.assemble("“", plain_line(quote.text, "italic"), "”")
            who = one_line(quote.speaker) if quote.speaker and quote.speaker != actor.name else ""
            tail = " — " + ", ".join(x for x in (who, one_line(source)) if x)
            lines.append(Content.assemble("• ", said, (tail, "$text-muted")))
    if brief.co_actors:
        lines += [Content(""), Content.assemble(("Seen with", "bold"))]
        lines.append(
            plain_line(", ".join(f"{name} ({count})" for name, count in brief.co_actors[:10]))
        )
    lines += [
        Content(""),
        Content.assemble(
            ("enter", "bold $accent"),
            f" lists the {plural(brief.article_count, 'article')} "
            f"that mention{'s' if brief.article_count == 1 else ''} ",
            plain_line(actor.name, "bold"),
        ),
        Content.assemble(("t", "bold $accent"), " shows the timeline from the actor ledger"),
    ]
    return Content("\n").join(lines)


# The narrowest each column gets; the number columns widen to their longest number.
COLUMN_WIDTHS = {"rank": 3, "name": 22, "kind": 6, "articles": 3, "mentions": 3, "trend": 7}


class ActorTable(ListTable):
    """The ranked actors; Enter lists the articles that mention the highlighted one."""

    # DataTable's own Enter is hidden from the key bar; name what it does here.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Articles")]


class ActorsScreen(DeskScreen):
    """The day's actors ranked by salience, with kind and counts, and each one's brief."""

    MODE = "actors"
    CSS_PATH = "actors.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "show_articles", "Articles"),
        Binding("t", "show_timeline", "Timeline"),
        Binding("r", "app.refresh_sources", "Refresh", id="brief.refresh"),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="actors-main"):
            table = ActorTable(id="actor-table", cursor_type="row", zebra_stripes=True)
            yield table
            with Pager(id="actor-brief"):
                yield Static(Content(""), id="actor-brief-text")

    def on_mount(self) -> None:
        table = self.query_one("#actor-table", DataTable)
        table.add_column("#", width=COLUMN_WIDTHS["rank"], key="rank")
        table.add_column("Actor", width=COLUMN_WIDTHS["name"], key="name")
        table.add_column("Kind", width=COLUMN_WIDTHS["kind"], key="kind")
        table.add_column("Art", width=COLUMN_WIDTHS["articles"], key="articles")
        table.add_column("Men", width=COLUMN_WIDTHS["mentions"], key="mentions")
        table.add_column("7 days", width=COLUMN_WIDTHS["trend"], key="trend")
        super().on_mount()
        table.focus()

    def desk_versions(self) -> tuple[int, ...]:
        return (self.desk.version, self.desk.actors_version)

    def on_screen_resume(self) -> None:
        self.brief_app.want_actors()
        super().on_screen_resume()

    def refresh_from_desk(self) -> None:
        self.brief_app.want_actors()
        table: DataTable[Text] = self.query_one("#actor-table", DataTable)
        keep = self.highlighted_actor
        table.clear()
        briefs = self.desk.actor_briefs
        for rank, brief in enumerate(briefs, start=1):
            table.add_row(
                Text(str(rank), style="dim"),
                rich_line(brief.actor.name, "bold"),
                Text(KIND_LABELS.get(brief.actor.kind, brief.actor.kind)),
                Text(str(brief.article_count), justify="right"),
                Text(str(brief.mention_count), justify="right"),
                Text(sparkline(brief.news.trend) if brief.news else "", style="dim"),
                key=brief.actor.name,
            )
        self._fit_count_columns(briefs)
        if keep is not None:
            names = [b.actor.name for b in briefs]
            if keep.actor.name in names:
                table.move_cursor(row=names.index(keep.actor.name), animate=False)
        table.border_title = plural(len(briefs), "actor")
        self._show_brief()

    def _fit_count_columns(self, briefs: tuple[ActorBrief, ...]) -> None:
        """Widen the rank and count columns to their longest number (161 mentions is not "16")."""
        table: DataTable[Text] = self.query_one("#actor-table", DataTable)
        widest = {
            "rank": len(str(len(briefs))),
            "articles": max((len(str(b.article_count)) for b in briefs), default=1),
            "mentions": max((len(str(b.mention_count)) for b in briefs), default=1),
        }
        for key, column in table.columns.items():
            if key.value in widest:
                column.width = max(COLUMN_WIDTHS[str(key.value)], widest[str(key.value)])
        table.refresh(layout=True)

    @property
    def highlighted_actor(self) -> ActorBrief | None:
        """The actor under the cursor."""
        table = self.query_one("#actor-table", DataTable)
        briefs = self.desk.actor_briefs
        if not briefs or table.row_count == 0:
            return None
        row = table.cursor_row
        return briefs[row] if 0 <= row < len(briefs) else None

    @on(DataTable.RowHighlighted, "#actor-table")
    def _highlighted(self) -> None:
        self._show_brief()

    @on(DataTable.RowSelected, "#actor-table")
    async def _selected(self) -> None:
        await self.action_show_articles()

    def _show_brief(self) -> None:
        text = self.query_one("#actor-brief-text", Static)
        brief = self.highlighted_actor
        if brief is not None:
            text.update(actor_brief_content(brief))
        elif not self.desk.articles:
            text.update(Content("No articles yet: the actors appear once sources are collected."))
        elif self.desk.actors_version == 0 or self.brief_app.actors_pending:
            text.update(
                Content(
                    f"Finding the day's actors in {plural(len(self.desk.articles), 'article')}…"
                )
            )
        else:
            text.update(
                Content(
                    "No actor is mentioned often enough today.\n\n"
                    "Lower [actors] min_mentions, or add people, states and organisations "
                    "to your watchlist in Settings (5)."
                )
            )

    def action_show_timeline(self) -> None:
        """Open the highlighted actor's timeline (read from the ledger off the event loop)."""
        brief = self.highlighted_actor
        if brief is not None:
            self._read_timeline(brief.actor.name)

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def _read_timeline(self, name: str) -> None:
        from brief.tui import jobs

        lines = jobs.actor_timeline(self.brief_app.config, name, self.brief_app.now())
        if not get_current_worker().is_cancelled:
            self.post_message(self.TimelineRead(lines))

    class TimelineRead(Message):
        """An actor's timeline was read from the ledger."""

        def __init__(self, lines: list[str]) -> None:
            super().__init__()
            self.lines = lines

    def on_actors_screen_timeline_read(self, message: TimelineRead) -> None:
        from brief.tui.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(message.lines))

    async def action_show_articles(self) -> None:
        """List the articles that mention the highlighted actor (on Today)."""
        brief = self.highlighted_actor
        if brief is not None:
            await self.brief_app.show_actor_articles(brief.actor.name)

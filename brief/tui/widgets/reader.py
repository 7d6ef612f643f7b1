"""The reader: one article's text with its summary sentences highlighted and actors marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from brief.tui.untrusted import one_line, plain, plain_line, printable
from brief.tui.widgets.pager import Pager

if TYPE_CHECKING:
    from brief.models import Article, Mention, Quote, Sentence

UNATTRIBUTED_SHOWN = 3  # the reader lists at most this many quotes no one is credited with
SUMMARY_STYLE = "on $brief-summary"
MENTION_STYLE = "bold $brief-mention"
QUOTE_STYLE = "italic"


def article_body(
    article: Article,
    summary: Sequence[Sentence] = (),
    mentions: Sequence[Mention] = (),
    quotes: Sequence[Quote] = (),
) -> Content:
    """The article text as content: summary sentences on a highlight, actor mentions in colour.

    Offsets come from the core's analysis of ``article.text``; the text is made
    printable one character for one, so they still line up.
    """
    text = printable(article.text)
    content = Content(text, strip_control_codes=False)
    length = len(text)
    for quote in quotes:
        if 0 <= quote.start < quote.end <= length:
            content = content.stylize(QUOTE_STYLE, quote.start, quote.end)
    for sentence in summary:
        if 0 <= sentence.start < sentence.end <= length:
            content = content.stylize(SUMMARY_STYLE, sentence.start, sentence.end)
    for mention in mentions:
        if 0 <= mention.start < mention.end <= length:
            content = content.stylize(MENTION_STYLE, mention.start, mention.end)
    return content


def unattributed_content(quotes: Sequence[Quote]) -> Content:
    """The article's quotes whose speaker could not be told for sure, a few, the rest
    counted: shown as no one's, not guessed and not dropped (empty when there are none)."""
    if not quotes:
        return Content("")  # (and the core's actor layer stays unloaded until an analysis)
    from brief.actors.briefs import unattributed_quotes

    shown = unattributed_quotes(quotes)
    if not shown:
        return Content("")
    lines = [
        Content.assemble(("Unattributed quotes", "bold"), (" (speaker not certain)", "$text-muted"))
    ]
    for quote in shown[:UNATTRIBUTED_SHOWN]:
        lines.append(Content.assemble("• “", plain_line(quote.text, QUOTE_STYLE), "”"))
    hidden = len(shown) - UNATTRIBUTED_SHOWN
    if hidden > 0:
        lines.append(plain(f"and {hidden} more in the article", "$text-muted"))
    return Content("\n").join(lines)


def article_head(article: Article, when: str) -> Content:
    """Title and a meta line (source, time, author, link, other sources carrying it)."""
    parts = [one_line(article.source_name)]
    if when:
        parts.append(when)
    if article.author:
        parts.append("by " + one_line(article.author))
    meta = " · ".join(parts)
    lines = [
        plain(one_line(article.title) or "(untitled)", "bold $text"),
        Content("\n"),
        plain(meta, "$text-muted"),
    ]
    if article.also_in:
        lines += [
            Content("\n"),
            plain("also in " + ", ".join(one_line(s) for s in article.also_in), "$text-muted"),
        ]
    if article.url:
        lines += [Content("\n"), plain(one_line(article.url), "underline $text-muted")]
    return Content("").join(lines)


class Reader(Pager):
    """Shows the chosen article; the summary is highlighted once the analysis arrives."""

    DEFAULT_CSS = """
    Reader {
        padding: 0 1;
        background: $surface;
    }
    Reader #reader-head {
        padding-bottom: 1;
    }
    Reader #reader-legend {
        color: $text-muted;
        padding-top: 1;
    }
    Reader #reader-unattributed {
        padding-top: 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.analysed = False

    def compose(self) -> ComposeResult:
        yield Static(
            Content("Choose an article: ↑/↓ or j/k to move, Enter to read."), id="reader-head"
        )
        yield Static(Content(""), id="reader-body")
        yield Static(Content(""), id="reader-legend")
        listed = Static(Content(""), id="reader-unattributed")
        listed.display = False
        yield listed

    def show(
        self,
        article: Article | None,
        when: str = "",
        *,
        empty: str = "Nothing to read: no article matches.",
    ) -> None:
        """Show ``article`` without highlights (the analysis follows); ``empty`` when None."""
        self.article = article
        self.analysed = False
        head = self.query_one("#reader-head", Static)
        body = self.query_one("#reader-body", Static)
        legend = self.query_one("#reader-legend", Static)
        self._show_unattributed(())
        if article is None:
            head.update(Content(empty))
            body.update(Content(""))
            legend.update(Content(""))
            return
        head.update(article_head(article, when))
        body.update(article_body(article))
        legend.update(Content("summarizing…"))
        self.scroll_home(animate=False)

    def highlight(
        self,
        article_id: str,
        summary: Sequence[Sentence],
        mentions: Sequence[Mention],
        quotes: Sequence[Quote],
    ) -> None:
        """Apply the analysis of the shown article (ignored if another article is shown now)."""
        if self.article is None or self.article.id != article_id:
            return
        self.analysed = True
        self.query_one("#reader-body", Static).update(
            article_body(self.article, summary, mentions, quotes)
        )
        parts: list[str | tuple[str, str]] = [
            (" summary ", SUMMARY_STYLE),
            f" {len(summary)} sentences",
        ]
        if mentions:
            actors = len({m.actor for m in mentions})
            parts += ["   ", ("actors", MENTION_STYLE), f" {actors} named {len(mentions)} times"]
        legend = Content.assemble(*parts)
        self.query_one("#reader-legend", Static).update(legend)
        self._show_unattributed(quotes)

    def _show_unattributed(self, quotes: Sequence[Quote]) -> None:
        """The list of quotes no one is credited with; hidden (no blank line) when none."""
        listed = self.query_one("#reader-unattributed", Static)
        content = unattributed_content(quotes)
        listed.update(content)
        listed.display = bool(content.plain)

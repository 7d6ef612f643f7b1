"""The reader: one article's text with its summary sentences highlighted and actors marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from brief.tui.untrusted import one_line, plain, plain_line, printable, safe_link
from brief.tui.widgets.pager import Pager
from brief.wording import plural

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


@dataclass(frozen=True, slots=True)
class Target:
    """One numbered thing of an article the reader can open or copy: a link or an enclosure."""

    number: int
    url: str
    label: str  # what is shown after the number (untrusted: shown through one_line)
    enclosure: bool = False


def file_size(length: int | None) -> str:
    """A byte count for people: ``34.2 MB``; '' when unknown."""
    if length is None:
        return ""
    size = float(length)
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{length} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return ""  # pragma: no cover


def host_of(url: str) -> str:
    """The host of an http(s) URL (``www.`` dropped), for the ``— host`` after a link."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def article_targets(article: Article) -> list[Target]:
    """The article's openable links, then its openable enclosures, numbered from 1."""
    targets: list[Target] = []
    for link in article.links:
        if safe_link(link.url):
            targets.append(Target(len(targets) + 1, link.url, link.text or host_of(link.url)))
    for enclosure in article.enclosures:
        if safe_link(enclosure.url):
            what = " · ".join(p for p in (enclosure.type, file_size(enclosure.length)) if p)
            targets.append(
                Target(len(targets) + 1, enclosure.url, what or "enclosure", enclosure=True)
            )
    return targets


def article_links(article: Article) -> Content:
    """The numbered list under the article: ``[1] text — host``; enclosures with type and size.

    Links that are not http(s) (``mailto:``, ``javascript:``) are listed as text, without
    a number: nothing opens them.
    """
    targets = article_targets(article)
    lines: list[Content] = []
    links = [t for t in targets if not t.enclosure]
    enclosures = [t for t in targets if t.enclosure]
    inert = [link for link in article.links if not safe_link(link.url)]
    if links or inert:
        lines.append(plain("Links", "bold $text-muted"))
    for target in links:
        lines.append(_target_line(target))
    for link in inert:
        lines.append(
            Content.assemble(
                ("    ", ""),
                plain(one_line(link.text or link.url)),
                plain(f" ({one_line(link.url)[:60]} not opened)", "$text-muted"),
            )
        )
    if enclosures:
        lines.append(plain("Enclosures", "bold $text-muted"))
        lines.extend(_target_line(target) for target in enclosures)
    if not lines:
        return Content("")
    lines.append(plain("L, then the number: Enter opens, y copies", "$text-muted"))
    return Content("\n").join(lines)


def _target_line(target: Target) -> Content:
    return Content.assemble(
        (f"[{target.number}] ", "bold $accent"),
        plain(one_line(target.label)),
        plain(" — " + one_line(host_of(target.url)), "$text-muted"),
    )


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
    Reader #reader-links {
        padding-top: 1;
    }
    Reader #reader-links.-none {
        display: none;
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
        yield Static(Content(""), id="reader-links", classes="-none")

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
        links = self.query_one("#reader-links", Static)
        shown = article_links(article) if article is not None else Content("")
        links.update(shown)
        links.set_class(not shown.plain, "-none")
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
            " " + plural(len(summary), "sentence"),
        ]
        if mentions:
            actors = len({m.actor for m in mentions})
            parts += [
                "   ",
                ("actors", MENTION_STYLE),
                f" {actors} named {plural(len(mentions), 'time')}",
            ]
        legend = Content.assemble(*parts)
        self.query_one("#reader-legend", Static).update(legend)
        self._show_unattributed(quotes)

    def _show_unattributed(self, quotes: Sequence[Quote]) -> None:
        """The list of quotes no one is credited with; hidden (no blank line) when none."""
        listed = self.query_one("#reader-unattributed", Static)
        content = unattributed_content(quotes)
        listed.update(content)
        listed.display = bool(content.plain)

"""Today, the home screen: sources on the left, the day's articles, and the reader."""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.worker import get_current_worker

from brief.tui.messages import ArticleAnalysed, SearchFinished
from brief.tui.screens.base import DeskScreen
from brief.tui.state import (
    Filter,
    actor_article_map,
    filter_articles,
    next_source_with_unread,
    next_unread,
    parse_query,
    unread_counts,
)
from brief.tui.untrusted import one_line, plain
from brief.tui.widgets.article_list import ArticleList, article_time
from brief.tui.widgets.chrome import Pane
from brief.tui.widgets.reader import Reader
from brief.tui.widgets.source_list import SourceList
from brief.wording import plural

if TYPE_CHECKING:
    from textual.widgets import Input

    from brief.models import Article, Mention, Quote, Sentence

    Analysis = tuple[tuple[Sentence, ...], tuple[Mention, ...], tuple[Quote, ...]]

ANALYSES_KEPT = 200
SEARCH_HINT = "search words   source:NAME  tag:TAG  actor:NAME   (Enter to search, Esc to clear)"


class TodayScreen(DeskScreen):
    """The day's articles: pick a source, move through the list, read with the summary marked."""

    MODE = "today"
    # The list has the keys first (not the sources pane, the first focusable widget);
    # moving focus there from on_mount instead would change the key bindings twice.
    AUTO_FOCUS = "#articles"
    # today.tcss is loaded by the app (see BriefApp.CSS_PATH), for a quicker first frame.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="brief.search"),
        # Shown (as "esc Back") only when there is something to go back from.
        Binding("escape", "clear_search", "Back", tooltip="Back / clear search"),
        Binding("s", "sort", "Sort", id="brief.sort"),
        Binding("o", "open_link", "Link", id="brief.open_link"),
        # Off the key bar (the reader names it under the links it lists); in the help.
        Binding(
            "L",
            "links",
            "Links",
            show=False,
            tooltip="Links and enclosures of the article (numbered)",
            id="brief.links",
        ),
        Binding("r", "app.refresh_sources", "Refresh", id="brief.refresh"),
        Binding("z", "toggle_full_screen", "Full screen", show=False, id="brief.full_screen"),
        # Reached only from the reader (the list and the search box take Enter first).
        Binding("enter", "toggle_full_screen", "Back to the list", show=False),
        Binding("n", "next_unread", "Next unread", show=False, id="brief.next_unread"),
        Binding("p", "previous_unread", "Previous unread", show=False, id="brief.previous_unread"),
        Binding("N", "toggle_read", "Toggle read", show=False, id="brief.toggle_read"),
        Binding(
            "A", "mark_source_read", "Mark source read", show=False, id="brief.mark_source_read"
        ),
        Binding("C", "mark_all_read", "Mark all read", show=False, id="brief.mark_all_read"),
        Binding("U", "undo_marks", "Undo mark all/source", show=False, id="brief.undo_marks"),
        Binding("u", "unread_only", "Unread only", show=False, id="brief.unread_only"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = Filter()
        self.found: tuple[Article, ...] | None = None
        self._analyses: OrderedDict[str, Analysis] = OrderedDict()
        self._shown: list[Article] = []
        # The articles the last A / C marked read, for a one-key undo (U).
        self._undo: list[str] = []

    def compose_body(self) -> ComposeResult:
        with Pane(id="today-main"):
            yield SourceList(id="source-list")
            with Pane(id="today-split"):
                with Pane(id="today-list"):
                    yield ArticleList(id="articles")
                yield Reader(id="reader")

    # -- drawing --

    def refresh_from_desk(self) -> None:
        desk = self.desk
        sources = self.query_one(SourceList)
        sources.show(desk.sources, self._unread(), selected=self.filter.source_id)
        if self.filter.source_id is not None and desk.source_health(self.filter.source_id) is None:
            self.filter = replace(self.filter, source_id=None)
        self._apply_filter()

    def _pool(self) -> list[Article]:
        """The articles the list draws from: the day's, plus store hits of a search."""
        pool = list(self.desk.articles)
        if self.found is not None and self.filter.query.words:
            known = {a.id for a in pool}
            pool += [a for a in self.found if a.id not in known]
        return pool

    def _unread(self) -> Counter[str]:
        """Unread counts per source over the window the list shows."""
        return unread_counts(self._pool(), self.desk.read)

    def _apply_filter(self) -> None:
        desk = self.desk
        pool: list[Article] = list(desk.articles)
        found_ids = None
        if self.found is not None and self.filter.query.words:
            # Store hits may be older than today: list them too, once each.
            pool = self._pool()
            found_ids = frozenset(a.id for a in self.found)
            # Local articles may not be in the store: they still match by substring.
            found_ids |= {
                a.id
                for a in desk.articles
                if a.id not in found_ids and _substring_hit(a, self.filter)
            }
        shown = filter_articles(
            pool,
            self.filter,
            sources=desk.sources,
            actor_articles=actor_article_map(desk.actor_briefs),
            found_ids=found_ids,
            read=desk.read,
        )
        self._shown = shown
        articles = self.query_one(ArticleList)
        articles.show(shown, read=desk.read, today=self.brief_app.now())
        self._update_title()
        self._preview(articles.highlighted_id)

    def _update_title(self) -> None:
        articles = self.query_one(ArticleList)
        query = self.filter.query
        label = plural(articles.row_count, "article")
        if query:
            label += f" matching {query.describe()}"
        # Content, not a str (parsed as markup): a query can hold an actor's name from a feed.
        articles.border_title = plain(label)

    # -- sources and search --

    @on(SourceList.Highlighted)
    def _source_chosen(self, event: SourceList.Highlighted) -> None:
        source_id = event.source_id
        if source_id != self.filter.source_id:
            self.filter = replace(self.filter, source_id=source_id)
            self._apply_filter()

    @on(SourceList.Selected)
    def _source_entered(self) -> None:
        self.query_one(ArticleList).focus()

    def _search_box(self) -> Input:
        """The search box, created the first time it is needed (it is not in the first frame)."""
        from textual.widgets import Input

        found = self.query("#search")
        if found:
            return found.first(Input)
        search = Input(placeholder=SEARCH_HINT, id="search")
        self.query_one("#today-list").mount(search, before=0)
        return search

    def action_search(self) -> None:
        """Open the search box."""
        search = self._search_box()
        search.add_class("-open")
        search.focus()

    def search_for(self, text: str) -> None:
        """Run a search as if typed into the box (used by the Actors screen and the palette)."""
        search = self._search_box()
        search.value = text
        search.add_class("-open")
        self._run_search(text)
        self.query_one(ArticleList).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self._run_search(event.value)
            self.query_one(ArticleList).focus()

    def _run_search(self, text: str) -> None:
        query = parse_query(text)
        self.filter = replace(self.filter, query=query)
        self.found = None
        self.refresh_bindings()  # "esc Back" now clears the search
        if query.actor:
            self.brief_app.want_actors()
        if query.words:
            self._search_store(query.text)
        self._apply_filter()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_store(self, text: str) -> None:
        from brief.tui import jobs  # the core, imported off the event loop

        config = self.desk.config
        found = jobs.search_store(config, text)
        if found is not None and not get_current_worker().is_cancelled:
            read = jobs.read_state(config, [a.id for a in found], self.brief_app.now())
            self.post_message(SearchFinished(text, found, frozenset(read)))

    def on_search_finished(self, message: SearchFinished) -> None:
        if message.query == self.filter.query.text:
            self.found = message.found
            # Older hits come with their read state from the store.
            known = {a.id for a in self.desk.articles}
            self.desk.read.update(i for i in message.read if i not in known)
            self._apply_filter()

    def action_clear_search(self) -> None:
        """Back out: from the reader to the list; else clear the search and close the box."""
        if isinstance(self.focused, Reader) or self.has_class("-reading"):
            self._read_full_screen(False)
            return
        from textual.widgets import Input

        had_query = bool(self.filter.query)
        for search in self.query("#search").results(Input):
            had_query = had_query or bool(search.value)
            search.value = ""
            search.remove_class("-open")
        self.query_one(ArticleList).focus()
        if had_query:
            self.filter = replace(self.filter, query=parse_query(""))
            self.found = None
            self._apply_filter()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_search":
            # Offered in the key bar only while Esc has something to do.
            return (
                not isinstance(self.focused, ArticleList)
                or bool(self.filter.query)
                or self._box_open()
            )
        return True

    def _box_open(self) -> bool:
        return any(box.has_class("-open") for box in self.query("#search"))

    # -- list and reader --

    def action_sort(self) -> None:
        """Sort the list by the next column."""
        key = self.query_one(ArticleList).cycle_sort()
        self.brief_app.status = f"Sorted by {key}"

    @on(ArticleList.Highlighted)
    def _article_highlighted(self, event: ArticleList.Highlighted) -> None:
        self._preview(event.article_id)

    @on(ArticleList.Selected)
    def _article_selected(self, event: ArticleList.Selected) -> None:
        self._preview(event.article_id)
        self._mark([event.article_id], True)
        self._read_full_screen(True)

    def _read_full_screen(self, on: bool) -> None:
        """The reader alone on the screen (``on``), or back beside the list."""
        self.set_class(on, "-reading")
        if on:
            self.query_one(Reader).focus()
        else:
            self.query_one(ArticleList).focus()
        self.refresh_bindings()

    def action_toggle_full_screen(self) -> None:
        """Read full screen, or go back to the list (Enter / z)."""
        if self.has_class("-reading"):
            self._read_full_screen(False)
            return
        article_id = self.query_one(ArticleList).highlighted_id
        if article_id is not None:
            self._preview(article_id)
            self._mark([article_id], True)
        self._read_full_screen(True)

    def _preview(self, article_id: str | None) -> None:
        reader = self.query_one(Reader)
        article = next((a for a in self._shown if a.id == article_id), None) if article_id else None
        if reader.article is not None and article is not None and reader.article.id == article.id:
            return
        reader.show(
            article,
            article_time(article.published, self.brief_app.now()) if article else "",
            empty=self._nothing_to_read(),
        )
        if article is None:
            return
        # Moving the cursor only previews: an article is read when it is opened.
        if isinstance(self.focused, Reader):
            self._mark([article.id], True)
        cached = self._analyses.get(article.id)
        if cached is not None:
            reader.highlight(article.id, *cached)
        else:
            self._analyse(article)

    def _nothing_to_read(self) -> str:
        """Why the reader is empty, in words a newcomer can act on."""
        desk = self.desk
        if desk.version == 0:
            return "Opening the day's articles…"
        if not desk.articles:
            return "No articles for today yet. Add feeds or folders on the Sources screen (4)."
        if self.filter.query:
            return "Nothing to read: no article matches. Esc clears the search."
        return "Nothing to read: this source has no articles today."

    @work(thread=True, exclusive=True, group="reader", exit_on_error=False)
    def _analyse(self, article: Article) -> None:
        from brief.tui import jobs

        summary, mentions, quotes = jobs.analyse_article(article, self.desk.config)
        if not get_current_worker().is_cancelled:
            self.post_message(ArticleAnalysed(article.id, summary, mentions, quotes))

    def on_article_analysed(self, message: ArticleAnalysed) -> None:
        self._analyses[message.article_id] = (message.summary, message.mentions, message.quotes)
        while len(self._analyses) > ANALYSES_KEPT:
            self._analyses.popitem(last=False)
        self.query_one(Reader).highlight(
            message.article_id, message.summary, message.mentions, message.quotes
        )

    def forget_analyses(self) -> None:
        """Drop cached analyses (the summary settings changed)."""
        self._analyses.clear()
        reader = self.query_one(Reader)
        if reader.article is not None:
            article = reader.article
            reader.article = None
            self._preview(article.id)

    # -- read state --

    def _mark(self, article_ids: list[str], read: bool) -> list[str]:
        """Mark articles read or unread and redraw the marks and counts."""
        changed = self.brief_app.set_read(article_ids, read)
        if changed:
            self.query_one(ArticleList).mark_read(self.desk.read)
            self.query_one(SourceList).update_counts(self._unread())
        return changed

    def _step_unread(self, step: int) -> None:
        articles = self.query_one(ArticleList)
        ids = articles.article_ids
        index = next_unread(ids, articles.cursor if ids else -1, self.desk.read, step=step)
        if index is None:
            # The end of this source: on to the next (or previous) source with unread news.
            order = [h.source.id for h in self.desk.sources]
            source = next_source_with_unread(
                order, self.filter.source_id, self._unread(), step=step
            )
            if source is None or self.filter.source_id is None:
                self.brief_app.status = "No more unread articles" + (
                    " this way" if self._unread() else ""
                )
                return
            self.filter = replace(self.filter, source_id=source)
            self.query_one(SourceList).show(self.desk.sources, self._unread(), selected=source)
            self._apply_filter()
            ids = articles.article_ids
            start = -1 if step > 0 else len(ids)
            index = next_unread(ids, start, self.desk.read, step=step)
            if index is None:
                return
        articles.cursor = index
        if isinstance(self.focused, Reader):
            self._preview(ids[index])
            self._mark([ids[index]], True)

    def action_next_unread(self) -> None:
        """Jump to the next unread article (on to the next source at the end of one)."""
        self._step_unread(1)

    def action_previous_unread(self) -> None:
        """Jump to the previous unread article."""
        self._step_unread(-1)

    def action_toggle_read(self) -> None:
        """Mark the highlighted article read, or unread again."""
        article_id = self.query_one(ArticleList).highlighted_id
        if article_id is None:
            return
        read = article_id not in self.desk.read
        self._mark([article_id], read)
        self.brief_app.status = "Marked read" if read else "Marked unread"

    def action_mark_source_read(self) -> None:
        """Mark every article of the chosen source (else of the highlighted one's) read."""
        source_id = self.filter.source_id
        if source_id is None:
            article = self._highlighted()
            if article is None:
                return
            source_id = article.source_id
        ids = [a.id for a in self._pool() if a.source_id == source_id]
        health = self.desk.source_health(source_id)
        self._mark_many(ids, health.source.name if health else "this source")

    def action_mark_all_read(self) -> None:
        """Mark everything the list can show read (U undoes it)."""
        self._mark_many([a.id for a in self._pool()], "every source")

    def _mark_many(self, ids: list[str], what: str) -> None:
        changed = self._mark(ids, True)
        if changed:
            self._undo = changed
        self.brief_app.status = (
            f"Marked {plural(len(changed), 'article')} read in {one_line(what)} · U undoes"
            if changed
            else "Nothing unread there"
        )

    def action_undo_marks(self) -> None:
        """Undo the last mark-source or mark-all."""
        if not self._undo:
            self.brief_app.status = "Nothing to undo"
            return
        undone, self._undo = self._undo, []
        self._mark(undone, False)
        self.brief_app.status = f"{plural(len(undone), 'article')} unread again"

    def action_unread_only(self) -> None:
        """Show only unread articles, or everything again."""
        self.filter = replace(self.filter, unread_only=not self.filter.unread_only)
        self._apply_filter()
        self.brief_app.status = (
            "Unread articles only (u: all)" if self.filter.unread_only else ("All articles")
        )

    def _highlighted(self) -> Article | None:
        article_id = self.query_one(ArticleList).highlighted_id
        return next((a for a in self._shown if a.id == article_id), None)

    def action_open_link(self) -> None:
        """Copy the shown article's link (and open it when a local browser exists)."""
        article = self.query_one(Reader).article
        if article is None:
            self.brief_app.say("No article is open.", severity="warning")
        elif not article.url:
            self.brief_app.say("This article has no link (it is a local file).", severity="warning")
        else:
            self.brief_app.open_link(article.url)

    def action_links(self) -> None:
        """Pick one of the shown article's numbered links or enclosures: open or copy it."""
        from brief.tui.screens.links import Choice, LinkPicker
        from brief.tui.widgets.reader import article_targets

        article = self.query_one(Reader).article
        if article is None:
            self.brief_app.say("No article is open.", severity="warning")
            return
        targets = article_targets(article)
        if not targets:
            self.brief_app.status = "This article has no http(s) links or enclosures"
            return

        def chosen(choice: Choice | None) -> None:
            if choice is None:
                return
            what, target = choice
            if what == "open":
                self.brief_app.open_link(target.url)
            else:
                self.app.copy_to_clipboard(target.url)
                self.brief_app.status = f"Copied link {target.number}: {one_line(target.url)}"

        self.app.push_screen(LinkPicker(targets, article.title), chosen)


def _substring_hit(article: Article, flt: Filter) -> bool:
    from brief.tui.state import matches_words

    return matches_words(article, flt.query.words)

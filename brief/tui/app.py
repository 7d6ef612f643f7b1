"""brief's Textual app: five screens over one desk of data, workers for everything slow.

``run_tui(config)`` is what ``brief`` calls in a terminal.  The app opens on
the Today screen from the store's cache, then collects every source in a
worker and redraws.  Workers post past-tense messages (``brief.tui.messages``);
:meth:`BriefApp.report_worker` is the one place a failed worker becomes a
notification.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from brief.config import Config, replace_section, save_config
from brief.errors import BriefError
from brief.tui.messages import (
    ActorsAnalysed,
    CollectFailed,
    CollectionLoaded,
    CollectProgressed,
    FeedFetched,
    SettingsSaved,
)
from brief.tui.protocol import APP_BINDINGS
from brief.tui.refresh import Refresh
from brief.tui.screens.base import DeskScreen
from brief.tui.screens.today import TodayScreen
from brief.tui.state import Desk, skipped_note
from brief.tui.themes import brief_variables, load_themes, theme_folders
from brief.tui.untrusted import browser_command, one_line, safe_link
from brief.wording import plural

if TYPE_CHECKING:
    from brief.models import Article, Source
    from brief.tui.jobs import Collection

DEFAULT_THEME = "brief-dark"
# Background work the user may cancel with x (reading and saving are quick and not offered).
_CANCELLABLE = frozenset({"briefing", "feeds", "actors"})
# Workers whose failure is part of normal use get a friendlier title.
_WORKER_TITLES = {
    "collect": "Refresh failed",
    "reader": "Could not analyse the article",
    "actors": "Could not build actor briefs",
    "briefing": "Could not compose the briefing",
    "save": "Could not save the briefing",
    "settings": "Could not save settings",
    "feeds": "Source change failed",
    "search": "Search failed",
}


def current_time() -> datetime:
    """Now, in UTC; ``BRIEF_NOW`` (ISO 8601) pins it, as for ``brief run``."""
    pinned = os.environ.get("BRIEF_NOW")
    if pinned:
        try:
            moment = datetime.fromisoformat(pinned)
        except ValueError:
            return datetime.now(UTC)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def over_ssh(environ: Mapping[str, str] | None = None) -> bool:
    """True in an ssh session (there is no local browser to open there)."""
    env = os.environ if environ is None else environ
    return bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"))


def can_open_browser(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a graphical browser can be opened on this machine.

    Never over ssh (the browser would open on the server), and on Linux only
    with a display; a text-mode browser would take over the terminal, so
    those do not count.
    """
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if over_ssh(env):
        return False
    if platform.startswith("linux") or "bsd" in platform:
        return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    return platform in ("darwin", "win32")


def _screen(module: str, name: str) -> Screen[None]:
    """A new instance of one of the screens, imported on first use."""
    import importlib

    screen_class: type[Screen[None]] = getattr(
        importlib.import_module(f"brief.tui.screens.{module}"), name
    )
    return screen_class()


class BriefApp(App[int]):
    """The morning briefing, interactively: read, explore actors, preview and save."""

    TITLE = "brief"
    # Today's styles load with the app's (not with the screen) so the first frame
    # needs one stylesheet build, not two; the file still sits beside its screen.
    CSS_PATH = ["app.tcss", "screens/today.tcss"]  # noqa: RUF012 (Textual API)
    # Today is the first screen as the app's default screen, not through MODES:
    # Textual re-parses the whole stylesheet when it first shows a mode's screen,
    # which the first frame need not wait for.  on_mount then adds the mode, so
    # switching back to Today works like any other screen.
    DEFAULT_MODE = "today"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        # The other screens are imported when first shown, so the first paint is quick.
        "actors": lambda: _screen("actors", "ActorsScreen"),
        "briefing": lambda: _screen("briefing", "BriefingScreen"),
        "sources": lambda: _screen("sources", "SourcesScreen"),
        "settings": lambda: _screen("settings", "SettingsScreen"),
    }
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    status: reactive[str] = reactive("")
    progress: reactive[tuple[int, int] | None] = reactive(None)

    def __init__(
        self,
        *,
        config: Config,
        now: datetime | None = None,
        refresh_on_start: bool = True,
    ) -> None:
        super().__init__()
        self.desk = Desk(config=config)
        self._fixed_now = now
        self._refresh_on_start = refresh_on_start
        self._refresh = Refresh()
        self._quitting = False
        # Read/unread changes of this session: all of them (a collection arriving later
        # must not undo them) and those not yet in the store.
        self._session_marks: dict[str, bool] = {}
        self._unsaved_marks: list[tuple[str, bool]] = []
        self._marks_lock = threading.Lock()
        self._save_lock = threading.Lock()
        # The settings as last loaded or saved: a save writes only what differs from them, so
        # an edit made to the file meanwhile (another brief, an editor) is kept.
        self._saved_config = config
        self._settings_lock = threading.Lock()
        self.theme_files: dict[str, Path] = {}
        self._actors_wanted = False
        self._actors_built_for: tuple[int, object] | None = None
        self._actors_building_for: tuple[int, object] | None = None
        self._theme_warnings = self._load_themes()
        # What the status line says when nothing is going on (the last collection), and
        # the screen whose messages it shows now: another screen's are not carried over.
        self.resting_status = ""
        self._status_mode = ""
        # [keys] from the config (validated when it was loaded) over the bindings' own keys.
        self.keymap = {f"brief.{name}": keys for name, keys in asdict(config.keys).items()}
        self.set_keymap(self.keymap)

    # -- set-up --

    def now(self) -> datetime:
        """The app's idea of now (fixed in tests and with ``BRIEF_NOW``)."""
        return self._fixed_now or current_time()

    @property
    def config(self) -> Config:
        """The current settings."""
        return self.desk.config

    def get_css_variables(self) -> dict[str, str]:
        # brief's own variables get defaults derived from the theme's colours, so
        # Textual's built-in themes (which do not define them) work too.
        variables = brief_variables(super().get_css_variables())
        self.theme_variables = variables
        return variables

    def get_default_screen(self) -> Screen[None]:
        return TodayScreen()

    def on_mount(self) -> None:
        self.add_mode("today", TodayScreen)
        for warning in self._theme_warnings:
            self.say(warning, severity="warning", title="Themes")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.status = "Opening…"
        if self._refresh_on_start:
            # After the first frame: the refresh's imports (the whole core) would delay it.
            self.call_after_refresh(self.refresh_sources, offline_first=True, force=False)
        self.set_interval(2, self._save_read_state_if_dirty)
        minutes = self.config.tui.auto_refresh_minutes
        if minutes:
            self.set_interval(minutes * 60, self._refresh_on_timer)

    def _refresh_on_timer(self) -> None:
        # Not a person asking: the refresh interval and back-off apply.
        if not self._refresh.running:
            self.refresh_sources(force=False)

    def _load_themes(self) -> list[str]:
        """Register brief's and the user's themes and pick the configured one; warnings back.

        Done before the app starts, so the first stylesheet is built once, in the
        right colours, rather than built and then rebuilt for the theme.
        """
        warnings: list[str] = []
        loaded = load_themes(theme_folders())
        for theme in loaded.themes:
            self.register_theme(theme)
        self.theme_files = dict(loaded.files)
        if loaded.errors:
            warnings.append("Some theme files were skipped:\n" + "\n".join(loaded.errors))
        wanted = self.config.tui.theme
        if wanted in self.available_themes:
            self._start_in_theme(wanted)
        else:
            fallback = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
            self._start_in_theme(fallback)
            warnings.append(
                f"Theme {wanted!r} not found; using {fallback}. "
                f"Put theme files in {theme_folders()[-1]}."
            )
        return warnings

    def _start_in_theme(self, name: str) -> None:
        """Set the theme before the app runs, without the rebuild a theme change costs.

        Assigning ``App.theme`` schedules a full stylesheet rebuild; before the
        first frame there is nothing to rebuild, so set the value and do what the
        theme watcher does for an app that has not drawn yet: the theme classes,
        the stylesheet variables and the ANSI colour mapping.
        """
        self.set_reactive(App.theme, name)
        theme = self.current_theme
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes.update(
            {f"-theme-{name}": True, "-dark-mode": theme.dark, "-light-mode": not theme.dark}
        )
        self.update_classes(classes, update=False)
        self.stylesheet.set_variables(self.get_css_variables())
        refresh_filter = getattr(self, "_refresh_truecolor_filter", None)
        if refresh_filter is not None:  # private in Textual 8; harmless to skip if it goes
            refresh_filter(self.ansi_theme)

    # -- messages to the user --

    def say(
        self, message: str, *, severity: SeverityLevel = "information", title: str = ""
    ) -> None:
        """Notify with text that may contain untrusted parts (never parsed as markup)."""
        lines = [one_line(line) for line in message.splitlines() if line.strip()]
        self.notify("\n".join(lines), title=one_line(title), severity=severity, markup=False)

    def report_worker(self, event: Worker.StateChanged) -> None:
        """The one place worker outcomes reach the user: failures become notifications."""
        worker = event.worker
        if worker.group in _CANCELLABLE:
            self.refresh_bindings()
        if event.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, BriefError):
                reason = str(error)
            else:
                reason = f"{type(error).__name__}: {error}" if error else "unknown error"
            title = _WORKER_TITLES.get(worker.group, "Something went wrong")
            self.say(reason, severity="error", title=title)
            if worker.group in ("collect", "briefing", "save", "feeds", "settings", "actors"):
                self.progress = None
                self.status = f"{title}: {one_line(reason)}"
        elif event.state == WorkerState.CANCELLED and worker.group in (
            "collect",
            "briefing",
            "feeds",
        ):
            self.progress = None
            self.status = "Cancelled."

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker(event)

    # -- collecting --

    def action_refresh_sources(self) -> None:
        """Collect every source again, now (a key press is a person asking)."""
        self.refresh_sources(force=True)

    def refresh_sources(self, *, offline_first: bool = False, force: bool = True) -> None:
        """Collect every source in the background (first from the store when ``offline_first``).

        ``force`` fetches every feed now; auto-refresh passes False so the refresh
        interval and back-off apply.  While a collection runs, a new request joins it.
        """
        if self._refresh.running:
            if self._refresh.cancelled:
                self.say("The cancelled refresh is still stopping; try again in a moment.")
            else:
                self.say("A refresh is already running; its results will show here.")
            return
        feeds = len(self.config.feeds)
        sources = len(self.config.sources.local) + feeds
        self.progress = (0, feeds)
        self.status = f"Collecting {plural(sources, 'source')}…  (x to cancel)"
        config, now = self.config, self.now()
        self._refresh.start(
            lambda cancelled: self._collect(config, now, cancelled, offline_first, force),
            self._collect_failed,
        )
        self.refresh_bindings()

    def refresh_feed(self, source: Source) -> None:
        """Fetch one feed now, then show the store's articles; through the one refresh thread.

        A refresh already running fetches this feed too, so the request joins it
        (two fetches at once fought over the parse pool: see :mod:`.refresh`).
        """
        if self._refresh.running:
            self.say("A refresh is already running; it fetches this feed too.")
            return
        self.progress = (0, 1)
        self.status = f"Fetching {one_line(source.name)}…  (x to cancel)"
        config, now = self.config, self.now()
        self._refresh.start(
            lambda cancelled: self._collect_feed(config, now, source, cancelled),
            self._collect_failed,
        )
        self.refresh_bindings()

    def _collect_feed(
        self, config: Config, now: datetime, source: Source, cancelled: Callable[[], bool]
    ) -> None:
        """The refresh thread for one feed: fetch it, then reload from the store (no network)."""
        from brief.tui import jobs

        line = jobs.refresh_feed(config, source, now)
        if cancelled():
            return
        self.post_message(FeedFetched(source.name, line))
        try:
            found = jobs.collect(config, now, fetch=False, cancelled=cancelled, clock=self.now)
        except jobs.CollectCancelled:
            return
        self._post_collection(config, found, False, cancelled)

    def on_feed_fetched(self, message: FeedFetched) -> None:
        self.say(message.line, title=one_line(message.name))

    def _post_collection(
        self,
        config: Config,
        found: Collection,
        from_cache: bool,
        cancelled: Callable[[], bool],
    ) -> None:
        """Post a collection (with the store's read marks) to the app, unless cancelled."""
        read = self._read_state_of(config, found.articles)
        if not cancelled():
            self.post_message(
                CollectionLoaded(
                    found.articles,
                    found.sources,
                    from_cache=from_cache,
                    at=self.now(),
                    read=read,
                    skipped=found.skipped,
                )
            )

    def _collect(
        self,
        config: Config,
        now: datetime,
        cancelled: Callable[[], bool],
        offline_first: bool,
        force: bool,
    ) -> None:
        """The refresh thread: the store's articles first, then a fetch (see :mod:`.refresh`)."""
        # The core is imported here, off the event loop, so the first frame never waits for it.
        from brief.tui import jobs

        def progress(label: str, done: int, total: int) -> None:
            self.post_message(CollectProgressed(done, total, label))

        def loaded(found: jobs.Collection, from_cache: bool) -> None:
            self._post_collection(config, found, from_cache, cancelled)

        try:
            if offline_first:
                # What the store and the local folders hold now: shown at once, no network.
                loaded(
                    jobs.collect(config, now, fetch=False, cancelled=cancelled), bool(config.feeds)
                )
                if cancelled() or not config.feeds:
                    return  # local files only: that was the real collection
            fresh = jobs.collect(
                config, now, force=force, progress=progress, cancelled=cancelled, clock=self.now
            )
        except jobs.CollectCancelled:
            return
        if not cancelled():
            loaded(fresh, False)

    def _read_state_of(self, config: Config, articles: Iterable[Article]) -> frozenset[str]:
        """Which of ``articles`` the store says were read (none when the store cannot say)."""
        from brief.tui import jobs

        try:
            return frozenset(jobs.read_state(config, [a.id for a in articles], self.now()))
        except BriefError as error:
            self._collect_failed(error)
            return frozenset()

    def _collect_failed(self, error: BaseException) -> None:
        self.post_message(CollectFailed(error))

    def on_collect_failed(self, message: CollectFailed) -> None:
        error = message.error
        reason = str(error) if isinstance(error, BriefError) else f"{type(error).__name__}: {error}"
        self.progress = None
        self.status = f"Refresh failed: {one_line(reason)}"
        self.say(reason, severity="error", title="Refresh failed")
        self.refresh_bindings()

    def on_collect_progressed(self, message: CollectProgressed) -> None:
        if self._refresh.cancelled:
            return
        self.progress = (message.done, message.total)
        label = f": {one_line(message.label)}" if message.label else ""
        self.status = (
            f"Fetched {message.done} of {plural(message.total, 'feed')}{label}  (x to cancel)"
        )

    def on_collection_loaded(self, message: CollectionLoaded) -> None:
        # The store's marks, with this session's changes (some may not be saved yet) on top.
        read = set(message.read)
        read.update(i for i, r in self._session_marks.items() if r)
        read.difference_update(i for i, r in self._session_marks.items() if not r)
        self.desk.read = read
        self.desk.set_collection(
            message.articles, message.sources, from_cache=message.from_cache, at=message.at
        )
        failed = [h for h in message.sources if h.error]
        count = len(message.articles)
        summary = f"{plural(count, 'article')} from {plural(len(message.sources), 'source')}"
        if message.from_cache:
            self.status = f"{summary} (from the store; refreshing…)"
        else:
            self.progress = None
            self.refresh_bindings()  # nothing to cancel any more
            stamp = message.at.astimezone().strftime("%H:%M")
            self.status = self.resting_status = (
                f"{summary} · collected {stamp}"
                + (f" · {len(failed)} failed" if failed else "")
                + skipped_note(message.skipped)
            )
            if failed:
                self.say(
                    "\n".join(f"{h.source.name}: {h.error}" for h in failed[:5])
                    + (f"\n… and {len(failed) - 5} more (see Sources)" if len(failed) > 5 else ""),
                    severity="warning",
                    title=f"{plural(len(failed), 'source')} failed",
                )
        if self._actors_wanted:
            self.want_actors()
        self._sync_screen()

    @property
    def refreshing(self) -> bool:
        """True while a collection runs (or is still stopping after a cancel)."""
        return self._refresh.running

    @property
    def actors_pending(self) -> bool:
        """True while actor briefs for the current articles are being built."""
        return self._actors_building_for is not None

    def want_actors(self) -> None:
        """Make sure the day's actor briefs are (being) built for these articles and settings.

        Built on first need (the Actors screen, an ``actor:`` search), not on every
        refresh: analysing thousands of articles is real work for the machine.
        """
        self._actors_wanted = True
        key = (self.desk.version, self.config.actors)
        if key in (self._actors_built_for, self._actors_building_for):
            return
        self._actors_building_for = key
        count = len(self.desk.articles)
        self.progress = (0, 0)
        self.status = f"Finding the day's actors in {plural(count, 'article')}…"
        self._build_actors(self.desk.articles, self.config, key)

    @work(thread=True, exclusive=True, group="actors", exit_on_error=False)
    def _build_actors(
        self, articles: tuple[Article, ...], config: Config, key: tuple[int, object]
    ) -> None:
        from brief.tui import jobs

        briefs = jobs.build_actors(articles, config, self.now())
        if not get_current_worker().is_cancelled:
            self.post_message(ActorsAnalysed(briefs, key))

    def on_actors_analysed(self, message: ActorsAnalysed) -> None:
        if message.key != self._actors_building_for:
            return  # the articles or settings changed meanwhile; a newer build is on its way
        self._actors_built_for = message.key
        self._actors_building_for = None
        self.desk.set_actor_briefs(message.briefs)
        self.progress = None
        count = len(message.briefs)
        self.status = f"{plural(count, 'actor')} in today's news"
        self._sync_screen()

    def _sync_screen(self) -> None:
        screen = self.screen
        if isinstance(screen, DeskScreen):
            screen.sync()

    def action_cancel_work(self) -> None:
        """Cancel running background work (refresh, composing, source changes)."""
        cancelled = int(self._refresh.cancel())
        for worker in list(self.workers):
            if worker.group in _CANCELLABLE and worker.is_running:
                worker.cancel()
                cancelled += 1
        if cancelled:
            self.progress = None
            self.status = "Cancelled."
            self.refresh_bindings()
        else:
            self.say("Nothing is running.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "Cancel" is offered (and shown in the footer) only while there is work to cancel.
        if action == "cancel_work":
            return (self._refresh.running and not self._refresh.cancelled) or any(
                w.is_running and w.group in _CANCELLABLE for w in self.workers
            )
        return True

    def _all_desk_screens(self) -> Iterable[DeskScreen]:
        for stack in self._screen_stacks.values():
            for screen in stack:
                if isinstance(screen, DeskScreen):
                    yield screen

    def desk_screen(self, mode: str) -> DeskScreen | None:
        """The screen of a mode, if it has been opened."""
        for screen in self._all_desk_screens():
            if mode == screen.MODE:
                return screen
        return None

    # -- navigation --

    async def action_quit(self) -> None:
        """Quit at once; keys typed after ``q`` (``q2`` typed fast) are ignored."""
        self._quitting = True
        self._refresh.cancel()
        self.exit()

    def screen_entered(self, mode: str) -> None:
        """A main screen came to the front: the status line drops another screen's message.

        Work in progress (a refresh, actors being found) keeps its line; a modal
        closing over the same screen (help, the link picker) changes nothing.
        """
        if mode == self._status_mode:
            return
        changed = bool(self._status_mode)
        self._status_mode = mode
        if changed and self.progress is None and not self.refreshing and self.resting_status:
            self.status = self.resting_status

    def action_goto(self, mode: str) -> None:
        """Show one of the five screens (not while quitting: a screen half built then crashed)."""
        if self._quitting:
            return
        if mode == "today" or mode in self.MODES:
            self.switch_mode(mode)

    def action_help(self) -> None:
        """Show every key binding."""
        from brief.tui.screens.help import HelpScreen

        if not self._quitting and not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    async def show_actor_articles(self, actor: str) -> None:
        """Jump to Today, listing the articles that mention ``actor``."""
        await self.switch_mode("today")
        screen = self.screen
        if isinstance(screen, TodayScreen):
            screen.search_for(f'actor:"{actor}"')

    # -- links --

    def open_link(self, url: str) -> None:
        """Hand an http(s) link to the configured browser (or the system's), and copy it.

        Copying uses OSC 52, which works over ssh.  Any other kind of link a feed
        carries (``file:``, ``javascript:``...) is refused.
        """
        link = safe_link(url)
        if link is None:
            self.say(f"Not opened: only http(s) links are handed on ({url})", severity="warning")
            return
        self.copy_to_clipboard(link)
        browser = self.config.tui.browser
        from brief.tui.serve import served_by_textual_serve

        if served_by_textual_serve():
            # In `brief serve` the reader sits at a web browser: open a tab there.
            self.open_url(link, new_tab=True)
            self.say(f"Opening in a new tab: {link}", title="Link")
        elif browser:
            self._run_browser(browser_command(browser, link))
        elif can_open_browser():
            self._open_browser(link)
            self.say(f"Opening in your browser (and copied): {link}", title="Link")
        else:
            self.say(f"Copied to the clipboard: {link}", title="Link")

    def _run_browser(self, argv: list[str]) -> None:
        """Run the configured browser; the app steps aside for it while it runs."""
        import subprocess

        try:
            with self.suspend():
                subprocess.run(argv, check=False)
        except SuspendNotSupported:  # a web or test driver: run it beside the app
            self._run_beside(argv)
        except OSError as error:
            self.say(f"{argv[0]}: {error.strerror or error}", severity="error", title="Browser")

    @work(thread=True, group="browser", exit_on_error=False)
    def _run_beside(self, argv: list[str]) -> None:
        import subprocess

        subprocess.run(argv, stdin=subprocess.DEVNULL, check=False)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_browser(self, url: str) -> None:
        import webbrowser

        webbrowser.open(url, new=2)

    # -- read state --

    def set_read(self, article_ids: Iterable[str], read: bool) -> list[str]:
        """Mark articles read (or unread) now and in the store soon; returns those changed."""
        changed = self.desk.set_read(article_ids, read)
        with self._marks_lock:
            for article_id in changed:
                self._session_marks[article_id] = read
                self._unsaved_marks.append((article_id, read))
        return changed

    def _save_read_state_if_dirty(self) -> None:
        if self._unsaved_marks:
            self._save_read_state(self.config, self.now())

    @work(thread=True, group="marks", exit_on_error=False)
    def _save_read_state(self, config: Config, now: datetime) -> None:
        self._write_read_state(config, now)

    def _write_read_state(self, config: Config, now: datetime) -> None:
        from brief.tui import jobs

        # One writer at a time, taking the changes in the order they were made.
        with self._save_lock:
            with self._marks_lock:
                changes, self._unsaved_marks = self._unsaved_marks, []
            if changes:
                jobs.save_read_state(config, changes, now)

    def on_unmount(self) -> None:
        if self._unsaved_marks:
            # Losing read marks on a read-only disk is not worth a traceback at exit.
            with contextlib.suppress(OSError, BriefError):
                self._write_read_state(self.config, self.now())

    # -- settings and themes --

    def apply_settings(self, config: Config) -> None:
        """Use new settings now (after they were saved)."""
        from brief.tui.screens.briefing import BriefingScreen

        old = self.desk.config
        self.desk.config = config
        if old.summary != config.summary:
            today = self.desk_screen("today")
            if isinstance(today, TodayScreen):
                today.forget_analyses()
        if (old.sources, old.feeds) != (config.sources, config.feeds):
            self.refresh_sources()
        elif old.actors != config.actors and self._actors_wanted:
            self.want_actors()
        briefing = self.desk_screen("briefing")
        if isinstance(briefing, BriefingScreen):
            briefing.settings_changed()

    def save_settings(self, config: Config, note: str = "") -> None:
        """Save settings in the background; :class:`SettingsSaved` follows."""
        self._save_settings(config, note)

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def _save_settings(self, config: Config, note: str) -> None:
        with self._settings_lock:
            path = save_config(config, base=self._saved_config)
            self._saved_config = config
        backup = path.with_name(path.name + ".bak")
        self.post_message(SettingsSaved(config, path, backup if backup.exists() else None, note))

    def on_settings_saved(self, message: SettingsSaved) -> None:
        from brief.tui.screens.settings import SettingsScreen

        self.apply_settings(message.config)
        where = f"Saved to {message.path}"
        if message.backup is not None:
            where += f" (previous kept as {message.backup.name})"
        self.say(f"{message.note}\n{where}" if message.note else where, title="Settings saved")
        self.status = where
        screen = self.desk_screen("settings")
        if isinstance(screen, SettingsScreen):
            screen.saved(message.config, message.path)

    def _theme_changed(self, theme: object) -> None:
        name = self.theme
        if name != self.config.tui.theme:
            config = replace_section(self.config, "tui", theme=name)
            self.desk.config = config
            self.save_settings(config, note=f"Theme: {name}")

    # -- command palette --

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, key, label in (
            ("today", "1", "Today"),
            ("actors", "2", "Actors"),
            ("briefing", "3", "Briefing"),
            ("sources", "4", "Sources"),
            ("settings", "5", "Settings"),
        ):
            yield SystemCommand(
                f"Go to {label}",
                f"Show the {label} screen (key {key})",
                lambda m=mode: self.action_goto(m),
            )
        yield SystemCommand(
            "Refresh all sources", "Collect every source again (r)", self.refresh_sources
        )
        yield SystemCommand("Cancel", "Cancel running background work (x)", self.action_cancel_work)
        yield SystemCommand(
            "Search articles", "Search the day's articles and the store (/)", self._palette_search
        )
        yield SystemCommand(
            "Sort articles", "Sort the article list by the next column (s)", self._palette_sort
        )
        yield SystemCommand(
            "Copy article link", "Copy the open article's link (o)", self._palette_link
        )
        yield SystemCommand(
            "Save briefing", "Write the briefing file (w)", self._palette_save_briefing
        )
        yield SystemCommand(
            "Recompose briefing", "Compose the briefing again", self._palette_compose
        )
        yield SystemCommand(
            "Add feed", "Subscribe to a feed URL (Sources: a)", self._palette_sources("add_feed")
        )
        yield SystemCommand(
            "Add local folder",
            "Add a folder of articles (Sources: l)",
            self._palette_sources("add_folder"),
        )
        yield SystemCommand(
            "Remove source",
            "Remove the selected source (Sources: d)",
            self._palette_sources("remove"),
        )
        yield SystemCommand(
            "Refresh source",
            "Collect the selected source (Sources: r)",
            self._palette_sources("refresh_one"),
        )
        yield SystemCommand(
            "Import OPML",
            "Subscribe to the feeds of an OPML file (Sources: i)",
            self._palette_sources("import_opml"),
        )
        yield SystemCommand(
            "Export OPML",
            "Write your feeds as an OPML file (Sources: e)",
            self._palette_sources("export_opml"),
        )
        yield SystemCommand(
            "Save settings", "Save the Settings screen (ctrl+s)", self._palette_save_settings
        )
        yield SystemCommand("Help", "Show every key binding (?)", self.action_help)

    async def _palette_search(self) -> None:
        await self.switch_mode("today")
        screen = self.screen
        if isinstance(screen, TodayScreen):
            screen.action_search()

    async def _palette_sort(self) -> None:
        await self.switch_mode("today")
        screen = self.screen
        if isinstance(screen, TodayScreen):
            screen.action_sort()

    async def _palette_link(self) -> None:
        await self.switch_mode("today")
        screen = self.screen
        if isinstance(screen, TodayScreen):
            screen.action_open_link()

    async def _palette_save_briefing(self) -> None:
        from brief.tui.screens.briefing import BriefingScreen

        await self.switch_mode("briefing")
        screen = self.screen
        if isinstance(screen, BriefingScreen):
            screen.action_save()

    async def _palette_compose(self) -> None:
        from brief.tui.screens.briefing import BriefingScreen

        await self.switch_mode("briefing")
        screen = self.screen
        if isinstance(screen, BriefingScreen):
            screen.compose_now()

    async def _palette_save_settings(self) -> None:
        from brief.tui.screens.settings import SettingsScreen

        await self.switch_mode("settings")
        screen = self.screen
        if isinstance(screen, SettingsScreen):
            screen.action_save()

    def _palette_sources(self, action: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            from brief.tui.screens.sources import SourcesScreen

            await self.switch_mode("sources")
            screen = self.screen
            if isinstance(screen, SourcesScreen):
                await screen.run_action(action)

        return run


def run_tui(config: Config) -> int:
    """Run the TUI until the user quits; the exit code for ``brief``."""
    from brief.tui.themes import starting_theme, theme_set_in

    theme = starting_theme(config.tui.theme, theme_set_in(config.path), os.environ)
    if theme != config.tui.theme:
        # Not saved: the next truecolor terminal starts in the configured theme again.
        config = replace_section(config, "tui", theme=theme)
    app = BriefApp(config=config)
    result = app.run()
    code = (app.return_code or 1) if app.return_code not in (None, 0) else (result or 0)
    if app.refreshing:
        # A fetch is still waiting on the network.  Interpreter shutdown would join its
        # thread pools (up to the request timeout); each feed is its own SQLite
        # transaction, so ending the process now loses nothing that was stored.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code

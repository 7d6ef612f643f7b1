"""What the screens need of the app, as a protocol: screens import this, never ``tui.app``.

``BriefApp`` satisfies it (a test checks); keeping the screens on this small
surface breaks the import circle app → screens → app.  The keys the app binds
everywhere live here too, so the help screen can list them without the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel

if TYPE_CHECKING:
    from textual.worker import Worker

    from brief.config import Config
    from brief.models import Source
    from brief.tui.state import Desk

# Keys that work on every screen (BriefApp.BINDINGS).
APP_BINDINGS: list[BindingType] = [
    Binding("1", "goto('today')", "Today", show=False),
    Binding("2", "goto('actors')", "Actors", show=False),
    Binding("3", "goto('briefing')", "Briefing", show=False),
    Binding("4", "goto('sources')", "Sources", show=False),
    Binding("5", "goto('settings')", "Settings", show=False),
    Binding("question_mark,f1", "help", "Help", id="brief.help"),
    Binding("x", "cancel_work", "Cancel"),
    Binding("q", "quit", "Quit", id="brief.quit"),
]


@runtime_checkable
class DeskApp(Protocol):
    """The app as the screens see it: its desk of data, the status line, and a few services."""

    desk: Desk
    status: str
    progress: tuple[int, int] | None

    @property
    def config(self) -> Config:
        """The current settings."""
        ...

    @property
    def actors_pending(self) -> bool:
        """True while actor briefs are being built."""
        ...

    def now(self) -> datetime:
        """The app's idea of now."""
        ...

    def say(self, message: str, *, severity: SeverityLevel = ..., title: str = ...) -> None:
        """Notify with text that may be untrusted."""
        ...

    def report_worker(self, event: Worker.StateChanged) -> None:
        """Turn a worker's failure into a notification."""
        ...

    def refresh_sources(self, *, offline_first: bool = ..., force: bool = ...) -> None:
        """Collect every source in the background."""
        ...

    def refresh_feed(self, source: Source) -> None:
        """Fetch one feed now, through the one refresh (a running refresh takes it)."""
        ...

    def want_actors(self) -> None:
        """Make sure the day's actor briefs are (being) built."""
        ...

    async def show_actor_articles(self, actor: str) -> None:
        """Jump to Today, listing the articles that mention ``actor``."""
        ...

    def screen_entered(self, mode: str) -> None:
        """A main screen came to the front (the status line drops other screens' messages)."""
        ...

    def open_link(self, url: str) -> None:
        """Hand an http(s) link to the browser, or copy it."""
        ...

    def set_read(self, article_ids: Iterable[str], read: bool) -> list[str]:
        """Mark articles read or unread; returns those changed."""
        ...

    def save_settings(self, config: Config, note: str = ...) -> None:
        """Save settings in the background."""
        ...

"""What every main screen shares: the navigation bar, the status line, the key footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.worker import Worker

from brief.tui.widgets.chrome import KeyBar, NavBar, StatusLine

if TYPE_CHECKING:
    from brief.tui.protocol import DeskApp
    from brief.tui.state import Desk


class DeskScreen(Screen[None]):
    """A main screen showing part of the app's :class:`~brief.tui.state.Desk`.

    Subclasses compose their body in :meth:`compose_body` and redraw from the
    desk in :meth:`refresh_from_desk`; a screen that was hidden while the desk
    changed redraws when it comes back.
    """

    MODE = ""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (Textual's API)

    def __init__(self) -> None:
        super().__init__(id=f"{self.MODE}-screen", classes=self._breakpoint_class())
        self._seen_versions: tuple[int, ...] | None = None

    def _breakpoint_class(self) -> str:
        """The width class the first resize would set, set up front.

        Textual adds it on the screen's first resize, after every widget has been
        styled, and then styles them all again; starting with it saves that pass.
        """
        try:
            width = self.app.size.width
        except Exception:  # no running app (a screen built outside one): the resize sets it
            return ""
        classes = [name for edge, name in sorted(self.HORIZONTAL_BREAKPOINTS) if width >= edge]
        return classes[-1] if classes else ""

    @property
    def brief_app(self) -> DeskApp:
        """The app, as the screens see it (see :mod:`brief.tui.protocol`)."""
        return cast("DeskApp", self.app)

    @property
    def desk(self) -> Desk:
        """The app's working data."""
        return self.brief_app.desk

    def compose(self) -> ComposeResult:
        yield NavBar(self.MODE)
        yield from self.compose_body()
        yield StatusLine()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between the navigation bar and the status line."""
        yield from ()

    def desk_versions(self) -> tuple[int, ...]:
        """The desk versions this screen depends on (override to narrow)."""
        desk = self.desk
        return (desk.version, desk.actors_version, desk.briefing_version)

    def sync(self, *, force: bool = False) -> None:
        """Redraw from the desk if it changed since the last redraw (or when ``force``)."""
        versions = self.desk_versions()
        if force or versions != self._seen_versions:
            self._seen_versions = versions
            self.refresh_from_desk()

    def refresh_from_desk(self) -> None:
        """Redraw the screen's widgets from the desk."""

    def on_mount(self) -> None:
        self.sync(force=True)

    def on_screen_resume(self) -> None:
        self.brief_app.screen_entered(self.MODE)
        self.sync()

    def on_resize(self) -> None:
        self._fit_footer()

    def _fit_footer(self) -> None:
        # Below 100 columns the screen's own keys need the room; ? and ctrl+p still work.
        for keys in self.query(KeyBar):
            keys.show_command_palette = self.size.width >= 100

    @on(Worker.StateChanged)
    def _report_worker(self, event: Worker.StateChanged) -> None:
        # Worker state messages do not bubble; hand them to the app's one handler.
        self.brief_app.report_worker(event)

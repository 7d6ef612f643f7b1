"""One collection at a time, on a daemon thread that quitting never waits for.

Textual's thread workers run in the event loop's default executor, and
``asyncio.run`` joins that executor when the app closes: a fetch stuck on a
slow server kept the terminal blank until its timeout.  A refresh therefore
runs on a thread of its own; a second request while it runs joins it instead
of starting another (two overlapping fetches fought over the parse pool's
process start-up: "bad value(s) in fds_to_keep").  No Textual here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Refresh:
    """The one running collection (if any) and its cancel flag."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()

    @property
    def running(self) -> bool:
        """True while a collection thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def cancelled(self) -> bool:
        """True once the running collection was asked to stop."""
        return self._cancel.is_set()

    def start(
        self,
        work: Callable[[Callable[[], bool]], None],
        on_error: Callable[[BaseException], None],
    ) -> bool:
        """Run ``work(cancelled)`` on a new thread; False (nothing started) if one runs."""
        if self.running:
            return False
        cancel = self._cancel = threading.Event()

        def run() -> None:
            try:
                work(cancel.is_set)
            except Exception as error:  # reported to the user by the app, never lost
                if not cancel.is_set():
                    on_error(error)

        # daemon: an unfinished fetch must not keep the process alive after the app quit.
        self._thread = threading.Thread(target=run, name="brief-refresh", daemon=True)
        self._thread.start()
        return True

    def cancel(self) -> bool:
        """Ask the running collection to stop; False when none runs."""
        if not self.running:
            return False
        self._cancel.set()
        return True

"""``brief serve``: the same TUI in a web browser, through textual-serve.

textual-serve runs ``brief tui`` once per browser tab, with Textual's web
driver, and relays it over a websocket to xterm.js in the page.  There is no
login: anyone who can reach the address drives the reader as its owner, so
the default address is the loopback one.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from collections.abc import MutableMapping
from pathlib import Path

from brief.errors import BriefError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"  # what textual-serve sets TEXTUAL_DRIVER to


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """What to tell a reader who serves beyond this machine (None on a loopback address)."""
    if is_loopback(host):
        return None
    return (
        f"serve: listening on {host}, not this machine only: anyone who can reach "
        f"port {port} reads and changes your briefing, with no login"
    )


def served_by_textual_serve(environ: MutableMapping[str, str] | None = None) -> bool:
    """True inside a process textual-serve started (its web driver, not a terminal)."""
    return (environ if environ is not None else os.environ).get("TEXTUAL_DRIVER") == WEB_DRIVER


def tui_command(config_file: Path | None) -> str:
    """The shell command each browser tab runs: this Python, ``-m brief``, the same config."""
    argv = [sys.executable, "-m", "brief"]
    if config_file is not None:
        argv += ["--config", str(config_file)]
    return shlex.join([*argv, "tui"])


def public_url(host: str, port: int) -> str:
    """Where the page tells the browser to open its websocket (``[::1]`` bracketed)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def serve(config_file: Path | None, host: str, port: int, url: str | None = None) -> int:
    """Serve the TUI on ``host:port`` until interrupted; the exit code for ``brief``."""
    try:
        from textual_serve.server import Server
    except ImportError as error:  # an install that predates the dependency
        raise BriefError(
            f"brief serve needs textual-serve ({error})", "pip install textual-serve"
        ) from None

    # The page is xterm.js, which draws 24-bit colour: keep the configured theme (a
    # missing COLORTERM would otherwise choose the ssh theme, see themes.starting_theme).
    os.environ.setdefault("COLORTERM", "truecolor")
    server = Server(
        tui_command(config_file),
        host=host,
        port=port,
        title="brief",
        public_url=url or public_url(host, port),
    )
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the address is not this machine's
        raise BriefError(
            f"serve: cannot listen on {host}:{port}: {error.strerror or error}",
            "choose another --port (or --host)",
        ) from None
    return 0

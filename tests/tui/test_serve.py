"""`brief serve` in a real headless Chromium: the page connects and Today renders in it.

The real `brief serve` runs on a free port of 127.0.0.1 with a private config
and store.  Chromium (Debian's ``chromium``; ``.ci/run`` installs it, else
this skips) is driven over its DevTools protocol: it loads the page, the
terminal bytes the page receives over its websocket are read back (the
Today screen's text must be in them), and a screenshot must show the app's
own theme colours over most of the page (not a blank page, not the
textual-serve start-up card).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import tomllib
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from brief.tui.serve import exposure_warning, is_loopback, public_url, tui_command

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.4", False),
        ("example.org", False),
    ],
)
def test_only_loopback_addresses_serve_without_a_warning(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    warning = exposure_warning(host, 8000)
    assert (warning is None) is loopback
    if warning:
        assert host in warning and "no login" in warning


def test_each_tab_runs_this_python_with_the_same_config(tmp_path: Path) -> None:
    config = tmp_path / "my config.toml"
    assert tui_command(config) == f"{sys.executable} -m brief --config '{config}' tui"
    assert tui_command(None) == f"{sys.executable} -m brief tui"
    assert public_url("::1", 80) == "http://[::1]:80"


def test_serve_refuses_a_bad_port() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "brief", "serve", "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "not a port number" in result.stderr


def test_a_port_in_use_is_one_line_not_a_traceback(private_env: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "brief", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"brief serve exited with {server.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("brief serve did not listen")


class DevTools:
    """Just enough of Chromium's DevTools protocol: commands by id, events collected."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.events: list[dict[str, Any]] = []
        self._next = 0
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self._waiting:
                self._waiting.pop(data["id"]).set_result(data)
            else:
                self.events.append(data)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._next += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[self._next] = future
        await self.ws.send_json({"id": self._next, "method": method, "params": params})
        reply = await asyncio.wait_for(future, 30)
        assert "error" not in reply, reply
        return dict(reply.get("result", {}))

    def terminal_text(self) -> str:
        """What the page's websocket received from the app, escape sequences removed."""
        chunks = []
        for event in self.events:
            if event.get("method") == "Network.webSocketFrameReceived":
                response = event["params"]["response"]
                payload = response["payloadData"]
                if response.get("opcode") == 2:
                    chunks.append(base64.b64decode(payload).decode("utf-8", "replace"))
        raw = "".join(chunks)
        # CSI (colours, cursor moves) and OSC sequences out; cursor moves become a space.
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", " ", raw)
        return re.sub(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)", "", text)

    async def close(self) -> None:
        self._reader.cancel()


async def _browse(url: str, profile: Path) -> tuple[str, bytes, bool]:
    """Load ``url`` in headless Chromium; (terminal text, PNG screenshot, first byte seen)."""
    import aiohttp  # textual-serve's own dependency

    assert CHROMIUM is not None
    chrome = await asyncio.create_subprocess_exec(
        CHROMIUM,
        "--headless",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--remote-debugging-port=0",
        "--window-size=1000,640",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert chrome.stderr is not None
        endpoint = ""
        while not endpoint:
            line = (await asyncio.wait_for(chrome.stderr.readline(), 30)).decode()
            assert line, "chromium exited before it listened"
            if match := re.search(r"DevTools listening on (ws://\S+)", line):
                endpoint = match.group(1)
        port = endpoint.split(":")[2].split("/")[0]
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as reply:
                targets = await reply.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                tools = DevTools(ws)
                await tools.send("Network.enable")
                await tools.send("Page.enable")
                await tools.send("Page.navigate", url=url)
                deadline = time.monotonic() + 60
                text = ""
                while time.monotonic() < deadline:
                    text = tools.terminal_text()
                    if "Sample articles" in text and "Today" in text:
                        break
                    await asyncio.sleep(0.2)
                await asyncio.sleep(1.0)  # the page fades the terminal in (0.3 s)
                first = await tools.send(
                    "Runtime.evaluate",
                    expression="document.body.classList.contains('-first-byte')",
                )
                shot = await tools.send(
                    "Page.captureScreenshot",
                    format="png",
                    clip={"x": 0, "y": 0, "width": 1000, "height": 640, "scale": 0.25},
                )
                text = tools.terminal_text()
                await tools.close()
        return text, base64.b64decode(shot["data"]), bool(first["result"].get("value"))
    finally:
        chrome.kill()
        await chrome.wait()


def png_pixels(data: bytes) -> list[tuple[int, int, int]]:
    """The RGB pixels of an 8-bit RGB/RGBA PNG (what Chromium writes), decoded with zlib."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = depth = colour = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    pixels: list[tuple[int, int, int]] = []
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        pixels += [tuple(line[i : i + 3]) for i in range(0, stride, channels)]  # type: ignore[misc]
        previous = line
    return pixels


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _near(a: tuple[int, int, int], b: tuple[int, int, int], tolerance: int = 8) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (.ci/run installs Debian's chromium with apt-get)",
)
def test_today_renders_in_headless_chromium(private_env: Path, tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR")}
    server = subprocess.Popen(
        [sys.executable, "-m", "brief", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_for_port(port, server)
        started = time.monotonic()
        text, png, first_byte = asyncio.run(_browse(f"http://127.0.0.1:{port}/", tmp_path / "p"))
        took = time.monotonic() - started
    finally:
        server.terminate()
        try:
            _, stderr = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            _, stderr = server.communicate()
        # The `brief tui` each tab ran is in the server's own session: none outlives the test.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(server.pid, signal.SIGKILL)
    assert first_byte, "the page never received the app's output"
    # The Today screen, as the tmux test sees it in a terminal.
    for needle in ("Today", "Actors", "Briefing", "Sample articles", "Xi Jinping"):
        assert needle in text, f"{needle!r} not on the served screen ({took:.1f} s):\n{text[:2000]}"
    assert "serving the reader on http://127.0.0.1:" in stderr.decode()
    assert "warning" not in stderr.decode().lower()
    # The screenshot: not blank, and mostly the theme's own colours (brief-dark is the
    # default): the app covers the page, not textual-serve's start-up card (#0c181f).
    pixels = png_pixels(png)
    counts = Counter(pixels)
    assert len(counts) > 8, "the screenshot is blank"
    theme = tomllib.loads((REPO / "themes" / "brief-dark.toml").read_text(encoding="utf-8"))
    own = [_hex(theme[k]) for k in ("background", "surface", "panel") if k in theme]
    covered = sum(n for colour, n in counts.items() if any(_near(colour, c) for c in own))
    assert covered > 0.4 * len(pixels), (counts.most_common(5), own)
    assert not _near(counts.most_common(1)[0][0], (0x0C, 0x18, 0x1F), 2)

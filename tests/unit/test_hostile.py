"""Hostile servers on 127.0.0.1: each failure is one line in the feed's health, the rest goes on.

Every case runs beside a good feed, which must still be collected.  The
end-to-end test runs ``brief run`` in a child process against all of them at
once: the briefing is written (exit code 3), names every failure, and the
process stays small although one server sends a 256 MB gzip bomb and
another 100 MB.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from brief.collect.fetch import fetch_feeds
from brief.config import Config, FeedConfig, FetchConfig
from brief.store import open_store
from tests.httpserver import (
    FeedServer,
    Item,
    Reply,
    _Handler,
    gzip_bomb,
    huge_body,
    never_answers,
    redirect_loop,
    rss,
    trickle,
)

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
FETCH = FetchConfig(
    timeout_seconds=2.0, max_bytes=1_000_000, max_redirects=3, min_interval_minutes=0
)
TOPICS = [
    "The city council agreed a budget for schools, libraries and road repairs next year.",
    "A storm closed the harbour and ferries to the islands stayed in port all afternoon.",
    "The national football team won its qualifier after a late penalty in the rain.",
]
GOOD_ITEMS = [
    Item(
        f"Good story {i}",
        f"<p>{topic}</p><p>Officials expect more news on Monday.</p>",
        link=f"https://good.test/{i}",
        guid=f"urn:good:{i}",
        published=NOW - timedelta(hours=i + 1),
    )
    for i, topic in enumerate(TOPICS)
]
GOOD = rss("Good feed", GOOD_ITEMS)


def _garbage(handler: _Handler, server: FeedServer) -> None:
    handler.wfile.write(b"this is not HTTP at all\r\n\r\n")
    handler.close_connection = True


def _declared_huge(handler: _Handler, server: FeedServer) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", str(100 * 1024 * 1024))
    handler.end_headers()
    handler.wfile.write(b"<rss>" * 1000)


def _corrupt_gzip(handler: _Handler, server: FeedServer) -> None:
    body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-that-is-not-deflate"
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


BAD_UTF8 = GOOD.replace(b"Good story 0", b"Caf\xe9 \xff\xfe story")

# path → (route, expected error (regex) or None when the feed works, expected warning regex)
CASES: dict[str, tuple[object, str | None, str | None]] = {
    "/never": (never_answers, r"^timed out after 2 s$", None),
    "/trickle": (trickle, r"^timed out after 2 s$", None),
    "/huge": (huge_body(100 * 1024 * 1024), r"^response larger than 1,000,000 bytes", None),
    "/declared-huge": (_declared_huge, r"^response larger than 1,000,000 bytes", None),
    "/gzip-bomb": (gzip_bomb(256 * 1024 * 1024), r"^response larger than 1,000,000 bytes", None),
    "/corrupt-gzip": (_corrupt_gzip, r"^corrupt compressed response", None),
    "/loop": (redirect_loop, r"^more than 3 redirects \(a redirect loop\?\)$", None),
    "/404": (Reply(b"nope", status=404, content_type="text/plain"), r"^HTTP 404 Not Found$", None),
    "/410": (Reply(b"", status=410), r"^HTTP 410 Gone: the feed was removed", None),
    "/500": (Reply(b"boom", status=500), r"^HTTP 500 Internal Server Error$", None),
    "/429": (
        Reply(b"", status=429, headers={"Retry-After": "3600"}),
        r"^HTTP 429 Too Many Requests; retrying after 2026-11-28 08:00:00 UTC$",
        None,
    ),
    "/garbage": (_garbage, r"^broken HTTP response", None),
    "/html": (
        Reply(
            b"<!doctype html><html><body><p>Welcome!</p></body></html>", content_type="text/html"
        ),
        r"^not a feed: an HTML page with no feed link$",
        None,
    ),
    "/empty": (Reply(b""), r"^not a feed: empty response$", None),
    "/wrong-type": (Reply(GOOD, content_type="image/png"), None, r"served as image/png"),
    "/no-type": (Reply(GOOD, content_type=None), None, r"served without a Content-Type"),
    "/bad-utf8": (Reply(BAD_UTF8), None, r"character encoding"),
}


@pytest.fixture(scope="module")
def hostile() -> Iterator[FeedServer]:
    with FeedServer() as server:
        for path, (route, _error, _warning) in CASES.items():
            server.add(path, route)  # type: ignore[arg-type]
        server.add("/good", Reply(GOOD))
        yield server


@pytest.mark.parametrize("path", list(CASES))
def test_hostile_feed_is_one_line_and_the_good_feed_still_arrives(
    hostile: FeedServer, tmp_path: Path, path: str
) -> None:
    _route, error, warning = CASES[path]
    config = Config(
        feeds=(FeedConfig(url=hostile.url(path)), FeedConfig(url=hostile.url("/good"))), fetch=FETCH
    )
    with open_store(tmp_path / "s.sqlite3") as store:
        report = fetch_feeds(config, store, now=NOW)
        bad, good = report.outcomes
        assert good.health.ok and good.health.article_count == 3
        if error is None:
            assert bad.health.ok, bad.health.error
            # The same three stories in both feeds: stored once, "also in" the other.
            assert bad.added + good.added == 3
        else:
            assert good.added == 3
        if error is not None:
            assert bad.health.error is not None and re.search(error, bad.health.error), (
                bad.health.error
            )
            assert "\n" not in bad.health.error
        if warning is not None:
            assert any(re.search(warning, w) for w in bad.health.warnings), bad.health.warnings
        assert store.integrity_check() == "ok"


def test_unreachable_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens there now.
    config = Config(feeds=(FeedConfig(url=f"http://127.0.0.1:{port}/feed"),), fetch=FETCH)
    with open_store(tmp_path / "s.sqlite3") as store:
        [outcome] = fetch_feeds(config, store, now=NOW).outcomes
    assert outcome.health.error is not None
    assert outcome.health.error.startswith("cannot connect:")


@pytest.mark.slow
def test_brief_run_against_every_hostile_server_writes_the_briefing(
    hostile: FeedServer, private_env: Path
) -> None:
    feeds = "\n".join(
        f'[[feeds]]\nurl = "{hostile.url(path)}"\nname = "feed {path}"\n'
        for path in [*CASES, "/good"]
    )
    config = Path(os.environ["BRIEF_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[briefing]\nsections = ["stories", "sources"]\n\n'
        "[sources]\nlocal = []\n\n"
        "[fetch]\ntimeout_seconds = 2.0\nmax_bytes = 1000000\nmax_redirects = 3\n"
        "min_interval_minutes = 0\n\n" + feeds,
        encoding="utf-8",
    )
    # A child's ru_maxrss starts at its parent's high-water mark (exec records the
    # old address space's peak), and pytest's own grows over the suite; so a small
    # launcher runs `brief run` and reports that grandchild's peak alone.
    peak_file = private_env / "peak-kib"
    launcher = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'brief', 'run'])\n"
        f"open({str(peak_file)!r}, 'w').write("
        "str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
        "sys.exit(done.returncode)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", launcher],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    peak_kib = int(peak_file.read_text())
    assert proc.returncode == 3, proc.stderr
    briefing = Path(proc.stdout.strip()).read_text(encoding="utf-8")
    for item in GOOD_ITEMS:
        assert f"({item.link})" in briefing
    failing = [path for path, (_r, error, _w) in CASES.items() if error is not None]
    for path in failing:
        assert f"feed {path}" in briefing
        assert f"source failed: feed {path}:" in proc.stderr
    assert briefing.count("failed:") >= len(failing)
    # A fully inflated bomb alone would be 256 MB; the whole run stays far below.
    assert 0 < peak_kib < 250 * 1024, f"peak RSS {peak_kib // 1024} MB"

"""`brief fetch`, `brief feeds ...` and `brief run` with feeds, against a server on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import brief.collect.parsepool as parsepool
from brief import cli
from brief.config import load_config
from brief.store import open_store
from tests.httpserver import FeedServer, Item, Reply, rss

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)  # the conftest's BRIEF_NOW
# Unrelated subjects, so the briefing keeps every article as its own story.
SUBJECTS = [
    "Farmers harvested a record wheat crop after a warm and dry summer in the plains.",
    "The central bank held interest rates and warned that inflation would stay high.",
    "Astronomers reported a comet that will be visible to the naked eye in December.",
    "A new metro line opened downtown, cutting the commute from the suburbs by half.",
]


def stories(prefix: str, n: int = 2, hours: int = 1, first: int = 0) -> list[Item]:
    return [
        Item(
            f"{prefix} headline {i}",
            f"<p>{SUBJECTS[(first + i) % len(SUBJECTS)]} ({prefix} report {i})</p>",
            link=f"https://{prefix}.test/{i}",
            guid=f"urn:{prefix}:{i}",
            published=NOW - timedelta(hours=hours + i),
        )
        for i in range(n)
    ]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


@pytest.fixture
def config_file(private_env: Path) -> Path:
    path = Path(os.environ["BRIEF_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_config(path: Path, feeds: list[tuple[str, str]], extra: str = "") -> None:
    tables = "".join(f'[[feeds]]\nurl = "{url}"\nname = "{name}"\n\n' for url, name in feeds)
    path.write_text(
        '[briefing]\nsections = ["stories", "sources"]\n\n'
        "[sources]\nlocal = []\n\n"
        "[fetch]\ntimeout_seconds = 5.0\nmin_interval_minutes = 0\n\n" + extra + tables,
        encoding="utf-8",
    )


def brief(*argv: str) -> int:
    return cli.main(list(argv))


@pytest.fixture
def parse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = parsepool._parse_job

    def counting(body: bytes, url: str, headers: dict[str, str], since: Any = None) -> Any:
        calls.append(url)
        return original(body, url, headers, since)

    monkeypatch.setattr(parsepool, "_parse_job", counting)
    return calls


def test_run_fetches_feeds_then_the_second_run_is_conditional(
    server: FeedServer,
    config_file: Path,
    parse_calls: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    a = server.add("/world.rss", Reply(rss("World Desk", stories("world")), etag='"w1"'))
    b = server.add(
        "/city.rss",
        Reply(
            rss("City Desk", stories("city", first=2)),
            last_modified="Sat, 28 Nov 2026 05:00:00 GMT",
        ),
    )
    write_config(config_file, [(a, "World"), (b, "")])

    assert brief("run") == 0
    out = capsys.readouterr().out
    briefing = Path(out.strip()).read_text(encoding="utf-8")
    # Every article is in (as its own story or "also covered by" a similar one).
    for url in ("https://world.test/0", "https://world.test/1", "https://city.test/0"):
        assert url in briefing
    assert "https://city.test/1" in briefing
    assert "**World** (feed) — 2 articles" in briefing
    assert "**City Desk** (feed) — 2 articles" in briefing  # the feed's own title
    assert len(parse_calls) == 2

    assert brief("run", "--force") == 0
    again = Path(capsys.readouterr().out.strip()).read_text(encoding="utf-8")
    assert "https://world.test/0" in again and "https://city.test/1" in again
    assert len(parse_calls) == 2  # nothing re-parsed
    assert server.requests_for("/world.rss")[-1].headers["if-none-match"] == '"w1"'
    assert "if-modified-since" in server.requests_for("/city.rss")[-1].headers


def test_offline_run_uses_the_store_without_the_network(
    server: FeedServer, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.add("/f.rss", Reply(rss("F", stories("offline"))))
    write_config(config_file, [(url, "F")])
    assert brief("fetch") == 0
    assert brief("run", "--offline") == 0
    briefing = Path(capsys.readouterr().out.strip()).read_text(encoding="utf-8")
    assert "offline headline 0" in briefing
    assert len(server.requests_for("/f.rss")) == 1


def test_run_with_a_failing_feed_still_writes_and_exits_3(
    server: FeedServer, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = server.add("/good.rss", Reply(rss("Good", stories("good"))))
    write_config(config_file, [(good, "Good"), (server.url("/missing.rss"), "Broken")])
    assert brief("run") == 3
    captured = capsys.readouterr()
    briefing = Path(captured.out.strip()).read_text(encoding="utf-8")
    assert "good headline 0" in briefing
    assert "**Broken** (feed) — failed: HTTP 404 Not Found" in briefing
    assert "brief: source failed: Broken: HTTP 404 Not Found" in captured.err


def test_fetch_prints_one_summary_line_when_not_a_terminal(
    server: FeedServer, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.add("/f.rss", Reply(rss("F", stories("f", 3)), etag='"x"'))
    write_config(config_file, [(url, "F")])
    assert brief("fetch") == 0
    assert capsys.readouterr().err == (
        "brief: fetched 1 feed, 1 updated, 0 unchanged, 0 failed; 3 new articles\n"
    )
    assert brief("fetch") == 0
    assert capsys.readouterr().err == (
        "brief: fetched 1 feed, 0 updated, 1 unchanged, 0 failed; 0 new articles\n"
    )


def test_fetch_shows_progress_on_a_terminal(
    server: FeedServer,
    config_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = server.add("/f.rss", Reply(rss("F", stories("f", 1))))
    write_config(config_file, [(url, "Feed F"), (server.url("/gone"), "Gone")])
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert brief("fetch") == 3
    err = capsys.readouterr().err.splitlines()
    # Feeds finish in any order: "[1/2] ..." then "[2/2] ...".
    assert [line[:6] for line in err[:2]] == ["[1/2] ", "[2/2] "]
    assert sorted(line[6:] for line in err[:2]) == [
        "Feed F: 1 new",
        "Gone: failed: HTTP 404 Not Found",
    ]
    assert err[2] == "brief: fetched 2 feeds, 1 updated, 0 unchanged, 1 failed; 1 new article"
    assert err[3] == "brief: feed failed: Gone: HTTP 404 Not Found"


def test_feeds_add_list_export_remove(
    server: FeedServer, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = server.add("/feed.xml", Reply(rss("Found Feed", stories("found"))))
    link = f'<link rel="alternate" type="application/rss+xml" href="{feed}">'
    page = f"<html><head>{link}</head></html>"
    home = server.add("/", Reply(page.encode(), content_type="text/html"))

    assert brief("feeds", "add", home, "--name", "Found", "--tags", "world, politics") == 0
    captured = capsys.readouterr()
    assert f"subscribing to its feed {feed}" in captured.err
    config = load_config()
    assert [(f.url, f.name, f.tags) for f in config.feeds] == [
        (feed, "Found", ("world", "politics"))
    ]

    assert brief("feeds", "add", feed) == 1  # already subscribed
    assert "already subscribed" in capsys.readouterr().err

    assert brief("feeds", "add", server.url("/nothing")) == 1
    assert "HTTP 404 Not Found (add it anyway with --no-check)" in capsys.readouterr().err
    assert brief("feeds", "add", "ftp://x.test/feed") == 1
    capsys.readouterr()

    assert brief("feeds", "list") == 0
    listing = capsys.readouterr().out
    assert "new     Found  [world, politics]" in listing
    assert "last success: never" in listing

    assert brief("fetch") == 0
    capsys.readouterr()
    assert brief("feeds", "list") == 0
    listing = capsys.readouterr().out
    assert "ok      Found  [world, politics]" in listing
    assert "last success: 2026-11-28 07:00 UTC; last status: HTTP 200; 2 entries" in listing

    assert brief("feeds", "export") == 0
    opml = capsys.readouterr().out
    assert f'xmlUrl="{feed}"' in opml and 'category="/world,/politics"' in opml

    assert brief("feeds", "remove", "found") == 0
    assert "2 stored articles removed" in capsys.readouterr().out
    assert load_config().feeds == ()
    assert config_file.with_name("config.toml.bak").exists()
    with open_store(load_config().store_path()) as store:
        assert store.article_count() == 0
    assert brief("feeds", "remove", "found") == 1
    assert "not one of your feeds" in capsys.readouterr().err


def test_feeds_import_then_export_round_trip(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline text="World"><outline type="rss" text="Wire &amp; Co" xmlUrl="https://wire.test/rss"/>'
        '<outline type="rss" text="Bad" xmlUrl="gopher://x"/></outline>'
        '<outline type="rss" text="Solo" xmlUrl="https://solo.test/atom"/></body></opml>',
        encoding="utf-8",
    )
    assert brief("feeds", "import", str(opml)) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("imported 2 feeds (0 already subscribed)")
    assert "skipped Bad: not an http(s) feed URL" in captured.err
    assert brief("feeds", "import", str(opml)) == 0
    assert capsys.readouterr().out == "imported 0 feeds (2 already subscribed)\n"
    feeds = load_config().feeds
    assert [(f.url, f.name, f.tags) for f in feeds] == [
        ("https://wire.test/rss", "Wire & Co", ("World",)),
        ("https://solo.test/atom", "Solo", ()),
    ]
    out = tmp_path / "export.opml"
    assert brief("feeds", "export", "-o", str(out)) == 0
    exported = out.read_text(encoding="utf-8")
    assert 'text="Wire &amp; Co"' in exported and 'category="/World"' in exported
    assert brief("feeds", "import", str(tmp_path / "missing.opml")) == 1
    assert "no such file" in capsys.readouterr().err


def test_an_unusable_store_still_brings_each_feed_in_memory(
    server: FeedServer, config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.add("/f.rss", Reply(rss("F", stories("f"))))
    broken = tmp_path / "not-a-store.sqlite3"
    broken.write_bytes(b"garbage" * 1000)
    write_config(config_file, [(url, "F")], extra=f'[store]\npath = "{broken}"\n\n')
    assert brief("run") == 0
    captured = capsys.readouterr()
    briefing = Path(captured.out.strip()).read_text(encoding="utf-8")
    assert "fetched into memory for this briefing only" in briefing
    assert "F: article store unavailable:" in captured.err
    assert "not a usable article store" in captured.err

"""Feed parsing without the network: formats, not-a-feed reasons, discovery, text, decoding."""

from __future__ import annotations

import gzip
import subprocess
import sys
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from brief.collect.cleantext import html_fragment_to_text
from brief.collect.discover import discover_feed_links
from brief.collect.fetch import due
from brief.collect.http import BodyTooLarge, _BodyDecoder, parse_retry_after
from brief.collect.parse import parse_feed
from brief.config import FetchConfig
from brief.store import FetchState
from tests.httpserver import Item, atom, json_feed, rss

DATA = Path(__file__).resolve().parent.parent / "data" / "feeds"
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
ITEMS = [
    Item(
        "Xi arrives in Moscow",
        "<p>Chinese leader <b>Xi Jinping</b> arrived &amp; met Putin.</p><p>Talks follow.</p>",
        link="https://news.test/xi?utm_source=rss",
        guid="urn:news:1",
        published=NOW - timedelta(hours=3),
    ),
    Item("Markets rally", "Stocks rose on Friday.", link="https://news.test/markets"),
]


@pytest.mark.parametrize(
    ("body", "version"),
    [
        (rss("News", ITEMS), "rss20"),
        (atom("News", ITEMS), "atom10"),
        (json_feed("News", ITEMS, "1.1"), "json11"),
        (json_feed("News", ITEMS, "1"), "json1"),
    ],
    ids=["rss", "atom", "jsonfeed1.1", "jsonfeed1"],
)
def test_formats_yield_plain_text_entries(body: bytes, version: str) -> None:
    parsed = parse_feed(body, "https://news.test/feed", {"content-type": "application/xml"})
    assert parsed.ok, parsed.error
    assert parsed.version == version
    assert parsed.title == "News"
    first, second = parsed.entries
    assert first.title == "Xi arrives in Moscow"
    assert first.text == "Chinese leader Xi Jinping arrived & met Putin.\n\nTalks follow."
    assert first.url == "https://news.test/xi?utm_source=rss"
    assert first.guid == "urn:news:1"
    assert first.published == NOW - timedelta(hours=3)
    assert second.text == "Stocks rose on Friday."
    assert second.published is None


def test_rdf_rss10_fixture() -> None:
    parsed = parse_feed((DATA / "rss10.rdf").read_bytes(), "http://example.test/rdf")
    assert parsed.ok and parsed.version == "rss10"
    assert [e.title for e in parsed.entries] == ["First RDF item", "Second RDF item"]
    assert parsed.entries[0].published == datetime(2026, 11, 28, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "headers", "reason"),
    [
        (b"", {}, "not a feed: empty response"),
        (b"   \n\t ", {}, "not a feed: empty response"),
        (b"<html><head><title>x</title></head><body>hi</body></html>", {}, "no feed link"),
        (b"\x89PNG\r\n\x1a\n\0\0\0garbage", {"content-type": "image/png"}, "not a feed"),
        (b'{"hello": "world"}', {"content-type": "application/json"}, "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": [', {}, "invalid JSON"),
        (b"<rss version='2.0'><channel><item><title>Whole</title></item><item><title>cu", {}, None),
        (b"<?xml version='1.0'?><nothing/>", {}, "no RSS, Atom, RDF or JSON Feed"),
    ],
)
def test_not_a_feed_is_one_line_reason(
    body: bytes, headers: dict[str, str], reason: str | None
) -> None:
    parsed = parse_feed(body, "http://example.test/x", headers)
    if reason is None:
        # A truncated feed that still yields an entry is a warning, not a failure.
        assert parsed.ok and parsed.entries and parsed.warnings
        return
    assert not parsed.ok
    assert parsed.error is not None and reason in parsed.error
    assert "\n" not in parsed.error


def test_html_page_names_the_feed_to_use() -> None:
    page = (DATA / "page-with-feed.html").read_bytes()
    parsed = parse_feed(page, "https://blog.test/posts/", {"content-type": "text/html"})
    assert not parsed.ok
    assert parsed.discovered == (
        "https://blog.test/feed.atom",
        "https://blog.test/posts/rss.xml",
        "https://cdn.test/feed.json",
    )
    assert parsed.error == (
        "not a feed but an HTML page; it links to the feed "
        "https://blog.test/feed.atom: use that URL"
    )


def test_discovery_honours_base_and_ignores_other_links() -> None:
    page = """<html><head><base href="https://other.test/dir/">
    <link rel="stylesheet" href="x.css"><link rel="alternate" hreflang="de" href="/de">
    <link rel="Alternate" type="application/rss+xml; charset=utf-8" href="feed.xml">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head></html>"""
    assert discover_feed_links(page, "https://site.test/") == ["https://other.test/dir/feed.xml"]


def test_bozo_feed_with_entries_is_a_warning() -> None:
    body = (DATA / "bad-encoding.rss").read_bytes()
    parsed = parse_feed(body, "http://example.test/bad", {"content-type": "application/rss+xml"})
    assert parsed.ok
    assert len(parsed.entries) == 2
    assert any("encoding" in w for w in parsed.warnings)
    # Invalid bytes become text, never an exception.
    assert "Caf" in parsed.entries[0].title


def test_wrong_content_type_is_read_with_a_warning() -> None:
    parsed = parse_feed(rss("N", ITEMS), "http://e.test/", {"content-type": "text/plain"})
    assert parsed.ok and len(parsed.entries) == 2
    assert parsed.warnings == ("served as text/plain (not a feed type); read anyway",)


def test_blank_lines_before_the_xml_declaration_are_not_an_error() -> None:
    # A common server slip; feedparser alone calls it not well-formed and falls back
    # to its slow lenient parser.  brief drops the blank lines: same entries, no warning.
    body = b"\r\n\n  " + rss("N", ITEMS)
    parsed = parse_feed(body, "http://e.test/", {"content-type": "application/rss+xml"})
    assert parsed.warnings == ()
    assert parsed == parse_feed(rss("N", ITEMS), "http://e.test/", {"content-type": "text/xml"})


def test_entries_without_title_or_text_are_counted_not_kept() -> None:
    body = b"""<rss version="2.0"><channel><title>t</title>
    <item><description>Only a body that is long enough to name the entry.</description></item>
    <item></item></channel></rss>"""
    parsed = parse_feed(body, "http://e.test/", {"content-type": "application/rss+xml"})
    assert [e.title for e in parsed.entries] == [
        "Only a body that is long enough to name the entry."
    ]
    assert "1 empty entry skipped" in parsed.warnings


def test_untrusted_markup_stays_text() -> None:
    body = rss(
        "<b>Evil</b> feed",
        [
            Item(
                "[bold red]x[/] \x1b[31mred\x1b[0m",
                "<script>alert(1)</script><p>ok &lt;tag&gt;</p>",
            )
        ],
    )
    parsed = parse_feed(body, "http://e.test/", {"content-type": "application/rss+xml"})
    entry = parsed.entries[0]
    assert "\x1b" not in entry.title and "[bold red]x[/]" in entry.title
    assert entry.text == "ok <tag>"  # escaped markup is literal text; scripts are dropped


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("plain words", "plain words"),
        ("a<br>b<br/>c", "a\n\nb\n\nc"),
        ("<div><p>One.</p>\n\n<p>  Two\n lines. </p></div>", "One.\n\nTwo lines."),
        ("<style>p{}</style><!-- c -->Body&nbsp;text &#8212; &eacute;", "Body text — é"),
        ("x < y and y > z", "x < y and y > z"),
        ("<![CDATA[<p>inside</p>]]>", "inside"),
        ("a\x00b\x07c", "a b c"),
    ],
)
def test_html_fragment_to_text(html: str, text: str) -> None:
    assert html_fragment_to_text(html) == text


def test_decoder_caps_a_gzip_bomb_without_inflating_it() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)
    decoder = _BodyDecoder(["gzip"], 1_000_000)
    with pytest.raises(BodyTooLarge):
        for i in range(0, len(bomb), 16_384):
            decoder.feed(bomb[i : i + 16_384])
    assert decoder.size <= 1_000_001


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_decoder_reads_both_kinds_of_deflate(wbits: int) -> None:
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    data = compressor.compress(b"<rss/>" * 1000) + compressor.flush()
    decoder = _BodyDecoder(["deflate"], 10_000)
    assert decoder.feed(data) + decoder.flush() == b"<rss/>" * 1000


def test_decoder_refuses_unknown_encodings() -> None:
    with pytest.raises(ValueError, match="br"):
        _BodyDecoder(["br"], 10)


def test_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("120", NOW) == timedelta(seconds=120)
    assert parse_retry_after("Sat, 28 Nov 2026 08:00:00 GMT", NOW) == timedelta(hours=1)
    assert parse_retry_after("Sat, 28 Nov 2026 06:00:00 GMT", NOW) == timedelta(0)
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_due_honours_gone_retry_and_interval() -> None:
    fetch = FetchConfig(min_interval_minutes=15)
    assert due(None, fetch, NOW) is None
    recent = FetchState(source_id="f", last_attempt=NOW - timedelta(minutes=5))
    assert due(recent, fetch, NOW) == "fetched less than 15 min ago"
    assert due(recent, FetchConfig(min_interval_minutes=0), NOW) is None
    failed = FetchState(source_id="f", last_attempt=NOW - timedelta(minutes=5), error="HTTP 500")
    assert due(failed, fetch, NOW) is None  # a failed feed may be retried before the interval
    waiting = FetchState(source_id="f", not_before=NOW + timedelta(minutes=30), error="HTTP 429")
    assert due(waiting, fetch, NOW) == "waiting until 2026-11-28 07:30 UTC"
    assert due(FetchState(source_id="f", gone=True), fetch, NOW) == "gone"


def test_feed_modules_import_no_textual_rich_or_feedparser() -> None:
    code = (
        "import sys, brief.collect.feeds, brief.collect.opml, brief.store\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'click'))\n"
        "lazy = 'feedparser' in sys.modules\n"
        "print(bad, lazy)\n"
        "sys.exit(1 if bad or lazy else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr

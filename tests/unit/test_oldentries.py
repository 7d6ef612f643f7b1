"""Cutting old entries before feedparser: only what is certainly old goes, and nothing else changes.

Every case compares :func:`parse_feed` with the cut against ``parse_feed``
with the cut switched off: the entries, warnings, title, version and count
must be identical, whatever the cutter decided.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

import brief.collect.parse as parse_module
from brief.collect.oldentries import cuttable_encoding, drop_old_entries
from brief.collect.parse import ParsedFeed, parse_feed
from tests.httpserver import Item, atom, rss

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=30)
OLD = NOW - timedelta(days=400)
NEW = NOW - timedelta(hours=2)
XML = {"content-type": "application/xml"}


def _rfc822(when: datetime) -> str:
    return format_datetime(when, usegmt=True)


def _items() -> list[Item]:
    return [
        Item("Fresh story", "<p>News of today.</p>", link="https://n.test/1", published=NEW),
        Item("Old story", "<p>Last year.</p>", link="https://n.test/2", published=OLD),
        Item("Undated story", "<p>No date.</p>", link="https://n.test/3"),
        Item("Older story", "<p>Long ago.</p>", link="https://n.test/4", published=OLD),
    ]


def _rdf(items: list[Item]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        '<channel rdf:about="https://n.test/"><title>RDF news</title>'
        "<link>https://n.test/</link><description>d</description></channel>",
    ]
    for item in items:
        parts.append(f'<item rdf:about="{item.link}"><title>{item.title}</title>')
        parts.append(f"<link>{item.link}</link><description>{item.body}</description>")
        if item.published:
            parts.append(f"<dc:date>{item.published.isoformat()}</dc:date>")
        parts.append("</item>")
    parts.append("</rdf:RDF>")
    return "\n".join(parts).encode("utf-8")


def _uncut(
    monkeypatch: pytest.MonkeyPatch, body: bytes, headers: dict[str, str], since: datetime
) -> ParsedFeed:
    """parse_feed with the cutter switched off."""
    with monkeypatch.context() as patch:
        patch.setattr(parse_module, "_without_old_entries", lambda b, h, s: (b, 0))
        return parse_feed(body, "https://n.test/feed", headers, since=since, engine="feedparser")


def _same_as_uncut(
    monkeypatch: pytest.MonkeyPatch,
    body: bytes,
    headers: dict[str, str] | None = None,
    since: datetime = SINCE,
) -> ParsedFeed:
    headers = headers if headers is not None else XML
    cut = parse_feed(body, "https://n.test/feed", headers, since=since, engine="feedparser")
    assert cut == _uncut(monkeypatch, body, headers, since)
    return cut


@pytest.mark.parametrize("build", [rss, atom], ids=["rss", "atom"])
def test_old_entries_are_cut_and_counted(
    build: Callable[[str, list[Item]], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = build("News", _items())
    trimmed, cut = drop_old_entries(body, SINCE)
    assert cut == 2
    assert b"Old story" not in trimmed and b"Older story" not in trimmed
    assert b"Fresh story" in trimmed and b"Undated story" in trimmed
    parsed = _same_as_uncut(monkeypatch, body)
    assert [e.title for e in parsed.entries] == ["Fresh story", "Undated story"]
    assert parsed.old_entries == 2 and parsed.entry_count == 4
    assert parsed.title == "News" and parsed.warnings == ()


def test_rdf_items_with_dc_dates_are_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    body = _rdf(_items())
    assert drop_old_entries(body, SINCE)[1] == 2
    parsed = _same_as_uncut(monkeypatch, body)
    assert parsed.version == "rss10"
    assert [e.title for e in parsed.entries] == ["Fresh story", "Undated story"]


def test_without_a_retention_window_nothing_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("no cut without `since`")

    monkeypatch.setattr(parse_module, "_without_old_entries", fail)
    parsed = parse_feed(rss("News", _items()), "https://n.test/feed", XML)
    assert len(parsed.entries) == 4 and parsed.old_entries == 0


def test_a_feed_whose_entries_are_all_old_is_still_a_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    old = [i for i in _items() if i.published == OLD]
    parsed = _same_as_uncut(monkeypatch, rss("Archive", old))
    assert parsed.ok and parsed.version == "rss20" and parsed.title == "Archive"
    assert parsed.entries == () and parsed.old_entries == 2


def _rss_with(item_xml: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:x="urn:x" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">'
        "<channel><title>T</title><link>https://n.test/</link>"
        f"<description>d</description>{item_xml}</channel></rss>"
    ).encode()


OLD_DATE = f"<pubDate>{_rfc822(OLD)}</pubDate>"
KEPT = {
    "no date": "<item><title>a</title></item>",
    "unreadable date": "<item><title>a</title><pubDate>sometime in spring</pubDate></item>",
    "a newer second date": (
        f'<item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>a</title>{OLD_DATE}'
        f"<dc:date>{NEW.isoformat()}</dc:date></item>"
    ),
    "a newer date anywhere inside": (
        f"<item><title>a</title>{OLD_DATE}<source url='https://s.test/'>"
        f"<pubDate>{_rfc822(NEW)}</pubDate></source></item>"
    ),
    "only a nested date": (
        f"<item><title>a</title><source url='https://s.test/'>{OLD_DATE}</source></item>"
    ),
    "a date in an unknown namespace only": (
        f"<item><title>a</title><x:pubDate>{_rfc822(OLD)}</x:pubDate></item>"
    ),
    "a lastmod attribute": f'<item lastmod="{NEW.isoformat()}"><title>a</title>{OLD_DATE}</item>',
    "a non-ASCII date": "<item><title>a</title><pubDate>2015년 1월 2일</pubDate></item>",
    "a prefix rebound to another namespace": (
        f'<item xmlns:dc="urn:not-dublin-core"><title>a</title>{OLD_DATE}</item>'
    ),
    "the default namespace of a feed format declared on it": (
        f'<item xmlns:a="http://www.w3.org/2005/Atom"><title>a</title>{OLD_DATE}</item>'
    ),
    "a nested item": f"<item><title>a</title>{OLD_DATE}<item><title>b</title></item></item>",
    "a date inside a date": f"<item><pubDate>{_rfc822(OLD)}<pubDate/></pubDate></item>",
    "a self-closed item": "<item/>",
    "the first declaration of a namespace": (
        f'<item xmlns:media="http://search.yahoo.com/mrss/"><title>a</title>{OLD_DATE}</item>'
    ),
    "markup inside its date": f"<item><pubDate>{_rfc822(OLD)}<x:note/></pubDate></item>",
}


@pytest.mark.parametrize("item_xml", list(KEPT.values()), ids=list(KEPT))
def test_entries_that_might_not_be_old_stay(item_xml: str, monkeypatch: pytest.MonkeyPatch) -> None:
    body = _rss_with(item_xml)
    assert drop_old_entries(body, SINCE) == (body, 0)
    _same_as_uncut(monkeypatch, body)


def test_an_item_declaring_a_known_namespace_under_its_usual_prefix_is_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Podcast feeds repeat the root's xmlns:itunes on every item: a no-op for feedparser.
    item = (
        '<item><title>a</title><itunes:subtitle xmlns:itunes="http://www.itunes.com/dtds/'
        f'podcast-1.0.dtd">s</itunes:subtitle>{OLD_DATE}</item>'
    )
    body = _rss_with(item + "<item><title>b</title></item>")
    assert drop_old_entries(body, SINCE)[1] == 1
    assert [e.title for e in _same_as_uncut(monkeypatch, body).entries] == ["b"]


@pytest.mark.parametrize(
    "body",
    [
        _rss_with(f"<item><title>a</title>{OLD_DATE}</item><p>unclosed"),
        _rss_with(f"<item><title>a &nbsp; b</title>{OLD_DATE}</item>"),  # undeclared entity
        b"<rss><item><title>a</title>" + OLD_DATE.encode() + b"</item></rss>",  # no channel
        b"\xff\xfe" + _rss_with(f"<item>{OLD_DATE}</item>").decode().encode("utf-16-le"),
    ],
    ids=["not well-formed", "html entity", "item outside channel", "utf-16"],
)
def test_nothing_is_cut_from_what_expat_cannot_vouch_for(
    body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert drop_old_entries(body, SINCE)[1] == 0
    _same_as_uncut(monkeypatch, body)


def test_no_cut_when_it_would_change_how_feedparser_decodes_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Served as text/xml without a charset, feedparser first tries US-ASCII.  The
    # only non-ASCII byte sits in an old item: without it US-ASCII would succeed and
    # the "wrong character encoding" warning would vanish, so nothing is cut.
    old_item = f"<item><title>Caf\xe9</title>{OLD_DATE}</item>"
    body = _rss_with(old_item + "<item><title>kept</title></item>").replace(
        b'encoding="utf-8"', b'encoding="iso-8859-1"'
    )
    body = body.decode("utf-8").encode("latin-1")
    headers = {"content-type": "text/xml"}
    assert drop_old_entries(body, SINCE)[1] == 1  # the cutter alone would cut
    parsed = _same_as_uncut(monkeypatch, body, headers)
    assert parsed.old_entries == 1
    assert any("character encoding" in w for w in parsed.warnings)


def test_blank_lines_before_the_declaration_still_allow_a_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = b"\n\n" + rss("News", _items())
    parsed = _same_as_uncut(monkeypatch, body)
    assert parsed.old_entries == 2 and parsed.warnings == ()


CUTTABLE = ["utf-8", "us-ascii", "windows-1252", "ISO-8859-2", "koi8-r"]
NOT_CUTTABLE = ["utf-16", "shift_jis", "iso-2022-jp", "cp037", "bogus", ""]


@pytest.mark.parametrize(
    ("name", "ok"), [(n, True) for n in CUTTABLE] + [(n, False) for n in NOT_CUTTABLE]
)
def test_cuttable_encodings(name: str, ok: bool) -> None:
    assert cuttable_encoding(name) is ok


def test_cutting_changes_nothing_on_the_real_saved_feeds(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every real feed, cut at one of several dates: the same result as without the cut."""
    files = sorted(
        p
        for folder in ("real-rss-parser", "real-netnewswire")
        for p in (shared_data / "feeds" / folder).iterdir()
        if p.is_file() and not p.name.startswith("LICENSE")
    )
    assert len(files) > 60
    cuts: list[int] = []
    real_cut = parse_module._without_old_entries

    def counting(body: bytes, headers: dict[str, str], since: datetime) -> tuple[bytes, int]:
        trimmed, cut = real_cut(body, headers, since)
        cuts.append(cut)
        return trimmed, cut

    monkeypatch.setattr(parse_module, "_without_old_entries", counting)
    years = (2012, 2016, 2018, 2019, 2020, 2022, 2024, 2025)
    for i, path in enumerate(files):
        body = path.read_bytes()
        # Served both ways: text/xml makes feedparser fall back on encodings more often.
        kind = "application/xml" if i % 2 else "text/xml"
        headers = {"content-type": "application/json" if path.suffix == ".json" else kind}
        since = datetime(years[i % len(years)], 6, 1, tzinfo=UTC)
        cut = parse_feed(body, "https://n.test/feed", headers, since=since, engine="feedparser")
        assert cut == _uncut(monkeypatch, body, headers, since), f"{path.name} since {since}"
    assert sum(1 for n in cuts if n) > 15  # the cutter does cut real feeds
    assert sum(cuts) > 500


def test_the_buffered_reader_and_cached_base_uri_read_feeds_as_stock_feedparser_does(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """brief's feedparser settings (brief.collect.feedsax, cached make_safe_absolute_uri)."""
    parse_module.load_feedparser()  # applies them
    import feedparser.api
    import feedparser.mixin
    import feedparser.urls

    assert feedparser.api.PREFERRED_XML_PARSERS == ["brief.collect.feedsax"]
    assert hasattr(feedparser.mixin.make_safe_absolute_uri, "cache_info")
    folder = shared_data / "feeds" / "real-rss-parser"
    paths = sorted(folder.glob("*.rss"), key=lambda p: p.stat().st_size)[-8:]

    def read(body: bytes) -> dict[str, object]:
        parsed = feedparser.parse(
            io.BytesIO(body),
            response_headers={"content-location": "https://n.test/feed/"},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
        return {
            "feed": parsed["feed"],
            "entries": parsed["entries"],
            "version": parsed.get("version"),
            "encoding": parsed.get("encoding"),
            "bozo": type(parsed.get("bozo_exception")).__name__,
        }

    for path in paths:
        body = path.read_bytes()
        ours = read(body)
        with monkeypatch.context() as patch:
            patch.setattr(feedparser.api, "PREFERRED_XML_PARSERS", [])
            patch.setattr(
                feedparser.mixin, "make_safe_absolute_uri", feedparser.urls.make_safe_absolute_uri
            )
            stock = read(body)
        assert ours == stock, path.name


def test_parsing_in_many_threads_at_first_use_is_safe(tmp_path: Path) -> None:
    """feedparser is imported once, under a lock, even when threads race to parse first."""
    import subprocess
    import sys

    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss("News", _items()))
    code = (
        "import sys, threading\n"
        "from brief.collect.parse import parse_feed\n"
        f"body = open({str(feed)!r}, 'rb').read()\n"
        "gate = threading.Barrier(12)\n"
        "results = []\n"
        "def work():\n"
        "    gate.wait()\n"
        "    results.append(parse_feed(body, 'https://n.test/', {}))\n"
        "threads = [threading.Thread(target=work) for _ in range(12)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "bad = [r.error for r in results if not r.ok or len(r.entries) != 4]\n"
        "print(bad); sys.exit(1 if bad or len(results) != 12 else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_cut_body_is_still_well_formed_xml() -> None:
    import xml.parsers.expat

    trimmed, cut = drop_old_entries(atom("News", _items() * 3), SINCE)
    assert cut == 6
    xml.parsers.expat.ParserCreate().Parse(trimmed, True)  # raises if not well-formed
    assert len(re.findall(rb"<entry>", trimmed)) == 6


def test_parsed_feed_fields_are_all_compared() -> None:
    # The equality checks above rely on ParsedFeed comparing every field.
    fields = {f.name for f in dataclasses.fields(ParsedFeed)}
    assert fields == {
        "version",
        "title",
        "entries",
        "warnings",
        "error",
        "discovered",
        "old_entries",
    }

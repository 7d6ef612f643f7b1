"""Every private API brief leans on, checked: when a dependency changes it, this fails by name.

brief keeps a few uses of a dependency's internals, each for a reason named beside it in the
code. These tests check the facts those uses rely on, so an upgrade that breaks one fails
here loudly, naming the dependency and its version, instead of brief quietly misbehaving.

The list, with where each use is and why it is kept, is in docs/ARCHITECTURE.md
("Private API kept").
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import feedparser.api
import feedparser.datetimes
import feedparser.encodings
import feedparser.mixin
import httpx

REPO = Path(__file__).resolve().parents[2]
FEEDPARSER = f"feedparser {feedparser.__version__}"
HTTPX = f"httpx {httpx.__version__}"
PYTHON = f"Python {sys.version.split()[0]}"


def test_feedparser_private_date_parser_reads_the_formats_feeds_use() -> None:
    parse = getattr(feedparser.datetimes, "_parse_date", None)
    assert callable(parse), f"{FEEDPARSER}: feedparser.datetimes._parse_date is gone"
    for text in (
        "Sat, 28 Nov 2026 07:00:00 GMT",
        "2026-11-28T08:00:00+01:00",
        "2026-11-28T07:00:00Z",
    ):
        value = parse(text)
        assert isinstance(value, time.struct_time), (
            f"{FEEDPARSER}: _parse_date({text!r}) -> {value!r}"
        )
        assert tuple(value[:5]) == (2026, 11, 28, 7, 0), f"{FEEDPARSER}: _parse_date({text!r})"
    assert parse("not a date") is None, f"{FEEDPARSER}: _parse_date no longer returns None"


def test_feedparser_private_namespace_table_maps_uris_to_prefixes() -> None:
    mixin = getattr(feedparser.mixin, "_FeedParserMixin", None)
    table = getattr(mixin, "namespaces", None)
    assert isinstance(table, dict), f"{FEEDPARSER}: _FeedParserMixin.namespaces is gone"
    assert table.get("http://purl.org/dc/elements/1.1/") == "dc", FEEDPARSER
    assert table.get("http://purl.org/dc/terms/") == "dcterms", FEEDPARSER
    assert table.get("http://purl.org/rss/1.0/") == "", FEEDPARSER


def test_feedparser_internals_the_fetch_path_tunes_still_exist() -> None:
    function = getattr(feedparser.mixin, "make_safe_absolute_uri", None)
    assert callable(function), (
        f"{FEEDPARSER}: feedparser.mixin.make_safe_absolute_uri is gone (its cache does nothing)"
    )
    convert = getattr(feedparser.encodings, "convert_to_utf8", None)
    assert callable(convert), f"{FEEDPARSER}: feedparser.encodings.convert_to_utf8 is gone"
    assert list(inspect.signature(convert).parameters) == ["http_headers", "data", "result"], (
        f"{FEEDPARSER}: convert_to_utf8 changed its signature"
    )
    assert isinstance(getattr(feedparser.api, "PREFERRED_XML_PARSERS", None), list), (
        f"{FEEDPARSER}: feedparser.api.PREFERRED_XML_PARSERS is gone"
    )


def test_marking_httpx_cli_absent_still_keeps_rich_out() -> None:
    """httpx imports its CLI (httpx._main) at import time; brief marks it absent."""
    probe = (
        "import sys\n"
        "hack = sys.argv[1] == 'hack'\n"
        "if hack: sys.modules['httpx._main'] = None\n"
        "import httpx\n"
        "httpx.AsyncClient\n"
        "print(isinstance(sys.modules.get('httpx._main'), type(sys)), 'rich' in sys.modules)\n"
    )
    results = {}
    for mode in ("plain", "hack"):
        done = subprocess.run(
            [sys.executable, "-c", probe, mode],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
        assert done.returncode == 0, f"{HTTPX}: import httpx with {mode}: {done.stderr}"
        results[mode] = done.stdout.split()
    # Without the hack httpx imports its CLI module: else the hack protects nothing, remove it.
    assert results["plain"][0] == "True", f"{HTTPX}: no longer imports httpx._main; drop the hack"
    assert results["hack"] == ["False", "False"], f"{HTTPX}: the httpx._main hack stopped working"


def test_stdlib_expat_reader_exposes_its_parser_for_buffering() -> None:
    from brief.collect.feedsax import BUFFER_BYTES, create_parser

    reader = create_parser()
    reader.reset()
    expat = getattr(reader, "_parser", None)
    assert expat is not None, f"{PYTHON}: xml.sax.expatreader.ExpatParser._parser is gone"
    assert expat.buffer_text is True and expat.buffer_size == BUFFER_BYTES, PYTHON


def test_feedparser_url_joins_the_fast_path_mirrors_still_exist() -> None:
    """brief.collect.fastparse resolves links and xml:base with feedparser's own joins."""
    import feedparser.urls

    join = getattr(feedparser.urls, "_urljoin", None)
    assert callable(join), f"{FEEDPARSER}: feedparser.urls._urljoin is gone"
    assert join("http://example.com/a/", "b") == "http://example.com/a/b", FEEDPARSER
    safe = getattr(feedparser.urls, "make_safe_absolute_uri", None)
    assert callable(safe), f"{FEEDPARSER}: feedparser.urls.make_safe_absolute_uri is gone"
    assert safe("http://example.com/", "javascript:x") == "", FEEDPARSER


def test_feedparser_helpers_the_fast_path_reads_with_still_exist() -> None:
    """brief.collect.fastparse names elements, sniffs HTML and dispatches as feedparser does."""
    import feedparser.api

    parser = getattr(feedparser.api, "StrictFeedParser", None)
    assert parser is not None, f"{FEEDPARSER}: feedparser.api.StrictFeedParser is gone"
    for handler in ("_start_title", "_start_dc_creator", "_start_itunes_summary", "_end_content"):
        assert hasattr(parser, handler), f"{FEEDPARSER}: StrictFeedParser.{handler} is gone"
    assert not hasattr(parser, "_start_itunes_title"), f"{FEEDPARSER}: now reads itunes:title"
    sniff = getattr(feedparser.mixin._FeedParserMixin, "looks_like_html", None)
    assert callable(sniff), f"{FEEDPARSER}: _FeedParserMixin.looks_like_html is gone"
    assert sniff("<b>bold</b>") and not sniff("AT&T"), FEEDPARSER

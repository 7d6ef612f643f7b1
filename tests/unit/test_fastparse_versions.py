"""RSS versions on the fast path are named as feedparser names them; other namings decline."""

from __future__ import annotations

import pytest

from brief.collect.fastparse import fast_parse
from brief.collect.parse import load_feedparser, parse_feed

_ITEMS = (
    b"<channel><title>T</title><item><title>a</title><link>http://e.com/a</link></item></channel>"
)
_HEADERS = {"content-type": "application/xml", "content-location": "http://e.com/"}


def _feed(root: bytes, end: bytes = b"</rss>") -> bytes:
    return b'<?xml version="1.0"?>' + root + _ITEMS + end


@pytest.mark.parametrize(
    ("root", "version"),
    [
        (b'<rss version="2.0">', "rss20"),
        (b'<rss version="2.01">', "rss20"),
        (b'<rss version="0.91">', "rss091u"),
        (b'<rss version="0.92">', "rss092"),
        (b'<rss version="0.94">', "rss094"),
        (b"<rss>", "rss"),
        (b'<rss version="1.5">', "rss"),
        (b'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">', "rss20"),
    ],
)
def test_rss_versions_are_read_on_the_fast_path(root: bytes, version: str) -> None:
    body = _feed(root)
    fast = fast_parse(body, _HEADERS, load_feedparser())
    assert fast is not None and fast["version"] == version
    assert parse_feed(body, "http://e.com/", engine="feedparser").version == version


@pytest.mark.parametrize(
    ("body", "version"),
    [
        (_feed(b'<rss version="2.0" xmlns:r="http://purl.org/rss/1.0/">'), "rss10"),
        (_feed(b'<rss version="2.0" xmlns="http://my.netscape.com/rdf/simple/0.9/">'), "rss090"),
        (
            b'<feed xmlns:r="http://purl.org/rss/1.0/" xmlns="http://www.w3.org/2005/Atom">'
            b"<title>T</title><entry><title>a</title><link href='http://e.com/a'/></entry></feed>",
            "rss10",
        ),
    ],
)
def test_a_root_declaring_an_rss_namespace_first_goes_to_feedparser(
    body: bytes, version: str
) -> None:
    assert fast_parse(body, _HEADERS, load_feedparser()) is None
    assert parse_feed(body, "http://e.com/", _HEADERS).version == version

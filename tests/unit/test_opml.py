"""OPML import (listparser) and export (OPML 2.0): titles and tags survive a round trip."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import listparser
import pytest

from brief.collect.opml import merge_feeds, opml_document, parse_opml, read_opml, write_opml
from brief.config import FeedConfig
from brief.errors import SourceError

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)

NESTED = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>My &amp; feeds</title></head><body>
  <outline text="News">
    <outline text="World">
      <outline type="rss" text="Wire" title="Wire Service" xmlUrl="https://wire.test/rss"/>
    </outline>
    <outline type="rss" text="Local" xmlUrl="http://local.test/feed" category="/city,/weather"/>
  </outline>
  <outline type="rss" text="No URL"/>
  <outline type="rss" text="Mail" xmlUrl="mailto:x@y.test"/>
  <outline type="rss" text="Wire again" xmlUrl="https://wire.test/rss"/>
  <outline type="rss" text="https://bare.test/feed" xmlUrl="https://bare.test/feed"/>
  <outline text="Blog" type="rss" xmlUrl="" htmlUrl="https://blog.test/"/>
</body></opml>"""


def test_import_keeps_titles_folders_and_categories() -> None:
    result = parse_opml(NESTED, "subs.opml")
    assert result.title == "My & feeds"
    assert result.feeds == (
        FeedConfig(url="https://wire.test/rss", name="Wire", tags=("News", "World")),
        FeedConfig(url="http://local.test/feed", name="Local", tags=("city", "weather", "News")),
        FeedConfig(url="https://bare.test/feed", name="", tags=()),
    )
    assert result.skipped == ("Mail: not an http(s) feed URL",)
    assert result.warnings == ("1 web site listed without a feed URL (htmlUrl only)",)


def test_export_is_opml2_and_round_trips() -> None:
    feeds = (
        FeedConfig(
            url="https://a.test/rss?x=1&y=2", name='Tom & "Jerry" <news>', tags=("world", "cats")
        ),
        FeedConfig(url="https://b.test/atom", name="", tags=()),
        FeedConfig(url="https://c.test/feed", name="Ctrl\x07char", tags=("a/b", "c,d")),
    )
    text = opml_document(feeds, titles={"https://b.test/atom": "B Times"}, now=NOW)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<dateCreated>Sat, 28 Nov 2026 07:00:00 GMT</dateCreated>" in text
    parsed = listparser.parse(text.encode("utf-8"))
    assert not parsed.bozo
    back = parse_opml(text.encode("utf-8"))
    assert back.feeds == (
        FeedConfig(
            url="https://a.test/rss?x=1&y=2", name='Tom & "Jerry" <news>', tags=("world", "cats")
        ),
        FeedConfig(url="https://b.test/atom", name="B Times", tags=()),
        FeedConfig(url="https://c.test/feed", name="Ctrl char", tags=("a b", "c d")),
    )


def test_write_opml_is_atomic_and_readable(tmp_path: Path) -> None:
    path = write_opml(
        tmp_path / "out" / "feeds.opml", [FeedConfig(url="https://a.test/rss")], now=NOW
    )
    assert read_opml(path).feeds == (FeedConfig(url="https://a.test/rss"),)
    assert [p.name for p in path.parent.iterdir()] == ["feeds.opml"]


def test_merge_skips_feeds_already_subscribed() -> None:
    existing = (FeedConfig(url="https://a.test/rss", name="Mine"),)
    incoming = [
        FeedConfig(url="https://a.test/rss", name="Theirs"),
        FeedConfig(url="https://b.test/"),
    ]
    feeds, added, already = merge_feeds(existing, incoming)
    assert feeds == (existing[0], incoming[1])
    assert added == (incoming[1],)
    assert already == (incoming[0],)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not an OPML subscription list"),
        (b"just some words", "not an OPML subscription list"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>',
            "not an OPML subscription list",
        ),
        # A URL string must never be fetched: it is read as (bad) XML.
        (b"https://example.test/subs.opml", "not an OPML subscription list"),
    ],
)
def test_not_opml_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.opml"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        read_opml(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_missing_file_and_folder_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_opml(tmp_path / "nope.opml")
    with pytest.raises(SourceError, match="is a folder"):
        read_opml(tmp_path)


def test_export_nests_feeds_in_folders_by_first_tag_and_keeps_category() -> None:
    import xml.etree.ElementTree as ET

    feeds = (
        FeedConfig(url="https://a.test/rss", name="A", tags=("world", "politics")),
        FeedConfig(url="https://b.test/rss", name="B", tags=()),
        FeedConfig(url="https://c.test/rss", name="C", tags=("tech",)),
        FeedConfig(url="https://d.test/rss", name="D", tags=("world",)),
    )
    text = opml_document(feeds, now=NOW)
    body = ET.fromstring(text).find("body")
    assert body is not None
    top = [(o.get("text"), o.get("xmlUrl")) for o in body]
    # Folders where their first feed was; the untagged feed stays at the top level.
    assert top == [("world", None), ("B", "https://b.test/rss"), ("tech", None)]
    world = body[0]
    assert world.get("type") is None
    assert [(o.get("text"), o.get("category")) for o in world] == [
        ("A", "/world,/politics"),
        ("D", "/world"),
    ]
    assert [o.get("xmlUrl") for o in body[2]] == ["https://c.test/rss"]
    # listparser (like the readers) sees the folders, and the tags come back unchanged.
    parsed = listparser.parse(text.encode("utf-8"))
    by_url = {f["url"]: f for f in parsed.feeds}
    assert ["world"] in by_url["https://d.test/rss"]["categories"]
    assert parse_opml(text.encode("utf-8")).feeds == (feeds[0], feeds[3], feeds[1], feeds[2])

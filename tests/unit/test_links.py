"""An article's links and enclosures: parsed from feeds and local files, capped, stored."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.collect.links import (
    ENCLOSURES_MAX,
    LINK_URL_MAX_CHARS,
    LINKS_MAX,
    clean_url,
    html_links,
    markdown_links,
    web_link,
)
from brief.collect.local import local_source, read_article
from brief.collect.parse import entries_to_articles, parse_feed
from brief.models import Article, Enclosure, Link, Source
from brief.store import open_store

FEED = Source(id="feed1", name="Feed", kind="feed", location="https://ex.com/feed")


def _rss(description: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>A</title><link>https://ex.com/a/</link><guid>g1</guid>"
        f"<description><![CDATA[{description}]]></description>{extra}</item></channel></rss>"
    ).encode()


def test_rss_links_keep_href_and_text_in_order_resolved_and_deduplicated() -> None:
    feed = parse_feed(
        _rss(
            '<p>See <a href="https://x.org/1">the <b>report</b></a>, '
            '<a href="/rel?a=1&amp;b=2">relative</a>, <a href="https://x.org/1">again</a>, '
            '<a href="#top">top</a>, <a name="anchor">no href</a>.</p>'
        ),
        "https://ex.com/feed",
    )
    assert feed.entries[0].links == (
        Link("https://x.org/1", "the report"),
        Link("https://ex.com/rel?a=1&b=2", "relative"),
    )


@pytest.mark.parametrize(
    ("href", "stored"),
    [
        ("javascript:alert(document.cookie)", "javascript:"),
        ("JavaScript:alert(1)", "javascript:"),
        ("data:text/html;base64,PHNjcmlwdD4=", "data:"),
        ("vbscript:msgbox", "vbscript:"),
        ("mailto:desk@example.com", "mailto:desk@example.com"),
        ("file:///etc/passwd", "file:///etc/passwd"),
        ("https://ex.com/\x1b]52;c;AAAA\x07x", "https://ex.com/%20]52;c;AAAA%20x"),
        ("  https://ex.com/a b\n", "https://ex.com/a%20b"),
        ("//cdn.ex.com/ep.mp3", "https://cdn.ex.com/ep.mp3"),
    ],
)
def test_hostile_hrefs_stay_text_and_only_web_links_are_openable(href: str, stored: str) -> None:
    links = html_links(f'<a href="{href}">click</a>', "https://ex.com/a")
    assert links == [(stored, "click")]
    assert web_link(stored) == stored.startswith("https://")
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in links[0][0])


def test_control_characters_in_link_text_are_removed() -> None:
    (pair,) = html_links('<a href="https://a.org">bad\x1b[2Jtext\x07</a>')
    assert "\x1b" not in pair[1] and "\x07" not in pair[1]
    assert "text" in pair[1]


def test_huge_link_lists_are_capped_and_the_cut_is_a_feed_warning() -> None:
    anchors = "".join(f'<a href="https://x.org/{i}">{i}</a> ' for i in range(LINKS_MAX + 50))
    started = time.process_time()
    feed = parse_feed(_rss(anchors), "https://ex.com/feed")
    assert time.process_time() - started < 5  # bounded, not a benchmark
    assert len(feed.entries[0].links) == LINKS_MAX
    assert feed.entries[0].links[-1] == Link(f"https://x.org/{LINKS_MAX - 1}", str(LINKS_MAX - 1))
    assert any("50 links or enclosures" in w for w in feed.warnings)


def test_an_overlong_url_is_no_link_and_unclosed_anchors_cost_no_time() -> None:
    assert clean_url("https://x.org/" + "a" * LINK_URL_MAX_CHARS) == ""
    started = time.process_time()
    pairs = html_links('<a href="https://x.org/">' * 20_000)
    assert time.process_time() - started < 5
    assert pairs == [("https://x.org/", "")] * 20_000


def test_rss_enclosures_with_type_and_length_capped() -> None:
    extra = '<enclosure url="https://cdn.ex.com/ep1.mp3" type="Audio/MPEG" length="34215000"/>'
    feed = parse_feed(_rss("text", extra), "https://ex.com/feed")
    assert feed.entries[0].enclosures == (
        Enclosure("https://cdn.ex.com/ep1.mp3", "audio/mpeg", 34215000),
    )
    many = "".join(
        f'<enclosure url="https://cdn.ex.com/{i}.mp3" type="audio/mpeg" length="x"/>'
        for i in range(ENCLOSURES_MAX + 3)
    )
    capped = parse_feed(_rss("text", many), "https://ex.com/feed")
    assert len(capped.entries[0].enclosures) == ENCLOSURES_MAX
    assert capped.entries[0].enclosures[0].length is None  # "x" is no length
    assert any("3 links or enclosures" in w for w in capped.warnings)


def test_atom_content_links_and_enclosure() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>A</title>'
        b'<id>x</id><link href="https://ex.com/a"/>'
        b'<link rel="enclosure" href="https://e.org/x.ogg" type="audio/ogg" length="12"/>'
        b'<content type="html">&lt;a href="https://k.org"&gt;k&lt;/a&gt;</content></entry></feed>'
    )
    (entry,) = parse_feed(body, "https://ex.com/feed").entries
    assert entry.links == (Link("https://k.org", "k"),)
    assert entry.enclosures == (Enclosure("https://e.org/x.ogg", "audio/ogg", 12),)


def test_json_feed_links_and_attachments() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "j", "items": [{"id": "1",'
        b' "url": "https://j.org/1", "content_html": "<a href=\\"/two\\">two</a>",'
        b' "attachments": [{"url": "https://j.org/ep.m4a", "mime_type": "audio/x-m4a",'
        b' "size_in_bytes": 99}, {"url": 5}]}]}'
    )
    (entry,) = parse_feed(body, "https://j.org/feed.json").entries
    assert entry.links == (Link("https://j.org/two", "two"),)
    assert entry.enclosures == (Enclosure("https://j.org/ep.m4a", "audio/x-m4a", 99),)


def test_markdown_links_and_autolinks_not_images() -> None:
    text = 'Read [the plan](https://a.org/p "t") and <https://b.org/x>; ![img](https://c.org/i.png)'
    assert markdown_links(text) == [("https://a.org/p", "the plan"), ("https://b.org/x", "")]


def test_local_markdown_and_html_files_keep_their_links(tmp_path: Path) -> None:
    md = tmp_path / "note.md"
    md.write_text(
        "# Note\n\nThe [budget](https://gov.example/budget) passed after a long debate in "
        "parliament, and [a script](javascript:alert(1)) is only text.\n",
        encoding="utf-8",
    )
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Page</title></head><body><article><h1>Page</h1><p>"
        + "The council met on Monday to vote on the new transport plan for the city. " * 5
        + '<a href="https://city.example/plan">the plan</a></p></article></body></html>',
        encoding="utf-8",
    )
    source = local_source(tmp_path)
    assert read_article(md, source).links == (
        Link("https://gov.example/budget", "budget"),
        Link("javascript:", "a script"),
    )
    assert Link("https://city.example/plan", "the plan") in read_article(page, source).links


def test_links_and_enclosures_round_trip_through_the_store(tmp_path: Path) -> None:
    extra = '<enclosure url="https://cdn.ex.com/ep1.mp3" type="audio/mpeg" length="10"/>'
    feed = parse_feed(_rss('<a href="https://x.org/1">one</a>', extra), "https://ex.com/feed")
    now = datetime(2026, 1, 2, tzinfo=UTC)
    articles = entries_to_articles(FEED, feed.entries, fetched=now)
    with open_store(tmp_path / "store.db") as store:
        result = store.upsert_articles(FEED, articles, fetched=now)
        stored = store.article(result.ids[0])
        assert stored is not None
        assert stored.links == (Link("https://x.org/1", "one"),)
        assert stored.enclosures == (Enclosure("https://cdn.ex.com/ep1.mp3", "audio/mpeg", 10),)
        # A revision of the item brings its new links.
        revised = Article(**{**_fields(articles[0]), "text": "new text", "links": ()})
        store.upsert_articles(FEED, [revised], fetched=now)
        again = store.article(result.ids[0])
        assert again is not None and again.links == ()


def _fields(article: Article) -> dict[str, object]:
    return {name: getattr(article, name) for name in Article.__dataclass_fields__}


def test_a_refetch_gives_links_to_an_article_stored_without_them(tmp_path: Path) -> None:
    feed = parse_feed(_rss('<a href="https://x.org/1">one</a>'), "https://ex.com/feed")
    now = datetime(2026, 1, 2, tzinfo=UTC)
    (article,) = entries_to_articles(FEED, feed.entries, fetched=now)
    assert article.links
    with open_store(tmp_path / "store.db") as store:
        # As an older brief stored it: the same item, no links.
        old = Article(**{**_fields(article), "links": (), "enclosures": ()})
        (article_id,) = store.upsert_articles(FEED, [old], fetched=now).ids
        result = store.upsert_articles(FEED, [article], fetched=now)
        assert result.unchanged == 1 and result.ids == (article_id,)
        stored = store.article(article_id)
        assert stored is not None and stored.links == article.links

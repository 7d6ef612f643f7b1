"""Issue 12 item 7: titles, authors, descriptions and bodies are capped as entries are parsed."""

from __future__ import annotations

import json

from brief.collect.parse import (
    AUTHOR_MAX_CHARS,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
    cap_chars,
    parse_feed,
)


def _rss(title: str, description: str, author: str = "ed@example.com (Ed)") -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><link>https://example.com/1</link>"
        f"<author>{author}</author><description>{description}</description></item>"
        "</channel></rss>"
    ).encode()


def test_a_9mb_title_becomes_a_capped_heading() -> None:
    parsed = parse_feed(_rss("Headline " * 1_000_000, "Short."), "https://example.com/f")
    (entry,) = parsed.entries
    assert len(entry.title) <= TITLE_MAX_CHARS and entry.title.endswith("…")
    assert entry.title.startswith("Headline Headline")


def test_a_huge_description_and_author_are_capped() -> None:
    body = "<p>" + "word " * 1_900_000 + "</p>"  # 9.5 MB of HTML
    parsed = parse_feed(_rss("T", body, author="A" * 50_000), "https://example.com/f")
    (entry,) = parsed.entries
    assert len(entry.text) <= TEXT_MAX_CHARS and entry.text.endswith("…")
    assert entry.author is not None and len(entry.author) <= AUTHOR_MAX_CHARS


def test_json_feed_fields_are_capped_too() -> None:
    item = {
        "id": "x" * 10_000,
        "title": "T" * 100_000,
        "content_text": "word " * 500_000,
        "url": "https://example.com/" + "p" * 10_000,
    }
    body = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [item]}
    )
    (entry,) = parse_feed(body.encode(), "https://example.com/j").entries
    assert len(entry.title) <= TITLE_MAX_CHARS
    assert len(entry.text) <= TEXT_MAX_CHARS
    assert entry.url is None  # a 10 kB link is no link
    assert entry.guid is not None and len(entry.guid) <= 2000


def test_cap_chars_cuts_on_a_word_boundary() -> None:
    assert cap_chars("short", 10) == "short"
    assert cap_chars("one two three four", 12) == "one two…"
    assert len(cap_chars("x" * 50, 10)) == 10

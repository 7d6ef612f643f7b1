"""Issue 12 item 5: dedupe never loses an entry, whatever order the feeds are fetched in.

Every feed file in ../shared/data/feeds is one feed.  After storing them all
(shuffled), each feed carries exactly as many stored articles as feedparser
finds non-empty entries in it; a second pass (a refetch, shuffled again) and
a fresh store filled in another order give the same counts.  Unit tests on
invented feeds pin each rule: GUID identity, links with fragments, shared
links, identical texts within one feed, and "also in" across feeds.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.collect.parse import entries_to_articles, load_feedparser, parse_feed
from brief.models import Article, Source
from brief.store import Store, open_store
from tests.unit.test_corpus import _declared_headers, _files

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def _non_empty_feedparser_entries(body: bytes, headers: dict[str, str]) -> int:
    """feedparser's own count of entries with a title, a text or a link."""
    feedparser = load_feedparser()
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    count = 0
    for entry in parsed.entries:
        texts = [entry.get("title", ""), entry.get("summary", ""), entry.get("link", "")]
        texts += [c.get("value", "") for c in entry.get("content", ())]
        count += any(str(t).strip() for t in texts)
    return count


def _carried(store: Store, source_id: str) -> int:
    return len(store.articles_for_source(source_id, limit=1_000_000))


def _fill(store: Store, feeds: list[tuple[Source, list[Article]]], seed: int) -> None:
    order = list(feeds)
    random.Random(seed).shuffle(order)
    for source, articles in order:
        store.upsert_articles(source, articles, fetched=NOW)


@pytest.mark.slow
def test_every_corpus_feed_keeps_every_entry_in_any_order(
    shared_data: Path, tmp_path: Path
) -> None:
    root = shared_data / "feeds"
    feeds: list[tuple[Source, list[Article]]] = []
    expected: dict[str, int] = {}
    for path in _files(root):
        body = path.read_bytes()
        headers = _declared_headers(body)
        url = "http://example.com/" + path.relative_to(root).as_posix()
        parsed = parse_feed(body, url, headers)
        if not parsed.ok or not parsed.entries:
            continue
        source = Source(id=f"feed:{url}", name=path.name, kind="feed", location=url)
        articles = entries_to_articles(source, parsed.entries, fetched=NOW)
        if parsed.version != "json1" and path.suffix != ".json":
            # brief keeps exactly the entries feedparser sees as non-empty.
            assert len(articles) == _non_empty_feedparser_entries(body, headers), path
        feeds.append((source, articles))
        expected[source.id] = len(articles)
    assert len(feeds) > 600
    counts = []
    for number, seed in enumerate((1, 2)):
        with open_store(tmp_path / f"store-{number}.sqlite3") as store:
            _fill(store, feeds, seed)
            first = {sid: _carried(store, sid) for sid in expected}
            _fill(store, feeds, seed + 10)  # a refetch of everything, in another order
            again = {sid: _carried(store, sid) for sid in expected}
            total = store.article_count()
        lost = {sid: (n, first[sid]) for sid, n in expected.items() if first[sid] != n}
        assert not lost, f"{len(lost)} feeds lost or gained entries: {list(lost.items())[:5]}"
        assert again == first
        counts.append(total)
    assert counts[0] == counts[1]  # the same store whatever the fetch order


# --- the rules, on invented feeds -------------------------------------------------


def _source(name: str) -> Source:
    return Source(id=f"feed:{name}", name=name, kind="feed", location=f"https://{name}/")


def _entry(
    title: str, *, url: str | None = None, guid: str | None = None, text: str = "Body."
) -> Article:
    return Article(id="", source_id="", source_name="", title=title, text=text, url=url, guid=guid)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "s.sqlite3")


def test_links_that_differ_only_by_fragment_are_distinct_items(store: Store) -> None:
    one_page = _source("a.example")
    entries = [
        _entry(f"Part {n}", url=f"https://a.example/page#part{n}", text=f"T{n}.") for n in range(3)
    ]
    store.upsert_articles(one_page, entries)
    store.upsert_articles(one_page, entries[1:])  # the next fetch: part 0 rotated out
    assert sorted(a.title for a in store.articles_for_source(one_page.id)) == [
        "Part 0",
        "Part 1",
        "Part 2",
    ]


def test_a_shared_link_with_distinct_guids_is_distinct_items(store: Store) -> None:
    feed = _source("b.example")
    entries = [_entry(f"Episode {n}", url="https://b.example/", guid=f"ep-{n}") for n in range(4)]
    store.upsert_articles(feed, entries[:2])
    store.upsert_articles(feed, entries[2:])
    assert len(store.articles_for_source(feed.id)) == 4


def test_same_title_and_text_with_distinct_guids_are_kept(store: Store) -> None:
    podcast = _source("c.example")
    entries = [_entry("Weekly show", guid=f"show-{n}", text="This week's show.") for n in range(3)]
    store.upsert_articles(podcast, entries)
    store.upsert_articles(podcast, list(reversed(entries)))
    assert len(store.articles_for_source(podcast.id)) == 3


def test_a_later_title_does_not_overwrite_another_item(store: Store) -> None:
    feed = _source("d.example")
    store.upsert_articles(feed, [_entry("Monday", url="https://d.example/news")])
    store.upsert_articles(feed, [_entry("Tuesday", url="https://d.example/news")])
    assert sorted(a.title for a in store.articles_for_source(feed.id)) == ["Monday", "Tuesday"]


def test_a_revised_item_is_updated_by_its_guid(store: Store) -> None:
    feed = _source("e.example")
    store.upsert_articles(feed, [_entry("Draft", guid="tag:e.example,2026:1")])
    store.upsert_articles(feed, [_entry("Final", guid="tag:e.example,2026:1", text="New.")])
    assert [a.title for a in store.articles_for_source(feed.id)] == ["Final"]


def test_the_same_story_in_two_feeds_is_one_article_also_in_the_other(store: Store) -> None:
    first, second = _source("f.example"), _source("g.example")
    story = "https://news.example/2026/11/28/harbour"
    store.upsert_articles(first, [_entry("Harbour deal", url=story, guid="f-1")])
    store.upsert_articles(
        second, [_entry("Harbour deal agreed", url=story + "?utm_source=g", guid="g-9")]
    )
    assert store.article_count() == 1
    (article,) = store.articles_for_source(second.id)
    assert article.also_in == ("g.example",)


def test_identical_entries_of_one_feed_are_both_kept(store: Store) -> None:
    feed = _source("h.example")
    twins = [_entry("Same", text="Same text."), _entry("Same", text="Same text.")]
    store.upsert_articles(feed, twins)
    store.upsert_articles(feed, twins)
    assert len(store.articles_for_source(feed.id)) == 2

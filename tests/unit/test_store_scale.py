"""The store's fetch-path cost does not follow its size: generations, expiry scan, bulk upserts."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from brief.models import Article, Source
from brief.store import MIGRATIONS, SCHEMA_VERSION, FetchState, Store, open_store
from tests.dedupe_reference import upsert_one_at_a_time

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
FEED = Source(id="feed:a", name="Alpha", kind="feed", location="http://a.test/rss")
OTHER = Source(id="feed:b", name="Beta", kind="feed", location="http://b.test/rss")


def art(title: str, text: str = "", **kw: object) -> Article:
    """An incoming article (ids are assigned by the store)."""
    return Article(id="", source_id="", source_name="", title=title, text=text or title, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "brief.sqlite3") as s:
        yield s


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Read the store file with a connection of our own (what is really on disk)."""
    db = sqlite3.connect(path)
    try:
        return [tuple(r) for r in db.execute(sql).fetchall()]
    finally:
        db.close()


def parsed(store: Store, when: datetime, titles: list[str], generation: int) -> FetchState:
    """A parse of the feed at ``when`` carrying ``titles`` (old items: published 40 days ago)."""
    state = FetchState(
        source_id=FEED.id, last_attempt=when, last_success=when, status=200, generation=generation
    )
    published = NOW - timedelta(days=40)
    store.upsert_articles(
        FEED,
        [art(t, guid=f"urn:a:{t}", published=published) for t in titles],
        fetched=when,
        state=state,
    )
    return state


def test_a_304_writes_the_feed_state_only(store: Store) -> None:
    state = parsed(store, NOW - timedelta(days=35), ["one", "two"], generation=1)
    before = rows(store.path, "SELECT pk, last_seen FROM articles ORDER BY pk")
    store.save_fetch_state(
        dataclasses.replace(state, last_attempt=NOW, last_success=NOW, status=304)
    )
    assert rows(store.path, "SELECT pk, last_seen FROM articles ORDER BY pk") == before
    assert store.fetch_state(FEED.id) is not None
    assert store.fetch_state(FEED.id).status == 304  # type: ignore[union-attr]


def test_purge_keeps_what_the_current_generation_carries_after_304s(store: Store) -> None:
    parsed(store, NOW - timedelta(days=36), ["kept", "dropped"], generation=1)
    # The next parse no longer lists "dropped"; then the feed answers 304 for a month.
    state = parsed(store, NOW - timedelta(days=35), ["kept"], generation=2)
    store.save_fetch_state(dataclasses.replace(state, last_attempt=NOW, last_success=NOW))
    assert store.purge(NOW - timedelta(days=30), now=NOW) == 1
    assert [a.title for a in store.articles_for_source(FEED.id)] == ["kept"]


def test_purge_drops_a_silent_feeds_items_and_an_other_sources_copy_counts(store: Store) -> None:
    state = parsed(store, NOW - timedelta(days=40), ["lonely", "shared"], generation=1)
    # The feed then fails for 40 days (last_success stays old): nothing protects its items...
    store.save_fetch_state(dataclasses.replace(state, last_attempt=NOW, error="HTTP 500"))
    # ...except one another feed carried recently.
    store.upsert_articles(OTHER, [art("shared", guid="urn:a:shared")], fetched=NOW)
    assert store.purge(NOW - timedelta(days=30), now=NOW) == 1
    assert [a.title for a in store.articles_for_source(FEED.id)] == ["shared"]


def test_purge_is_remembered_and_evergreen_items_stay(store: Store) -> None:
    assert store.last_purge() is None
    old = NOW - timedelta(days=50)
    store.upsert_articles(
        FEED, [art("note", published=old, evergreen=True), art("news", published=old)], fetched=old
    )
    assert store.purge(NOW - timedelta(days=30), now=NOW) == 1
    assert store.last_purge() == NOW
    assert [a.title for a in store.articles_for_source(FEED.id)] == ["note"]


def test_the_purge_is_an_index_range_scan(store: Store) -> None:
    plan = rows(
        store.path,
        "EXPLAIN QUERY PLAN SELECT pk FROM articles a"
        " WHERE max(a.last_seen, coalesce(a.published, 0)) < 1 AND a.evergreen = 0",
    )
    assert any("USING INDEX articles_expiry" in str(row[-1]) for row in plan), plan


def test_a_version_2_store_migrates_and_keeps_what_feeds_carried(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:2]:
        db.executescript(script)
    db.execute("PRAGMA user_version = 2")
    old = (NOW - timedelta(days=40)).timestamp()
    db.execute(
        "INSERT INTO sources(id, name, kind, location, added) VALUES ('feed:a', '', 'feed', 'u', 0)"
    )
    db.execute(
        "INSERT INTO fetch_state(source_id, last_success) VALUES ('feed:a', ?)", (NOW.timestamp(),)
    )
    db.execute(
        "INSERT INTO articles(pk, id, source_id, title, published, fetched, last_seen, text,"
        " content_hash) VALUES (1, 'a1', 'feed:a', 'Carried', ?, ?, ?, 'x', 'h')",
        (old, old, old),
    )
    db.execute("INSERT INTO article_sources VALUES (1, 'feed:a', ?)", (old,))
    db.close()
    with open_store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.fetch_state("feed:a").generation == 0  # type: ignore[union-attr]
        # Under the old rule a 304 kept everything the feed ever carried; so does the new one
        # until the feed is parsed again.
        assert store.purge(NOW - timedelta(days=30), now=NOW) == 0


def _invented_batches(seed: int) -> list[tuple[Source, list[Article], bool]]:
    """Batches whose items collide every way dedupe knows: GUIDs, URLs, texts, within and across."""
    rng = random.Random(seed)
    batches = []
    for _ in range(6):
        source = rng.choice([FEED, OTHER])
        batch = []
        for _ in range(rng.randint(0, 12)):
            n = rng.randint(0, 9)
            batch.append(
                art(
                    rng.choice([f"Story {n}", f"story  {n}", ""]),
                    rng.choice([f"Body {n}.", f"Body {n} revised.", ""]),
                    guid=rng.choice([None, f"urn:x:{n}", str(n)]),
                    url=rng.choice(
                        [None, f"https://x.test/{n}?utm_source=a", f"https://x.test/{n}"]
                    ),
                    published=NOW - timedelta(hours=n),
                )
            )
        batches.append((source, batch, rng.random() < 0.8))
    return batches


@pytest.mark.parametrize("seed", range(12))
def test_a_batch_is_stored_exactly_as_the_rules_one_entry_at_a_time(
    tmp_path: Path, seed: int
) -> None:
    dump = (
        "SELECT a.id, a.source_id, a.guid, a.url, a.canonical_url, a.title, a.author, a.published,"
        " a.text, a.content_hash FROM articles a ORDER BY a.id"
    )
    keys = (
        "SELECT k.key, a.id FROM article_keys k JOIN articles a ON a.pk = k.article_pk ORDER BY 1"
    )
    carriers = (
        "SELECT a.id, s.source_id FROM article_sources s JOIN articles a ON a.pk = s.article_pk"
        " ORDER BY 1, 2"
    )
    results = {}
    for mode in ("batch", "single"):
        path = tmp_path / f"{mode}.sqlite3"
        outcomes = []
        with open_store(path) as store:
            for source, batch, update_text in _invented_batches(seed):
                if mode == "batch":
                    r = store.upsert_articles(source, batch, fetched=NOW, update_text=update_text)
                    outcomes.append((r.added, r.updated, r.unchanged, r.ids))
                    continue
                # The rules' reference: the same fetch, one entry at a time.
                outcomes.append(
                    upsert_one_at_a_time(store, source, batch, fetched=NOW, update_text=update_text)
                )
            fts = [a.id for a in store.search("story")]
        results[mode] = (outcomes, rows(path, dump), rows(path, keys), rows(path, carriers), fts)
    assert results["batch"] == results["single"]
    assert results["batch"][1], "the invented batches stored nothing"


def test_many_identical_entries_of_one_feed_are_all_kept_across_refetches(store: Store) -> None:
    # Past any small number of "twins": each refetch finds every one again, none is new.
    twins = [art("Episode", "Same show notes.", url="https://x.test/show") for _ in range(9)]
    first = store.upsert_articles(FEED, twins, fetched=NOW)
    assert first.added == 9 and len(set(first.ids)) == 9
    for hours in (1, 2):
        again = store.upsert_articles(FEED, twins, fetched=NOW + timedelta(hours=hours))
        assert (again.added, again.unchanged) == (0, 9)
        assert sorted(again.ids) == sorted(first.ids)  # each twin found again, none new
    assert store.article_count() == 9

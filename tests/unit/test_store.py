"""The SQLite store: schema, dedupe, windows, search, analysis cache, purge."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brief.errors import BriefError
from brief.models import Article, Source
from brief.store import (
    SCHEMA_VERSION,
    FetchState,
    Store,
    canonical_url,
    content_hash,
    fts_query,
    keys,
    open_store,
)

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
FEED_A = Source(id="feed:a", name="Alpha News", kind="feed", location="http://a.test/rss")
FEED_B = Source(id="feed:b", name="", kind="feed", location="http://b.test/atom", tags=("world",))


def art(title: str, text: str, **kw: object) -> Article:
    """An incoming article (ids are assigned by the store)."""
    return Article(id="", source_id="", source_name="", title=title, text=text, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "brief.sqlite3") as s:
        yield s


def test_new_store_has_wal_fk_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "store.sqlite3"
    with open_store(path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.integrity_check() == "ok"
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sources", "fetch_state", "articles", "articles_fts", "analyses"} <= tables
    db.close()


def test_reopening_keeps_data_and_does_not_remigrate(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_store(path) as s:
        s.upsert_articles(FEED_A, [art("One", "Body one.")], fetched=NOW)
    with open_store(path) as s:
        assert s.article_count() == 1
        assert s.schema_version() == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.commit()
    db.close()
    with pytest.raises(BriefError, match="newer brief"):
        open_store(path)


def test_garbage_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(BriefError, match="not a usable article store"):
        open_store(path)


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.save_fetch_state(FetchState(source_id="feed:nowhere"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://Example.COM:443/a/b?utm_source=rss&utm_medium=feed&id=7#top",
            "https://example.com/a/b?id=7",
        ),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:80/x?fbclid=abc&q=1&gclid=z", "http://example.com/x?q=1"),
        ("https://example.com/x?b=2&a=1", "https://example.com/x?b=2&a=1"),
        ("https://example.com/x?", "https://example.com/x"),
        ("https://example.com/x?utm_source=rss", "https://example.com/x"),
        ("mailto:someone@example.com", "mailto:someone@example.com"),
        ("", None),
        (None, None),
    ],
)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected


_URL_PIECES = st.sampled_from([*"aZ0.-/?#&=:@[]%~_ \t\n\r\x00\x7fé\u212a\ufb01", "utm_x", "fbclid"])


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scheme=st.sampled_from(["http", "https", "HTTP", "Https", "ftp", "", "http:", "https:/"]),
    host=st.text("aZ0.-", min_size=1, max_size=6) | st.lists(_URL_PIECES, max_size=6).map("".join),
    port=st.sampled_from(["", ":80", ":443", ":8080", ":", ":x"]),
    rest=st.lists(_URL_PIECES, max_size=12).map(lambda pieces: "/" + "".join(pieces))
    | st.lists(_URL_PIECES, max_size=12).map("".join),
    padding=st.sampled_from(["", " ", "\n", "\t "]),
)
def test_canonical_url_fast_path_agrees_with_urlsplit(
    scheme: str, host: str, port: str, rest: str, padding: str
) -> None:
    # canonical_url reads simple links with one regex; urlsplit/urlunsplit must agree.
    url = f"{padding}{scheme}://{host}{port}{rest}{padding}"
    assert canonical_url(url) == keys._general_canonical_url(url.strip())


def test_content_hash_ignores_case_space_and_unicode_form() -> None:
    assert content_hash("Title", "Some  text\n here") == content_hash("title", "some text here")
    assert content_hash("Café", "x") == content_hash("Cafe\u0301", "x")
    assert content_hash("A", "b") != content_hash("A", "c")


def test_split_whitespace_is_the_regex_whitespace_the_hash_was_defined_with() -> None:
    # content_hash folds spaces with str.split; stored hashes were made with re's \s+.
    space = re.compile(r"\s")
    differ = [
        c for c in range(sys.maxunicode + 1) if bool(space.fullmatch(chr(c))) != chr(c).isspace()
    ]
    assert differ == []


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("  Title\u00a0with\u2003odd  spaces ", "Para one.\n\n\tPara\u2028two\u3000end \x1c\x1f"),
        ("ﬁ ligature Ⅻ", "Straße STRASSE Café Cafe\u0301"),
        ("", ""),
    ],
)
def test_content_hash_is_the_hash_stores_already_hold(title: str, text: str) -> None:
    def reference(value: str) -> str:
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).strip().casefold()

    data = reference(title) + "\x00" + reference(text)
    assert content_hash(title, text) == hashlib.sha256(data.encode("utf-8")).hexdigest()


def test_dedupe_by_guid_url_and_hash_remembers_every_source(store: Store) -> None:
    first = store.upsert_articles(
        FEED_A,
        [
            art("Summit opens", "Leaders met.", guid="tag:a.test,2026:1", url="http://a.test/1"),
            art("Markets", "Stocks rose.", url="https://a.test/2?utm_source=rss"),
            art("Weather", "Rain all day in the north.", guid="77"),
        ],
        fetched=NOW,
    )
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    second = store.upsert_articles(
        FEED_B,
        [
            # Same global GUID, different URL and text (a syndicated copy).
            art("Summit opens (wire)", "Leaders met today.", guid="tag:a.test,2026:1"),
            # Same canonical URL once utm_* is dropped.
            art("Markets!", "Stocks rose sharply.", url="https://a.test/2?utm_medium=x"),
            # Same content, no GUID or URL in common.
            art("weather", "Rain  all day in the north."),
            # A bare GUID "77" means something else in another feed.
            art("Sport", "A match was played.", guid="77"),
        ],
        fetched=NOW,
    )
    assert (second.added, second.unchanged) == (1, 3)
    assert store.article_count() == 4
    by_title = {a.title: a for a in store.articles_between(NOW - timedelta(1), NOW + timedelta(1))}
    assert by_title["Summit opens"].also_in == ("http://b.test/atom",)
    assert by_title["Markets"].also_in == ("http://b.test/atom",)
    assert by_title["Weather"].also_in == ("http://b.test/atom",)
    assert by_title["Sport"].also_in == ()
    assert by_title["Summit opens"].source_name == "Alpha News"
    # Same ids come back for the same items.
    assert second.ids[0] == first.ids[0]


def test_source_revising_its_item_updates_text_and_index(store: Store) -> None:
    store.upsert_articles(
        FEED_A, [art("Draft", "Early words.", guid="http://a.test/p/1")], fetched=NOW
    )
    result = store.upsert_articles(
        FEED_A, [art("Final", "Considered words.", guid="http://a.test/p/1")], fetched=NOW
    )
    assert result.updated == 1
    [article] = store.articles_between(NOW - timedelta(1), NOW + timedelta(1))
    assert (article.title, article.text) == ("Final", "Considered words.")
    assert store.search("considered")[0].id == article.id
    assert store.search("early") == []
    # The same text again is no change at all.
    again = store.upsert_articles(
        FEED_A, [art("Final", "Considered words.", guid="http://a.test/p/1")], fetched=NOW
    )
    assert again.unchanged == 1


def test_articles_between_uses_published_else_fetched(store: Store) -> None:
    store.upsert_articles(
        FEED_A,
        [
            art("Old", "Long ago.", published=NOW - timedelta(days=3)),
            art("Fresh", "This morning.", published=NOW - timedelta(hours=2)),
            art("Undated", "No date given."),
            art("Future", "Scheduled.", published=NOW + timedelta(days=1)),
        ],
        fetched=NOW - timedelta(hours=1),
    )
    window = store.articles_between(NOW - timedelta(hours=24), NOW)
    assert [a.title for a in window] == ["Undated", "Fresh"]
    assert window[1].published == NOW - timedelta(hours=2)
    assert window[1].published is not None and window[1].published.tzinfo is not None
    assert store.articles_between(NOW - timedelta(1), NOW, source_ids=["feed:b"]) == []
    assert len(store.articles_between(NOW - timedelta(1), NOW, source_ids=["feed:a"])) == 2


@pytest.mark.parametrize("bound_values", [40, 32_766])
def test_a_batch_is_stored_and_indexed_whatever_rows_fit_one_insert(
    tmp_path: Path, bound_values: int
) -> None:
    # New articles go in as multi-row INSERTs sized by SQLite's limit on bound values.
    with open_store(tmp_path / "s.sqlite3") as store:
        store._db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, bound_values)  # 40: two a row
        batch = [art(f"Zebra story {i}", f"Number {i} of five about zebras.") for i in range(5)]
        result = store.upsert_articles(FEED_A, batch, fetched=NOW)
        assert (result.added, store.article_count()) == (5, 5)
        stored = [store.article(article_id) for article_id in result.ids]
        assert [a.title for a in stored if a is not None] == [a.title for a in batch]
        assert sorted(a.title for a in store.search("zebras")) == sorted(a.title for a in batch)
        # FTS5 checks its index against the articles table (raises when they differ).
        store._db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_search_is_safe_against_fts_syntax(store: Store) -> None:
    store.upsert_articles(
        FEED_A,
        [
            art("Xi visits Moscow", "Talks with Putin on trade."),
            art("Rain in Oslo", "Wet streets."),
        ],
        fetched=NOW,
    )
    assert [a.title for a in store.search("putin")] == ["Xi visits Moscow"]
    assert [a.title for a in store.search("Mosc*")] == ["Xi visits Moscow"]
    # Operators and quotes in user text are just words, never a syntax error.
    assert store.search('title: NEAR( "oslo AND -') == []
    assert [a.title for a in store.search("oslo AND")] == []
    assert store.search("   ") == []
    assert fts_query('a"b') == '"a" "b"'


def test_analysis_cache_round_trip(store: Store) -> None:
    digest = content_hash("T", "text")
    assert store.get_analysis(digest, "sentences@1", "") is None
    store.put_analysis(digest, "sentences@1", "", "[[0, 4]]")
    store.put_analysis(digest, "summary@2", "lexrank:3", '["a"]')
    assert store.get_analysis(digest, "sentences@1", "") == "[[0, 4]]"
    store.put_analysis(digest, "sentences@1", "", "[]")
    assert store.get_analysis(digest, "sentences@1", "") == "[]"
    assert store.get_analysis(digest, "summary@2", "lexrank:5") is None


def test_analysis_cache_in_bulk(store: Store) -> None:
    from brief.store.analyses import read_analyses, write_analyses

    digests = [content_hash(f"T{i}", "text") for i in range(1200)]  # over one statement's chunk
    write_analyses(store, "a@1", "k", [(d, f"v{i}") for i, d in enumerate(digests)])
    found = store.get_analyses([*digests, content_hash("none", "x")], "a@1", "k")
    assert found == {d: f"v{i}" for i, d in enumerate(digests)}
    assert read_analyses(store, "a@1", "other", digests) == {}
    # A second write replaces, as put_analysis does.
    store.put_analyses("a@1", "k", [(digests[0], "new")])
    assert store.get_analysis(digests[0], "a@1", "k") == "new"


def test_analysis_cache_in_bulk_keeps_the_last_value_of_a_hash(store: Store) -> None:
    # The batch is written in key order: of two values for one hash, the later still wins.
    digests = sorted(content_hash(f"T{i}", "text") for i in range(5))
    batch = [(digests[3], "first"), (digests[0], "a"), (digests[3], "second"), (digests[1], "b")]
    store.put_analyses("a@1", "k", batch)
    assert store.get_analyses(digests, "a@1", "k") == {
        digests[0]: "a",
        digests[1]: "b",
        digests[3]: "second",
    }


def test_analysis_cache_in_bulk_falls_back_to_one_entry_at_a_time() -> None:
    from brief.store.analyses import read_analyses, write_analyses

    class OneByOne:
        def __init__(self) -> None:
            self.values: dict[tuple[str, str, str], str] = {}

        def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
            return self.values.get((content_hash, analyser, key))

        def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
            self.values[(content_hash, analyser, key)] = value

    cache = OneByOne()
    write_analyses(cache, "a", "k", [("h1", "1"), ("h2", "2")])
    assert read_analyses(cache, "a", "k", ["h1", "h2", "h3", "h1"]) == {"h1": "1", "h2": "2"}


def test_purge_keeps_what_feeds_still_carry(store: Store) -> None:
    old = NOW - timedelta(days=40)
    store.upsert_articles(
        FEED_A,
        [art("Gone", "Old story.", published=old), art("Kept", "Still listed.", published=old)],
        fetched=old,
    )
    gone_hash = content_hash("Gone", "Old story.")
    store.put_analysis(gone_hash, "x", "", "1")
    # The feed still lists "Kept" today, so it was seen recently.
    store.upsert_articles(FEED_A, [art("Kept", "Still listed.", published=old)], fetched=NOW)
    removed = store.purge(NOW - timedelta(days=30))
    assert removed == 1
    assert [a.title for a in store.search("listed")] == ["Kept"]
    assert store.search("old story") == []
    assert store.integrity_check() == "ok"


def test_remove_source_keeps_shared_articles(store: Store) -> None:
    store.upsert_articles(
        FEED_A, [art("Shared", "Both carried it."), art("Solo", "Only A.")], fetched=NOW
    )
    store.upsert_articles(FEED_B, [art("Shared", "Both carried it.")], fetched=NOW)
    store.save_fetch_state(FetchState(source_id="feed:a", etag='"x"'))
    assert store.remove_source("feed:a") == 1
    [left] = store.articles_between(NOW - timedelta(1), NOW + timedelta(1))
    assert left.title == "Shared" and left.source_id == "feed:b" and left.also_in == ()
    assert store.fetch_state("feed:a") is None
    assert [s.id for s in store.sources()] == ["feed:b"]


def test_fetch_state_round_trip_and_source_title(store: Store) -> None:
    store.upsert_sources([FEED_A, FEED_B])
    state = FetchState(
        source_id="feed:b",
        last_attempt=NOW,
        last_success=NOW - timedelta(hours=1),
        status=304,
        etag='W/"abc"',
        last_modified="Sat, 28 Nov 2026 06:00:00 GMT",
        error=None,
        warnings=("not well-formed XML",),
        failures=0,
        not_before=NOW + timedelta(minutes=5),
        gone=False,
        final_url="http://b.test/atom.xml",
        article_count=12,
    )
    store.save_fetch_state(state)
    assert store.fetch_state("feed:b") == state
    assert store.fetch_states() == {"feed:b": state}
    store.set_source_title("feed:b", "Beta Times")
    assert store.source("feed:b") == Source(
        id="feed:b", name="Beta Times", kind="feed", location="http://b.test/atom", tags=("world",)
    )


def test_articles_and_state_commit_together(store: Store) -> None:
    state = FetchState(source_id="feed:a", etag='"v2"', status=200, last_success=NOW)
    store.upsert_articles(FEED_A, [art("With state", "Body.")], fetched=NOW, state=state)
    assert store.fetch_state("feed:a") == state


def test_articles_read_from_the_store_carry_the_content_hash_it_holds(store: Store) -> None:
    from brief.store import article_hash

    store.upsert_articles(
        FEED_A,
        [
            art("Storm warning", "Heavy  RAIN expected.", guid="g-1", published=NOW),
            art("Budget vote", "Parliament votes today.", guid="g-2", published=NOW),
        ],
        fetched=NOW,
    )
    # The feed revises its first item: the stored hash follows the new title and text.
    store.upsert_articles(
        FEED_A, [art("Storm warning, updated", "Rain and wind.", guid="g-1", published=NOW)]
    )
    read = [
        *store.articles_between(NOW - timedelta(hours=1), NOW + timedelta(hours=1)),
        *store.articles_for_source(FEED_A.id),
        *store.search("parliament"),
    ]
    assert {a.title for a in read} == {"Storm warning, updated", "Budget vote"}
    for article in read:
        assert article.stored_hash == content_hash(article.title, article.text)
        assert article.stored_hash == store.content_hash_of(article.id)
        assert article_hash(article) == article.stored_hash
    one = store.article(read[0].id)
    assert one is not None and one.stored_hash == content_hash(one.title, one.text)


def test_an_article_not_from_the_store_has_its_hash_computed() -> None:
    from brief.store import article_hash

    incoming = art("Storm warning", "Heavy rain expected.")
    assert incoming.stored_hash is None
    assert article_hash(incoming) == content_hash("Storm warning", "Heavy rain expected.")
    # The carried hash is bookkeeping: it makes no difference to equality.
    carried = Article(
        id="",
        source_id="",
        source_name="",
        title="Storm warning",
        text="Heavy rain expected.",
        stored_hash=article_hash(incoming),
    )
    assert carried == incoming

"""Dedupe's rules one entry at a time, a query per question: what the bulk path must match.

This is the straightforward form of the rules in ``brief.store.articles``
(GUID is identity; a link is one only within a feed with matching fragment
and title; text and links merge across feeds, never onto an article the
feed already carries; nothing of one fetch merges with another entry of it;
a per-feed ``seen:`` key finds each entry again).  Every write happens at
once, so each question sees exactly the store the earlier entries left.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from brief.models import Article, Source
from brief.store import Store
from brief.store.connection import to_ts
from brief.store.keys import article_id_for, dedupe_keys
from brief.store.sources import ensure_source


def upsert_one_at_a_time(
    store: Store,
    source: Source,
    articles: Sequence[Article],
    *,
    fetched: datetime,
    update_text: bool = True,
    generation: int = 0,
) -> tuple[int, int, int, tuple[str, ...]]:
    """Store ``articles`` as one fetch, entry by entry; returns (added, updated, unchanged, ids)."""
    now = to_ts(fetched)
    assert now is not None
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    ids: list[str] = []
    with store._write() as db:
        ensure_source(db, source, now)
        claimed: set[int] = set()
        for article in articles:
            outcome, article_id = _upsert_one(
                db, source, article, now, update_text, claimed, generation
            )
            counts[outcome] += 1
            ids.append(article_id)
    return counts["added"], counts["updated"], counts["unchanged"], tuple(ids)


def _lookup(db: sqlite3.Connection, key: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = db.execute(
        "SELECT a.pk, a.id, a.source_id, a.content_hash, a.guid, a.url, a.title "
        "FROM article_keys k JOIN articles a ON a.pk = k.article_pk WHERE k.key = ?",
        (key,),
    ).fetchone()
    return row


def _carried_by(db: sqlite3.Connection, pk: int, source_id: str) -> bool:
    sql = "SELECT 1 FROM article_sources WHERE article_pk = ? AND source_id = ?"
    return db.execute(sql, (pk, source_id)).fetchone() is not None


def _fragment(url: str | None) -> str:
    return (url or "").partition("#")[2]


def _same_title(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def _candidates(db: sqlite3.Connection, key: str, digest: str) -> list[sqlite3.Row]:
    rows = []
    row = _lookup(db, f"{key}\x00{digest}")
    number = 2
    while row is not None:
        rows.append(row)
        row = _lookup(db, f"{key}\x00{digest}\x00{number}")
        number += 1
    plain = _lookup(db, key)
    if plain is not None:
        rows.append(plain)
    return rows


def _find_match(
    db: sqlite3.Connection,
    source: Source,
    article: Article,
    keys: list[str],
    digest: str,
    claimed: set[int],
) -> tuple[sqlite3.Row | None, bool]:
    guid_keys = [k for k in keys if k.startswith("guid:")]
    url_keys = [k for k in keys if k.startswith("url:")]
    seen_keys = [k for k in keys if k.startswith("seen:")]
    for key in guid_keys if article.guid else (*seen_keys, *url_keys):
        for row in _candidates(db, key, digest):
            if row["pk"] in claimed or not _carried_by(db, row["pk"], source.id):
                continue
            if key.startswith("url:") and (
                row["source_id"] != source.id
                or row["guid"]
                or _fragment(row["url"]) != _fragment(article.url)
                or not _same_title(row["title"], article.title)
            ):
                continue
            return row, True
    for key in keys:
        if key.startswith("seen:"):
            continue
        for row in _candidates(db, key, digest):
            if row["pk"] in claimed or _carried_by(db, row["pk"], source.id):
                continue
            if key.startswith("url:") and _fragment(row["url"]) != _fragment(article.url):
                continue
            return row, False
    return None, False


def _own_keys(db: sqlite3.Connection, keys: list[str], digest: str) -> list[str]:
    if all(_lookup(db, k) is None for k in keys):
        return keys
    for number in range(1, 10_000):
        suffix = f"\x00{digest}" if number == 1 else f"\x00{digest}\x00{number}"
        candidate = [k + suffix for k in keys]
        if _lookup(db, candidate[0]) is None:
            return candidate
    raise AssertionError("10,000 identical entries")


def _upsert_one(
    db: sqlite3.Connection,
    source: Source,
    article: Article,
    now: float,
    update_text: bool,
    claimed: set[int],
    generation: int,
) -> tuple[str, str]:
    digest, canon, keys = dedupe_keys(source, article)
    keys = [*keys, f"seen:{source.id}\x00{digest}"]
    match, same_item = _find_match(db, source, article, keys, digest, claimed)
    published = to_ts(article.published)
    if match is None:
        keys = _own_keys(db, keys, digest)
        article_id = article_id_for(keys[0])
        cursor = db.execute(
            "INSERT INTO articles(id, source_id, guid, url, canonical_url, title, author, "
            "published, fetched, last_seen, text, content_hash, evergreen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                source.id,
                article.guid,
                article.url,
                canon,
                article.title,
                article.author,
                published,
                now,
                now,
                article.text,
                digest,
                int(article.evergreen),
            ),
        )
        pk = cursor.lastrowid
        outcome = "added"
    else:
        pk, article_id = match["pk"], match["id"]
        outcome = "unchanged"
        revised = match["content_hash"] != digest
        if update_text and same_item and match["source_id"] == source.id and revised:
            fields = (article.title, article.text, article.author, published, article.url, canon)
            db.execute(
                "UPDATE articles SET title = ?, text = ?, author = coalesce(?, author), "
                "published = coalesce(?, published), url = coalesce(?, url), "
                "canonical_url = coalesce(?, canonical_url), content_hash = ?, "
                "last_seen = ? WHERE pk = ?",
                (*fields, digest, now, pk),
            )
            outcome = "updated"
        if outcome == "unchanged":
            db.execute("UPDATE articles SET last_seen = ? WHERE pk = ?", (now, pk))
    assert pk is not None
    claimed.add(pk)
    db.executemany(
        "INSERT OR IGNORE INTO article_keys(key, article_pk) VALUES (?, ?)", [(k, pk) for k in keys]
    )
    db.execute(
        "INSERT INTO article_sources(article_pk, source_id, first_seen, generation) "
        "VALUES (?, ?, ?, ?) ON CONFLICT(article_pk, source_id) "
        "DO UPDATE SET generation = excluded.generation",
        (pk, source.id, now, generation),
    )
    return outcome, article_id

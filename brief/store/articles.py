"""Articles in the store: deduped upserts, windows, per-source lists, the retention purge."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from brief.models import Article, Source
from brief.store.connection import Connection, from_ts, to_ts
from brief.store.fetchstate import FetchState, save_state
from brief.store.keys import article_id_for, dedupe_keys
from brief.store.sources import ensure_source


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What :meth:`Store.upsert_articles` did with a batch."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: tuple[str, ...] = ()


class Articles(Connection):
    """The articles table with its keys and carriers."""

    def upsert_articles(
        self,
        source: Source,
        articles: Sequence[Article],
        *,
        fetched: datetime | None = None,
        state: FetchState | None = None,
        title: str | None = None,
        update_text: bool = True,
    ) -> UpsertResult:
        """Add a source's articles, deduping against everything stored; all in one transaction.

        An article matching a stored one (GUID, canonical URL or content hash)
        is not stored twice: the source is added to its "also in" list, and
        when it comes from the article's own source with changed text the
        stored copy is updated.  ``state``, when given, is saved in the same
        transaction so a crash never separates articles from the ETag that
        announced them, and ``title`` (the feed's own title) is remembered.
        With ``update_text=False`` stored texts are never replaced (a feed
        whose teasers were swapped for full page texts).  The ``id`` of
        incoming articles is ignored.
        """
        now = to_ts(fetched or datetime.now(UTC))
        assert now is not None
        added = updated = unchanged = 0
        ids: list[str] = []
        with self._write() as db:
            ensure_source(db, source, now)
            if title is not None:
                db.execute("UPDATE sources SET title = ? WHERE id = ?", (title, source.id))
            claimed: set[int] = set()  # one entry of a fetch never merges with another
            for article in articles:
                outcome, article_id = _upsert_one(db, source, article, now, update_text, claimed)
                ids.append(article_id)
                if outcome == "added":
                    added += 1
                elif outcome == "updated":
                    updated += 1
                else:
                    unchanged += 1
            if state is not None:
                save_state(db, state)
        return UpsertResult(added, updated, unchanged, tuple(ids))

    def existing_article_ids(self, source: Source, articles: Sequence[Article]) -> list[str | None]:
        """For each incoming article, the id of the stored one it would merge with (None: new).

        Only GUID and URL count here: the same item, whatever its text now.
        """
        result: list[str | None] = []
        with self._lock:
            for article in articles:
                _digest, _canon, keys = dedupe_keys(source, article)
                found = None
                for key in keys:
                    if key.startswith("hash:"):
                        continue
                    row = self._db.execute(
                        "SELECT a.id FROM article_keys k JOIN articles a ON a.pk = k.article_pk "
                        "WHERE k.key = ?",
                        (key,),
                    ).fetchone()
                    if row is not None:
                        found = str(row[0])
                        break
                result.append(found)
        return result

    def article(self, article_id: str) -> Article | None:
        """One article by id, or None."""
        rows = self._read(ARTICLE_SELECT + " WHERE a.id = ?", (article_id,))
        return self._articles(rows)[0] if rows else None

    def articles_between(
        self, start: datetime, end: datetime, *, source_ids: Iterable[str] | None = None
    ) -> list[Article]:
        """Articles published (else first fetched) in ``[start, end)``, newest first.

        ``source_ids`` limits the result to articles any of those sources carried.
        """
        sql = (
            ARTICLE_SELECT + " WHERE coalesce(a.published, a.fetched) >= ?"
            " AND coalesce(a.published, a.fetched) < ?"
        )
        params: list[Any] = [to_ts(start), to_ts(end)]
        if source_ids is not None:
            wanted = list(source_ids)
            if not wanted:
                return []
            marks = ",".join("?" * len(wanted))
            sql += (
                f" AND EXISTS (SELECT 1 FROM article_sources s WHERE s.article_pk = a.pk"
                f" AND s.source_id IN ({marks}))"
            )
            params.extend(wanted)
        sql += " ORDER BY coalesce(a.published, a.fetched) DESC, a.pk DESC"
        return self._articles(self._read(sql, params))

    def counts_between(self, start: datetime, end: datetime) -> dict[str, int]:
        """How many articles each source carried (first or "also in") in ``[start, end)``."""
        rows = self._read(
            "SELECT s.source_id, count(*) FROM article_sources s JOIN articles a "
            "ON a.pk = s.article_pk WHERE coalesce(a.published, a.fetched) >= ? "
            "AND coalesce(a.published, a.fetched) < ? GROUP BY s.source_id",
            (to_ts(start), to_ts(end)),
        )
        return {str(row[0]): int(row[1]) for row in rows}

    def articles_for_source(self, source_id: str, *, limit: int = 200) -> list[Article]:
        """The newest articles a source carried."""
        sql = (
            ARTICLE_SELECT
            + " WHERE EXISTS (SELECT 1 FROM article_sources s WHERE s.article_pk = a.pk"
            " AND s.source_id = ?)"
            " ORDER BY coalesce(a.published, a.fetched) DESC, a.pk DESC LIMIT ?"
        )
        return self._articles(self._read(sql, (source_id, limit)))

    def article_count(self) -> int:
        """How many articles the store holds."""
        return int(self._read("SELECT count(*) FROM articles")[0][0])

    def content_hash_of(self, article_id: str) -> str | None:
        """The stored content hash of an article."""
        rows = self._read("SELECT content_hash FROM articles WHERE id = ?", (article_id,))
        return str(rows[0][0]) if rows else None

    def purge(self, older_than: datetime) -> int:
        """Delete articles neither published nor seen since ``older_than``; returns how many.

        An article its feed still carries keeps being "seen", so it is not
        purged and then fetched again as new.  Cached analyses of purged
        articles (and stale ones of texts no longer stored) go too.
        """
        cutoff = to_ts(older_than)
        with self._write() as db:
            removed = db.execute(
                "DELETE FROM articles WHERE last_seen < ? AND coalesce(published, 0) < ?"
                " AND evergreen = 0",
                (cutoff, cutoff),
            ).rowcount
            db.execute(
                "DELETE FROM analyses WHERE created < ? AND content_hash NOT IN "
                "(SELECT content_hash FROM articles)",
                (cutoff,),
            )
        return int(removed)

    def _articles(self, rows: list[sqlite3.Row]) -> list[Article]:
        if not rows:
            return []
        pks = [row["pk"] for row in rows]
        names = self._names_by_article(pks)
        return [_article_from_row(row, names.get(row["pk"], ())) for row in rows]

    def _names_by_article(self, pks: list[int]) -> dict[int, tuple[str, ...]]:
        result: dict[int, list[str]] = {}
        # Chunked so a huge window never exceeds SQLite's bound-parameter limit.
        for i in range(0, len(pks), 500):
            chunk = pks[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._read(
                "SELECT s.article_pk, s.source_id,"
                " coalesce(nullif(src.name, ''), src.title, src.location) AS name "
                f"FROM article_sources s JOIN sources src ON src.id = s.source_id "
                f"WHERE s.article_pk IN ({marks}) ORDER BY s.first_seen",
                chunk,
            )
            for row in rows:
                result.setdefault(row["article_pk"], []).append(
                    f"{row['source_id']}\x00{row['name']}"
                )
        return {pk: tuple(items) for pk, items in result.items()}


ARTICLE_SELECT = (
    "SELECT a.*, coalesce(nullif(src.name, ''), src.title, src.location) AS source_name "
    "FROM articles a JOIN sources src ON src.id = a.source_id"
)


def _article_from_row(row: sqlite3.Row, carriers: tuple[str, ...]) -> Article:
    also_in = []
    for item in carriers:
        source_id, _, name = item.partition("\x00")
        if source_id != row["source_id"] and name not in also_in:
            also_in.append(name)
    return Article(
        id=row["id"],
        source_id=row["source_id"],
        source_name=row["source_name"],
        title=row["title"],
        text=row["text"],
        url=row["url"],
        published=from_ts(row["published"]),
        fetched=from_ts(row["fetched"]),
        author=row["author"],
        guid=row["guid"],
        also_in=tuple(also_in),
        evergreen=bool(row["evergreen"]),
    )


def _lookup(db: sqlite3.Connection, key: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = db.execute(
        "SELECT a.pk, a.id, a.source_id, a.content_hash, a.guid, a.url, a.title "
        "FROM article_keys k JOIN articles a ON a.pk = k.article_pk WHERE k.key = ?",
        (key,),
    ).fetchone()
    return row


def _carried_by(db: sqlite3.Connection, pk: int, source_id: str) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM article_sources WHERE article_pk = ? AND source_id = ?", (pk, source_id)
        ).fetchone()
        is not None
    )


def _fragment(url: str | None) -> str:
    return (url or "").partition("#")[2]


def _same_title(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def _candidates(db: sqlite3.Connection, key: str, digest: str) -> list[sqlite3.Row]:
    """The articles ``key`` leads to: first those it was made distinct for (see :func:`_own_keys`)
    with this very text, then the plain one."""
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
    """The stored article ``article`` is, and whether it is the same item of the same feed.

    Identity, in order: the GUID when the entry has one (nothing else then
    says "same item" within a feed); without a GUID, the same entry (title and
    text) from this feed before, or the feed's own item under the same link
    when fragment and title agree too (one-page feeds link ``page#a``,
    ``page#b``; a shared link under a new title is a new item).  Across feeds
    a shared GUID, link or text is the same article carried twice ("also
    in"), but never onto an article the incoming feed already carries as
    another item.  Nothing matched by an
    earlier entry of the same fetch (``claimed``) is matched again.
    """
    guid_keys = [k for k in keys if k.startswith("guid:")]
    url_keys = [k for k in keys if k.startswith("url:")]
    seen_keys = [k for k in keys if k.startswith("seen:")]
    # 1. The same item of this feed: by GUID; else this feed's very entry seen
    # before, or its own item under the same link, fragment and title (revised text).
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
    # 2. The same article carried by another feed.
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
    """Keys for a new article whose plain keys already lead elsewhere: made distinct, stably.

    The content hash tells two entries sharing a GUID or link apart, and an
    occurrence number two identical ones, so a refetch finds each again.
    """
    if all(_lookup(db, k) is None for k in keys):
        return keys
    for number in range(1, 10_000):
        suffix = f"\x00{digest}" if number == 1 else f"\x00{digest}\x00{number}"
        candidate = [k + suffix for k in keys]
        if _lookup(db, candidate[0]) is None:
            return candidate
    return [k + f"\x00{digest}\x00{id(keys)}" for k in keys]  # pragma: no cover


def _upsert_one(
    db: sqlite3.Connection,
    source: Source,
    article: Article,
    now: float,
    update_text: bool,
    claimed: set[int] | None = None,
) -> tuple[str, str]:
    """Store or merge one article; returns (added|updated|unchanged, article id)."""
    claimed = set() if claimed is None else claimed
    digest, canon, keys = dedupe_keys(source, article)
    # What this feed's entry looked like: how a refetch finds it again, even
    # when the article it joined belongs to another feed.
    keys = [*keys, f"seen:{source.id}\x00{digest}"]
    match, same_item = _find_match(db, source, article, keys, digest, claimed)
    if match is None:
        keys = _own_keys(db, keys, digest)

    published = to_ts(article.published)
    if match is None:
        article_id = article_id_for(keys[0])
        cursor = db.execute(
            "INSERT INTO articles(id, source_id, guid, url, canonical_url, title, author, "
            "published, "
            "fetched, last_seen, text, content_hash, evergreen) "
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
            # The feed revised its own item: keep the newest title and text.
            db.execute(
                "UPDATE articles SET title = ?, text = ?, author = coalesce(?, author), "
                "published = coalesce(?, published), url = coalesce(?, url), "
                "canonical_url = coalesce(?, canonical_url), content_hash = ?, last_seen = ? "
                "WHERE pk = ?",
                (
                    article.title,
                    article.text,
                    article.author,
                    published,
                    article.url,
                    canon,
                    digest,
                    now,
                    pk,
                ),
            )
            outcome = "updated"
        else:
            db.execute("UPDATE articles SET last_seen = ? WHERE pk = ?", (now, pk))
    assert pk is not None
    claimed.add(pk)
    db.executemany(
        "INSERT OR IGNORE INTO article_keys(key, article_pk) VALUES (?, ?)", [(k, pk) for k in keys]
    )
    db.execute(
        "INSERT OR IGNORE INTO article_sources(article_pk, source_id, first_seen) VALUES (?, ?, ?)",
        (pk, source.id, now),
    )
    return outcome, article_id

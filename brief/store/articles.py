"""Articles in the store: deduped upserts, windows, per-source lists, the retention purge."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from brief.models import Article, Enclosure, Link, Source
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
        with self._write() as db:
            ensure_source(db, source, now)
            if title is not None:
                db.execute("UPDATE sources SET title = ? WHERE id = ?", (title, source.id))
            if state is not None:
                generation = state.generation
            else:
                row = db.execute(
                    "SELECT generation FROM fetch_state WHERE source_id = ?", (source.id,)
                ).fetchone()
                generation = int(row[0]) if row is not None else 0
            result = _upsert_batch(db, source, articles, now, update_text, generation)
            if state is not None:
                save_state(db, state)
        return result

    def existing_article_ids(self, source: Source, articles: Sequence[Article]) -> list[str | None]:
        """For each incoming article, the id of the stored one it would merge with (None: new).

        Only GUID and URL count here: the same item, whatever its text now.
        """
        wanted = [
            [k for k in dedupe_keys(source, article)[2] if not k.startswith("hash:")]
            for article in articles
        ]
        with self._lock:
            index = _Index(self._db, source.id)
            index.resolve(k for keys in wanted for k in keys)
            found = [[index.get(k) for k in keys] for keys in wanted]
        return [next((s.id for s in stored if s is not None), None) for stored in found]

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

    def purge(self, older_than: datetime, *, now: datetime | None = None) -> int:
        """Delete articles neither published nor seen since ``older_than``; returns how many.

        An article its feed still carries keeps being "seen", so it is not
        purged and then fetched again as new: it is in the feed's current
        generation and the feed answered (200 or 304) since ``older_than``.
        The candidates come from a range scan of the expiry index, so the
        cost follows what is old, not what is stored.  Cached analyses of
        purged articles (and stale ones of texts no longer stored) go too.
        The run is remembered (see :meth:`last_purge`).
        """
        cutoff = to_ts(older_than)
        with self._write() as db:
            removed = db.execute(
                "DELETE FROM articles WHERE pk IN (SELECT a.pk FROM articles a"
                " WHERE max(a.last_seen, coalesce(a.published, 0)) < :cutoff"
                " AND a.evergreen = 0 AND NOT EXISTS (SELECT 1 FROM article_sources s"
                " JOIN fetch_state f ON f.source_id = s.source_id"
                " WHERE s.article_pk = a.pk AND s.generation = f.generation"
                " AND f.last_success >= :cutoff))",
                {"cutoff": cutoff},
            ).rowcount
            db.execute(
                "DELETE FROM analyses WHERE created < ? AND content_hash NOT IN "
                "(SELECT content_hash FROM articles)",
                (cutoff,),
            )
            db.execute(
                "INSERT INTO meta(key, value) VALUES ('last_purge', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (repr(to_ts(now or datetime.now(UTC))),),
            )
        return int(removed)

    def last_purge(self) -> datetime | None:
        """When :meth:`purge` last ran, or None."""
        rows = self._read("SELECT value FROM meta WHERE key = 'last_purge'")
        return from_ts(float(rows[0][0])) if rows else None

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
        links=links_from_json(row["links"]),
        enclosures=enclosures_from_json(row["enclosures"]),
        stored_hash=row["content_hash"],
    )


# What json.dumps(..., ensure_ascii=False) uses, built once: with any non-default
# argument json.dumps makes a new encoder for every call.
_JSON = json.JSONEncoder(ensure_ascii=False)


def links_to_json(links: Sequence[Link]) -> str:
    """An article's links as the ``links`` column stores them."""
    if not links:
        return "[]"  # most entries have none: what json.dumps([]) gives, without the encoder
    return _JSON.encode([{"url": link.url, "text": link.text} for link in links])


def enclosures_to_json(enclosures: Sequence[Enclosure]) -> str:
    """An article's enclosures as the ``enclosures`` column stores them."""
    if not enclosures:
        return "[]"
    return _JSON.encode([{"url": e.url, "type": e.type, "length": e.length} for e in enclosures])


def _json_items(value: str | None) -> list[dict[str, Any]]:
    """The objects of a stored JSON list; anything unreadable reads as none."""
    if not value or value == "[]":
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def links_from_json(value: str | None) -> tuple[Link, ...]:
    """The ``links`` column back as Links."""
    return tuple(
        Link(url=str(item.get("url") or ""), text=str(item.get("text") or ""))
        for item in _json_items(value)
        if item.get("url")
    )


def enclosures_from_json(value: str | None) -> tuple[Enclosure, ...]:
    """The ``enclosures`` column back as Enclosures."""
    return tuple(
        Enclosure(
            url=str(item.get("url") or ""),
            type=str(item.get("type") or ""),
            length=item["length"] if isinstance(item.get("length"), int) else None,
        )
        for item in _json_items(value)
        if item.get("url")
    )


@dataclass(slots=True)
class _Stored:
    """What dedupe needs to know of a stored article (hash, title and link change when revised)."""

    pk: int
    id: str
    source_id: str
    content_hash: str
    guid: str | None
    url: str | None
    title: str | None


_LOOKUP_CHUNK = 500  # bound parameters per query, well under SQLite's limit


class _Index:
    """The store's dedupe keys and one source's carriers as a batch sees them.

    Keys are looked up in bulk and the batch's own writes are recorded here
    before they reach SQLite (at the end, in bulk).  Every key the
    batch writes is resolved first, so for every key asked the answer is
    what the store would say after the batch's earlier entries; one not
    looked up yet is asked of SQLite, which the batch has not changed for it.
    """

    def __init__(self, db: sqlite3.Connection, source_id: str) -> None:
        self._db = db
        self._source_id = source_id
        self._keys: dict[str, _Stored | None] = {}
        self._by_pk: dict[int, _Stored] = {}
        self._carried: dict[int, bool] = {}

    def resolve(self, keys: Iterable[str]) -> None:
        """Look up, in chunked queries, the keys not known yet."""
        known = self._keys
        # Sorted, so each chunk seeks one stretch of the key index and consecutive seeks
        # share pages (half the CPU of the same lookups in hash order).
        wanted = sorted({key for key in keys if key not in known})
        for i in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[i : i + _LOOKUP_CHUNK]
            known.update(dict.fromkeys(chunk))
            # The keys as a VALUES list seeked in their order (CROSS JOIN keeps it): an IN
            # list would first be copied into a temporary index.
            rows = self._db.execute(
                f"WITH wanted(key) AS (VALUES {','.join(['(?)'] * len(chunk))}) "
                "SELECT k.key, a.pk, a.id, a.source_id, a.content_hash, a.guid, a.url, a.title "
                "FROM wanted w CROSS JOIN article_keys k ON k.key = w.key "
                "JOIN articles a ON a.pk = k.article_pk",
                chunk,
            ).fetchall()
            for key, pk, article_id, source_id, digest, guid, url, title in rows:
                # One object per article, so a revision seen through one key shows through all.
                known[key] = self._by_pk.setdefault(
                    pk, _Stored(pk, article_id, source_id, digest, guid, url, title)
                )

    def get(self, key: str) -> _Stored | None:
        """The article ``key`` leads to, or None."""
        if key not in self._keys:
            self.resolve((key,))
        return self._keys[key]

    def resolve_carriers(self) -> None:
        """Look up in bulk which of the articles found so far the source already carries."""
        wanted = sorted(pk for pk in self._by_pk if pk not in self._carried)
        for i in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[i : i + _LOOKUP_CHUNK]
            self._carried.update(dict.fromkeys(chunk, False))
            rows = self._db.execute(
                "SELECT article_pk FROM article_sources WHERE source_id = ? "
                f"AND article_pk IN ({','.join('?' * len(chunk))})",
                [self._source_id, *chunk],
            ).fetchall()
            self._carried.update((int(row[0]), True) for row in rows)

    def carried(self, pk: int) -> bool:
        """Whether the source carries the article ``pk``."""
        if pk not in self._carried:
            row = self._db.execute(
                "SELECT 1 FROM article_sources WHERE article_pk = ? AND source_id = ?",
                (pk, self._source_id),
            ).fetchone()
            self._carried[pk] = row is not None
        return self._carried[pk]

    def add(self, stored: _Stored, keys: list[str]) -> list[str]:
        """Record that the source carries ``stored`` under ``keys``; returns the keys new to it.

        As ``INSERT OR IGNORE``: a key keeps the article it first led to.
        """
        known = self._keys
        if not all(key in known for key in keys):  # _prefetch has asked nearly every key
            self.resolve(keys)
        new = [key for key in dict.fromkeys(keys) if known[key] is None]
        for key in new:
            self._keys[key] = stored
        self._by_pk[stored.pk] = stored
        self._carried[stored.pk] = True
        return new


def _variant(key: str, digest: str, number: int) -> str:
    """The ``number``-th key made distinct from ``key`` by the text (see :func:`_own_keys`)."""
    return f"{key}\x00{digest}" if number == 1 else f"{key}\x00{digest}\x00{number}"


def _prefetch(index: _Index, entries: list[tuple[str, list[str]]]) -> None:
    """Look up every key the entries (digest, keys) can ask, in a few bulk queries.

    The plain keys and their first variants come in one round; a further
    round only follows variant chains that exist (identical entries stored before).
    """
    # (plain key, digest) -> the variant of it to ask next, the first for a start.
    pending = {(key, digest): f"{key}\x00{digest}" for digest, keys in entries for key in keys}
    index.resolve([*(key for key, _digest in pending), *pending.values()])
    number = 1
    while pending := {
        (key, digest): _variant(key, digest, number + 1)
        for (key, digest), variant in pending.items()
        if index.get(variant) is not None
    }:
        number += 1
        index.resolve(pending.values())
    index.resolve_carriers()


def _fragment(url: str | None) -> str:
    return (url or "").partition("#")[2]


def _same_title(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def _candidates(index: _Index, key: str, digest: str) -> list[_Stored]:
    """The articles ``key`` leads to: first those it was made distinct for (see :func:`_own_keys`)
    with this very text, then the plain one."""
    rows = []
    number = 1
    while (row := index.get(_variant(key, digest, number))) is not None:
        rows.append(row)
        number += 1
    plain = index.get(key)
    if plain is not None:
        rows.append(plain)
    return rows


def _find_match(
    index: _Index,
    source: Source,
    article: Article,
    keys: list[str],
    digest: str,
    claimed: set[int],
) -> tuple[_Stored | None, bool]:
    """The stored article ``article`` is, and whether it is the same item of the same feed.

    Identity, in order: the GUID when the entry has one (nothing else then
    says "same item" within a feed); without a GUID, the same entry (title and
    text) from this feed before, or the feed's own item under the same link
    when fragment and title agree too (one-page feeds link ``page#a``,
    ``page#b``; a shared link under a new title is a new item).  Across feeds
    a shared GUID, link or text is the same article carried twice ("also
    in"), but never onto an article the incoming feed already carries as
    another item.  Nothing matched by an earlier entry of the same fetch
    (``claimed``) is matched again.
    """
    guid_keys = [k for k in keys if k.startswith("guid:")]
    url_keys = [k for k in keys if k.startswith("url:")]
    seen_keys = [k for k in keys if k.startswith("seen:")]
    # 1. The same item of this feed: by GUID; else this feed's very entry seen
    # before, or its own item under the same link, fragment and title (revised text).
    for key in guid_keys if article.guid else (*seen_keys, *url_keys):
        for row in _candidates(index, key, digest):
            if row.pk in claimed or not index.carried(row.pk):
                continue
            if key.startswith("url:") and (
                row.source_id != source.id
                or row.guid
                or _fragment(row.url) != _fragment(article.url)
                or not _same_title(row.title, article.title)
            ):
                continue
            return row, True
    # 2. The same article carried by another feed.
    for key in keys:
        if key.startswith("seen:"):
            continue
        for row in _candidates(index, key, digest):
            if row.pk in claimed or index.carried(row.pk):
                continue
            if key.startswith("url:") and _fragment(row.url) != _fragment(article.url):
                continue
            return row, False
    return None, False


def _own_keys(index: _Index, keys: list[str], digest: str) -> list[str]:
    """Keys for a new article whose plain keys already lead elsewhere: made distinct, stably.

    The content hash tells two entries sharing a GUID or link apart, and an
    occurrence number two identical ones, so a refetch finds each again.
    """
    if all(index.get(k) is None for k in keys):
        return keys
    for number in range(1, 10_000):
        if index.get(_variant(keys[0], digest, number)) is None:
            return [_variant(k, digest, number) for k in keys]
    return [k + f"\x00{digest}\x00{id(keys)}" for k in keys]  # pragma: no cover


def _upsert_batch(
    db: sqlite3.Connection,
    source: Source,
    articles: Sequence[Article],
    now: float,
    update_text: bool,
    generation: int,
) -> UpsertResult:
    """Store or merge a source's articles: bulk key lookups, bulk writes per table.

    Each entry is matched in order by :func:`_find_match` against the store
    as the earlier entries left it; nothing is matched twice in one batch.
    """
    prepared = []
    for article in articles:
        digest, canon, keys = dedupe_keys(source, article)
        # What this feed's entry looked like: how a refetch finds it again, even
        # when the article it joined belongs to another feed.
        prepared.append((article, digest, canon, [*keys, f"seen:{source.id}\x00{digest}"]))
    index = _Index(db, source.id)
    _prefetch(index, [(digest, keys) for _a, digest, _c, keys in prepared])
    next_pk = int(db.execute("SELECT coalesce(max(pk), 0) FROM articles").fetchone()[0]) + 1
    inserts: list[tuple[Any, ...]] = []
    revisions: list[tuple[Any, ...]] = []
    seen: list[tuple[float, int]] = []
    backfill: list[tuple[str, str, int]] = []
    keys_rows: list[tuple[str, int]] = []
    carriers: list[tuple[int, str, float, int]] = []
    claimed: set[int] = set()  # one entry of a fetch never merges with another
    added = updated = unchanged = 0
    ids: list[str] = []
    for article, digest, canon, keys in prepared:
        match, same_item = _find_match(index, source, article, keys, digest, claimed)
        published = to_ts(article.published)
        if match is None:
            keys = _own_keys(index, keys, digest)
            # pks are assigned here (the write lock is held) so inserts can be batched.
            stored = _Stored(
                next_pk,
                article_id_for(keys[0]),
                source.id,
                digest,
                article.guid,
                article.url,
                article.title,
            )
            next_pk += 1
            inserts.append(
                (
                    stored.pk,
                    stored.id,
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
                    links_to_json(article.links),
                    enclosures_to_json(article.enclosures),
                )
            )
            added += 1
        else:
            stored = match
            revised = stored.content_hash != digest
            if update_text and same_item and stored.source_id == source.id and revised:
                # The feed revised its own item: keep the newest title and text.
                revisions.append(
                    (
                        article.title,
                        article.text,
                        article.author,
                        published,
                        article.url,
                        canon,
                        digest,
                        links_to_json(article.links),
                        enclosures_to_json(article.enclosures),
                        now,
                        stored.pk,
                    )
                )
                stored.content_hash, stored.title = digest, article.title
                stored.url = article.url or stored.url
                updated += 1
            else:
                seen.append((now, stored.pk))
                if same_item and (article.links or article.enclosures):
                    # Rows stored before links were kept (schema 5) get them from a refetch.
                    backfill.append(
                        (
                            links_to_json(article.links),
                            enclosures_to_json(article.enclosures),
                            stored.pk,
                        )
                    )
                unchanged += 1
        claimed.add(stored.pk)
        ids.append(stored.id)
        keys_rows.extend((key, stored.pk) for key in index.add(stored, keys))
        carriers.append((stored.pk, source.id, now, generation))
    _insert_articles(db, inserts)
    db.executemany(
        "UPDATE articles SET title = ?, text = ?, author = coalesce(?, author), "
        "published = coalesce(?, published), url = coalesce(?, url), "
        "canonical_url = coalesce(?, canonical_url), content_hash = ?, links = ?, "
        "enclosures = ?, last_seen = ? "
        "WHERE pk = ?",
        revisions,
    )
    db.executemany("UPDATE articles SET last_seen = ? WHERE pk = ?", seen)
    db.executemany(
        "UPDATE articles SET links = ?, enclosures = ? "
        "WHERE pk = ? AND links = '[]' AND enclosures = '[]'",
        backfill,
    )
    db.executemany("INSERT OR IGNORE INTO article_keys(key, article_pk) VALUES (?, ?)", keys_rows)
    # The generation marks what the feed carries now (see schema migration 3).
    db.executemany(
        "INSERT INTO article_sources(article_pk, source_id, first_seen, generation) "
        "VALUES (?, ?, ?, ?) ON CONFLICT(article_pk, source_id) "
        "DO UPDATE SET generation = excluded.generation",
        carriers,
    )
    return UpsertResult(added, updated, unchanged, tuple(ids))


_ARTICLE_COLUMNS = (
    *("pk", "id", "source_id", "guid", "url", "canonical_url", "title", "author"),
    *("published", "fetched", "last_seen", "text", "content_hash", "evergreen", "links"),
    "enclosures",
)
_ARTICLE_INSERT = f"INSERT INTO articles({', '.join(_ARTICLE_COLUMNS)}) VALUES "
_ARTICLE_VALUES = "(" + ", ".join(["?"] * len(_ARTICLE_COLUMNS)) + ")"


def _insert_articles(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert new articles, as many rows per statement as SQLite binds values for.

    Not ``executemany``: the insert trigger adds each row to the full-text
    index, and FTS5 writes its pending terms to disk at every savepoint, which
    each statement opens; one statement per row wrote (and then merged) the
    index one article at a time.  The rows and the index's contents are the
    same either way.
    """
    per_statement = max(
        1, db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(_ARTICLE_COLUMNS)
    )
    for i in range(0, len(rows), per_statement):
        chunk = rows[i : i + per_statement]
        db.execute(
            _ARTICLE_INSERT + ", ".join([_ARTICLE_VALUES] * len(chunk)),
            [value for row in chunk for value in row],
        )

"""brief's article store: SQLite (WAL), migrations, dedupe, fetch state, FTS, analysis cache.

One file holds every source brief knows, the per-feed fetch state (ETag,
Last-Modified, health), the collected articles with a full-text index, and a
generic cache of analysis results keyed by content hash.  Several processes
may open it at once (cron's ``brief run`` while the TUI is open): WAL lets
readers and one writer work side by side, every write is one ``BEGIN
IMMEDIATE`` transaction, and a busy timeout makes the other writer wait
rather than fail.

Dedupe: an incoming article is the same as a stored one when it shares its
GUID, its canonical URL (tracking parameters removed) or its content hash.
Every source that carried it is remembered ("also in").
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from brief.errors import BriefError
from brief.models import Article, Source

BUSY_TIMEOUT_MS = 30_000

# Each entry moves the schema one version up; ``PRAGMA user_version`` counts
# how many have been applied.  Never edit a released entry: append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE sources (
        id        TEXT PRIMARY KEY,
        name      TEXT NOT NULL DEFAULT '',
        kind      TEXT NOT NULL,
        location  TEXT NOT NULL,
        tags      TEXT NOT NULL DEFAULT '[]',
        title     TEXT,
        added     REAL NOT NULL
    );
    CREATE TABLE fetch_state (
        source_id     TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        last_attempt  REAL,
        last_success  REAL,
        status        INTEGER,
        etag          TEXT,
        last_modified TEXT,
        error         TEXT,
        warnings      TEXT NOT NULL DEFAULT '[]',
        failures      INTEGER NOT NULL DEFAULT 0,
        not_before    REAL,
        gone          INTEGER NOT NULL DEFAULT 0,
        final_url     TEXT,
        article_count INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE articles (
        pk            INTEGER PRIMARY KEY,
        id            TEXT NOT NULL UNIQUE,
        source_id     TEXT NOT NULL REFERENCES sources(id),
        guid          TEXT,
        url           TEXT,
        canonical_url TEXT,
        title         TEXT NOT NULL,
        author        TEXT,
        published     REAL,
        fetched       REAL NOT NULL,
        last_seen     REAL NOT NULL,
        text          TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        evergreen     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_when ON articles(coalesce(published, fetched));
    CREATE INDEX articles_source ON articles(source_id);
    CREATE INDEX articles_hash ON articles(content_hash);
    -- Every dedupe key (guid:/url:/hash:) that leads to an article.
    CREATE TABLE article_keys (
        key        TEXT PRIMARY KEY,
        article_pk INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX article_keys_article ON article_keys(article_pk);
    -- Every source that carried an article ("also in").
    CREATE TABLE article_sources (
        article_pk INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
        source_id  TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        first_seen REAL NOT NULL,
        PRIMARY KEY (article_pk, source_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_sources_source ON article_sources(source_id);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.pk, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.pk, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
    END;
    CREATE TABLE analyses (
        content_hash TEXT NOT NULL,
        analyser     TEXT NOT NULL,
        key          TEXT NOT NULL,
        value        TEXT NOT NULL,
        created      REAL NOT NULL,
        PRIMARY KEY (content_hash, analyser, key)
    ) WITHOUT ROWID;
    CREATE INDEX analyses_created ON analyses(created);
    """,
    # 2: a hash of the last parsed body, so a feed served without validators
    # (no ETag, no Last-Modified) is not parsed again when nothing changed.
    """
    ALTER TABLE fetch_state ADD COLUMN body_hash TEXT;
    """,
    # 3: which articles the reader has read (by article id; local files are not in
    # ``articles``, so no foreign key), kept across days.
    """
    CREATE TABLE read_marks (
        article_id TEXT PRIMARY KEY,
        read_at    REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX read_marks_when ON read_marks(read_at);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


# --- plain data ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FetchState:
    """What brief remembers about fetching one feed."""

    source_id: str
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    failures: int = 0
    not_before: datetime | None = None
    gone: bool = False
    final_url: str | None = None
    article_count: int = 0
    body_hash: str | None = None


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What :meth:`Store.upsert_articles` did with a batch."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: tuple[str, ...] = ()


# --- helpers -------------------------------------------------------------------


_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_hsenc",
        "_hsmi",
        "ocid",
        "cmpid",
        "ncid",
        "ref_src",
        "at_medium",
        "at_campaign",
    }
)
_TRACKING_PREFIXES = ("utm_", "__twitter", "_ga")


def canonical_url(url: str | None) -> str | None:
    """``url`` without tracking parameters (``utm_*``, ``fbclid``...), fragment or default port.

    Scheme and host are lower-cased and the remaining query parameters keep
    their order, so two links to the same page compare equal.
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    scheme = parts.scheme.lower()
    host = parts.netloc.lower()
    if (scheme == "http" and host.endswith(":80")) or (scheme == "https" and host.endswith(":443")):
        host = host.rsplit(":", 1)[0]
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


_SPACE_RE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


class AnalysisCache(Protocol):
    """Where analyses (summaries, actor analyses) persist between runs; :class:`Store` is one."""

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        """A cached value, or None."""
        ...

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        """Remember a value."""
        ...


# Stories, actors and the store each need the hash of the same articles in one
# briefing; str objects cache their own hash, so a repeat lookup costs O(1)
# instead of normalising the whole text again.  The cache holds references to
# texts already in memory, not copies.
@lru_cache(maxsize=32_768)
def content_hash(title: str, text: str) -> str:
    """A stable hash of an article's title and text, blind to case, spacing and Unicode form.

    It is the article's dedupe key and the key of the analysis cache.
    """
    data = _normalise(title) + "\x00" + _normalise(text)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _guid_is_global(guid: str) -> bool:
    # A URL, tag: or urn: GUID names the item world-wide; a bare "1234" only
    # means something inside its own feed, so it is scoped to the source.
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", guid, re.IGNORECASE)) and len(guid) > 8


def _guid_key(guid: str, source_id: str) -> str:
    if _guid_is_global(guid):
        return "guid:" + guid
    return f"guid:{source_id}\x00{guid}"


def _ts(value: datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _dt(value: float | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value, UTC)


def _article_id(first_key: str) -> str:
    return "a" + hashlib.sha256(first_key.encode("utf-8")).hexdigest()[:20]


def fts_query(query: str) -> str:
    """Turn a user's words into a safe FTS5 query: every word must appear (``word*`` = prefix)."""
    terms = []
    for raw in re.findall(r"[\w*]+", query, flags=re.UNICODE):
        prefix = raw.endswith("*")
        word = raw.replace("*", "")
        if not word:
            continue
        # Quoting keeps FTS5 operators (AND, NEAR, column filters) in user text inert.
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


# --- the store -----------------------------------------------------------------


class Store:
    """An open article store; use :func:`open_store` to get one.

    Thread-safe: one connection guarded by a lock, so TUI workers may share it.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.path = path

    # -- lifecycle --

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock, suppress(sqlite3.Error):
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; IMMEDIATE so a second writer waits instead of deadlocking."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` verdict (``"ok"`` when healthy)."""
        rows = self._read("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in rows)

    def schema_version(self) -> int:
        """The schema version of the open file."""
        return int(self._read("PRAGMA user_version")[0][0])

    # -- sources --

    def upsert_source(self, source: Source) -> None:
        """Add a source or update its name, location and tags."""
        self.upsert_sources([source])

    def upsert_sources(self, sources: Iterable[Source]) -> None:
        """Add or update several sources in one transaction.

        ``name`` is the configured name; '' lets the feed's own title show.
        """
        now = datetime.now(UTC).timestamp()
        with self._write() as db:
            for source in sources:
                db.execute(
                    "INSERT INTO sources(id, name, kind, location, tags, added) "
                    "VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET name=excluded.name, kind=excluded.kind, "
                    "location=excluded.location, tags=excluded.tags",
                    (
                        source.id,
                        source.name,
                        source.kind,
                        source.location,
                        json.dumps(list(source.tags)),
                        now,
                    ),
                )

    def set_source_title(self, source_id: str, title: str | None) -> None:
        """Remember the title the feed gives itself (shown when the config names none)."""
        with self._write() as db:
            db.execute("UPDATE sources SET title = ? WHERE id = ?", (title, source_id))

    def sources(self) -> list[Source]:
        """Every known source, with its display name (configured name, else the feed's title)."""
        rows = self._read("SELECT * FROM sources ORDER BY added, id")
        return [_source_from_row(row) for row in rows]

    def source(self, source_id: str) -> Source | None:
        """One source by id, or None."""
        rows = self._read("SELECT * FROM sources WHERE id = ?", (source_id,))
        return _source_from_row(rows[0]) if rows else None

    def remove_source(self, source_id: str) -> int:
        """Forget a source, its fetch state and the articles only it carried; returns how many.

        Articles another source also carried stay, now credited to that source.
        """
        with self._write() as db:
            db.execute(
                "UPDATE articles SET source_id = ("
                " SELECT s.source_id FROM article_sources s"
                " WHERE s.article_pk = articles.pk AND s.source_id != ?"
                " ORDER BY s.first_seen LIMIT 1) "
                "WHERE source_id = ? AND EXISTS ("
                " SELECT 1 FROM article_sources s"
                " WHERE s.article_pk = articles.pk AND s.source_id != ?)",
                (source_id, source_id, source_id),
            )
            removed = db.execute("DELETE FROM articles WHERE source_id = ?", (source_id,)).rowcount
            db.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return int(removed)

    # -- fetch state --

    def fetch_state(self, source_id: str) -> FetchState | None:
        """The fetch state of one feed, or None if it was never fetched."""
        rows = self._read("SELECT * FROM fetch_state WHERE source_id = ?", (source_id,))
        return _state_from_row(rows[0]) if rows else None

    def fetch_states(self) -> dict[str, FetchState]:
        """Every feed's fetch state by source id."""
        return {
            row["source_id"]: _state_from_row(row)
            for row in self._read("SELECT * FROM fetch_state")
        }

    def save_fetch_state(self, state: FetchState, *, touch_articles: bool = False) -> None:
        """Store a feed's fetch state (the source must exist).

        ``touch_articles`` marks the feed's articles as seen now (a 304: the
        feed still carries them), so the retention purge keeps them.
        """
        with self._write() as db:
            _save_state(db, state)
            if touch_articles and state.last_attempt is not None:
                db.execute(
                    "UPDATE articles SET last_seen = ? WHERE pk IN "
                    "(SELECT article_pk FROM article_sources WHERE source_id = ?)",
                    (_ts(state.last_attempt), state.source_id),
                )

    # -- articles --

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
        now = _ts(fetched or datetime.now(UTC))
        assert now is not None
        added = updated = unchanged = 0
        ids: list[str] = []
        with self._write() as db:
            _ensure_source(db, source, now)
            if title is not None:
                db.execute("UPDATE sources SET title = ? WHERE id = ?", (title, source.id))
            for article in articles:
                outcome, article_id = _upsert_one(db, source, article, now, update_text)
                ids.append(article_id)
                if outcome == "added":
                    added += 1
                elif outcome == "updated":
                    updated += 1
                else:
                    unchanged += 1
            if state is not None:
                _save_state(db, state)
        return UpsertResult(added, updated, unchanged, tuple(ids))

    def existing_article_ids(self, source: Source, articles: Sequence[Article]) -> list[str | None]:
        """For each incoming article, the id of the stored one it would merge with (None: new).

        Only GUID and URL count here: the same item, whatever its text now.
        """
        result: list[str | None] = []
        with self._lock:
            for article in articles:
                _digest, _canon, keys = _keys(source, article)
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
        rows = self._read(_ARTICLE_SELECT + " WHERE a.id = ?", (article_id,))
        return self._articles(rows)[0] if rows else None

    def articles_between(
        self, start: datetime, end: datetime, *, source_ids: Iterable[str] | None = None
    ) -> list[Article]:
        """Articles published (else first fetched) in ``[start, end)``, newest first.

        ``source_ids`` limits the result to articles any of those sources carried.
        """
        sql = (
            _ARTICLE_SELECT + " WHERE coalesce(a.published, a.fetched) >= ?"
            " AND coalesce(a.published, a.fetched) < ?"
        )
        params: list[Any] = [_ts(start), _ts(end)]
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
            (_ts(start), _ts(end)),
        )
        return {str(row[0]): int(row[1]) for row in rows}

    def articles_for_source(self, source_id: str, *, limit: int = 200) -> list[Article]:
        """The newest articles a source carried."""
        sql = (
            _ARTICLE_SELECT
            + " WHERE EXISTS (SELECT 1 FROM article_sources s WHERE s.article_pk = a.pk"
            " AND s.source_id = ?)"
            " ORDER BY coalesce(a.published, a.fetched) DESC, a.pk DESC LIMIT ?"
        )
        return self._articles(self._read(sql, (source_id, limit)))

    def article_count(self) -> int:
        """How many articles the store holds."""
        return int(self._read("SELECT count(*) FROM articles")[0][0])

    def search(self, query: str, *, limit: int = 50) -> list[Article]:
        """Full-text search over titles and texts (all words must match), best first."""
        match = fts_query(query)
        if not match:
            return []
        sql = (
            _ARTICLE_SELECT + " JOIN articles_fts f ON f.rowid = a.pk WHERE articles_fts MATCH ?"
            " ORDER BY bm25(articles_fts, 4.0, 1.0) LIMIT ?"
        )
        return self._articles(self._read(sql, (match, limit)))

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
        cutoff = _ts(older_than)
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

    def vacuum(self) -> None:
        """Give freed pages back to the file system (not inside a transaction)."""
        with self._lock:
            self._db.execute("VACUUM")

    # -- analysis cache --

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        """A cached analysis result (JSON text by convention), or None."""
        rows = self._read(
            "SELECT value FROM analyses WHERE content_hash = ? AND analyser = ? AND key = ?",
            (content_hash, analyser, key),
        )
        return str(rows[0][0]) if rows else None

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        """Cache an analysis result for (content hash, analyser version, settings key)."""
        with self._write() as db:
            db.execute(
                "INSERT INTO analyses(content_hash, analyser, key, value, created)"
                " VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(content_hash, analyser, key) DO UPDATE SET value=excluded.value, "
                "created=excluded.created",
                (content_hash, analyser, key, value, datetime.now(UTC).timestamp()),
            )

    # -- read marks --

    def read_among(self, article_ids: Iterable[str]) -> set[str]:
        """The ids among ``article_ids`` the reader has read."""
        ids = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        for start in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT article_id FROM read_marks WHERE article_id IN ({marks})"
            found.update(str(row[0]) for row in self._read(sql, chunk))
        return found

    def set_read(self, article_ids: Iterable[str], read: bool, *, at: datetime) -> None:
        """Mark articles read (``read``) or unread again, in one transaction."""
        ids = [(i,) for i in dict.fromkeys(article_ids)]
        with self._write() as db:
            if read:
                db.executemany(
                    "INSERT OR IGNORE INTO read_marks(article_id, read_at) VALUES (?, ?)",
                    [(i, _ts(at)) for (i,) in ids],
                )
            else:
                db.executemany("DELETE FROM read_marks WHERE article_id = ?", ids)

    # -- row mapping --

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


_ARTICLE_SELECT = (
    "SELECT a.*, coalesce(nullif(src.name, ''), src.title, src.location) AS source_name "
    "FROM articles a JOIN sources src ON src.id = a.source_id"
)


def _source_from_row(row: sqlite3.Row) -> Source:
    name = row["name"] or row["title"] or row["location"]
    return Source(
        id=row["id"],
        name=name,
        kind=row["kind"],
        location=row["location"],
        tags=tuple(json.loads(row["tags"])),
    )


def _state_from_row(row: sqlite3.Row) -> FetchState:
    return FetchState(
        source_id=row["source_id"],
        last_attempt=_dt(row["last_attempt"]),
        last_success=_dt(row["last_success"]),
        status=row["status"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        error=row["error"],
        warnings=tuple(json.loads(row["warnings"])),
        failures=row["failures"],
        not_before=_dt(row["not_before"]),
        gone=bool(row["gone"]),
        final_url=row["final_url"],
        article_count=row["article_count"],
        body_hash=row["body_hash"],
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
        published=_dt(row["published"]),
        fetched=_dt(row["fetched"]),
        author=row["author"],
        guid=row["guid"],
        also_in=tuple(also_in),
        evergreen=bool(row["evergreen"]),
    )


def _ensure_source(db: sqlite3.Connection, source: Source, now: float) -> None:
    db.execute(
        "INSERT INTO sources(id, name, kind, location, tags, added) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO NOTHING",
        (source.id, source.name, source.kind, source.location, json.dumps(list(source.tags)), now),
    )


def _save_state(db: sqlite3.Connection, state: FetchState) -> None:
    db.execute(
        "INSERT INTO fetch_state(source_id, last_attempt, last_success, status, etag, "
        "last_modified, "
        "error, warnings, failures, not_before, gone, final_url, article_count, body_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(source_id) DO UPDATE SET last_attempt=excluded.last_attempt, "
        "last_success=excluded.last_success, status=excluded.status, etag=excluded.etag, "
        "last_modified=excluded.last_modified, error=excluded.error, warnings=excluded.warnings, "
        "failures=excluded.failures, not_before=excluded.not_before, gone=excluded.gone, "
        "final_url=excluded.final_url, article_count=excluded.article_count, "
        "body_hash=excluded.body_hash",
        (
            state.source_id,
            _ts(state.last_attempt),
            _ts(state.last_success),
            state.status,
            state.etag,
            state.last_modified,
            state.error,
            json.dumps(list(state.warnings)),
            state.failures,
            _ts(state.not_before),
            int(state.gone),
            state.final_url,
            state.article_count,
            state.body_hash,
        ),
    )


def _keys(source: Source, article: Article) -> tuple[str, str | None, list[str]]:
    """(content hash, canonical URL, dedupe keys in priority order) of an incoming article."""
    digest = content_hash(article.title, article.text)
    canon = canonical_url(article.url)
    keys: list[str] = []
    if article.guid:
        keys.append(_guid_key(article.guid, source.id))
    if canon:
        keys.append("url:" + canon)
    # Empty bodies would all collide on one hash; only real content dedupes by hash.
    if article.title.strip() or article.text.strip():
        keys.append("hash:" + digest)
    if not keys:
        keys.append(f"hash:{digest}\x00{source.id}")
    return digest, canon, keys


def _upsert_one(
    db: sqlite3.Connection, source: Source, article: Article, now: float, update_text: bool
) -> tuple[str, str]:
    """Store or merge one article; returns (added|updated|unchanged, article id)."""
    digest, canon, keys = _keys(source, article)
    match: sqlite3.Row | None = None
    matched_by = ""
    for key in keys:
        row = db.execute(
            "SELECT a.pk, a.id, a.source_id, a.content_hash FROM article_keys k "
            "JOIN articles a ON a.pk = k.article_pk WHERE k.key = ?",
            (key,),
        ).fetchone()
        if row is not None:
            match, matched_by = row, key
            break

    published = _ts(article.published)
    if match is None:
        article_id = _article_id(keys[0])
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
        same_item = not matched_by.startswith("hash:")
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
    db.executemany(
        "INSERT OR IGNORE INTO article_keys(key, article_pk) VALUES (?, ?)", [(k, pk) for k in keys]
    )
    db.execute(
        "INSERT OR IGNORE INTO article_sources(article_pk, source_id, first_seen) VALUES (?, ?, ?)",
        (pk, source.id, now),
    )
    return outcome, article_id


# --- opening -------------------------------------------------------------------


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to :data:`SCHEMA_VERSION`, one transaction per step."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise BriefError(
            f"{path}: the store was written by a newer brief "
            f"(schema {version}, this brief knows {SCHEMA_VERSION})",
            "upgrade brief, or point store.path at another file",
        )
    while version < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version < SCHEMA_VERSION:
                for statement in _statements(MIGRATIONS[version]):
                    db.execute(statement)
                version += 1
                db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain ``;`` so use sqlite's parser)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def open_store(path: Path, *, timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
    """Open (creating and migrating as needed) the SQLite store at ``path``.

    Raises :class:`BriefError` with one readable line when the file cannot be
    opened or is not a brief store.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: brief issues BEGIN/COMMIT itself (see Store._write).
        db = sqlite3.connect(
            path, timeout=timeout_ms / 1000, isolation_level=None, check_same_thread=False
        )
    except (OSError, sqlite3.Error) as exc:
        raise BriefError(f"{path}: cannot open the article store: {exc}") from None
    try:
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # pragma: no cover - e.g. a network file system
            raise BriefError(f"{path}: the article store cannot use WAL mode (got {mode})")
        # NORMAL is durable against a crashed or killed process in WAL mode;
        # only a power cut may lose the last commits.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise BriefError(
            f"{path}: not a usable article store: {exc}",
            "move the file away; brief will start a new store",
        ) from None
    except BaseException:
        db.close()
        raise
    return Store(db, path)

"""The store's schema as numbered migrations, and bringing a file up to date (``user_version``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from brief.errors import BriefError

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
    # 3: fetch cost independent of the store's size.  Each parse of a feed starts a new
    # generation of its fetch state, and every article the body carries is marked with
    # it: what a feed "still carries" after a 304 is its current generation, so a 304
    # writes the feed's state only.  Rows of older stores are generation 0 on both
    # sides, so everything a feed ever carried counts as still carried until its next
    # parse (the old rule).  The expiry index turns the retention purge into a range
    # scan over the articles past the cutoff, and ``meta`` remembers when it last ran.
    """
    ALTER TABLE fetch_state ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE article_sources ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX articles_expiry ON articles(max(last_seen, coalesce(published, 0)))
        WHERE evergreen = 0;
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 4: which articles the reader has read (by article id; local files are not in
    # ``articles``, so no foreign key), kept across days.
    """
    CREATE TABLE read_marks (
        article_id TEXT PRIMARY KEY,
        read_at    REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX read_marks_when ON read_marks(read_at);
    """,
    # 5: the actor ledger (store/ledger.py): per actor (kind and the day's merged name) and
    # day, the mentions and articles, the names it went by, the articles, its quotes and
    # the actors named in its sentences; and the days recorded (a day no briefing was
    # composed is unknown, not zero).  Composing a day again replaces that day's rows.
    # Every key starts with the day: today's rows go at the end of each tree (cheap to
    # write), a day is deleted as one range, and an actor's days are read as one seek
    # per recorded day (``day IN (...) AND kind = ? AND name = ?``), so no other index.
    """
    CREATE TABLE ledger_dates (
        day      TEXT PRIMARY KEY,
        recorded REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE ledger_days (
        day      TEXT NOT NULL,
        kind     TEXT NOT NULL,
        name     TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        PRIMARY KEY (day, kind, name)
    ) WITHOUT ROWID;
    CREATE TABLE ledger_names (
        day   TEXT NOT NULL,
        alias TEXT NOT NULL,
        kind  TEXT NOT NULL,
        name  TEXT NOT NULL,
        PRIMARY KEY (day, alias, kind, name)
    ) WITHOUT ROWID;
    CREATE TABLE ledger_articles (
        day        TEXT NOT NULL,
        kind       TEXT NOT NULL,
        name       TEXT NOT NULL,
        article_id TEXT NOT NULL,
        title      TEXT NOT NULL,
        url        TEXT,
        PRIMARY KEY (day, kind, name, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE ledger_quotes (
        day        TEXT NOT NULL,
        kind       TEXT NOT NULL,
        name       TEXT NOT NULL,
        seq        INTEGER NOT NULL,
        text       TEXT NOT NULL,
        words      TEXT NOT NULL,
        article_id TEXT NOT NULL,
        title      TEXT NOT NULL,
        url        TEXT,
        PRIMARY KEY (day, kind, name, seq)
    ) WITHOUT ROWID;
    CREATE TABLE ledger_company (
        day        TEXT NOT NULL,
        kind       TEXT NOT NULL,
        name       TEXT NOT NULL,
        other_kind TEXT NOT NULL,
        other      TEXT NOT NULL,
        sentences  INTEGER NOT NULL,
        PRIMARY KEY (day, kind, name, other_kind, other)
    ) WITHOUT ROWID;
    """,
    # 6: the briefing history (store/history.py): per briefing name and day, when it was
    # written, the stories it showed (a compact term signature, the articles, the thread
    # linking it to earlier days) and the hashes of the sentences it showed.
    """
    CREATE TABLE briefing_days (
        name       TEXT NOT NULL,
        day        TEXT NOT NULL,
        written_at REAL NOT NULL,
        PRIMARY KEY (name, day)
    ) WITHOUT ROWID;
    CREATE TABLE briefing_stories (
        name        TEXT NOT NULL,
        day         TEXT NOT NULL,
        position    INTEGER NOT NULL,
        thread      TEXT NOT NULL,
        title       TEXT NOT NULL,
        url         TEXT,
        terms       TEXT NOT NULL,
        article_ids TEXT NOT NULL,
        PRIMARY KEY (name, day, position),
        FOREIGN KEY (name, day) REFERENCES briefing_days(name, day) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX briefing_stories_thread ON briefing_stories(name, thread);
    CREATE TABLE briefing_sentences (
        name       TEXT NOT NULL,
        day        TEXT NOT NULL,
        hash       TEXT NOT NULL,
        article_id TEXT NOT NULL,
        position   INTEGER,
        PRIMARY KEY (name, day, hash, article_id),
        FOREIGN KEY (name, day) REFERENCES briefing_days(name, day) ON DELETE CASCADE
    ) WITHOUT ROWID;
    """,
    # 7: the links in an article's body and the files it carries (enclosures: podcasts),
    # as JSON lists ({"url", "text"} and {"url", "type", "length"}); older rows have none.
    """
    ALTER TABLE articles ADD COLUMN links TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE articles ADD COLUMN enclosures TEXT NOT NULL DEFAULT '[]';
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection, path: Path) -> None:
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

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

import sqlite3
import time
from pathlib import Path

from brief.errors import BriefError
from brief.store.analyses import Analyses, AnalysisCache
from brief.store.articles import Articles, UpsertResult
from brief.store.fetchstate import FetchState, FetchStates
from brief.store.history import BriefingHistory
from brief.store.keys import article_hash, canonical_url, content_hash
from brief.store.ledger import Ledger
from brief.store.readmarks import ReadMarks
from brief.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from brief.store.search import Search, fts_query
from brief.store.sources import Sources

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AnalysisCache",
    "FetchState",
    "Store",
    "UpsertResult",
    "article_hash",
    "canonical_url",
    "content_hash",
    "fts_query",
    "open_memory_store",
    "open_store",
]


BUSY_TIMEOUT_MS = 30_000


class Store(Sources, FetchStates, Search, Articles, Analyses, ReadMarks, Ledger, BriefingHistory):
    """An open article store; use :func:`open_store` to get one.

    Thread-safe: one connection guarded by a lock, so TUI workers may share it.
    Each part (sources, fetch state, articles, search, analysis cache, read marks,
    the actor ledger, the briefing history) lives in its own module of this package.
    """


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
        mode = _journal_mode_wal(db, timeout_ms)
        if str(mode).lower() != "wal":  # pragma: no cover - e.g. a network file system
            raise BriefError(f"{path}: the article store cannot use WAL mode (got {mode})")
        # NORMAL is durable against a crashed or killed process in WAL mode;
        # only a power cut may lose the last commits.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db, path)
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


def _journal_mode_wal(db: sqlite3.Connection, timeout_ms: int) -> str:
    """Switch to WAL and return the journal mode now in force.

    Two processes opening a new store at once (cron and the TUI) race to change
    its journal mode, and SQLite answers the loser "database is locked" at once,
    without waiting out the busy timeout.  So the switch is tried again until the
    timeout has passed.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            return str(db.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def open_memory_store() -> Store:
    """A private, empty store in memory: where a run fetches when the file store fails.

    Nothing in it outlives the process; the briefing can still be composed
    from what arrived.
    """
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    migrate(db, Path(":memory:"))
    return Store(db, Path(":memory:"))

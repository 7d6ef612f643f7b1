"""Per-feed fetch state: validators, health, back-off."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from brief.store.connection import Connection, from_ts, to_ts


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
    generation: int = 0  # bumped by every parse; see schema migration 3


class FetchStates(Connection):
    """The fetch_state table."""

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

    def save_fetch_state(self, state: FetchState) -> None:
        """Store a feed's fetch state (the source must exist); one row, whatever the store holds.

        After a 304 the feed still carries the articles of its current
        generation; its ``last_success`` keeps them from the retention purge
        without touching them (see :meth:`Articles.purge`).
        """
        with self._write() as db:
            save_state(db, state)


def _state_from_row(row: sqlite3.Row) -> FetchState:
    return FetchState(
        source_id=row["source_id"],
        last_attempt=from_ts(row["last_attempt"]),
        last_success=from_ts(row["last_success"]),
        status=row["status"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        error=row["error"],
        warnings=tuple(json.loads(row["warnings"])),
        failures=row["failures"],
        not_before=from_ts(row["not_before"]),
        gone=bool(row["gone"]),
        final_url=row["final_url"],
        article_count=row["article_count"],
        body_hash=row["body_hash"],
        generation=row["generation"],
    )


def save_state(db: sqlite3.Connection, state: FetchState) -> None:
    """Insert or replace a feed's fetch state inside the open transaction."""
    db.execute(
        "INSERT INTO fetch_state(source_id, last_attempt, last_success, status, etag, "
        "last_modified, "
        "error, warnings, failures, not_before, gone, final_url, article_count, body_hash, "
        "generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(source_id) DO UPDATE SET last_attempt=excluded.last_attempt, "
        "last_success=excluded.last_success, status=excluded.status, etag=excluded.etag, "
        "last_modified=excluded.last_modified, error=excluded.error, warnings=excluded.warnings, "
        "failures=excluded.failures, not_before=excluded.not_before, gone=excluded.gone, "
        "final_url=excluded.final_url, article_count=excluded.article_count, "
        "body_hash=excluded.body_hash, generation=excluded.generation",
        (
            state.source_id,
            to_ts(state.last_attempt),
            to_ts(state.last_success),
            state.status,
            state.etag,
            state.last_modified,
            state.error,
            json.dumps(list(state.warnings)),
            state.failures,
            to_ts(state.not_before),
            int(state.gone),
            state.final_url,
            state.article_count,
            state.body_hash,
            state.generation,
        ),
    )

"""Sources in the store: add, rename, list, remove (with the articles only they carried)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

from brief.models import Source
from brief.store.connection import Connection


class Sources(Connection):
    """The sources table."""

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


def _source_from_row(row: sqlite3.Row) -> Source:
    name = row["name"] or row["title"] or row["location"]
    return Source(
        id=row["id"],
        name=name,
        kind=row["kind"],
        location=row["location"],
        tags=tuple(json.loads(row["tags"])),
    )


def ensure_source(db: sqlite3.Connection, source: Source, now: float) -> None:
    """Add ``source`` inside the open transaction unless it is known already."""
    db.execute(
        "INSERT INTO sources(id, name, kind, location, tags, added) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO NOTHING",
        (source.id, source.name, source.kind, source.location, json.dumps(list(source.tags)), now),
    )

"""The reader's read marks: which articles have been opened, kept across days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from brief.store.connection import Connection, to_ts

_CHUNK = 500  # bound parameters per query, well under SQLite's limit


class ReadMarks(Connection):
    """The read_marks table."""

    def read_among(self, article_ids: Iterable[str]) -> set[str]:
        """The ids among ``article_ids`` the reader has read."""
        ids = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
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
                    [(i, to_ts(at)) for (i,) in ids],
                )
            else:
                db.executemany("DELETE FROM read_marks WHERE article_id = ?", ids)

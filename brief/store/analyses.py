"""The cache of analysis results (summaries, actor analyses) keyed by content hash."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from brief.store.connection import Connection


class AnalysisCache(Protocol):
    """Where analyses (summaries, actor analyses) persist between runs; :class:`Store` is one."""

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        """A cached value, or None."""
        ...

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        """Remember a value."""
        ...


class Analyses(Connection):
    """The analyses table."""

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

"""The cache of analysis results (summaries, actor analyses) keyed by content hash."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Protocol

from brief.store.connection import Connection

# Content hashes asked for in one statement (well under SQLite's limit on parameters).
_CHUNK = 500


class AnalysisCache(Protocol):
    """Where analyses (summaries, actor analyses) persist between runs; :class:`Store` is one.

    A cache may also offer ``get_analyses`` and ``put_analyses`` (many entries in
    one statement and one transaction, as the store does); :func:`read_analyses`
    and :func:`write_analyses` use them when it does, one entry at a time if not.
    """

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        """A cached value, or None."""
        ...

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        """Remember a value."""
        ...


def read_analyses(
    cache: AnalysisCache, analyser: str, key: str, hashes: Iterable[str]
) -> dict[str, str]:
    """The cached values of ``analyser``/``key`` for these content hashes (found ones only)."""
    wanted = list(dict.fromkeys(hashes))
    bulk = getattr(cache, "get_analyses", None)
    if bulk is not None:
        found: dict[str, str] = bulk(wanted, analyser, key)
        return found
    values = {digest: cache.get_analysis(digest, analyser, key) for digest in wanted}
    return {digest: value for digest, value in values.items() if value is not None}


def write_analyses(
    cache: AnalysisCache, analyser: str, key: str, values: Sequence[tuple[str, str]]
) -> None:
    """Cache many (content hash, value) pairs of ``analyser``/``key``: one transaction if it can."""
    if not values:
        return
    bulk = getattr(cache, "put_analyses", None)
    if bulk is not None:
        bulk(analyser, key, values)
        return
    for digest, value in values:
        cache.put_analysis(digest, analyser, key, value)


class Analyses(Connection):
    """The analyses table."""

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        """A cached analysis result (JSON text by convention), or None."""
        rows = self._read(
            "SELECT value FROM analyses WHERE content_hash = ? AND analyser = ? AND key = ?",
            (content_hash, analyser, key),
        )
        return str(rows[0][0]) if rows else None

    def get_analyses(self, hashes: Sequence[str], analyser: str, key: str) -> dict[str, str]:
        """The cached results of ``analyser``/``key`` for many content hashes, by hash."""
        found: dict[str, str] = {}
        for start in range(0, len(hashes), _CHUNK):
            chunk = list(hashes[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows = self._read(
                "SELECT content_hash, value FROM analyses WHERE analyser = ? AND key = ?"
                f" AND content_hash IN ({marks})",
                (analyser, key, *chunk),
            )
            found.update((str(row[0]), str(row[1])) for row in rows)
        return found

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        """Cache an analysis result for (content hash, analyser version, settings key)."""
        self.put_analyses(analyser, key, ((content_hash, value),))

    def put_analyses(self, analyser: str, key: str, values: Sequence[tuple[str, str]]) -> None:
        """Cache many (content hash, result) pairs of ``analyser``/``key`` in one transaction."""
        created = datetime.now(UTC).timestamp()
        # In key order (a stable sort: of two values for one hash the last still wins), the
        # rows fill the table's tree page after page instead of splitting pages at random:
        # about half the work for a day of new analyses.
        ordered = sorted(values, key=itemgetter(0))
        with self._write() as db:
            db.executemany(
                "INSERT INTO analyses(content_hash, analyser, key, value, created)"
                " VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(content_hash, analyser, key) DO UPDATE SET value=excluded.value, "
                "created=excluded.created",
                [(digest, analyser, key, value, created) for digest, value in ordered],
            )

"""Full-text search over stored articles (SQLite FTS5)."""

from __future__ import annotations

import re

from brief.models import Article
from brief.store.articles import ARTICLE_SELECT, Articles


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


class Search(Articles):
    """Search over the articles_fts index."""

    def search(self, query: str, *, limit: int = 50) -> list[Article]:
        """Full-text search over titles and texts (all words must match), best first."""
        match = fts_query(query)
        if not match:
            return []
        sql = (
            ARTICLE_SELECT + " JOIN articles_fts f ON f.rowid = a.pk WHERE articles_fts MATCH ?"
            " ORDER BY bm25(articles_fts, 4.0, 1.0) LIMIT ?"
        )
        return self._articles(self._read(sql, (match, limit)))

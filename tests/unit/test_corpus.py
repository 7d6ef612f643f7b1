"""Every real feed and OPML file in ../shared/data through brief's own code path: zero crashes.

Feeds go through ``parse_feed`` → ``entries_to_articles`` → ``Store.upsert_articles``
(what ``brief fetch`` does with a downloaded body); OPML files through
``read_opml`` (what ``brief feeds import`` does).  Each file must yield
articles (or feeds) or a one-line reason.  feedparser's ``http*`` cases carry
the HTTP headers they assume in their header comment; those are passed as
response headers, as a server would send them.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.collect.opml import read_opml
from brief.collect.parse import entries_to_articles, parse_feed
from brief.errors import SourceError
from brief.models import Source
from brief.store import open_store

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
_HEADER_RE = re.compile(rb"^\s*Header:\s*([\w-]+):[ \t]*(.*?)\s*$", re.MULTILINE)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("LICENSE"))


def _declared_headers(body: bytes) -> dict[str, str]:
    """The ``Header: Name: value`` lines of a feedparser test file's leading comment."""
    head = body[:3000]
    return {
        name.decode("ascii").lower(): value.decode("latin-1")
        for name, value in _HEADER_RE.findall(head)
    }


def _reason_kind(reason: str) -> str:
    return re.sub(r"\(.*", "", reason).split(";")[0].split(": http")[0].strip()


def test_every_feed_file_yields_articles_or_one_line(shared_data: Path, tmp_path: Path) -> None:
    root = shared_data / "feeds"
    files = _files(root)
    assert len(files) > 2000
    tally: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    stored = 0
    real_without_articles: list[str] = []
    with open_store(tmp_path / "corpus.sqlite3") as store:
        for path in files:
            body = path.read_bytes()
            url = "http://example.com/" + path.relative_to(root).as_posix()
            parsed = parse_feed(body, url, _declared_headers(body))
            real = path.parts[-2].startswith("real-") and path.suffix not in (".html", ".opml")
            if real and not parsed.entries:
                real_without_articles.append(f"{path.name}: {parsed.error or 'no entries'}")
            if not parsed.ok:
                reason = parsed.error or ""
                assert reason and "\n" not in reason and len(reason) < 400, path
                assert not reason.startswith("could not parse"), f"{path}: {reason}"
                tally["not a feed (one-line reason)"] += 1
                reasons[_reason_kind(reason)] += 1
                continue
            for warning in parsed.warnings:
                assert "\n" not in warning
            if not parsed.entries:
                tally["a feed with no entries"] += 1
                continue
            source = Source(id=f"feed:{url}", name=path.name, kind="feed", location=url)
            articles = entries_to_articles(source, parsed.entries, fetched=NOW)
            result = store.upsert_articles(source, articles, fetched=NOW, title=parsed.title)
            assert len(result.ids) == len(articles)
            stored += result.added
            tally["articles"] += 1
        assert store.integrity_check() == "ok"
    print(f"\nfeed corpus: {len(files)} files: {dict(tally)}; {stored} articles stored")
    for reason, count in reasons.most_common():
        print(f"  {count:4}  {reason}")
    assert sum(tally.values()) == len(files)
    assert tally["articles"] > 600
    # The real saved feeds nearly all yield articles.  Known exceptions: a
    # truncated JSON Feed, an RSS-in-JSON file (not JSON Feed), an HTML "moved"
    # page saved as .rss, and two feeds whose only entries are empty.
    assert len(real_without_articles) <= 5, real_without_articles


def test_every_opml_file_yields_feeds_or_one_line(shared_data: Path) -> None:
    files = _files(shared_data / "opml")
    assert len(files) > 200
    tally: Counter[str] = Counter()
    feeds = 0
    for path in files:
        try:
            opml = read_opml(path)
        except SourceError as exc:
            assert "\n" not in str(exc)
            tally["not a subscription list (one-line reason)"] += 1
            continue
        if opml.feeds:
            tally["feeds"] += 1
            feeds += len(opml.feeds)
            assert all(f.url.startswith(("http://", "https://")) for f in opml.feeds)
        else:
            tally["a list with no feeds"] += 1
    print(f"\nOPML corpus: {len(files)} files: {dict(tally)}; {feeds} feeds")
    assert tally["feeds"] > 150


def test_world_news_opml_keeps_titles_and_folders(shared_data: Path) -> None:
    path = (
        shared_data / "opml" / "awesome-rss-feeds" / "recommended" / "with_category" / "News.opml"
    )
    if not path.exists():
        pytest.skip(f"{path} not found")
    opml = read_opml(path)
    assert len(opml.feeds) == 11
    bbc = opml.feeds[0]
    assert (bbc.url, bbc.name, bbc.tags) == (
        "http://feeds.bbci.co.uk/news/world/rss.xml",
        "BBC News - World",
        ("News",),
    )

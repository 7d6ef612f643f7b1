"""Subscriptions: the add/remove/import/export operations the CLI and the TUI share."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.collect.subscriptions import import_opml, opml_text, subscribe, unsubscribe
from brief.config import Config, FeedConfig
from brief.errors import SourceError

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def test_subscribe_without_check_adds_one_feed() -> None:
    done = subscribe(Config(), " https://example.com/rss ", now=NOW, name="Ex", check=False)
    assert done.config.feeds == (FeedConfig(url="https://example.com/rss", name="Ex"),)
    with pytest.raises(SourceError) as again:
        subscribe(done.config, "https://example.com/rss", now=NOW, check=False)
    assert "already subscribed" in str(again.value)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "example.com/rss", "javascript:alert(1)"])
def test_subscribe_rejects_non_http(url: str) -> None:
    with pytest.raises(SourceError, match="is not an http"):
        subscribe(Config(), url, now=NOW, check=False)


def test_unsubscribe_unknown_feed_is_an_error() -> None:
    with pytest.raises(SourceError, match="not one of your feeds"):
        unsubscribe(Config(), "https://example.com/rss")


def test_opml_round_trip(tmp_path: Path) -> None:
    config = Config(feeds=(FeedConfig(url="https://a.example/rss", name="A", tags=("world",)),))
    path = tmp_path / "subs.opml"
    path.write_text(opml_text(config, now=NOW), encoding="utf-8")
    done = import_opml(Config(), path)
    assert [f.url for f in done.added] == ["https://a.example/rss"]
    assert done.config.feeds[0].tags == ("world",)
    assert import_opml(done.config, path).added == ()

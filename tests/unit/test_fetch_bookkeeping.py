"""Issue 12 item 8: every feed failure goes through the same book-keeping (saved, backed off).

A redirect to ``javascript:``, a ``Retry-After`` of 30 or 5,000 digits: each is
saved as the feed's failure with a back-off, not reported once and forgotten.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from brief.collect.fetch import fetch_feeds
from brief.collect.http import MAX_RETRY_AFTER, parse_retry_after
from brief.config import Config, FeedConfig, FetchConfig
from brief.store import open_store
from tests.httpserver import FeedServer, Reply

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        (
            Reply(status=302, headers={"Location": "javascript:alert(1)"}),
            "redirected to an invalid",
        ),
        (Reply(status=302, headers={"Location": "ftp://example.com/feed"}), "redirected to an"),
        (Reply(status=429, headers={"Retry-After": "9" * 30}), "retrying after 2026-11-29 07:00"),
        (Reply(status=503, headers={"Retry-After": "9" * 5000}), "retrying after 2026-11-29 07:00"),
    ],
    ids=["javascript", "ftp", "retry-after-30-digits", "retry-after-5000-digits"],
)
def test_hostile_failures_are_saved_and_backed_off(tmp_path: Path, reply: Reply, says: str) -> None:
    with FeedServer() as server:
        url = server.add("/feed", reply)
        config = Config(feeds=(FeedConfig(url=url),), fetch=FetchConfig(min_interval_minutes=0))
        with open_store(tmp_path / "s.sqlite3") as store:
            (outcome,) = fetch_feeds(config, store, now=NOW).outcomes
            assert outcome.health.error is not None and says in outcome.health.error
            assert "internal error" not in outcome.health.error
            state = store.fetch_state(f"feed:{url}")
            assert state is not None and state.failures == 1 and state.error
            if "retry-after" in str(reply.headers).lower():
                assert state.not_before == NOW + MAX_RETRY_AFTER
                (again,) = fetch_feeds(config, store, now=NOW + timedelta(hours=1)).outcomes
                assert again.skipped and "waiting until" in again.skipped
                assert len(server.requests_for("/feed")) == 1


@pytest.mark.parametrize(
    ("header", "delay"),
    [
        ("120", timedelta(minutes=2)),
        ("99999999", MAX_RETRY_AFTER),
        ("9" * 400, MAX_RETRY_AFTER),
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER),
        ("Sat, 28 Nov 2026 07:10:00 GMT", timedelta(minutes=10)),
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_is_capped(header: str | None, delay: timedelta | None) -> None:
    assert parse_retry_after(header, NOW) == delay

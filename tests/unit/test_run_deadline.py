"""Issue 12 item 9: a whole-run deadline, ``[fetch] run_deadline_seconds``.

Sixteen feeds on one host, twelve of which never answer: past the deadline
the unfinished feeds are reported as late (not failed against their back-off),
and the briefing is written from the four that arrived.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from brief.cli import main
from tests.httpserver import FeedServer, Item, Reply, never_answers, rss

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
TOPICS = [
    "The city council agreed a budget for schools, libraries and road repairs next year.",
    "A storm closed the harbour and ferries to the islands stayed in port all afternoon.",
    "The national football team won its qualifier after a late penalty in the rain.",
    "Scientists at the observatory photographed a comet passing close to Jupiter.",
]


def test_past_the_deadline_late_feeds_are_named_and_the_briefing_is_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = Path(os.environ["BRIEF_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    with FeedServer() as server:
        urls = []
        for n in range(4):
            item = Item(
                f"Arrived story {n}",
                f"<p>{TOPICS[n]}</p>",
                link=f"https://good.test/{n}",
                guid=f"urn:good:{n}",
                published=NOW - timedelta(hours=1),
            )
            urls.append(server.add(f"/good-{n}", Reply(body=rss(f"Good {n}", [item]))))
        slow = [server.add(f"/slow-{n}", never_answers) for n in range(12)]
        feeds = "".join(f'[[feeds]]\nurl = "{u}"\n\n' for u in (*urls, *slow))
        config.write_text(
            "[sources]\nlocal = []\n\n[fetch]\ntimeout_seconds = 60.0\nper_host = 16\n"
            f"run_deadline_seconds = 2.0\n\n{feeds}"
        )
        code = main(["run"])
    captured = capsys.readouterr()
    assert code == 3, captured.err
    text = Path(captured.out.strip()).read_text(encoding="utf-8")
    for topic in TOPICS:
        assert topic in text
    assert text.count("late: not finished within the run deadline of 2 s") == 12
    assert captured.err.count("late: not finished") == 12


def test_a_late_feed_is_not_backed_off(tmp_path: Path) -> None:
    from brief.collect.fetch import fetch_feeds
    from brief.config import Config, FeedConfig, FetchConfig
    from brief.store import open_store

    with FeedServer() as server:
        url = server.add("/slow", never_answers)
        config = Config(
            feeds=(FeedConfig(url=url),),
            fetch=FetchConfig(timeout_seconds=60.0, run_deadline_seconds=0.5),
        )
        with open_store(tmp_path / "s.sqlite3") as store:
            report = fetch_feeds(config, store, now=NOW)
            (outcome,) = report.outcomes
            assert outcome.late and outcome.health.error
            assert "1 late" in report.summary_line()
            state = store.fetch_state(f"feed:{url}")
            assert state is None or (state.failures == 0 and state.not_before is None)

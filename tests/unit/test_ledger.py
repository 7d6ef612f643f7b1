"""The actor ledger on invented data: its arithmetic, the store's rows, look-ups, alerts."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from brief import cli
from brief.briefing.actor_news import actor_news, jumped, mean_before, trend
from brief.briefing.render import render_markdown
from brief.briefing.timeline import find_actor, read_timeline, timeline_json, timeline_lines
from brief.config import WatchedActor
from brief.errors import BriefError
from brief.models import Actor, ActorBrief, ActorNews, Briefing, Source, SourceHealth
from brief.store import Store, open_store
from brief.store.ledger import LedgerArticle, LedgerEntry, LedgerQuote, quote_words

TODAY = date(2026, 11, 28)
AT = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def _day(back: int) -> date:
    return TODAY - timedelta(days=back)


# --- the arithmetic ----------------------------------------------------------------------


def test_trend_has_seven_days_today_last_and_unknown_days_as_none() -> None:
    counts = {_day(1): 4, _day(2): 2, _day(5): 1}
    recorded = {_day(1), _day(2), _day(3), _day(5)}
    assert trend(counts, recorded, TODAY, 9) == (None, 1, None, 0, 2, 4, 9)
    assert trend({}, set(), TODAY, 3) == (None, None, None, None, None, None, 3)


@pytest.mark.parametrize(
    ("counts", "recorded", "mean"),
    [
        ({}, set(), 0.0),
        ({_day(1): 3}, {_day(1)}, 3.0),  # one day briefed: its count is the mean
        ({_day(1): 3}, {_day(1), _day(2), _day(3)}, 1.0),  # briefed days without it are zeros
        ({_day(k): k for k in range(1, 8)}, {_day(k) for k in range(1, 8)}, 4.0),
        ({_day(8): 50, _day(1): 2}, {_day(8), _day(1)}, 2.0),  # eight days back is outside
    ],
)
def test_mean_is_over_the_recorded_days_of_the_week_before(
    counts: dict[date, int], recorded: set[date], mean: float
) -> None:
    assert mean_before(counts, recorded, TODAY) == pytest.approx(mean)


@pytest.mark.parametrize(
    ("today", "mean", "jump"),
    [
        (9, 1.5, True),  # six times the mean, 7.5 more
        (4, 1.0, True),  # exactly both edges: 2x and +3
        (3, 1.0, False),  # 3x but only 2 more
        (13, 10.0, False),  # 3 more but not 2x
        (20, 10.0, True),
        (5, 0.0, False),  # no mentions before: "first this week", not a jump
    ],
)
def test_a_jump_needs_twice_the_mean_and_three_more(today: int, mean: float, jump: bool) -> None:
    assert jumped(today, mean) is jump


def _entry(**changes: object) -> LedgerEntry:
    fields: dict[str, object] = {
        "kind": "person",
        "name": "Jane Doe",
        "mentions": 6,
        "article_count": 2,
        "aliases": ("Doe", "Ms. Doe"),
        "articles": (LedgerArticle("a1", "Talks resume", "https://news.test/a1"),),
        "quotes": (
            LedgerQuote("We are ready.", "a1", "Talks resume", "https://news.test/a1"),
            LedgerQuote("Nothing is agreed", "a1", "Talks resume", None),
        ),
        "company": (("organisation", "Acme Corp", 3), ("state", "Norland", 1)),
    }
    fields.update(changes)
    return LedgerEntry(**fields)  # type: ignore[arg-type]


def test_news_lists_only_quotes_and_company_the_days_before_lacked() -> None:
    entry = _entry()
    recorded = {_day(1), _day(2)}
    news = actor_news(
        entry,
        TODAY,
        recorded,
        {_day(1): 1, _day(2): 1},
        earlier_quotes={quote_words("we are READY")},  # the same words, other case and marks
        earlier_company={("state", "Norland")},
    )
    assert news.new_quotes == (("Nothing is agreed", "Talks resume", None),)
    assert news.new_company == ("Acme Corp",)
    assert news.mean == 1.0 and news.jump and not news.first_this_week
    assert news.trend == (None, None, None, None, 1, 1, 6)


def test_an_actor_absent_all_week_is_first_mentioned_this_week() -> None:
    news = actor_news(_entry(), TODAY, {_day(1)}, {}, set(), set())
    assert news.first_this_week and not news.jump and news.mean == 0.0


# --- the store -----------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "store.db")
    yield opened  # type: ignore[misc]
    opened.close()


def _rows(store: Store, table: str) -> int:
    return int(store._read(f"SELECT count(*) FROM {table}")[0][0])


def test_recording_a_day_twice_replaces_it_and_never_double_counts(store: Store) -> None:
    store.record_ledger_day(_day(1), [_entry(mentions=2)], at=AT)
    store.record_ledger_day(TODAY, [_entry()], at=AT)
    tables = ("ledger_days", "ledger_quotes", "ledger_company", "ledger_articles", "ledger_names")
    before = {t: _rows(store, t) for t in tables}
    store.record_ledger_day(TODAY, [_entry()], at=AT)
    assert {t: _rows(store, t) for t in tables} == before
    assert store.ledger_mentions(("person", "Jane Doe"), _day(6), TODAY) == {_day(1): 2, TODAY: 6}
    # A day composed again with other articles keeps only what it has now.
    store.record_ledger_day(TODAY, [_entry(mentions=1, quotes=(), company=())], at=AT)
    assert store.ledger_mentions(("person", "Jane Doe"), TODAY, TODAY) == {TODAY: 1}
    tomorrow = TODAY + timedelta(days=1)
    words = store.ledger_quote_words(("person", "Jane Doe"), tomorrow)
    assert words == {"we are ready", "nothing is agreed"}
    assert _rows(store, "ledger_quotes") == 2  # yesterday's two, today's none


def test_days_before_keep_from_are_dropped_and_dates_are_recorded(store: Store) -> None:
    for back in (40, 10, 1):
        store.record_ledger_day(_day(back), [_entry()], at=AT)
    store.record_ledger_day(TODAY, [], at=AT, keep_from=_day(30))
    assert store.ledger_dates(_day(60), TODAY) == {_day(10), _day(1), TODAY}
    assert set(store.ledger_mentions(("person", "Jane Doe"), _day(60), TODAY)) == {
        _day(10),
        _day(1),
    }


def test_names_are_found_in_any_case_by_alias_and_misses_name_close_matches(
    store: Store,
) -> None:
    store.record_ledger_day(
        _day(1), [_entry(), _entry(kind="organisation", name="Acme Corp", aliases=())], at=AT
    )
    assert find_actor(store, "jane doe") == ("person", "Jane Doe")
    assert find_actor(store, "  MS. DOE ") == ("person", "Jane Doe")
    with pytest.raises(BriefError) as caught:
        find_actor(store, "Jane Do")
    assert "no such actor" in caught.value.message and "Jane Doe" in str(caught.value.hint)
    timeline = read_timeline(store, "doe", end=TODAY, days=3)
    # A watchlist alias the articles never used still finds the watched actor.
    watch = (WatchedActor("Jane Doe", "person", ("The Minister",)),)
    assert read_timeline(store, "the minister", end=TODAY, days=3, watch=watch).name == "Jane Doe"
    with pytest.raises(BriefError):
        read_timeline(store, "the minister", end=TODAY, days=3)
    data = timeline_json(timeline, TODAY, 3)
    assert data["trend"] == [None, 6, None]
    assert data["days"][0]["quotes"][0] == {
        "text": "We are ready.",
        "day": "2026-11-27",
        "article_id": "a1",
        "title": "Talks resume",
        "url": "https://news.test/a1",
    }
    assert data["days"][0]["company"] == [
        {"name": "Acme Corp", "sentences": 3},
        {"name": "Norland", "sentences": 1},
    ]
    lines = timeline_lines(timeline, TODAY, 3)
    assert "mentions, last 3 days: - 6 -" in lines
    assert "  story: Talks resume <https://news.test/a1>" in lines


def test_an_empty_ledger_says_so(store: Store) -> None:
    with pytest.raises(BriefError, match="ledger is empty"):
        find_actor(store, "anyone")


# --- rendering and the run's exit code ---------------------------------------------------


def _briefing(*, watched: tuple[str, ...] = (), failed: bool = False) -> Briefing:
    news = ActorNews(
        trend=(None, 0, 1, 3, 2, 0, 9),
        mean=1.2,
        jump=True,
        new_quotes=(("We *are* ready", "Talks <resume>", "https://news.test/a1"),),
        new_company=("Acme [Corp]",),
    )
    brief = ActorBrief(
        Actor("Jane Doe", "person"), article_count=2, source_count=1, mention_count=9, news=news
    )
    source = Source("s", "Desk", "feed", "https://news.test/feed")
    health = SourceHealth(source, 2, error="HTTP 500" if failed else None)
    return Briefing("Morning", TODAY, AT, (), (health,), actor_briefs=(brief,), watched=watched)


def test_a_brief_opens_with_its_news_escaped_and_the_watchlist_is_on_top() -> None:
    text = render_markdown(_briefing(watched=("Jane Doe",)))
    assert text.index("**Watchlist:** Jane Doe (2 articles)") < text.index("## Actors")
    block = text.split("### Jane Doe", 1)[1]
    assert "*New since yesterday:*" in block
    assert "- New quote: “We \\*are\\* ready” — [Talks \\<resume\\>](https://news.test/a1)" in block
    assert "- First seen with Acme \\[Corp\\] this week" in block
    assert "- Mentions jumped: 9 today, 7-day mean 1.2" in block
    assert "Mentions, last 7 days: - 0 1 3 2 0 9" in block
    assert "Watchlist" not in render_markdown(_briefing())


@pytest.mark.parametrize(
    ("watched", "failed", "code"),
    [
        ((), False, cli.EXIT_OK),
        (("Jane Doe",), False, cli.EXIT_WATCHED),
        ((), True, cli.EXIT_PARTIAL),
        (("Jane Doe",), True, cli.EXIT_PARTIAL),  # a failed source takes precedence
    ],
)
def test_the_run_exit_code_puts_failed_sources_before_watched_actors(
    watched: tuple[str, ...], failed: bool, code: int
) -> None:
    assert cli._run_exit(_briefing(watched=watched, failed=failed)) == code
    assert (
        len({cli.EXIT_OK, cli.EXIT_FAILED, cli.EXIT_USAGE, cli.EXIT_PARTIAL, cli.EXIT_WATCHED}) == 5
    )


def test_notify_passes_untrusted_names_as_arguments_never_through_a_shell(
    tmp_path: Path,
) -> None:
    record = tmp_path / "argv.json"
    script = tmp_path / "record.py"
    script.write_text(
        f"import json, sys\nopen({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    names = ["$(touch pwned)", "Jane; rm -rf ~", "`id`"]
    cli.notify(f"{sys.executable} {script} --flag", tmp_path / "b.md", names)
    assert json.loads(record.read_text(encoding="utf-8")) == [
        "--flag",
        str(tmp_path / "b.md"),
        *names,
    ]
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("/no/such/program", "failed"),
        (f"{sys.executable} -c 'raise SystemExit(7)'", "exited with 7"),
        ("unbalanced 'quote", "failed"),
    ],
)
def test_a_failing_notify_command_is_one_warning(
    command: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli._set_up_logging(0)
    cli.notify(command, tmp_path / "b.md", ["Jane Doe"])
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("brief:")]
    assert len(err) == 1 and err[0].startswith("brief: warning: --notify") and says in err[0]


def test_the_seed_only_install_writes_a_briefing_without_history_then_records_the_day(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["run", "--offline"]) == cli.EXIT_OK
    first = Path(capsys.readouterr().out.strip()).read_text(encoding="utf-8")
    assert "New since yesterday" not in first and "Mentions, last" not in first
    assert cli.main(["run", "--offline", "--force"]) == cli.EXIT_OK  # the same day again
    capsys.readouterr()
    assert cli.main(["actor", "xi jinping", "--days", "1", "--json"]) == cli.EXIT_OK
    timeline = json.loads(capsys.readouterr().out)
    assert len(timeline["days"]) == 1 and timeline["trend"] == [timeline["days"][0]["mentions"]]


def test_brief_actor_prints_hostile_text_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    from brief.config import load_config

    hostile = _entry(
        articles=(LedgerArticle("a1", "Title \x1b]52;c;bad\x07 here", "https://news.test/a1"),),
        quotes=(LedgerQuote("We \x1b[2J are ready", "a1", "T", None),),
    )
    with open_store(load_config().store_path()) as opened:
        opened.record_ledger_day(TODAY, [hostile], at=AT)
    assert cli.main(["actor", "Jane Doe"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "story: Title \\x1b]52;c;bad\\x07 here <https://news.test/a1>" in out
    assert "said: “We \\x1b[2J are ready” (T)" in out

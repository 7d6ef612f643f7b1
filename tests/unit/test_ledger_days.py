"""The actor ledger over three days: feeds that change each day, the clock moved by BRIEF_NOW.

Day 1: a port strike (Tomas Berg, the union leader) and a rate decision; the watched
trade commissioner Helena Varga is nowhere.  Day 2: the strike goes on, and Varga is
quoted for the first time.  Day 3: Varga again, the same words carried by another
outlet and a new remark.  What the briefings, the exit codes and ``brief actor`` say
is checked against counts taken from the feed texts themselves.
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from brief import cli
from tests.httpserver import FeedServer, Item, Reply, rss

DAYS = [datetime(2026, 11, d, 7, 0, tzinfo=UTC) for d in (26, 27, 28)]
WATCHED = "Helena Varga"
QUOTE_DAY2 = "We will not accept tariffs that punish our farmers for a quarrel they did not start"
QUOTE_DAY3 = "The door to talks stays open, but not at any price"

STRIKE = [
    # day 1
    "Dockworkers at the port of Halden stayed off the job for a fifth day on Tuesday. "
    "Tomas Berg, the leader of the dockworkers' union, told reporters that members would "
    "not return without a written offer. “We have waited three years for a fair contract,” "
    "Berg said outside the gates. Shipping companies have begun diverting cargo to other "
    "harbours along the coast, and grain exporters warned of losses.",
    # day 2
    "The strike at the port of Halden entered its second week on Wednesday as talks broke "
    "down again. Tomas Berg said the employers had offered nothing new. “Our members are "
    "united and ready to stay out for as long as it takes,” Berg said. Queues of lorries "
    "stretched for kilometres outside the terminal, and the city council called for "
    "mediation.",
    # day 3
    "A mediator was appointed on Thursday to end the strike at the port of Halden. Tomas "
    "Berg welcomed the step but warned that the pickets would stay. “A mediator is not a "
    "contract,” Berg said. Exporters said the backlog of containers would take weeks to "
    "clear even if work resumed on Monday.",
]
RATES = [
    "The central bank of Norland held its main interest rate at four percent on Tuesday. "
    "Governor Anna Keller said inflation was falling more slowly than expected. “We will "
    "keep policy tight until prices are firmly under control,” Keller said at a press "
    "conference. Markets had expected the decision, and the currency barely moved.",
    "Retail sales in Norland rose for a third month in October, the statistics office "
    "said on Wednesday. Clothing and electronics led the gains, while spending on "
    "furniture fell. Economists said shoppers were bringing purchases forward before "
    "a planned rise in sales tax next year.",
    "Factory output in Norland fell in November for the first time this year, a survey "
    "of purchasing managers showed on Thursday. New export orders dropped sharply, and "
    "manufacturers blamed higher energy bills and weaker demand from abroad.",
]
TARIFFS_DAY2 = (
    "The trade commissioner of Norland rejected new tariffs on grain on Wednesday. "
    f"“{QUOTE_DAY2},” Helena Varga said in a statement after meeting farm groups. "
    "Varga said she would raise the matter with ministers next week. Farm groups "
    "welcomed her stand and asked for a detailed answer within days."
)
TARIFFS_DAY3 = (
    "Norland's trade commissioner repeated on Thursday that new grain tariffs were "
    f"unacceptable. “{QUOTE_DAY2},” Helena Varga told a farm conference, in words she first "
    f"used on Wednesday. “{QUOTE_DAY3},” Varga added. Helena Varga also met the union "
    "leader Tomas Berg at the port on Thursday afternoon."
)


def _items(day: int) -> tuple[list[Item], list[Item]]:
    """The two feeds' items on ``day`` (0-based): what each one carries that morning."""
    now = DAYS[day]
    world = [
        Item(
            f"Port strike, day {day + 1}",
            f"<p>{STRIKE[day]}</p>",
            link=f"https://world.test/strike-{day}",
            guid=f"urn:world:strike-{day}",
            published=now - timedelta(hours=2),
        )
    ]
    business = [
        Item(
            f"Norland economy, day {day + 1}",
            f"<p>{RATES[day]}</p>",
            link=f"https://business.test/economy-{day}",
            guid=f"urn:business:economy-{day}",
            published=now - timedelta(hours=3),
        )
    ]
    tariffs = {1: TARIFFS_DAY2, 2: TARIFFS_DAY3}.get(day)
    if tariffs:
        world.append(
            Item(
                f"Trade commissioner on tariffs, day {day + 1}",
                f"<p>{tariffs}</p>",
                link=f"https://world.test/tariffs-{day}",
                guid=f"urn:world:tariffs-{day}",
                published=now - timedelta(hours=1),
            )
        )
    return world, business


def _mentions(day: int, surname: str = "Varga") -> int:
    """An independent count: the times the day's feed texts name someone."""
    world, business = _items(day)
    pattern = rf"\b{surname}\b"
    return sum(len(re.findall(pattern, item.body)) for item in (*world, *business))


def _section(markdown: str, heading: str) -> str:
    """The text of one actor's brief: from its heading to the next heading."""
    start = markdown.index(f"### {heading}\n")
    end = markdown.find("\n#", start + 1)
    return markdown[start : end if end > 0 else len(markdown)]


@pytest.fixture
def three_days(
    private_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, object]:
    """Run brief on each of the three mornings; the files, exit codes and notify calls."""
    config = Path(os.environ["BRIEF_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    notes = private_env / "notified.jsonl"
    notifier = private_env / "notify.py"
    notifier.write_text(
        "import json, sys\n"
        f"with open({str(notes)!r}, 'a', encoding='utf-8') as f:\n"
        "    f.write(json.dumps(sys.argv[1:]) + '\\n')\n",
        encoding="utf-8",
    )
    codes: list[int] = []
    files: list[str] = []
    with FeedServer() as server:
        world_url, business_url = server.url("/world.rss"), server.url("/business.rss")
        config.write_text(
            "[sources]\nlocal = []\n\n"
            "[fetch]\ntimeout_seconds = 5.0\nmin_interval_minutes = 0\n\n"
            f'[[actors.watch]]\nname = "{WATCHED}"\nkind = "person"\n\n'
            f'[[feeds]]\nurl = "{world_url}"\nname = "World Desk"\n\n'
            f'[[feeds]]\nurl = "{business_url}"\nname = "Business Desk"\n',
            encoding="utf-8",
        )
        for day, now in enumerate(DAYS):
            world, business = _items(day)
            server.add("/world.rss", Reply(rss("World Desk", world)))
            server.add("/business.rss", Reply(rss("Business Desk", business)))
            monkeypatch.setenv("BRIEF_NOW", now.isoformat())
            notify = f"{sys.executable} {notifier}"
            codes.append(cli.main(["run", "--json", "--notify", notify]))
            report = json.loads(capsys.readouterr().out)
            files.append(Path(report["path"]).read_text(encoding="utf-8"))
    calls = [json.loads(line) for line in notes.read_text(encoding="utf-8").splitlines()]
    return {"codes": codes, "files": files, "notified": calls}


def test_the_watched_actor_alerts_only_from_the_day_it_appears(
    three_days: dict[str, object],
) -> None:
    codes, files, calls = three_days["codes"], three_days["files"], three_days["notified"]
    assert isinstance(files, list) and isinstance(calls, list)
    assert codes == [cli.EXIT_OK, cli.EXIT_WATCHED, cli.EXIT_WATCHED]
    assert "**Watchlist:**" not in files[0] and WATCHED not in files[0]
    assert f"**Watchlist:** {WATCHED} (1 article)" in files[1]
    # --notify ran on days 2 and 3 only, with the briefing's path and the watched name.
    assert [call[1:] for call in calls] == [[WATCHED], [WATCHED]]
    assert [Path(call[0]).name for call in calls] == ["2026-11-27.md", "2026-11-28.md"]


def test_a_first_quote_is_new_since_yesterday_and_not_the_day_after(
    three_days: dict[str, object],
) -> None:
    files = three_days["files"]
    assert isinstance(files, list)
    day2, day3 = _section(files[1], WATCHED), _section(files[2], WATCHED)
    news2 = day2.split("*New since yesterday:*", 1)[1].split("Mentions, last", 1)[0]
    assert f"- New quote: “{QUOTE_DAY2}”" in news2
    assert "[Trade commissioner on tariffs, day 2](https://world.test/tariffs-1)" in news2
    # Day 3: the day-2 words again are not new; the new remark is.
    news3 = day3.split("*New since yesterday:*", 1)[1].split("Mentions, last", 1)[0]
    assert f"“{QUOTE_DAY3}”" in news3 and QUOTE_DAY2 not in news3
    # Day 3 is the first day the two are named together.
    assert "- First seen with Tomas Berg this week" in news3
    assert "First seen with" not in news2
    # Day 1 had no day before it: no actor brief claims news.
    assert "New since yesterday" not in files[0] and "Mentions, last" not in files[0]


def test_the_seven_day_trend_is_exactly_the_days_counts(
    three_days: dict[str, object],
) -> None:
    files = three_days["files"]
    assert isinstance(files, list)
    counts = [_mentions(day) for day in range(3)]
    assert counts[0] == 0 and counts[1] > 0 and counts[2] > 0
    # Four days before day 1 were never briefed: unknown ("-"), not zero.
    expected2 = f"Mentions, last 7 days: - - - - - {counts[0]} {counts[1]}"
    expected3 = f"Mentions, last 7 days: - - - - {counts[0]} {counts[1]} {counts[2]}"
    assert expected2 in _section(files[1], WATCHED)
    assert expected3 in _section(files[2], WATCHED)
    berg = [_section(f, "Tomas Berg") for f in files[1:]]
    strike = [_mentions(day, "Berg") for day in range(3)]
    assert f"Mentions, last 7 days: - - - - - {strike[0]} {strike[1]}" in berg[0]
    assert f"Mentions, last 7 days: - - - - {strike[0]} {strike[1]} {strike[2]}" in berg[1]


def test_brief_actor_json_returns_the_timeline_across_the_days(
    three_days: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["actor", "helena varga", "--json"]) == cli.EXIT_OK  # BRIEF_NOW: day 3
    timeline = json.loads(capsys.readouterr().out)
    counts = [_mentions(day) for day in range(3)]
    assert timeline["name"] == WATCHED and timeline["kind"] == "person"
    assert timeline["start"] == "2026-11-22" and timeline["end"] == "2026-11-28"
    assert timeline["trend"] == [None, None, None, None, *counts]
    assert [d["day"] for d in timeline["days"]] == ["2026-11-27", "2026-11-28"]
    day2, day3 = timeline["days"]
    assert [d["mentions"] for d in timeline["days"]] == counts[1:]
    assert day2["stories"] == [
        {
            "id": day2["stories"][0]["id"],
            "title": "Trade commissioner on tariffs, day 2",
            "url": "https://world.test/tariffs-1",
        }
    ]
    assert [q["text"] for q in day2["quotes"]] == [QUOTE_DAY2]
    assert day2["quotes"][0]["day"] == "2026-11-27"
    assert day2["quotes"][0]["url"] == "https://world.test/tariffs-1"
    assert {q["text"] for q in day3["quotes"]} == {QUOTE_DAY2, QUOTE_DAY3}
    # An alias finds the same actor; a misspelling names the close match and fails.
    assert cli.main(["actor", "VARGA", "--days", "2", "--json"]) == cli.EXIT_OK
    short = json.loads(capsys.readouterr().out)
    assert short["name"] == WATCHED and short["trend"] == counts[1:]
    assert cli.main(["actor", "Helena Vargas"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such actor" in err[0] and WATCHED in err[0]

"""Issue 13, stories across days: three mornings of `brief run` against a local feed server
whose feeds change each day, the clock moved by BRIEF_NOW.

Day 1 (1 December): stories A (a dock strike) and B (a tram line) are new.
Day 2 (2 December): A grows (developing, day 2, only its new sentences), B is reposted
with nothing new (one line), C (an algae bloom) is new.
Day 3 (4 December, the reader skipped the 3rd; window = "since-last" takes the 3rd in):
A is still developing (day 3), B is back after two days unseen, C has nothing new.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.cli import main
from brief.store.history import normalise_sentence
from tests.httpserver import FeedServer, Item, Reply, rss

DAY1 = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
DAY2 = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
DAY3 = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)

KOVAC = (
    "Union leader Marta Kovac said the dockers would stay out until the port improved its offer."
)
A1 = (
    "Dock workers at the Port of Valmora walked out on Monday over pay and shift rotas. "
    "The Valmora dockers union said about 900 members joined the strike at the container terminal. "
    "Ships queued outside the harbour as cranes stood idle along the quay. "
    "Union leader Marta Kovac said the dockers would stay out until the port improved its offer."
)
A2 = (
    "The Valmora dock strike spread to the grain terminal on Tuesday as talks collapsed. "
    "Port managers said 14 ships were now waiting to unload at Valmora. "
    "The Valmora dockers union said about 900 members joined the strike at the container terminal. "
    "Freight firms began diverting cargo to the rival port of Seldon. "
    "Union leader Marta Kovac said the dockers would stay out until the port improved its offer."
)
A3 = (
    "The Valmora dock strike ended on Thursday after the dockers union accepted a pay deal. "
    "Cranes at the container terminal and the grain terminal restarted overnight. "
    "Port managers said the queue of ships at Valmora would clear by the weekend."
)
B1 = (
    "Northfield city council approved a new tram line on Monday after a long debate. "
    "The line will link the railway station with the hospital and the university. "
    "Council leaders expect the first trams to run in four years."
)
B3 = (
    "Northfield city council awarded the tram line construction contract to Brennock Rail. "
    "Work on the tracks between the railway station and the hospital starts in spring. "
    "The contract is worth 210 million euros, the council said."
)
C2 = (
    "An algae bloom closed every beach on Lake Irvane on Tuesday. "
    "Health officials warned swimmers and dog owners to keep out of the water. "
    "Farmers upstream said the hot autumn had fed the bloom."
)


def _item(key: str, title: str, body: str, published: datetime) -> Item:
    return Item(
        title, f"<p>{body}</p>", link=f"https://news.test/{key}", guid=key, published=published
    )


def _feeds(server: FeedServer, day: int) -> None:
    """Serve each day's editions of the two feeds (yesterday's items stay in them)."""
    wire = [
        _item("a1", "Valmora dockers strike over pay", A1, datetime(2026, 12, 1, 5, tzinfo=UTC))
    ]
    herald = [
        _item("b1", "Northfield approves tram line", B1, datetime(2026, 12, 1, 4, tzinfo=UTC))
    ]
    if day >= 2:
        wire.append(
            _item(
                "a2",
                "Valmora dock strike spreads to grain terminal",
                A2,
                datetime(2026, 12, 2, 5, tzinfo=UTC),
            )
        )
        # The same report again under a new headline: nothing the reader has not seen.
        herald.append(
            _item(
                "b2",
                "Tram line for Northfield gets the go-ahead",
                B1,
                datetime(2026, 12, 2, 4, tzinfo=UTC),
            )
        )
        herald.append(
            _item(
                "c2",
                "Algae bloom shuts Lake Irvane beaches",
                C2,
                datetime(2026, 12, 2, 3, tzinfo=UTC),
            )
        )
    if day >= 3:
        wire.append(
            _item(
                "a3",
                "Valmora dock strike ends with pay deal",
                A3,
                datetime(2026, 12, 3, 18, tzinfo=UTC),
            )
        )
        herald.append(
            _item(
                "b3",
                "Brennock Rail wins Northfield tram contract",
                B3,
                datetime(2026, 12, 3, 12, tzinfo=UTC),
            )
        )
    server.add("/wire", Reply(body=rss("Wire", wire)))
    server.add("/herald", Reply(body=rss("Herald", herald)))


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], now: datetime) -> str:
    return _run_args(monkeypatch, capsys, now)


_CITE = re.compile(r" — \[[^\]]*\]\([^)]*\)$")  # the provenance link after a bullet


def _sentence(bullet: str) -> str:
    """A bullet's sentence, without its source link and Markdown escapes."""
    return _CITE.sub("", bullet).replace("\\", "")


def _stories(text: str) -> dict[str, tuple[str, list[str]]]:
    """Each story heading → (its mark line, its bullets), from the Top stories section."""
    part = text.split("## Top stories", 1)[1].split("\n## ", 1)[0]
    out: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n### \d+\. ", part)[1:]:
        lines = block.splitlines()
        title = re.sub(r"^\[(.*)\]\(.*\)$", r"\1", lines[0])
        out[title] = (lines[2], [_sentence(line[2:]) for line in lines if line.startswith("- ")])
    return out


def _bullets(text: str) -> set[str]:
    """Every sentence shown as a bullet anywhere in the file, normalised."""
    body = text.split("## Sources", 1)[0]
    return {
        normalise_sentence(_sentence(line[2:]))
        for line in body.splitlines()
        if line.startswith("- ") and "no new reporting since" not in line
    }


def _sentences(*texts: str) -> set[str]:
    return {normalise_sentence(s) for t in texts for s in re.split(r"(?<=\.) ", t)}


@pytest.fixture
def three_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    with FeedServer() as server:
        config = tmp_path / "config" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(
            '[briefing]\nwindow = "since-last"\nsections = ["stories", "actors", "sources"]\n\n'
            "[actors]\nmin_mentions = 1\nmin_salience = 0\n\n"
            "[sources]\nlocal = []\n\n"
            f'[[feeds]]\nurl = "{server.url("/wire")}"\nname = "Wire"\n\n'
            f'[[feeds]]\nurl = "{server.url("/herald")}"\nname = "Herald"\n'
        )
        days = []
        for number, now in enumerate((DAY1, DAY2, DAY3), 1):
            _feeds(server, number)
            days.append(_run(monkeypatch, capsys, now))
    return days


def test_day_one_every_story_is_new(three_days: list[str]) -> None:
    stories = _stories(three_days[0])
    assert set(stories) == {"Valmora dockers strike over pay", "Northfield approves tram line"}
    assert all(mark.startswith("**New**") for mark, _ in stories.values())
    assert "no new reporting" not in three_days[0]


def test_day_two_a_develops_b_is_one_line_c_is_new(three_days: list[str]) -> None:
    day1, day2 = three_days[0], three_days[1]
    stories = _stories(day2)
    a_mark, a_bullets = stories["Valmora dock strike spreads to grain terminal"]
    assert a_mark.startswith("**Developing · day 2** · since 2026-12-01")
    # Exactly its three new sentences: the repeated background is left out, and the
    # summary is chosen again so the new reporting keeps its full length.
    assert {normalise_sentence(b) for b in a_bullets} == _sentences(A2) - _sentences(A1)
    assert stories["Algae bloom shuts Lake Irvane beaches"][0].startswith("**New**")
    assert not any("Northfield" in title or "Tram" in title for title in stories)
    quiet = day2.split("**No new reporting**", 1)[1].split("\n## ", 1)[0]
    assert re.search(
        r"Tram line for Northfield gets the go-ahead.*no new reporting since 2026-12-01", quiet
    )
    # The one-liners come after the stories with news.
    assert day2.index("**No new reporting**") > day2.index("### 2.")
    # No sentence of day 1 anywhere in day 2's file (stories and actor briefs alike):
    # the union leader's sentence, shown under Actors on day 1, is repeated by A's
    # day-2 article but not shown again; she is only named.
    assert KOVAC in day1.split("## Actors", 1)[1]
    assert KOVAC not in day2 and "Also in the news: Marta Kovac" in day2
    assert _bullets(day1) and not (_bullets(day1) & _bullets(day2))


def test_day_three_a_still_develops_b_is_back_c_is_quiet(three_days: list[str]) -> None:
    day3 = three_days[2]
    stories = _stories(day3)
    assert stories["Valmora dock strike ends with pay deal"][0].startswith(
        "**Developing · day 3** · since 2026-12-01"
    )
    b_mark, b_bullets = stories["Brennock Rail wins Northfield tram contract"]
    assert b_mark.startswith("**Back** · last shown 2026-12-01")
    assert b_bullets
    assert re.search(
        r"Algae bloom shuts Lake Irvane beaches.*no new reporting since 2026-12-02", day3
    )
    earlier = _bullets(three_days[0]) | _bullets(three_days[1])
    assert not (earlier & _bullets(day3))


def test_rewriting_a_day_gives_the_same_marks(
    three_days: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second run on day 3 replaces that day's record: the same marks, not "day 4"."""
    monkeypatch.setenv("BRIEF_NOW", DAY3.replace(minute=30).isoformat())
    with FeedServer() as server:
        _feeds(server, 3)
        assert main(["run", "--offline", "--force"]) == 0
    again = Path(capsys.readouterr().out.strip()).read_text(encoding="utf-8")
    assert _stories(again) == _stories(three_days[2])


def test_memory_off_shows_day_one_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The control: with memory_days = 0 the repost of B is a story again, day-1 sentences
    and all, and nothing is marked, so the tests above see the memory at work."""
    with FeedServer() as server:
        config = tmp_path / "config" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(
            "[briefing]\nmemory_days = 0\n\n[actors]\nmin_mentions = 1\nmin_salience = 0\n\n"
            "[sources]\nlocal = []\n\n"
            f'[[feeds]]\nurl = "{server.url("/wire")}"\n\n'
            f'[[feeds]]\nurl = "{server.url("/herald")}"\n'
        )
        _feeds(server, 1)
        day1 = _run(monkeypatch, capsys, DAY1)
        _feeds(server, 2)
        day2 = _run(monkeypatch, capsys, DAY2)
    assert "Tram line for Northfield gets the go-ahead" in _stories(day2)
    assert _bullets(day1) & _bullets(day2)
    assert KOVAC in day2.split("## Actors", 1)[1]
    assert "**New**" not in day2 and "no new reporting" not in day2


def test_a_fresh_install_with_only_the_samples_shows_them_whole_every_day(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No config, no feeds, no history: day 1 writes the sample briefing (no history is
    no error), and day 2 shows the same samples whole: samples have no memory, so a new
    user never meets a briefing of "no new reporting" lines."""
    day1 = _run(monkeypatch, capsys, DAY1)
    day2 = _run(monkeypatch, capsys, DAY2)
    assert _stories(day1) and _stories(day2) == _stories(day1)
    for text in (day1, day2):
        assert "no new reporting" not in text and "**New**" not in text
        assert "Developing" not in text
    assert _bullets(day2) == _bullets(day1)


def test_a_broken_history_costs_the_memory_not_the_briefing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store whose history cannot be read or written still gives a briefing (exit 0),
    without marks, and says on stderr that the briefing was not remembered."""
    import sqlite3

    with FeedServer() as server:
        config = tmp_path / "config" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(f'[sources]\nlocal = []\n\n[[feeds]]\nurl = "{server.url("/wire")}"\n')
        _feeds(server, 1)
        _run(monkeypatch, capsys, DAY1)
        db = sqlite3.connect(tmp_path / "data" / "brief.sqlite3")
        db.execute("DROP TABLE briefing_sentences")
        db.close()
        _feeds(server, 2)
        monkeypatch.setenv("BRIEF_NOW", DAY2.isoformat())
        assert main(["run"]) == 0
    out, err = capsys.readouterr()
    text = Path(out.strip()).read_text(encoding="utf-8")
    assert "Valmora dock strike spreads to grain terminal" in _stories(text)
    assert "Developing" not in text
    assert "briefing history unavailable" in err
    assert "not remembered for the next one" in err


def test_each_profile_has_its_own_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Day 1 written only for the "desk" profile: on day 2 the desk briefing continues the
    dock strike, while the plain briefing, which never showed it, calls it new."""
    with FeedServer() as server:
        config = tmp_path / "config" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(
            "[sources]\nlocal = []\n\n"
            f'[[feeds]]\nurl = "{server.url("/wire")}"\n\n'
            '[[briefings]]\nname = "desk"\n'
        )
        _feeds(server, 1)
        monkeypatch.setenv("BRIEF_NOW", DAY1.isoformat())
        assert main(["run", "--profile", "desk"]) == 0
        capsys.readouterr()
        _feeds(server, 2)
        desk = _run_args(monkeypatch, capsys, DAY2, "--profile", "desk")
        plain = _run_args(monkeypatch, capsys, DAY2, "--offline")
    title = "Valmora dock strike spreads to grain terminal"
    assert _stories(desk)[title][0].startswith("**Developing · day 2**")
    assert _stories(plain)[title][0].startswith("**New**")


def _run_args(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], now: datetime, *args: str
) -> str:
    monkeypatch.setenv("BRIEF_NOW", now.isoformat())
    assert main(["run", *args]) == 0, capsys.readouterr().err
    return Path(capsys.readouterr().out.strip()).read_text(encoding="utf-8")

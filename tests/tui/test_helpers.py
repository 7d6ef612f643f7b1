"""Unit tests of the TUI's plain helpers: browser detection, queries, filters, sorting, marks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.models import Actor, ActorBrief, Article, Source, SourceHealth
from brief.tui.app import can_open_browser, current_time, over_ssh
from brief.tui.state import (
    Filter,
    Query,
    actor_article_map,
    filter_articles,
    parse_query,
    sort_articles,
    unread_counts,
)


def test_browser_is_never_opened_over_ssh() -> None:
    assert over_ssh({"SSH_CONNECTION": "1 2 3 4"})
    assert not can_open_browser({"SSH_TTY": "/dev/pts/1", "DISPLAY": ":0"}, "linux")
    assert not can_open_browser({}, "linux")  # no display: a text browser would take the terminal
    assert can_open_browser({"DISPLAY": ":0"}, "linux")
    assert can_open_browser({}, "darwin")


def test_now_is_pinned_by_brief_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEF_NOW", "2026-11-28T07:00:00+00:00")
    assert current_time() == datetime(2026, 11, 28, 7, tzinfo=UTC)
    monkeypatch.setenv("BRIEF_NOW", "2026-11-28T07:00:00")
    assert current_time() == datetime(2026, 11, 28, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("", Query()),
        ("xi summit", Query(words=("xi", "summit"))),
        ('actor:"Xi Jinping" talks', Query(words=("talks",), actor="Xi Jinping")),
        ("source:Globe tag:world", Query(source="Globe", tag="world")),
        ("TAG:world", Query(tag="world")),
        ("tag: loose", Query(words=("tag:", "loose"))),
        ('unbalanced "quote', Query(words=("unbalanced", "quote"))),
        ("http://x.example/a:b", Query(words=("http://x.example/a:b",))),
    ],
)
def test_parse_query(text: str, query: Query) -> None:
    assert parse_query(text) == query


def test_query_describes_itself_as_typed() -> None:
    assert parse_query('x actor:"Xi Jinping"').describe() == 'x actor:"Xi Jinping"'


def _article(n: int, source: str, title: str, hour: int | None, text: str = "") -> Article:
    published = datetime(2026, 11, 28, hour, tzinfo=UTC) if hour is not None else None
    return Article(
        id=f"a{n}", source_id=source, source_name=source.upper(), title=title,
        text=text or title, published=published,
    )  # fmt: skip


ARTICLES = [
    _article(1, "wire", "Storm nears coast", 6, "Flood warnings for the north."),
    _article(2, "daily", "“Rail budget” approved", 3, "Parliament voted at dawn."),
    _article(3, "wire", "Ferry strike ends", 5, "Crews accepted the offer."),
    _article(4, "blog", "Undated note", None),
]
HEALTH = [
    SourceHealth(Source("wire", "Wire", "feed", "https://w.example", ("world", "weather"))),
    SourceHealth(Source("daily", "Daily", "feed", "https://d.example", ("politics",))),
]


@pytest.mark.parametrize(
    ("flt", "ids"),
    [
        (Filter(), ["a1", "a2", "a3", "a4"]),
        (Filter(source_id="wire"), ["a1", "a3"]),
        (Filter(query=parse_query("flood")), ["a1"]),
        (Filter(query=parse_query("FLOOD north")), ["a1"]),
        (Filter(query=parse_query("flood dawn")), []),
        (Filter(query=parse_query("source:dai")), ["a2"]),
        (Filter(query=parse_query("tag:weather")), ["a1", "a3"]),
        (Filter(query=parse_query("tag:nothing")), []),
        (Filter(source_id="wire", query=parse_query("crews")), ["a3"]),
    ],
)
def test_filter_articles(flt: Filter, ids: list[str]) -> None:
    assert [a.id for a in filter_articles(ARTICLES, flt, sources=HEALTH)] == ids


def test_filter_by_actor_uses_names_and_aliases() -> None:
    brief = ActorBrief(
        actor=Actor("Paul Okafor", "person", aliases=("Mr. Okafor",)),
        article_count=2, source_count=2, mention_count=3, article_ids=("a1", "a2"),
    )  # fmt: skip
    table = actor_article_map([brief])
    assert filter_articles(
        ARTICLES, Filter(query=parse_query("actor:okafor")), actor_articles=table
    )
    exact = filter_articles(
        ARTICLES, Filter(query=parse_query('actor:"mr. okafor"')), actor_articles=table
    )
    assert [a.id for a in exact] == ["a1", "a2"]
    assert (
        filter_articles(ARTICLES, Filter(query=parse_query("actor:nobody")), actor_articles=table)
        == []
    )


def test_found_ids_replace_the_substring_match() -> None:
    flt = Filter(query=parse_query("anything"))
    found = filter_articles(ARTICLES, flt, found_ids=frozenset({"a3"}))
    assert [a.id for a in found] == ["a3"]


def test_sorting() -> None:
    by_time = [a.id for a in sort_articles(ARTICLES, "time")]
    assert by_time == ["a1", "a3", "a2", "a4"]  # newest first, undated last
    assert [a.id for a in sort_articles(ARTICLES, "time", reverse=True)] == by_time[::-1]
    assert [a.id for a in sort_articles(ARTICLES, "source")] == ["a4", "a2", "a1", "a3"]
    # Leading quotes do not decide the order.
    assert [a.title for a in sort_articles(ARTICLES, "title")][:2] == [
        "Ferry strike ends",
        "“Rail budget” approved",
    ]


def test_unread_counts() -> None:
    counts = unread_counts(ARTICLES, {"a1"})
    assert counts == {"wire": 1, "daily": 1, "blog": 1}


@pytest.mark.parametrize(
    ("done", "total", "bar"),
    [
        (0, 4, "╺─────── 0/4"),
        (2, 4, "━━━━╺─── 2/4"),
        (4, 4, "━━━━━━━━ 4/4"),
        (0, 0, "…"),
    ],
)
def test_progress_bar(done: int, total: int, bar: str) -> None:
    from brief.tui.widgets.chrome import progress_bar

    assert progress_bar(done, total, width=8) == bar


def test_front_matter_is_split_off_for_display() -> None:
    from brief.tui.screens.briefing import front_matter_content, split_front_matter

    front, body = split_front_matter("---\ntitle: x\ndate: 2026-11-28\n---\n# Title\n\x1b[2J")
    assert front == "title: x\ndate: 2026-11-28"
    assert body == "# Title\n␛[2J"
    assert front_matter_content(front).plain == "--- title: x · date: 2026-11-28 ---"
    assert split_front_matter("# No front matter") == ("", "# No front matter")


def test_brief_ssh_is_chosen_without_truecolor_unless_the_user_chose(tmp_path: Path) -> None:
    from brief.tui.themes import starting_theme, terminal_lacks_truecolor, theme_set_in

    assert terminal_lacks_truecolor({"TERM": "xterm"})
    assert terminal_lacks_truecolor({"TERM": "xterm-256color"})
    assert not terminal_lacks_truecolor({"TERM": "xterm-256color", "COLORTERM": "truecolor"})
    assert not terminal_lacks_truecolor({"TERM": "xterm-kitty"})
    ssh = {"TERM": "xterm"}
    assert starting_theme("brief-dark", False, ssh) == "brief-ssh"
    assert starting_theme("nord", True, ssh) == "nord"  # the user's choice wins
    assert starting_theme("brief-dark", False, {"COLORTERM": "truecolor"}) == "brief-dark"
    config = tmp_path / "config.toml"
    assert not theme_set_in(config)  # no file yet
    config.write_text('[tui]\n# a comment\ntheme = "brief-light"\n', encoding="utf-8")
    assert theme_set_in(config)
    config.write_text("[summary]\nsentences = 2\n", encoding="utf-8")
    assert not theme_set_in(config)


def test_front_matter_lists_are_counted_on_screen() -> None:
    from brief.tui.screens.briefing import front_matter_content

    front = 'tags: []\nactors: ["A [b]", "C"]\nreading_minutes: 1.3\nreading_words: 300'
    assert front_matter_content(front).plain == "--- actors: 2 · reading_minutes: 1.3 ---"

"""Issue 13: sections by feed tag, [[briefings]] profiles, the reading budget, provenance
links (text fragments), note-tool front matter (tags, actors, wikilinks)."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote

import pytest
import yaml

from brief import cli
from brief.briefing.provenance import sentence_url, text_directive, wikilink
from brief.briefing.reading import reading_words
from brief.briefing.render import render_markdown
from brief.briefing.sections import group_stories
from brief.config import (
    Config,
    LocalFolderConfig,
    ProfileConfig,
    SectionConfig,
    SourcesConfig,
    load_config,
    parse_config,
    save_config,
)
from brief.models import Actor, ActorBrief, Article, Briefing, Quote, Story
from tests.httpserver import FeedServer, Reply, rss
from tests.unit.newsdata import feed_items

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
FEEDS = (("world", "World Wire", '["world"]'), ("tech", "Tech Daily", '["tech"]'))
# Untagged: its stories go to the default section.
UNTAGGED = ("business", "Market Post")

SECTIONS = """
[[sections]]
name = "World"
tags = ["world"]
max_stories = 3

[[sections]]
name = "Tech"
tags = ["tech"]
max_stories = 2
"""

PROFILES = """
[[briefings]]
name = "world"
title = "World at breakfast"
tags = ["world"]
sections = ["World"]

[[briefings]]
name = "tech-and-markets"
feeds = ["Tech Daily", "Market Post"]
sections = ["Tech"]
filename = "{name}-{date}.md"
"""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        for number, (topic, name, _) in enumerate((*FEEDS, (*UNTAGGED, ""))):
            items = feed_items(topic, number * 10, 10, NOW, s.url("/a"))
            s.add(f"/{topic}.xml", Reply(body=rss(name, items)))
        yield s


def write_config(server: FeedServer, extra: str) -> Path:
    path = Path(os.environ["BRIEF_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    feeds = "".join(
        f'[[feeds]]\nurl = "{server.url(f"/{topic}.xml")}"\nname = "{name}"\ntags = {tags}\n\n'
        for topic, name, tags in FEEDS
    )
    feeds += f'[[feeds]]\nurl = "{server.url("/business.xml")}"\nname = "{UNTAGGED[1]}"\n\n'
    path.write_text(
        "[sources]\nlocal = []\n\n[fetch]\nmin_interval_minutes = 0\n\n"
        + extra.split("\n[[", 1)[0]  # [briefing] keys first, then the tables
        + "\n"
        + feeds
        + ("[[" + extra.split("\n[[", 1)[1] if "\n[[" in extra else ""),
        encoding="utf-8",
    )
    return path


def out_dir() -> Path:
    return Path(os.environ["BRIEF_OUTPUT_DIR"])


def headings(text: str, level: str) -> list[str]:
    return [line[len(level) + 1 :] for line in text.splitlines() if line.startswith(level + " ")]


def front(text: str) -> dict[str, object]:
    match = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
    assert match, "no front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


# --- config -----------------------------------------------------------------------


def test_profiles_sections_and_folders_load_and_round_trip(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text(
        "# my profiles\n[briefing]\nminutes = 4\nwikilinks = true\n"
        + SECTIONS
        + PROFILES.replace('sections = ["World"]', 'sections = ["World"]  # just world')
        + '\n[[sources.folders]]\npath = "clips"\ntags = ["tech"]\n',
        encoding="utf-8",
    )
    config = load_config(file)
    assert [p.name for p in config.briefings] == ["world", "tech-and-markets"]
    assert config.sections[1] == SectionConfig(name="Tech", tags=("tech",), max_stories=2)
    assert config.sources.folders == (LocalFolderConfig(path="clips", tags=("tech",)),)
    assert config.briefing.minutes == 4.0 and config.briefing.wikilinks
    assert tmp_path / "clips" in config.local_paths()
    # One profile changed, one added: comments and the other tables stay as written.
    changed = dataclasses.replace(
        config,
        briefings=(
            dataclasses.replace(config.briefings[0], title="World first"),
            config.briefings[1],
            ProfileConfig(name="evening", window_hours=12),
        ),
    )
    save_config(changed, file, base=config)
    text = file.read_text(encoding="utf-8")
    assert "# my profiles" in text and "# just world" in text
    assert load_config(file) == changed
    assert text.count("[[briefings]]") == 3 and 'name = "evening"' in text


def test_a_new_config_with_profiles_is_written_and_read_back(tmp_path: Path) -> None:
    config = Config(
        sections=(SectionConfig(name="World", tags=("world",)),),
        briefings=(ProfileConfig(name="a", sections=("World",)), ProfileConfig(name="b")),
        sources=SourcesConfig(local=(), folders=(LocalFolderConfig("x", ("t",)),)),
    )
    file = tmp_path / "new.toml"
    save_config(config, file)
    assert load_config(file) == dataclasses.replace(config, path=file)


@pytest.mark.parametrize(
    "name", ["morning", "tech-and-markets", "A_1", "x" * 64], ids=lambda n: n[:10]
)
def test_good_profile_names(name: str) -> None:
    text = f'[[briefings]]\nname = "{name}"\n'
    assert parse_config(text, Path("c.toml")).briefings[0].name == name


@pytest.mark.parametrize(
    "name", ["", "-x", "a b", "a/b", "..", "x" * 65, "naïve", "a.md", "{date}"]
)
def test_bad_profile_names_are_one_line_errors(name: str) -> None:
    from brief.errors import ConfigError

    with pytest.raises(ConfigError) as raised:
        parse_config(f"[[briefings]]\nname = {json.dumps(name)}\n", Path("c.toml"))
    assert "\n" not in str(raised.value) and "briefings[0]" in str(raised.value)


# --- sections ---------------------------------------------------------------------


def _article(n: int, source: str, text: str = "", url: str | None = None) -> Article:
    return Article(
        id=f"a{n}",
        source_id=f"feed:{source}",
        source_name=source.title(),
        title=f"Title {n}",
        text=text or f"Sentence number {n} is here.",
        url=url if url is not None else f"https://{source}.example/{n}",
    )


def test_a_story_goes_to_the_section_of_its_leading_member() -> None:
    config = parse_config(SECTIONS, Path("c.toml"))
    tags = {"feed:w": ("world",), "feed:t": ("tech",), "feed:b": ()}
    stories = [
        Story("1", "t", (_article(1, "t"), _article(2, "w")), ("Sentence number 1 is here.",)),
        Story("2", "w", (_article(3, "w"), _article(4, "t")), ("Sentence number 3 is here.",)),
        Story("3", "b", (_article(5, "b"), _article(6, "w")), ("Sentence number 5 is here.",)),
        Story("4", "t", (_article(7, "t"),), ("Sentence number 7 is here.",)),
    ]
    ordered, counts = group_stories(stories, config, tags)
    assert [s.id for s in ordered] == ["2", "1", "4", "3"]
    assert counts == (("World", 1), ("Tech", 2), ("More news", 1))


def test_sections_cap_and_order_the_top_stories(server: FeedServer) -> None:
    write_config(server, "[briefing]\nmax_stories = 40\n" + SECTIONS)
    assert cli.main(["run"]) == 0
    text = (out_dir() / "2026-11-28.md").read_text(encoding="utf-8")
    assert headings(text, "###")[:3] == ["World", "Tech", "More news"]
    body = text.split("## Actors")[0]
    world, rest = body.split("### Tech")
    tech, more = rest.split("### More news")
    assert len(headings(world, "####")) == 3 and "Tech Daily ·" not in world
    assert len(headings(tech, "####")) == 2 and "*Tech Daily ·" in tech
    # Stories past a section's cap are left out, not moved to the default section.
    assert "*Market Post ·" in more and "*World Wire ·" not in more
    assert front(text)["tags"] == ["world", "tech", "World", "Tech", "More-news"]


def test_without_sections_the_stories_are_one_list(server: FeedServer) -> None:
    write_config(server, "[briefing]\nmax_stories = 6\n")
    assert cli.main(["run"]) == 0
    text = (out_dir() / "2026-11-28.md").read_text(encoding="utf-8")
    assert not headings(text, "####")
    assert [h.split(".")[0] for h in headings(text, "###")[:6]] == list("123456")


# --- profiles ---------------------------------------------------------------------


def test_all_profiles_write_one_file_each_with_their_sections(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(server, "[briefing]\nmax_stories = 40\n" + SECTIONS + PROFILES)
    assert cli.main(["run", "--all-profiles"]) == 0
    printed = capsys.readouterr().out.split()
    world = out_dir() / "2026-11-28-world.md"
    tech = out_dir() / "tech-and-markets-2026-11-28.md"
    assert printed == [str(world), str(tech)]
    world_text, tech_text = (p.read_text(encoding="utf-8") for p in (world, tech))
    assert headings(world_text, "#")[0].startswith("World at breakfast — ")
    assert headings(world_text, "###")[0] == "World"
    assert "*Tech Daily" not in world_text and "*Market Post" not in world_text
    assert front(world_text)["profile"] == "world"
    sections = [h for h in headings(tech_text, "###") if h in ("World", "Tech", "More news")]
    assert sections == ["Tech", "More news"]
    assert "*World Wire" not in tech_text and "*Market Post ·" in tech_text
    assert not (out_dir() / "2026-11-28.md").exists()


def test_one_profile_by_name(server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(server, SECTIONS + PROFILES)
    assert cli.main(["run", "--profile", "WORLD", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["profiles"][0]["profile"] == "world"
    assert [p.name for p in out_dir().iterdir()] == ["2026-11-28-world.md"]


def test_an_unknown_profile_is_a_one_line_usage_error(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(server, SECTIONS + PROFILES)
    assert cli.main(["run", "--profile", "sport"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "'sport'" in err and "world, tech-and-markets" in err
    assert not out_dir().exists() or not any(out_dir().iterdir())


def test_all_profiles_without_profiles_is_a_usage_error(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(server, "")
    assert cli.main(["run", "--all-profiles"]) == 2
    assert "no [[briefings]]" in capsys.readouterr().err


def test_a_failing_profile_does_not_stop_the_others(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    broken = PROFILES.replace(
        'name = "world"\n', f'name = "world"\noutput_dir = {json.dumps(str(blocker))}\n'
    )
    write_config(server, SECTIONS + broken)
    assert cli.main(["run", "--all-profiles", "--json"]) == 1  # the worst of 1 and 0
    report = json.loads(capsys.readouterr().out)
    assert [(p["profile"], p["exit_code"]) for p in report["profiles"]] == [
        ("world", 1),
        ("tech-and-markets", 0),
    ]
    assert (out_dir() / "tech-and-markets-2026-11-28.md").exists()


# --- reading budget ---------------------------------------------------------------


@pytest.mark.parametrize("minutes", [1.0, 2.0, 3.5, 5.0])
def test_the_reading_budget_is_met_within_ten_percent(server: FeedServer, minutes: float) -> None:
    write_config(server, f"[briefing]\nmax_stories = 40\nminutes = {minutes}\n" + SECTIONS)
    assert cli.main(["run"]) == 0
    text = (out_dir() / "2026-11-28.md").read_text(encoding="utf-8")
    meta = front(text)
    words = reading_words(text)
    assert meta["reading_words"] == words
    assert meta["reading_minutes"] == round(words / 230, 1)
    assert abs(words / 230 - minutes) <= 0.1 * minutes, (minutes, words)


def test_too_little_news_shows_everything_and_says_how_long(server: FeedServer) -> None:
    write_config(server, "[briefing]\nmax_stories = 40\nminutes = 60\n")
    assert cli.main(["run"]) == 0
    unbudgeted = out_dir() / "plain"
    write_config(server, "[briefing]\nmax_stories = 40\n")
    assert cli.main(["run", "--output", str(unbudgeted)]) == 0
    budgeted = (out_dir() / "2026-11-28.md").read_text(encoding="utf-8")
    plain = (unbudgeted / "2026-11-28.md").read_text(encoding="utf-8")
    assert front(budgeted)["stories"] == front(plain)["stories"]
    assert float(front(budgeted)["reading_minutes"]) < 60  # type: ignore[arg-type]


def _bench_budget() -> ModuleType:
    """bench/budget.py, whose days of BBC news this test reads too."""
    path = Path(__file__).resolve().parents[2] / "bench" / "budget.py"
    spec = importlib.util.spec_from_file_location("bench_budget", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_budget_holds_on_bbc_news(shared_data: Path, tmp_path: Path) -> None:
    """Real articles, one feed per BBC category (the tags), two disjoint days of them."""
    from brief.briefing.compose import compose_briefing

    data = (shared_data / "eval" / "bbc-news-summary.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in data.splitlines() if line.strip()]
    budget = _bench_budget()
    for day, minutes in ((0, 3.0), (1, 6.0)):
        day_result = budget.day_of_news(rows, day)
        config = parse_config(
            f"[briefing]\nmax_stories = 60\nminutes = {minutes}\n"
            '[[sections]]\nname = "Politics"\ntags = ["politics"]\n',
            tmp_path / "c.toml",
        )
        briefing = compose_briefing(config, day_result, now=budget.NOW)
        words = reading_words(render_markdown(briefing))
        assert abs(words / 230 - minutes) <= 0.1 * minutes, (day, minutes, words)


# --- provenance -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "directive"),
    [
        ("Prices rose.", "text=Prices%20rose."),
        ("A well-known, long & hard road", "text=A%20well%2Dknown%2C%20long%20%26%20hard%20road"),
        ("50% (half) #1 said “no”", "text=50%25%20%28half%29%20%231%20said%20%E2%80%9Cno%E2%80%9D"),
        (
            "One two three four five six seven eight nine ten eleven twelve-ish.",
            "text=One%20two%20three%20four,nine%20ten%20eleven%20twelve%2Dish.",
        ),
        ("  spaced\n\tout  ", "text=spaced%20out"),
    ],
)
def test_text_directive_encoding(sentence: str, directive: str) -> None:
    assert text_directive(sentence) == directive
    # The directive's own syntax characters never appear raw inside a part.
    for part in directive.removeprefix("text=").split(","):
        assert not re.search(r"[-&,\s]", part)
        assert unquote(part) in " ".join(sentence.split())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ex.com/a", "https://ex.com/a#:~:text=Hi%20there."),
        ("https://ex.com/a#top", "https://ex.com/a#top:~:text=Hi%20there."),
        ("https://ex.com/a#:~:text=old", "https://ex.com/a#:~:text=Hi%20there."),
        ("http://ex.com/?q=1", "http://ex.com/?q=1#:~:text=Hi%20there."),
        ("file:///home/me/a.md", None),
        ("javascript:alert(1)", None),
        (None, None),
    ],
)
def test_sentence_urls_only_for_web_pages(url: str | None, expected: str | None) -> None:
    assert sentence_url(url, "Hi there.") == expected


def _briefing(
    stories: tuple[Story, ...], briefs: tuple[ActorBrief, ...] = (), **kw: object
) -> Briefing:
    return Briefing(
        title="T",
        day=date(2026, 11, 28),
        generated_at=NOW,
        stories=stories,
        sources=(),
        actor_briefs=briefs,
        **kw,  # type: ignore[arg-type]
    )


def test_every_bullet_names_its_source_and_links_to_the_sentence() -> None:
    web = _article(1, "wire", "Alpha beta gamma. The minister resigned on Monday.")
    other = _article(2, "post", "Delta rose sharply, traders said. More text here.")
    local = _article(3, "notes", "A local note said hello.", url="")
    stories = (
        Story(
            "s1",
            "Minister resigns",
            (web, other),
            ("The minister resigned on Monday.", "Delta rose sharply, traders said."),
        ),
        Story("s2", "Note", (local,), ("A local note said hello.",)),
    )
    text = render_markdown(_briefing(stories))
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert bullets[2:] == [  # after the digest's two
        "- The minister resigned on Monday. — "
        "[Wire](https://wire.example/1#:~:text=The%20minister%20resigned%20on%20Monday.)",
        "- Delta rose sharply, traders said. — "
        "[Post](https://post.example/2#:~:text=Delta%20rose%20sharply%2C%20traders%20said.)",
        "- A local note said hello. — Notes",  # a local file: named, not linked
    ]
    assert all(" — " in b for b in bullets)


def test_a_hostile_article_url_never_becomes_a_link() -> None:
    evil = _article(1, "wire", "It happened.", url="javascript:alert(1)")
    text = render_markdown(_briefing((Story("s", "t", (evil,), ("It happened.",)),)))
    assert "javascript" not in text
    assert "- It happened. — Wire" in text


# --- front matter and wikilinks ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "link"),
    [
        ("Xi Jinping", "[[Xi Jinping]]"),
        ("Evil]] [[Other|alias", "[[Evil Other alias]]"),
        ("Tag#heading^block", "[[Tag heading block]]"),
        ("<script>x</script>", "[[script x /script]]"),
        ("`code` *em* _u_ ~s~ $m$ a&b \\", "[[code em u s m a b]]"),
        ("[[]]|#^", None),
    ],
)
def test_wikilinks_keep_nothing_that_breaks_out(name: str, link: str | None) -> None:
    assert wikilink(name) == link


def _actor_brief(name: str) -> ActorBrief:
    quote = Quote("We will win.", name, 0, 10, article_id="a1")
    return ActorBrief(
        actor=Actor(name=name, kind="person", role="minister"),
        article_count=1,
        source_count=1,
        mention_count=3,
        sentences=("The minister resigned on Monday.",),
        quotes=((quote, "Minister resigns"),),
        co_actors=(("Ann]] Lee", 1),),
        article_ids=("a1",),
    )


def test_wikilinks_option_links_actor_names_safely() -> None:
    web = _article(1, "wire", "Alpha beta gamma. The minister resigned on Monday. We will win.")
    story = Story("s1", "Minister resigns", (web,), ("Alpha beta gamma.",))
    briefs = (_actor_brief("Jane [[Doe]]|x"),)
    on = render_markdown(_briefing((story,), briefs, wikilinks=True))
    off = render_markdown(_briefing((story,), briefs))
    assert "### [[Jane Doe x]]" in on and "— [[Jane Doe x]], minister, in [Minister" in on
    assert "With (sentences naming both): [[Ann Lee]] (1)" in on
    assert "[[" not in off.split("\n---\n", 1)[1].replace("\\[\\[", "")
    assert "- The minister resigned on Monday. — [Wire](https://wire.example/1#:~:text=" in on
    assert "in [Minister resigns](https://wire.example/1#:~:text=We%20will%20win.)" in on


@pytest.mark.parametrize(
    "name", ['Quote " and \\ back', "Colon: yes", "- dash", "# hash", "new\nline", "]]", "ünï"]
)
def test_front_matter_is_valid_yaml_with_hostile_names(name: str) -> None:
    story = Story("s1", "t", (_article(1, "wire"),), ("Sentence number 1 is here.",))
    briefing = _briefing(
        (story,), (_actor_brief(name),), tags=(name, "World", "More news"), profile="p-1"
    )
    meta = front(render_markdown(briefing))
    assert meta["actors"] == [" ".join(name.split())]
    assert meta["profile"] == "p-1"
    assert isinstance(meta["tags"], list) and "More-news" in meta["tags"]
    assert all(isinstance(t, str) and " " not in t for t in meta["tags"])
    assert isinstance(meta["reading_minutes"], float)


def test_a_profile_is_the_config_its_briefing_is_composed_with(tmp_path: Path) -> None:
    from brief.briefing.profiles import find_profile, profile_config

    config = parse_config(
        '[briefing]\ntitle = "Base"\nwindow_hours = 24\nminutes = 3\ntags = ["x"]\n'
        + SECTIONS
        + '[[briefings]]\nname = "eve"\nwindow_hours = 12\nsections = ["Tech", "World"]\n'
        'filename = "{{raw}}-{name}-{date}-{title}.md"\n'
        '[[briefings]]\nname = "w"\ntitle = "W"\nfeeds = ["World Wire"]\nminutes = 1.5\n',
        tmp_path / "c.toml",
    )
    eve = profile_config(config, find_profile(config, "EVE"))
    assert eve.briefing.window_hours == 12 and eve.briefing.title == "Base"
    assert eve.briefing.minutes == 3 and eve.briefing.tags == ("x",)
    assert [s.name for s in eve.sections] == ["Tech", "World"]  # the profile's order
    assert eve.briefing.filename == "{{raw}}-eve-{date}-{title}.md"
    assert eve.briefing.profile == "eve"
    w = profile_config(config, find_profile(config, "w"))
    assert (w.briefing.title, w.briefing.minutes, w.briefing.window_hours) == ("W", 1.5, 24)
    assert w.briefing.tags == () and w.briefing.feeds == ("World Wire",)  # chosen anew
    assert [s.name for s in w.sections] == ["World", "Tech"]  # none named: all
    from brief.briefing.write import briefing_filename

    name = briefing_filename(eve.briefing.filename, date(2026, 11, 28), "Base")
    assert name == "{raw}-eve-2026-11-28-base.md"


def test_a_profile_window_chooses_the_articles(server: FeedServer) -> None:
    write_config(
        server, '[[briefings]]\nname = "last3h"\nfeeds = ["World Wire"]\nwindow_hours = 3\n'
    )
    assert cli.main(["run", "--profile", "last3h"]) == 0
    meta = front((out_dir() / "2026-11-28-last3h.md").read_text(encoding="utf-8"))
    assert meta["articles"] == 3  # published 1, 2 and 3 hours before now; 4..10 are older
    assert meta["sources"] == 1


def test_a_tag_or_feed_no_source_has_is_named_on_stderr(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(server, '[[briefings]]\nname = "typo"\ntags = ["wrold"]\nfeeds = ["Tech Dialy"]\n')
    assert cli.main(["run", "--profile", "typo"]) == 0
    err = capsys.readouterr().err
    assert "profile typo: no source carries the tag 'wrold'" in err
    assert "profile typo: no source is named 'Tech Dialy'" in err

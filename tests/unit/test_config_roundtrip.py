"""Issue 11, config round-trip: CLI and TUI saves keep the user's comments and order."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from brief import cli
from brief.config import Config, FeedConfig, load_config, replace_section, save_config
from brief.config_write import has_changes

# Comments at the top, inline and between tables; keys out of the documented order; blank lines.
USER_TEXT = """\
# My brief config -- hand written, please keep my notes.

[summary]
sentences = 3   # three is plenty
# the algorithm I settled on after a week
algorithm = "textrank"


[[feeds]]
url = "https://alpha.example/rss"  # morning paper
name = "Alpha"

[[feeds]]
# second: the local one
name = "Beta"
url = "https://beta.example/rss"
tags = ["local"]

# wire services below

[[feeds]]
url = "https://gamma.example/rss"

[fetch]
timeout_seconds = 5.0  # my server is slow
min_interval_minutes = 0

[briefing]
sections = ["stories", "sources"]
title = "Desk"  # short
"""

COMMENTS = [line.split("#", 1)[1] for line in USER_TEXT.splitlines() if "#" in line]


@pytest.fixture
def config_file(private_env: Path) -> Path:
    path = Path(os.environ["BRIEF_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(USER_TEXT, encoding="utf-8")
    return path


def order_of(text: str, names: list[str]) -> list[int]:
    return [text.index(name) for name in names]


KEYS = ["[summary]", "sentences", "algorithm", "Alpha", "Beta", "gamma", "[fetch]", "[briefing]"]


def test_feeds_add_keeps_every_comment_and_the_order(config_file: Path) -> None:
    url = "https://delta.example/rss"
    assert cli.main(["feeds", "add", url, "--no-check", "--name", "Delta"]) == 0
    text = config_file.read_text(encoding="utf-8")
    for comment in COMMENTS:
        assert comment in text
    positions = order_of(text, [*KEYS[:6], "delta", *KEYS[6:]])  # the new feed after the others
    assert positions == sorted(positions)
    head, tail = USER_TEXT.split("[fetch]")
    assert text.startswith(head.rstrip("\n")) and text.endswith("[fetch]" + tail)
    feeds = load_config(config_file).feeds
    assert [f.url for f in feeds][-1] == url and feeds[-1].name == "Delta"
    assert len(feeds) == 4
    assert config_file.with_name("config.toml.bak").read_text(encoding="utf-8") == USER_TEXT


def test_feeds_remove_removes_only_that_feed(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["feeds", "remove", "Beta"]) == 0
    text = config_file.read_text(encoding="utf-8")
    assert "beta.example" not in text and "second: the local one" not in text
    expected = [c for c in COMMENTS if c != " second: the local one"]
    for comment in expected:
        assert comment in text
    assert [f.name for f in load_config(config_file).feeds] == ["Alpha", ""]
    # The rest of the file is byte for byte what the user wrote.
    before, _, after = USER_TEXT.partition("[[feeds]]\n# second")
    assert text.startswith(before)
    assert text.endswith(after.split("\n\n", 1)[1])


def test_a_changed_value_keeps_its_inline_comment_and_new_sections_are_appended(
    config_file: Path,
) -> None:
    config = load_config(config_file)
    changed = replace_section(config, "summary", sentences=5)
    changed = replace_section(changed, "store", retention_days=45)
    save_config(changed, config_file)
    text = config_file.read_text(encoding="utf-8")
    assert "sentences = 5   # three is plenty" in text
    assert text.rstrip().endswith("[store]\nretention_days = 45")
    assert load_config(config_file) == changed
    # Values equal to a default that the file leaves out are not written out.
    assert "user_agent" not in text and "[tui]" not in text


def test_an_edit_made_between_load_and_save_is_kept(config_file: Path) -> None:
    loaded = load_config(config_file)  # e.g. when the TUI started
    config_file.write_text(
        USER_TEXT.replace('title = "Desk"', 'title = "Edited meanwhile"'), encoding="utf-8"
    )
    changed = replace_section(loaded, "summary", sentences=4)
    save_config(changed, config_file, base=loaded)
    saved = load_config(config_file)
    assert saved.briefing.title == "Edited meanwhile"
    assert saved.summary.sentences == 4


def test_feeds_added_elsewhere_meanwhile_survive_a_stale_save(config_file: Path) -> None:
    loaded = load_config(config_file)
    assert cli.main(["feeds", "add", "https://epsilon.example/rss", "--no-check"]) == 0
    kept = dataclasses.replace(loaded, feeds=loaded.feeds[1:])  # this one drops Alpha
    save_config(kept, config_file, base=loaded)
    urls = [f.url for f in load_config(config_file).feeds]
    assert urls == [
        "https://beta.example/rss",
        "https://gamma.example/rss",
        "https://epsilon.example/rss",
    ]


def test_a_feed_changed_in_place_keeps_its_position(config_file: Path) -> None:
    config = load_config(config_file)
    beta = dataclasses.replace(config.feeds[1], tags=("local", "news"), full_text=True)
    changed = dataclasses.replace(config, feeds=(config.feeds[0], beta, config.feeds[2]))
    save_config(changed, config_file)
    text = config_file.read_text(encoding="utf-8")
    assert "# second: the local one" in text
    assert text.index("news") < text.index("# wire services below")
    assert load_config(config_file) == changed


def test_inline_feed_tables_and_a_new_file(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text('feeds = [{url = "https://a.example/rss"}]  # inline\n', encoding="utf-8")
    config = load_config(file)
    more = (*config.feeds, FeedConfig(url="https://b.example/rss", name="B"))
    save_config(dataclasses.replace(config, feeds=more), file)
    assert [f.url for f in load_config(file).feeds] == [
        "https://a.example/rss",
        "https://b.example/rss",
    ]
    new = tmp_path / "fresh" / "config.toml"
    save_config(Config(feeds=more), new)  # a new file: the whole config, written with tomli-w
    text = new.read_text(encoding="utf-8")
    assert "[summary]" in text and "[keys]" in text
    assert load_config(new).feeds == more


def test_has_changes_tells_a_landed_change_from_a_lost_one() -> None:
    old = {"summary": {"sentences": 3, "algorithm": "lexrank"}, "feeds": []}
    new = {"summary": {"sentences": 5, "algorithm": "lexrank"}, "feeds": [{"url": "x"}]}
    landed = {"summary": {"sentences": 5, "algorithm": "textrank"}, "feeds": []}
    lost = {"summary": {"sentences": 3, "algorithm": "lexrank"}, "feeds": [{"url": "x"}]}
    assert has_changes(landed, old, new)  # someone else's algorithm edit is not this change
    assert not has_changes(lost, old, new)


def test_dotted_keys_and_an_inline_section_still_save_right(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text(
        "# dotted\nsummary.sentences = 3  # s\nfetch = { concurrency = 4 }  # f\n",
        encoding="utf-8",
    )
    config = load_config(file)
    changed = replace_section(config, "summary", sentences=6)
    changed = replace_section(changed, "fetch", concurrency=8)
    save_config(changed, file)
    text = file.read_text(encoding="utf-8")
    assert load_config(file) == changed
    assert text == "# dotted\nsummary.sentences = 6  # s\nfetch = { concurrency = 8 }  # f\n"

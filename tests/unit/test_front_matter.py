"""YAML front matter in local files (python-frontmatter): lists, quoting, dates; bad YAML kept."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.collect.local import collect_local, local_source, read_article
from brief.models import Article

BODY = (
    "The city council voted on Tuesday to extend the tram line to the harbour district.\n\n"
    "Work is due to start in the spring and take two years, officials said."
)


@pytest.fixture
def warnings_seen(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="brief.collect.local")
    return caplog


def read(tmp_path: Path, front: str, body: str = BODY, name: str = "a.md") -> Article:
    path = tmp_path / name
    path.write_text(front + body, encoding="utf-8")
    return read_article(path, local_source(path))


def test_lists_become_comma_separated_text(tmp_path: Path) -> None:
    article = read(
        tmp_path,
        "---\ntitle: Trams\nauthor:\n  - Ann Lee\n  - Bo Chen\ntags: [city, transport]\n---\n",
    )
    assert article.author == "Ann Lee, Bo Chen"
    assert article.title == "Trams"


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("title: 'It''s here: the plan'", "It's here: the plan"),
        ('title: "Say \\"yes\\" to trams"', 'Say "yes" to trams'),
        ('title: "Trams: a history" # as Hugo writes it', "Trams: a history"),
        ("title: >-\n  Trams for\n  everyone", "Trams for everyone"),
        ("title: 2026", "2026"),
    ],
)
def test_quoting_and_folded_strings(tmp_path: Path, line: str, title: str) -> None:
    assert read(tmp_path, f"---\n{line}\n---\n").title == title


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("date: 2026-11-27", datetime(2026, 11, 27, tzinfo=UTC)),  # TZ=UTC in tests
        ("date: 2026-11-27 09:30:00", datetime(2026, 11, 27, 9, 30, tzinfo=UTC)),
        ("date: 2026-11-27T09:30:00+01:00", datetime(2026, 11, 27, 8, 30, tzinfo=UTC)),
        ("published: 2026-11-27T09:30:00Z", datetime(2026, 11, 27, 9, 30, tzinfo=UTC)),
        ('date: "2026-11-26T10:00:00+00:00"', datetime(2026, 11, 26, 10, tzinfo=UTC)),
    ],
)
def test_dates_in_every_form_yaml_has(tmp_path: Path, line: str, published: datetime) -> None:
    article = read(tmp_path, f"---\ntitle: Trams\n{line}\n---\n")
    assert article.published == published


def test_yaml_end_marker_and_byte_order_mark(tmp_path: Path) -> None:
    article = read(tmp_path, "\ufeff---\ntitle: Trams\n...\n")
    assert article.title == "Trams" and article.text == BODY


def test_invalid_yaml_is_read_as_text_with_a_warning(
    tmp_path: Path, warnings_seen: pytest.LogCaptureFixture
) -> None:
    # `a: b: c` is not YAML, but Obsidian users write titles like this.
    article = read(tmp_path, "---\ntitle: Re: the tram meeting\nurl: https://x.test/t\n---\n")
    assert article.title == "Re: the tram meeting"
    assert article.url == "https://x.test/t"
    assert article.text == BODY
    (record,) = warnings_seen.records
    assert record.levelno == logging.WARNING
    assert "a.md: front matter is not valid YAML" in record.getMessage()
    assert "line 2" in record.getMessage()


def test_a_block_that_is_not_key_value_pairs_stays_in_the_text(
    tmp_path: Path, warnings_seen: pytest.LogCaptureFixture
) -> None:
    # A Markdown file that opens with a horizontal rule: nothing of it is lost.
    front = "---\nA paragraph between two rules, not metadata.\n---\n\n"
    article = read(tmp_path, front)
    assert "A paragraph between two rules" in article.text
    assert BODY.split("\n")[0] in article.text
    assert "not key: value pairs" in warnings_seen.records[0].getMessage()


def test_unclosed_or_broken_front_matter_never_drops_the_file(
    tmp_path: Path, warnings_seen: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "open.md").write_text("---\ntitle: [unclosed\n---\n" + BODY, encoding="utf-8")
    (folder / "tabs.md").write_text("---\n\ttitle: x\n---\n" + BODY, encoding="utf-8")
    (folder / "fine.md").write_text("---\ntags: [a, b]\n---\n" + BODY, encoding="utf-8")
    articles, (health,) = collect_local([folder])
    assert len(articles) == 3 and health.warnings == ()
    assert len(warnings_seen.records) == 2

"""Local sources: reading txt/md/html, dates, titles, furniture, and skipping bad files."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.collect.extract import is_furniture, strip_furniture
from brief.collect.local import collect_local, content_id
from brief.paths import bundled_dir

BODY = (
    "The city council voted on Tuesday to expand the tram network. "
    "The plan adds twelve stops and costs 40 million euros.\n\n"
    "Opponents said the money should go to buses instead."
)


def _gold(shared_data: Path) -> dict[str, object]:
    path = shared_data / "actors" / "globe-xi-russia-visit.gold.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_seed_furniture_matches_the_reference(shared_data: Path, seed_text: str) -> None:
    gold = _gold(shared_data)
    lines = seed_text.splitlines()
    not_body = {n - 1 for n in gold["not_body_lines"]}  # type: ignore[union-attr]
    cleaned = strip_furniture(seed_text).split("\n\n")
    expected = [line.strip() for i, line in enumerate(lines) if line.strip() and i not in not_body]
    assert cleaned == expected


def test_seed_is_collected_as_one_evergreen_article() -> None:
    articles, health = collect_local([bundled_dir("seeds")])
    assert len(articles) == 1 and health[0].article_count == 1 and health[0].ok
    article = articles[0]
    assert article.evergreen
    assert article.text.startswith("Chinese President Xi Jinping is flying to Russia")
    assert "Skip to main content" not in article.text
    assert "Canadian Press" not in article.text
    assert "Interact with The Globe" not in article.text
    assert article.title.startswith("Chinese President Xi Jinping is flying to Russia")
    assert len(article.title) <= 111
    assert article.id == content_id(article.text)


@pytest.mark.parametrize(
    "line",
    [
        "Skip to main content",
        "Open this photo in gallery:",
        "With reports from Reuters",
        "With files from The Associated Press",
        "Follow related authors and topics",
        "Interact with The Globe",
        "Advertisement",
        "Sign up for our morning newsletter",
        "Read more: Five things to know about the summit",
        "© 2025 Example Media. All rights reserved.",
        "Copyright 2024 Reuters",
        "Protesters gather outside parliament on Monday.John Smith/Reuters",
        "The minister speaks in Ottawa. (AP Photo/Jane Doe)",
        "Photograph: Dan Kitwood/Getty Images",
        "Comments (12)",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Chinese President Xi Jinping is flying to Russia on Wednesday for a four-day visit.",
        "With reports of fighting in the east, the ministry issued a warning on Monday.",
        "Follow the money, investigators said, and the scheme unravels quickly.",
        "Read the full report, the minister told lawmakers, before you judge it.",
        "The deal was signed in Geneva and Washington, officials said.",
        "Sales rose 4 per cent in 2024/2025, the company said.",
    ],
)
def test_body_lines_are_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_tail_marker_cuts_related_links() -> None:
    text = BODY + "\n\nRelated stories\n\nTram fares to rise next year\n\nBus drivers strike"
    assert strip_furniture(text) == BODY


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_front_matter_markdown_and_html(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    _write(
        folder,
        "a.md",
        '---\ntitle: "Trams for all"\ndate: 2026-11-27T09:30:00+01:00\n'
        "url: https://news.example.com/trams\nsource: City Gazette\n---\n\n" + BODY,
    )
    _write(folder, "b.md", "# Budget passes\n\n" + BODY.replace("tram", "bus"))
    _write(
        folder,
        "c.html",
        "<html><head><title>Harbour reopens</title>"
        '<meta property="article:published_time" content="2026-11-26T08:00:00Z"></head>'
        "<body><nav>Home | World | Sport</nav><article><h1>Harbour reopens</h1>"
        "<p>The harbour reopened on Wednesday after a storm closed it for a week.</p>"
        "<p>Ferries resumed their normal timetable, the port authority said in a statement.</p>"
        "</article><footer>Copyright 2026 Example</footer></body></html>",
    )
    articles, health = collect_local([folder])
    by_title = {a.title: a for a in articles}
    assert set(by_title) == {"Trams for all", "Budget passes", "Harbour reopens"}
    trams = by_title["Trams for all"]
    assert trams.published == datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    assert trams.url == "https://news.example.com/trams"
    assert trams.source_name == "City Gazette"
    assert not trams.evergreen
    assert by_title["Budget passes"].text.startswith("The city council voted")
    harbour = by_title["Harbour reopens"]
    assert "Home | World" not in harbour.text and "Copyright" not in harbour.text
    assert harbour.published == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert health[0].article_count == 3 and health[0].warnings == ()


def test_front_matter_title_keeps_a_title_like_first_line(tmp_path: Path) -> None:
    body = "An opening line without a full stop\n\n" + BODY
    path = _write(tmp_path, "t.md", "---\ntitle: Trams\n---\n" + body)
    repeated = _write(tmp_path, "r.md", "---\ntitle: Trams\n---\n# Trams\n\n" + BODY)
    (article,), _ = collect_local([path])
    assert article.title == "Trams" and article.text.startswith("An opening line")
    (article,), _ = collect_local([repeated])
    assert article.title == "Trams" and article.text == BODY


def test_undated_file_uses_modification_time(tmp_path: Path) -> None:
    path = _write(tmp_path, "note.txt", BODY)
    stamp = datetime(2026, 11, 27, 12, 0, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    (article,), _ = collect_local([path])
    assert article.published == datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_javascript_url_in_front_matter_is_dropped(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\nurl: javascript:alert(1)\n---\n" + BODY)
    (article,), _ = collect_local([path])
    assert article.url is None


def test_bad_files_are_skipped_with_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    _write(folder, "good.txt", BODY)
    _write(folder, "empty.txt", "   \n")
    _write(folder, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    _write(folder, "latin1.txt", "Caf\xe9 au lait on the terrace.".encode("latin-1"))
    _write(folder, "furniture-only.md", "Skip to main content\n\nAdvertisement\n")
    _write(folder, "ignored.pdf", b"%PDF-1.4")
    unreadable = _write(folder, "locked.txt", BODY)
    unreadable.chmod(0)
    articles, health = collect_local([folder])
    unreadable.chmod(0o644)
    assert [a.text for a in articles] == [BODY] * (1 if os.geteuid() != 0 else 2)
    reasons = "\n".join(health[0].warnings)
    assert "empty.txt: empty file" in reasons
    assert "binary.txt: binary file, not text" in reasons
    assert "latin1.txt: not valid UTF-8 (byte 3); save it as UTF-8 to include it" in reasons
    assert "furniture-only.md: no article text found" in reasons
    assert "ignored.pdf" not in reasons
    assert all("\n" not in w for w in health[0].warnings)
    assert health[0].ok  # a folder with some bad files still works


def test_missing_folder_is_a_source_error(tmp_path: Path) -> None:
    articles, health = collect_local([tmp_path / "nowhere", bundled_dir("seeds")])
    assert len(articles) == 1
    assert health[0].error is not None and "not found" in health[0].error
    assert health[1].ok

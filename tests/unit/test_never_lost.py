"""Nothing is lost: every real article and feed entry with text yields a non-empty article.

The eval sets of ``../shared/data/eval`` (CNN/DailyMail dev, BBC News) are
written as local ``.txt`` files with front matter and read the way
``brief run`` reads a folder; every entry with text of the real saved feeds
goes through the feed path.  Each must keep its text through furniture
stripping, the cleaning pass and the default summarizer.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.collect.extract import strip_furniture
from brief.collect.feeds import entries_to_articles, parse_feed
from brief.collect.local import read_article
from brief.models import Source
from brief.text.clean import clean_sentences
from brief.text.summarize import summarize_text

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
LOCAL = Source(id="local:eval", name="eval", kind="local", location="eval")


def _front_matter_file(folder: Path, number: int, record: dict[str, object]) -> Path:
    path = folder / f"{number:05d}.txt"
    title = json.dumps(str(record.get("title") or f"Article {number}"))
    path.write_text(
        f"---\ntitle: {title}\ndate: 2026-11-28T06:00:00Z\n---\n{record['article']}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("name", ["cnndm-dev.jsonl", "bbc-news-summary.jsonl"])
def test_every_eval_article_survives_as_a_local_file(
    shared_data: Path, tmp_path: Path, name: str
) -> None:
    lines = (shared_data / "eval" / name).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert len(records) >= 100
    lost = []
    for number, record in enumerate(records):
        article = read_article(_front_matter_file(tmp_path, number, record), LOCAL)
        if not article.text.strip() or not summarize_text(article.text, algorithm="news"):
            lost.append(number)
        # No long paragraph is cut as furniture (short table rows and credits may go).
        for line in str(record["article"]).splitlines():
            if len(line.split()) >= 25:
                assert line.strip() in article.text, (number, line)
    assert lost == []


def test_every_real_feed_entry_with_text_keeps_it(shared_data: Path) -> None:
    files = sorted(
        p
        for folder in (shared_data / "feeds").glob("real-*")
        for p in folder.iterdir()
        if p.is_file() and p.suffix not in (".html", ".opml") and not p.name.startswith("LICENSE")
    )
    assert len(files) > 50
    checked = 0
    for path in files:
        parsed = parse_feed(path.read_bytes(), "http://example.com/" + path.name, {})
        source = Source(id=f"feed:{path.name}", name=path.name, kind="feed", location=path.name)
        for article in entries_to_articles(source, parsed.entries, fetched=NOW):
            if not article.text.strip():
                continue
            checked += 1
            assert strip_furniture(article.text).strip(), (path.name, article.title)
            assert clean_sentences(article.text), (path.name, article.title)
    assert checked > 1000


def test_a_japanese_markdown_article_is_kept_and_summarized(tmp_path: Path) -> None:
    path = tmp_path / "tokyo.md"
    path.write_text(
        "# 東京で大雨\n\n東京都心で記録的な大雨が降り、多くの電車が運転を見合わせた。"
        "気象庁は土砂災害への警戒を呼びかけている。\n\n"
        "都内の学校は休校となり、住民は避難所に移動した。写真は渋谷駅前の様子\n",
        encoding="utf-8",
    )
    article = read_article(path, LOCAL)
    assert article.title == "東京で大雨"
    assert "写真は渋谷駅前の様子" in article.text  # no full stop, but far from short
    picked = summarize_text(article.text, algorithm="news", sentences=2)
    assert picked[0].text == "東京都心で記録的な大雨が降り、多くの電車が運転を見合わせた。"


@pytest.mark.parametrize(
    "text",
    [
        "Съезд партии открылся в Москве в понедельник. Делегаты обсудили бюджет на следующий год.",
        "افتتح المؤتمر في القاهرة يوم الاثنين. وناقش المندوبون الميزانية للعام المقبل.",
    ],
)
def test_cyrillic_and_arabic_are_kept_and_summarized(text: str) -> None:
    assert strip_furniture(text) == text
    picked = summarize_text(text, algorithm="news", sentences=1)
    assert picked and picked[0].text == text.split(". ")[0] + "."


def test_one_long_line_ending_in_a_caption_is_not_deleted() -> None:
    body = (
        "The council approved the new budget on Monday after a long debate. " * 5
        + "Council members pictured outside the town hall in the spring sunshine"
    )
    assert strip_furniture(body) == body


def test_short_unpunctuated_tail_lines_still_go() -> None:
    body = "The council approved the new budget on Monday after a long debate."
    assert strip_furniture(body + "\n\nShare on Facebook\n\nMore news") == body


def test_a_text_the_trimming_would_empty_keeps_its_lines() -> None:
    assert strip_furniture("Storm warning issued\n\nAdvertisement") == "Storm warning issued"
    assert strip_furniture("Skip to main content\n\nAdvertisement") == ""

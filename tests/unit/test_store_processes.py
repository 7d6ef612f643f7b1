"""The store under real concurrency: two writer processes at once, and a writer killed with -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from brief.store import open_store

# A writer process: waits for the go file, then commits `batches` batches of
# `per_batch` articles (plus a cache entry each), printing each committed batch.
WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from brief.models import Article, Source
    from brief.store import FetchState, open_store, content_hash

    path, name, go = sys.argv[1], sys.argv[2], sys.argv[5]
    batches, per_batch = int(sys.argv[3]), int(sys.argv[4])
    source = Source(id="feed:" + name, name=name, kind="feed", location=f"http://{name}.test/")
    while not Path(go).exists():
        time.sleep(0.005)
    store = open_store(Path(path))
    for b in range(batches):
        articles = [
            Article(id="", source_id="", source_name="", title=f"{name} {b} {i}",
                    text=f"Body of {name} batch {b} item {i}. " * 20,
                    guid=f"urn:{name}:{b}:{i}")
            for i in range(per_batch)
        ]
        now = datetime.now(UTC)
        state = FetchState(source_id=source.id, last_attempt=now, last_success=now, status=200,
                           etag=f'"{b}"', article_count=per_batch)
        store.upsert_articles(source, articles, state=state)
        store.put_analysis(content_hash(articles[0].title, articles[0].text), "test@1", "", str(b))
        print(b, flush=True)
    store.close()
    """
)


def _spawn(
    tmp_path: Path, store: Path, name: str, batches: int, per_batch: int
) -> subprocess.Popen[str]:
    env = dict(os.environ)
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            WRITER,
            str(store),
            name,
            str(batches),
            str(per_batch),
            str(tmp_path / "go"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    # Neither process has created the file: both race through creation and migration too.
    writers = [_spawn(tmp_path, path, name, batches=30, per_batch=20) for name in ("cron", "tui")]
    (tmp_path / "go").touch()
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.split() == [str(b) for b in range(30)]
    with open_store(path) as store:
        assert store.integrity_check() == "ok"
        assert store.article_count() == 2 * 30 * 20
        now = datetime.now(UTC)
        window = store.articles_between(now - timedelta(hours=1), now + timedelta(hours=1))
        assert len({a.id for a in window}) == 1200
        assert {s.id for s in store.sources()} == {"feed:cron", "feed:tui"}
        for name in ("cron", "tui"):
            state = store.fetch_state("feed:" + name)
            assert state is not None and state.etag == '"29"'
        assert len(store.search("batch")) == 50  # default search limit


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_kill_9_mid_write_leaves_a_sound_store_with_every_commit(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    proc = _spawn(tmp_path, path, "victim", batches=100_000, per_batch=50)
    (tmp_path / "go").touch()
    committed: list[int] = []
    assert proc.stdout is not None
    # Kill while it is busy writing: after a few commits, with the next one under way.
    for line in proc.stdout:
        committed.append(int(line))
        if len(committed) >= 15:
            break
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)  # reaps the process and closes its pipes
    assert proc.returncode == -signal.SIGKILL
    with open_store(path) as store:
        assert store.integrity_check() == "ok"
        titles = {a.title for a in store.articles_for_source("feed:victim", limit=10_000_000)}
        for batch in committed:
            for i in range(50):
                assert f"victim {batch} {i}" in titles
        # Batches are atomic: whatever got in, got in whole.
        assert len(titles) % 50 == 0
        state = store.fetch_state("feed:victim")
        assert state is not None
        assert int(state.etag.strip('"')) >= committed[-1]  # type: ignore[union-attr]

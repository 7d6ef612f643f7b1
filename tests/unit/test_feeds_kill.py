"""`kill -9` of `brief fetch` mid-run: the store opens, is intact, and keeps every commit."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from brief.config import load_config
from brief.store import Store, open_store
from tests.httpserver import FeedServer, Item, Reply, rss

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
FEEDS = 40


def _feed(n: int) -> bytes:
    items = [
        Item(
            f"Feed {n} story {i}",
            f"<p>Story {i} of feed {n}. " + "Words of an article body go here. " * 30 + "</p>",
            guid=f"urn:kill:{n}:{i}",
            published=NOW - timedelta(minutes=i),
        )
        for i in range(40)
    ]
    return rss(f"Feed {n}", items)


def _ids(store: Store) -> set[str]:
    return {a.id for a in store.articles_between(NOW - timedelta(days=1), NOW + timedelta(days=1))}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_kill_9_during_fetch_keeps_the_store_sound(private_env: Path) -> None:
    config_path = Path(os.environ["BRIEF_CONFIG"])
    config_path.parent.mkdir(parents=True, exist_ok=True)
    with FeedServer() as server:
        urls = []
        for n in range(FEEDS):
            # Half answer at once, half keep the fetch busy long after the first commits.
            delay = 0.0 if n % 2 == 0 else 30.0
            urls.append(server.add(f"/f{n}.rss", Reply(_feed(n), delay=delay)))
        config_path.write_text(
            "[fetch]\ntimeout_seconds = 60.0\nmin_interval_minutes = 0\n"
            f"concurrency = {FEEDS}\nper_host = {FEEDS}\n\n"
            + "".join(f'[[feeds]]\nurl = "{u}"\n\n' for u in urls),
            encoding="utf-8",
        )
        store_path = load_config().store_path()
        proc = subprocess.Popen(
            [sys.executable, "-m", "brief", "fetch"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        committed: set[str] = set()
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(committed) < 200 and proc.poll() is None:
                time.sleep(0.05)
                if not store_path.exists():
                    continue
                try:
                    with open_store(store_path) as reader:
                        committed = _ids(reader)
                except Exception:  # the writer may still be creating the file
                    continue
            assert proc.poll() is None, "the fetch ended before it could be killed"
            assert len(committed) >= 200
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            assert proc.returncode == -signal.SIGKILL
        finally:
            # Parse workers are children in the same session: clean them up too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            if proc.stderr is not None:
                proc.stderr.close()
        with open_store(store_path) as store:
            assert store.integrity_check() == "ok"
            after = _ids(store)
            assert committed <= after
            assert len(after) % 40 == 0  # whole feeds: each feed's articles commit together
    # The store keeps working: a new fetch (server gone) fails per feed but does not crash.
    again = subprocess.run(
        [sys.executable, "-m", "brief", "fetch", "--force"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert again.returncode == 3, again.stderr
    assert "cannot connect" in again.stderr

"""Heavy dependencies load only on the paths that use them (start-up is what a user feels)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("trafilatura", "scipy", "feedparser")


def _loaded_after(
    code: str, env: dict[str, str] | None = None, modules: tuple[str, ...] = HEAVY
) -> list[str]:
    """Which of ``modules`` a fresh interpreter has imported after running ``code``."""
    probe = code + f"\nimport sys\nprint(sorted(m for m in {modules!r} if m in sys.modules))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    return list(ast.literal_eval(done.stdout.strip().splitlines()[-1]))


def _run_env(tmp_path: Path, config: Path | None = None) -> dict[str, str]:
    """The environment of a `brief run` on the bundled seed, everything under ``tmp_path``."""
    env = dict(
        os.environ,
        BRIEF_CONFIG=str(config or tmp_path / "none.toml"),
        BRIEF_DATA_DIR=str(tmp_path / "data"),
        BRIEF_OUTPUT_DIR=str(tmp_path / "out"),
        HOME=str(tmp_path),
    )
    env.pop("BRIEF_NOW", None)
    return env


def test_importing_the_collect_and_store_modules_loads_no_heavy_dependency() -> None:
    code = (
        "import brief.cli, brief.collect.local, brief.collect.extract, brief.collect.fetch,"
        " brief.collect.probe, brief.store"
    )
    assert _loaded_after(code) == []


def test_extracting_an_html_page_does_load_trafilatura() -> None:
    code = (
        "from brief.collect.extract import html_to_text\n"
        "html_to_text('<html><body><article><p>' + 'Words in a sentence. ' * 30"
        " + '</p></article></body></html>')"
    )
    assert _loaded_after(code) == ["trafilatura"]


def test_brief_run_on_the_bundled_seed_needs_neither_trafilatura_nor_scipy(tmp_path: Path) -> None:
    code = "from brief.cli import main\nassert main(['run']) == 0"
    assert _loaded_after(code, _run_env(tmp_path)) == []
    assert list((tmp_path / "out").glob("*.md")), "no briefing was written"


def test_brief_run_on_the_bundled_seed_starts_no_process_pool_machinery(tmp_path: Path) -> None:
    # A pool is for big batches; the seed's one article must not pay for importing it.
    code = "from brief.cli import main\nassert main(['run']) == 0"
    pool = ("concurrent.futures.process", "multiprocessing")
    assert _loaded_after(code, _run_env(tmp_path), pool) == []


def test_clustering_a_day_of_articles_into_stories_needs_no_scipy() -> None:
    code = (
        "from datetime import UTC, datetime\n"
        "from brief.config import Config\n"
        "from brief.models import Article\n"
        "from brief.text.stories import build_stories\n"
        "now = datetime(2026, 1, 1, 7, tzinfo=UTC)\n"
        "quake = 'A strong earthquake struck the port city early on Monday. '\n"
        "vote = 'Parliament voted on the budget late on Tuesday evening. '\n"
        "articles = [Article(id=str(i), source_id=f's{i}', source_name=f'S{i}',"
        " title=('Quake hits port city' if i % 2 else 'Budget vote in parliament'),"
        " text=(quake if i % 2 else vote) * 4, published=now) for i in range(6)]\n"
        "stories = build_stories(articles, Config(), now=now)\n"
        "assert len(stories) == 2, [len(s.articles) for s in stories]\n"
        "assert all(s.terms for s in stories)\n"
    )
    assert _loaded_after(code) == []


def test_an_offline_brief_run_with_feeds_loads_no_http_stack_nor_config_editor(
    tmp_path: Path,
) -> None:
    # Offline, the feeds are read from the store: httpx and asyncio are for fetching.
    config = tmp_path / "brief.toml"
    config.write_text('[[feeds]]\nurl = "http://127.0.0.1:9/feed.xml"\nname = "Never fetched"\n')
    code = "from brief.cli import main\nassert main(['run', '--offline']) == 0"
    # tomlkit edits config files (brief.config_write); a run only reads its config.
    unused = ("httpx", "asyncio", "brief.collect.fetch", "tomlkit")
    assert _loaded_after(code, _run_env(tmp_path, config), unused) == []
    assert list((tmp_path / "out").glob("*.md")), "no briefing was written"

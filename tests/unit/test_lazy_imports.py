"""Heavy dependencies load only on the paths that use them (start-up is what a user feels)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("trafilatura", "scipy", "feedparser")


def _loaded_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    """Which of HEAVY a fresh interpreter has imported after running ``code``."""
    probe = code + f"\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    return list(ast.literal_eval(done.stdout.strip().splitlines()[-1]))


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
    env = dict(
        os.environ,
        BRIEF_CONFIG=str(tmp_path / "none.toml"),
        BRIEF_DATA_DIR=str(tmp_path / "data"),
        BRIEF_OUTPUT_DIR=str(tmp_path / "out"),
        HOME=str(tmp_path),
    )
    env.pop("BRIEF_NOW", None)
    code = "from brief.cli import main\nassert main(['run']) == 0"
    assert _loaded_after(code, env) == []
    assert list((tmp_path / "out").glob("*.md")), "no briefing was written"


def test_brief_run_on_the_bundled_seed_starts_no_process_pool_machinery(tmp_path: Path) -> None:
    # A pool is for big batches; the seed's one article must not pay for importing it.
    env = dict(
        os.environ,
        BRIEF_CONFIG=str(tmp_path / "none.toml"),
        BRIEF_DATA_DIR=str(tmp_path / "data"),
        BRIEF_OUTPUT_DIR=str(tmp_path / "out"),
        HOME=str(tmp_path),
    )
    env.pop("BRIEF_NOW", None)
    probe = (
        "from brief.cli import main\nassert main(['run']) == 0\nimport sys\n"
        "print(sorted(m for m in ('concurrent.futures.process', 'multiprocessing')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    assert ast.literal_eval(done.stdout.strip().splitlines()[-1]) == []

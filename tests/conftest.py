"""Shared test set-up: every test runs private (its own config, store and output folders,
a fixed clock and time zone) and never touches the network."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
FIXED_NOW = "2026-11-28T07:00:00+00:00"


@pytest.fixture(autouse=True)
def private_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point config, data and output at tmp_path; fix 'now' and the time zone."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("BRIEF_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("BRIEF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BRIEF_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("BRIEF_NOW", FIXED_NOW)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    for proxy in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(proxy, raising=False)
    time.tzset()
    yield tmp_path


@pytest.fixture
def shared_data() -> Path:
    """The reference data folder (../shared/data); skip when a fresh clone lacks it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA} (present in CI)")
    return SHARED_DATA


@pytest.fixture
def seed_text() -> str:
    """The bundled sample article, as shipped."""
    return (REPO / "seeds" / "globe-xi-russia-visit.txt").read_text(encoding="utf-8")

"""brief run pauses Python's cyclic garbage collector while it composes, then resumes it."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from brief.cli import collector_paused


def test_the_collector_is_off_while_composing_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.unfreeze()  # (what the pause froze goes back to the collector's care)


def test_an_error_while_composing_still_resumes_the_collector() -> None:
    try:
        with collector_paused():
            raise RuntimeError("compose failed")
    except RuntimeError:
        pass
    assert gc.isenabled()
    gc.unfreeze()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


@pytest.mark.parametrize("offline", [True, False])
def test_an_offline_run_collects_with_the_collector_paused(
    offline: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import brief.cli

    monkeypatch.setenv("BRIEF_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("BRIEF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BRIEF_OUTPUT_DIR", str(tmp_path / "out"))
    real = brief.cli.collect_for_run
    seen: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(brief.cli, "collect_for_run", watched)
    assert brief.cli.main(["-q", "run", *(["--offline"] if offline else [])]) == 0
    # A fetch keeps the collector (it makes cycles); afterwards it is back either way.
    assert seen == [not offline]
    assert gc.isenabled()

"""brief run pauses Python's cyclic garbage collector while it composes, then resumes it."""

from __future__ import annotations

import gc

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

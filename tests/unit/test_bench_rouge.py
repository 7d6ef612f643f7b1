"""bench/rouge.py's nested pick: the shortest word budget the data cannot tell from the best."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from brief.text.news import LeadRules

BENCH = Path(__file__).resolve().parents[2] / "bench" / "rouge.py"


@pytest.fixture(scope="module")
def rouge() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_rouge", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_rouge"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _scores(means: list[float], noise: float, n: int = 40) -> np.ndarray:
    """Settings x records x 3 scores: each setting's mean plus the same per-record noise."""
    rng = np.random.default_rng(7)
    shared = rng.normal(0, 10, size=n)  # articles differ a lot, settings little
    own = rng.normal(0, noise, size=(len(means), n))
    own -= own.mean(axis=1, keepdims=True)  # the sample means are exactly ``means``
    per = np.asarray(means)[:, None] + shared[None, :] + own
    return np.repeat(per[:, :, None], 3, axis=2)


def test_shortest_budget_within_one_standard_error_wins(rouge: ModuleType) -> None:
    grid = [rouge.Setting(LeadRules(), words) for words in (60, 80, 100)]
    # 100 words is best by a hair, 80 is within the noise, 60 is clearly worse.
    scores = _scores([30.0, 39.9, 40.0], noise=1.0)
    assert rouge.choose(scores, grid, "best") == 2
    assert rouge.choose(scores, grid, "shortest") == 1
    # When the shorter budgets are clearly worse, the best one is kept.
    clear = _scores([30.0, 35.0, 40.0], noise=0.5)
    assert rouge.choose(clear, grid, "shortest") == 2


def test_default_rules_win_a_tie_at_the_same_budget(rouge: ModuleType) -> None:
    other = LeadRules(short_words=8, duplicate=0.5)
    grid = [rouge.Setting(other, 80), rouge.Setting(LeadRules(), 80)]
    scores = _scores([40.0, 39.95], noise=1.0)
    assert rouge.choose(scores, grid, "best") == 0
    assert rouge.choose(scores, grid, "shortest") == 1

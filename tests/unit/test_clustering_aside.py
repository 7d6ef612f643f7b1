"""The day's story clustering in a forked process (brief.text.clusterfork.Clustering): the same
vectors, groups and vocabulary as clustering in-process, and in-process work when the fork
fails or cannot be trusted."""

from __future__ import annotations

import os
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from brief.config import Config
from brief.models import Article
from brief.text import clusterfork
from brief.text.clusterfork import Clustering
from brief.text.news import _Vocabulary, _vocabulary
from brief.text.stories import (
    _article_vectors,
    article_substance,
    build_stories,
    cluster_stories,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def invented_words(seed: int, count: int) -> list[str]:
    """Words no vocabulary has seen: made up per test, so each test's are new."""
    rng = random.Random(seed)
    letters = "bcdfghjklmnpqrstvwxz"
    vowels = "aeiou"
    return [
        "".join(rng.choice(letters) + rng.choice(vowels) for _ in range(rng.randint(2, 5)))
        for _ in range(count)
    ]


def invented_day(seed: int, stories_count: int = 12, per_story: int = 4) -> list[Article]:
    """Articles about ``stories_count`` invented events, several sources each, shuffled."""
    rng = random.Random(seed)
    words = invented_words(seed, stories_count * 12 + 200)
    articles = []
    for story in range(stories_count):
        own = words[story * 12 : (story + 1) * 12]
        for copy in range(per_story):
            chosen = rng.sample(own, 8) + rng.sample(words[-200:], 4)
            title = " ".join(w.title() for w in chosen[:6])
            text = ". ".join(" ".join(rng.sample(chosen, 6)).capitalize() for _ in range(4)) + "."
            hours = rng.uniform(0, 60)
            articles.append(
                Article(
                    id=f"s{story}-{copy}",
                    source_id=f"src{copy}",
                    source_name=f"Source {copy}",
                    title=title,
                    text=text,
                    url=f"https://src{copy}.example/{story}",
                    published=NOW - timedelta(hours=hours) if copy != 3 else None,
                )
            )
    rng.shuffle(articles)
    return articles


def same_vectors(a: tuple[object, ...], b: tuple[object, ...]) -> None:
    (rows_a, norms_a, terms_a), (rows_b, norms_b, terms_b) = a, b
    for name in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(rows_a, name), getattr(rows_b, name)), name
    assert rows_a.width == rows_b.width  # type: ignore[attr-defined]
    assert np.array_equal(norms_a, norms_b)  # type: ignore[arg-type]
    assert np.array_equal(terms_a, terms_b)  # type: ignore[arg-type]


def same_as_here(found: Any, articles: list[Article]) -> None:
    """The clustering's result is what clustering in this process gives."""
    same_vectors(found.vectors, _article_vectors(articles))
    assert [[articles[i] for i in group] for group in found.groups] == cluster_stories(articles)
    assert found.substance == [article_substance(a) for a in articles]


@pytest.fixture
def aside_for_small_days(monkeypatch: pytest.MonkeyPatch) -> None:
    """A day of a few dozen articles is clustered aside too (normally only a big one is)."""
    monkeypatch.setattr(clusterfork, "ASIDE_MIN", 2)


# --- the vocabulary's hand-over ---------------------------------------------------------


def test_a_vocabulary_adopts_what_its_copy_learnt_with_the_same_ids() -> None:
    mine, copy = _Vocabulary(), _Vocabulary()
    for vocabulary in (mine, copy):
        vocabulary.learn(["Earthquake", "the", "rescuers", "2026"])
    mark = copy.mark()
    copy.learn([*invented_words(1, 50), "earthquakes", "The", "Rescuer"])
    assert mine.adopt(copy.learnt_since(mark))
    assert list(mine.items()) == list(copy.items())
    for facts in ("stem", "stop", "capital", "digit"):
        assert np.array_equal(getattr(mine, facts)[: len(mine)], getattr(copy, facts)[: len(copy)])
    assert mine.stem_names(range(len(mine._stem_ids))) == copy.stem_names(
        range(len(copy._stem_ids))
    )


def test_a_vocabulary_that_learnt_something_else_adopts_nothing() -> None:
    mine, copy = _Vocabulary(), _Vocabulary()
    mark = copy.mark()
    copy.learn(["alpha", "beta"])
    mine.learn(["gamma"])  # (learnt meanwhile: the copy's ids no longer fit)
    before = dict(mine)
    assert not mine.adopt(copy.learnt_since(mark))
    assert dict(mine) == before
    assert mine.mark() == (0, 1, 1)


def test_a_copy_that_started_afresh_is_adopted_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Vocabulary, "_LIMIT", 10)
    mine, copy = _Vocabulary(), _Vocabulary()
    for vocabulary in (mine, copy):
        vocabulary.learn(invented_words(2, 6))
    mark = copy.mark()
    copy.learn(invented_words(3, 8))  # more than the limit: the copy starts afresh
    assert copy.mark()[0] == 1
    assert mine.adopt(copy.learnt_since(mark))
    assert list(mine.items()) == list(copy.items())
    assert mine.mark() == copy.mark()


# --- the clustering ---------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="clustering aside needs fork")
def test_clustering_aside_gives_what_clustering_here_gives(aside_for_small_days: None) -> None:
    articles = invented_day(7)
    clustering = Clustering(articles, workers=2)
    clustering.start(())
    assert clustering.in_background
    found = clustering.result()
    assert not clustering.in_background  # (the process is gone once its work is in)
    # The fork's words were new here: taken in with its ids, the same vectors come out.
    same_as_here(found, articles)
    assert len(found.groups) < len(articles)  # (the invented stories do group)


@pytest.mark.skipif(os.name != "posix", reason="clustering aside needs fork")
def test_a_vocabulary_changed_meanwhile_means_clustering_here(
    aside_for_small_days: None,
) -> None:
    articles = invented_day(8)
    clustering = Clustering(articles, workers=2)
    clustering.start(())
    assert clustering.in_background
    _vocabulary().learn(invented_words(80, 3))  # this process learnt words of its own
    same_as_here(clustering.result(), articles)


def _dies(*args: object) -> object:
    os._exit(3)


@pytest.mark.skipif(os.name != "posix", reason="clustering aside needs fork")
def test_a_process_that_dies_means_clustering_here(
    aside_for_small_days: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clusterfork, "_cluster_job", _dies)
    articles = invented_day(9)
    clustering = Clustering(articles, workers=2)
    clustering.start(())
    assert clustering.in_background
    same_as_here(clustering.result(), articles)


def test_a_small_day_or_one_core_is_clustered_here() -> None:
    articles = invented_day(10)
    assert len(articles) < clusterfork.ASIDE_MIN
    assert not Clustering(articles, workers=2).in_background
    assert not Clustering(articles * 20, workers=1).in_background


@pytest.mark.skipif(os.name != "posix", reason="clustering aside needs fork")
def test_the_stories_are_the_same_clustered_aside(aside_for_small_days: None) -> None:
    from brief.briefing.compose import compose_stories

    articles = invented_day(11, stories_count=8)
    config = Config()
    here = build_stories(articles, config, now=NOW, workers=1)
    clustering = Clustering(articles, workers=2)
    clustering.start(())
    aside = compose_stories(articles, config, now=NOW, clustering=clustering)
    assert aside == here
    assert not clustering.in_background
    # Clustering started for other articles is not used (and its process is stopped).
    other = Clustering(invented_day(12), workers=2)
    assert compose_stories(articles, config, now=NOW, clustering=other) == here
    assert not other.in_background


@pytest.mark.skipif(os.name != "posix", reason="clustering aside needs fork")
def test_clustering_never_given_the_leads_is_done_here(aside_for_small_days: None) -> None:
    articles = invented_day(13)
    clustering = Clustering(articles, workers=2)
    assert clustering.in_background
    same_as_here(clustering.result(), articles)  # (the process is stopped, not waited for)
    assert not clustering.in_background


@pytest.mark.skipif(os.name != "posix", reason="clustering aside needs fork")
def test_the_leads_given_are_the_ones_clustered_by(aside_for_small_days: None) -> None:
    articles = invented_day(14)
    leads = [f"lead {i} " + " ".join(invented_words(200 + i % 3, 6)) for i in range(len(articles))]
    clustering = Clustering(articles, workers=2)
    clustering.start(leads)
    found = clustering.result()
    same_vectors(found.vectors, _article_vectors(articles, leads))
    assert not np.array_equal(found.vectors[2], _article_vectors(articles)[2])


@pytest.mark.skipif(os.name != "posix", reason="clustering aside needs fork")
def test_a_briefing_is_the_same_clustered_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    from brief.briefing.compose import compose_briefing
    from brief.briefing.render import render_markdown
    from brief.models import CollectResult

    people = ["Ingrid Dahl", "Marco Tavares", "the Baltic Council", "Amara Osei"]
    day = []
    for number, item in enumerate(invented_day(15, stories_count=6)):
        who = people[number % len(people)]
        text = f"{who} said on Monday that {item.text} {who} told reporters it would go on."
        day.append(replace(item, text=text))
    result = CollectResult(articles=tuple(day), health=())
    here = render_markdown(compose_briefing(Config(), result, now=NOW))
    started: list[bool] = []
    start = Clustering.start

    def spy(self: Clustering, leads: Any) -> None:
        started.append(self.in_background)
        start(self, leads)

    monkeypatch.setattr(Clustering, "start", spy)
    monkeypatch.setattr(clusterfork, "ASIDE_MIN", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    aside = render_markdown(compose_briefing(Config(), result, now=NOW))
    assert started == [True]
    assert aside == here
    assert "Ingrid Dahl" in here


def test_no_process_is_forked_while_another_thread_runs(aside_for_small_days: None) -> None:
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        articles = invented_day(16)
        clustering = Clustering(articles, workers=2)
        assert not clustering.in_background
        clustering.start(())
        same_as_here(clustering.result(), articles)
    finally:
        stop.set()
        other.join()


@pytest.mark.skipif(os.name != "posix", reason="clustering aside needs fork")
def test_a_process_that_hangs_is_not_waited_for(
    aside_for_small_days: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clusterfork, "_cluster_job", _hangs)
    monkeypatch.setattr(clusterfork, "_PATIENCE", 0.2)
    articles = invented_day(17)
    clustering = Clustering(articles, workers=2)
    assert clustering.in_background
    clustering.start(())
    same_as_here(clustering.result(), articles)
    assert not clustering.in_background  # (stopped)


def _hangs(*args: object) -> None:
    import time

    time.sleep(60)

"""The day's story clustering in a forked process, while the day's actors merge.

Merging the actors runs on one core once the actor analysis is in; clustering the
stories needs the same analyses (their leads) and nothing of the merge, so on a big
day a forked process does it on the other core (:class:`Clustering`), with the same
result to the last bit as :func:`brief.text.stories.build_stories` would work out.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from brief.models import Article
from brief.text.stories import (
    _THRESHOLD,
    _WINDOW_HOURS,
    Clustered,
    _article_vectors,
    _stamps,
    _star_groups,
    article_substance,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

ASIDE_MIN = 400  # articles below this are clustered in-process (a fork costs ~0.05 s)
_PATIENCE = 300.0  # seconds the clustering process is waited for at most
# The articles a forked clustering reads (set only while the process is forked: it
# inherits them, so they are never sent).
_FORKED: Sequence[Article] | None = None


def _clustered(
    articles: Sequence[Article], leads: Sequence[str | None], substance: list[float] | None = None
) -> Clustered:
    vectors = _article_vectors(articles, leads)
    groups = _star_groups(vectors[0], vectors[1], _stamps(articles), _THRESHOLD, _WINDOW_HOURS)
    if substance is None:
        substance = [article_substance(a) for a in articles]
    return Clustered(vectors, groups, substance)


def _cluster_job(connection: Connection) -> None:
    """The forked process's work: the substance of the articles it inherited, then, once
    their leads come, their clustering, sent back with what its vocabulary learnt."""
    import signal

    from brief.text.news import _vocabulary

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # (Ctrl-C is the parent's to handle)
    assert _FORKED is not None
    articles = _FORKED
    mark = _vocabulary().mark()
    substance = [article_substance(a) for a in articles]
    leads = connection.recv()
    found = _clustered(articles, leads, substance)
    connection.send(replace(found, learnt=_vocabulary().learnt_since(mark)))
    connection.close()


class Clustering:
    """The day's story clustering, set up before it is needed.

    On a big day with more than one core a process is forked at once, while this one is
    still small: it inherits the articles and works out their substance; once the actor
    analysis gives their leads (:meth:`start`), it clusters them while this process
    merges the day's actors (on one core).  Otherwise the work is done here, when asked
    for (:meth:`result`).

    The result is exactly what :func:`build_stories` would work out itself: the process is
    a fork of this one, so its vocabulary (the words' and stems' ids, which order each
    vector's terms and so each cosine's last bit) is this one's, and what it learns is
    taken in here with the same ids.  When the process fails, or this process's
    vocabulary learnt something meanwhile, the work is done here instead.
    """

    def __init__(self, articles: Sequence[Article], *, workers: int | None = None) -> None:
        global _FORKED
        self.articles = articles
        self._leads: Sequence[str | None] = ()
        self._started = False
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        cores = workers if workers is not None else (os.cpu_count() or 1)
        if cores < 2 or len(articles) < ASIDE_MIN or threading.active_count() > 1:
            # (Forking while another thread runs, as in the TUI, could hand the process
            # a lock that thread holds, such as the vocabulary's: it would wait forever.)
            return
        import multiprocessing

        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - a platform without fork: clustered here
            return
        mine, theirs = context.Pipe()
        _FORKED = articles
        try:
            process = context.Process(target=_cluster_job, args=(theirs,), daemon=True)
            process.start()
        except OSError:  # (no process to be had: clustered here)
            mine.close()
            return
        finally:
            _FORKED = None
            theirs.close()  # (the process has its own end: end of file here if it dies)
        self._process, self._connection = process, mine

    @property
    def in_background(self) -> bool:
        """Whether a forked process is doing the work (until its result is taken)."""
        return self._process is not None

    def start(self, leads: Sequence[str | None]) -> None:
        """Cluster by these leads (each article's clean lead, None where not known)."""
        self._leads = leads
        self._started = True
        if self._connection is not None:
            try:
                self._connection.send(list(leads))
            except OSError:  # (the process died: clustered here)
                self.close()

    def result(self) -> Clustered:
        """The articles' vectors, story groups and substance."""
        from brief.text.news import _vocabulary

        found = None
        if self._connection is not None and not self._started:
            self.close()  # (never given the leads: clustered here)
        if self._connection is not None:
            try:
                # (A process that takes far longer than this process would is not waited
                # for: the bound only keeps a briefing from hanging on it.)
                if self._connection.poll(_PATIENCE):
                    found = self._connection.recv()
            except (OSError, EOFError):  # (the process died: clustered here)
                found = None
            finally:
                self.close()
        if (
            isinstance(found, Clustered)
            and found.learnt is not None
            and _vocabulary().adopt(found.learnt)
        ):
            return found
        return _clustered(self.articles, self._leads)

    def close(self) -> None:
        """Stop the forked process, if one runs (its work is then not wanted)."""
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
        self._process = self._connection = None

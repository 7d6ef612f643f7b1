"""brief's news ranker (lead-anchored, defects passed over) and its document features.

The default ranker (:func:`rank_news`) keeps the lead: it takes sentences in
article order and passes over only defective ones (very short, a question, a
teaser opening with a quote mark, unterminated furniture, a near-duplicate of
an earlier pick).  A document is tokenized, stemmed and weighted (TF-IDF)
once; every feature is then a numpy expression over the sentence-term matrix.
The learned content model (``score_sentences``, fitted on BBC News Summary by
``bench/fit_news.py`` into ``news_weights.json``) is kept for the fitting
bench and the story summarizer's similarity, not for the default ranking: a
content weight that overrode position did not carry over to unseen articles.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from numpy.typing import NDArray

    from brief.models import Sentence

    FloatArray = NDArray[np.float64]
    IntArray = NDArray[np.int64]

WEIGHTS_FILE = "news_weights.json"

# Words: letters or digits, with inner apostrophes ("don't", "Xi’s" → one token).
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CLOSERS = "\"'”’)]}»›"
_OPENERS = "\"'“‘«‹"
_TERMINALS = frozenset(".!?…。！？")

FEATURES: tuple[str, ...] = (
    "length_log",  # log(1 + words)
    "length_short",  # fewer than 6 words
    "length_long",  # more than 45 words
    "content_ratio",  # share of words that are not stop words
    "lexrank",  # continuous LexRank centrality x n
    "degree",  # mean similarity to the other sentences
    "centroid",  # similarity to the document's TF-IDF centroid
    "title_similarity",  # similarity to the title (0 without one)
    "topic_weight",  # mean document frequency of its content words
    "idf_mean",  # mean rarity of its content words within the document
    "capitalised",  # share of capitalised words after the first (names, places)
    "has_digit",  # numbers: counts, dates, money
    "quote",  # contains quotation marks
    "quote_opening",  # opens with a quotation mark (direct speech)
    "question",  # ends with a question mark
    "unterminated",  # no terminal punctuation (captions, headings, furniture)
)


@dataclass(frozen=True, slots=True)
class NewsModel:
    """The news ranker's fitted settings.

    A sentence's score is ``-log(1 + position)`` (the lead carries a news
    story), ``- unterminated_penalty`` for a line without terminal punctuation
    (a heading, caption or piece of furniture), ``+ content_weight x`` the
    log-odds of a linear model over the content features, ``+ title_weight x``
    its similarity to the title when there is one.  The content model learns,
    on BBC News Summary, which sentences say what the human-written headline
    says, from everything but the headline; so it judges headline-worthiness
    of text that has no title.  Selection is MMR with ``redundancy`` as the
    penalty on similarity to sentences already picked, and a sentence at
    least ``duplicate`` similar to a pick is never taken.
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    content_weight: float
    title_weight: float
    unterminated_penalty: float
    redundancy: float
    duplicate: float

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NewsModel:
        """Build a model from its JSON form, checking it matches the feature set."""
        features = tuple(str(f) for f in data["features"])
        if features != FEATURES:
            raise ValueError("news ranker weights were fitted on a different feature set")
        return cls(
            features=features,
            mean=tuple(float(x) for x in data["mean"]),
            scale=tuple(float(x) for x in data["scale"]),
            coef=tuple(float(x) for x in data["coef"]),
            intercept=float(data["intercept"]),
            content_weight=float(data["content_weight"]),
            title_weight=float(data["title_weight"]),
            unterminated_penalty=float(data["unterminated_penalty"]),
            redundancy=float(data["redundancy"]),
            duplicate=float(data["duplicate"]),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form written to ``news_weights.json``."""
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "content_weight": self.content_weight,
            "title_weight": self.title_weight,
            "unterminated_penalty": self.unterminated_penalty,
            "redundancy": self.redundancy,
            "duplicate": self.duplicate,
        }


@cache
def load_model() -> NewsModel:
    """The shipped model (``brief/text/news_weights.json``)."""
    text = resources.files("brief.text").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    return NewsModel.from_json(json.loads(text)["model"])


@cache
def stop_words() -> frozenset[str]:
    """sumy's English stop-word list, read from the sumy package without importing sumy."""
    data = resources.files("sumy").joinpath("data/stopwords/english.txt").read_text("utf-8")
    return frozenset(w.strip() for w in data.splitlines() if w.strip())


@dataclass(frozen=True)
class Learnt:
    """The words (ids in order from where ``mark`` stood) and stems a vocabulary learnt,
    with the words' facts (stem id, stop word, capital, digit), as
    :meth:`_Vocabulary.learnt_since` gives them."""

    mark: tuple[int, int, int]
    cleared: bool
    words: list[str]
    stem_keys: list[str]
    facts: tuple[np.ndarray, ...]


class _Vocabulary(dict[str, int]):
    """Word (as written) → word id, process-wide, with per-word facts as numpy arrays.

    Lookups of known words run in C (``map(vocabulary.__getitem__, words)``);
    only a new word reaches ``__missing__``, which stems it once.  Stop words
    keep stems of their own so the stop-word mask is one array lookup.
    """

    _LIMIT = 1_000_000  # distinct words kept before the cache starts afresh

    def __init__(self) -> None:
        super().__init__()
        self._stem_words = _stemmer()
        self._stops = stop_words()
        self._stem_ids: dict[str, int] = {}
        self._lock = threading.Lock()
        self._clears = 0  # how often the vocabulary started afresh (see mark())
        self._allocate(8192)

    def _allocate(self, size: int) -> None:
        self.stem = np.zeros(size, dtype=np.int64)
        self.stop = np.zeros(size, dtype=bool)
        self.capital = np.zeros(size, dtype=bool)
        self.digit = np.zeros(size, dtype=bool)

    def _grow(self, needed: int) -> None:
        old = (self.stem, self.stop, self.capital, self.digit)
        self._allocate(max(2 * len(self.stem), needed))
        for array, previous in zip(
            (self.stem, self.stop, self.capital, self.digit), old, strict=True
        ):
            array[: len(previous)] = previous

    def __missing__(self, word: str) -> int:
        self.learn((word,))
        return self[word]

    def learn(self, words: Iterable[str]) -> None:
        """Give ids to the words not seen before (stemmed in one batch)."""
        with self._lock:
            new = sorted(set(words).difference(self))
            if not new:
                return
            if len(self) + len(new) > self._LIMIT:
                self.clear()
                self._stem_ids.clear()
                self._clears += 1
                new = sorted(set(new))
            first = len(self)
            needed = first + len(new)
            if needed > len(self.stem):
                self._grow(needed)
            lowers = [w.lower() for w in new]
            stops = [w in self._stops for w in lowers]
            stems = self._stem_words(lowers)
            stem_ids = self._stem_ids
            # A NUL never occurs in a stem, so stop words cannot share a content stem.
            keys = [
                "\0" + low if stop else stem
                for low, stop, stem in zip(lowers, stops, stems, strict=True)
            ]
            span = slice(first, needed)
            self.stem[span] = [stem_ids.setdefault(k, len(stem_ids)) for k in keys]
            self.stop[span] = stops
            self.capital[span] = [w[:1].isupper() for w in new]
            # (A letter is never a digit: most words need no look at each character.)
            self.digit[span] = [not w.isalpha() and any(c.isdigit() for c in w) for w in new]
            self.update(zip(new, range(first, needed), strict=True))

    def mark(self) -> tuple[int, int, int]:
        """Where the vocabulary stands: what :meth:`learnt_since` and :meth:`adopt` compare."""
        with self._lock:
            return self._clears, len(self), len(self._stem_ids)

    def learnt_since(self, mark: tuple[int, int, int]) -> Learnt:
        """What was learnt since ``mark``, for another process's copy to :meth:`adopt`."""
        with self._lock:
            clears, words, stems = mark
            cleared = clears != self._clears
            if cleared:
                words = stems = 0  # (started afresh since: everything it knows is new)
            end = len(self)
            return Learnt(
                mark=mark,
                cleared=cleared,
                words=list(islice(self, words, None)),
                stem_keys=list(islice(self._stem_ids, stems, None)),
                facts=tuple(
                    a[words:end].copy() for a in (self.stem, self.stop, self.capital, self.digit)
                ),
            )

    def adopt(self, learnt: Learnt) -> bool:
        """Take in what a copy of this vocabulary learnt (in a forked process) since it
        stood where this one stands, giving every word and stem the id the copy gave it.
        False (and nothing changed) when this one learnt something else since."""
        with self._lock:
            if (self._clears, len(self), len(self._stem_ids)) != learnt.mark:
                return False
            if learnt.cleared:
                self.clear()
                self._stem_ids.clear()
                self._clears += 1
            first = len(self)
            needed = first + len(learnt.words)
            if needed > len(self.stem):
                self._grow(needed)
            for array, facts in zip(
                (self.stem, self.stop, self.capital, self.digit), learnt.facts, strict=True
            ):
                array[first:needed] = facts
            stems = len(self._stem_ids)
            self._stem_ids.update(
                zip(learnt.stem_keys, range(stems, stems + len(learnt.stem_keys)), strict=True)
            )
            self.update(zip(learnt.words, range(first, needed), strict=True))
            return True

    def stem_names(self, stem_ids: Iterable[int]) -> list[str]:
        """The stems behind stem ids (ids are given in insertion order, so a list inverts them)."""
        with self._lock:
            names = list(self._stem_ids)
        return [names[i] for i in stem_ids]

    def ids(self, words: Sequence[str]) -> IntArray:
        """The word ids of ``words`` (learning new ones first, in one batch)."""
        if not self.keys() >= set(words):
            self.learn(words)
        return np.fromiter(map(self.__getitem__, words), dtype=np.int64, count=len(words))


def _stemmer() -> Callable[[list[str]], list[str]]:
    """Snowball's English stemmer of a list of words (PyStemmer's compiled one), without
    its cache: the words a vocabulary stems are new to it, and a cache of 10,000 words
    that never hits makes the stemming four times as slow."""
    import Stemmer

    stem_words: Callable[[list[str]], list[str]] = Stemmer.Stemmer("english", 0).stemWords
    return stem_words


@cache
def _vocabulary() -> _Vocabulary:
    _single_threaded_blas()
    return _Vocabulary()


def _single_threaded_blas() -> None:
    """Keep BLAS on one thread: the ranker's matrices are small, and OpenBLAS's
    thread hand-off costs far more than the work (20x on a busy machine).
    brief parallelizes across processes instead (see brief.text.stories)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a declared dependency; stay correct without it
        return
    threadpool_limits(limits=1, user_api="blas")


def _unit_rows(matrix: FloatArray) -> FloatArray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
    norms[norms == 0] = 1.0
    result: FloatArray = matrix / norms[:, None]
    return result


def _lexrank(similarity: FloatArray, damping: float = 0.85) -> FloatArray:
    """Continuous LexRank (PageRank over the similarity graph), scaled so the mean is 1."""
    n = similarity.shape[0]
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    sums = weights.sum(axis=1)
    dangling = sums == 0
    sums[dangling] = 1.0
    transition = weights / sums[:, None]
    transition[dangling] = 1.0 / n
    if n <= 200:
        # Small graphs: solve r = (1 - d)/n + d r T exactly (faster than iterating).
        system = np.eye(n) - damping * transition.T
        rank = np.linalg.solve(system, np.full(n, (1.0 - damping) / n))
    else:
        rank = np.full(n, 1.0 / n)
        for _ in range(50):
            updated = (1.0 - damping) / n + damping * (rank @ transition)
            done = np.abs(updated - rank).sum() < 1e-7
            rank = updated
            if done:
                break
    result: FloatArray = rank * (n / rank.sum())
    return result


@dataclass(frozen=True, slots=True)
class DocumentAnalysis:
    """A document's feature matrix and sentence similarities (for scoring and MMR)."""

    features: FloatArray  # n x len(FEATURES)
    similarity: FloatArray  # n x n cosine similarity of TF-IDF vectors


def analyse_document(
    texts: Sequence[str], title: str | None = None, *, similarity_only: bool = False
) -> DocumentAnalysis:
    """Compute the ranker's content features for each sentence of one document.

    ``similarity_only`` skips the features (an n x 0 matrix) when only the
    sentence similarities are wanted: the lead-anchored ranker's duplicate test.
    """
    n = len(texts)
    vocabulary = _vocabulary()
    words = [_TOKEN.findall(t) for t in texts]
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=n)
    tokens = list(chain.from_iterable(words))
    wids = vocabulary.ids(tokens)
    rows = np.repeat(np.arange(n), lengths)
    content = ~vocabulary.stop[wids]
    stems, local = np.unique(vocabulary.stem[wids[content]], return_inverse=True)
    size = max(1, len(stems))
    counts = np.bincount(rows[content] * size + local, minlength=n * size).reshape(n, size)
    present = counts > 0
    content_words = present.sum(axis=1).astype(np.float64)
    df = present.sum(axis=0)
    idf = np.log((n + 1.0) / (df + 1.0)) + 1.0
    tfidf = np.where(present, 1.0 + np.log(np.maximum(counts, 1)), 0.0) * idf
    unit = _unit_rows(tfidf)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, 1.0)
    empty = content_words == 0
    similarity[empty, :] = 0.0
    similarity[:, empty] = 0.0
    if similarity_only:
        return DocumentAnalysis(features=np.zeros((n, 0)), similarity=similarity)

    others = max(1, n - 1)
    degree = (similarity.sum(axis=1) - np.diag(similarity)) / others
    centroid_vector = tfidf.sum(axis=0)
    centroid = unit @ (centroid_vector / (float(np.linalg.norm(centroid_vector)) or 1.0))
    title_similarity = np.zeros(n)
    if title and len(stems):
        title_words = vocabulary.ids(_TOKEN.findall(title))
        title_stems = vocabulary.stem[title_words[~vocabulary.stop[title_words]]]
        where = np.minimum(np.searchsorted(stems, title_stems), len(stems) - 1)
        where = where[stems[where] == title_stems]  # title words that occur in the text
        if len(where):
            title_vector = np.bincount(where, minlength=size) * idf
            title_similarity = unit @ (title_vector / float(np.linalg.norm(title_vector)))
    safe_words = np.maximum(content_words, 1.0)
    topic_weight = (present * (df / n)).sum(axis=1) / safe_words
    idf_mean = (present * idf).sum(axis=1) / safe_words
    safe_lengths = np.maximum(lengths, 1)
    starts = np.cumsum(lengths) - lengths
    capitals = np.bincount(rows, weights=vocabulary.capital[wids], minlength=n)
    firsts = np.zeros(n)
    firsts[lengths > 0] = vocabulary.capital[wids[starts[lengths > 0]]]
    digits = np.bincount(rows, weights=vocabulary.digit[wids], minlength=n)
    ends = [t.rstrip(_CLOSERS)[-1:] for t in texts]

    columns = {
        "length_log": np.log1p(lengths),
        "length_short": lengths < 6,
        "length_long": lengths > 45,
        "content_ratio": content_words / safe_lengths,
        "lexrank": _lexrank(similarity) if n > 1 else np.ones(n),
        "degree": degree,
        "centroid": centroid,
        "title_similarity": title_similarity,
        "topic_weight": topic_weight,
        "idf_mean": idf_mean,
        "capitalised": (capitals - firsts) / safe_lengths,
        "has_digit": digits > 0,
        "quote": [('"' in t) or ("“" in t) or ("”" in t) for t in texts],
        "quote_opening": [t[:1] in _OPENERS for t in texts],
        "question": [e == "?" for e in ends],
        "unterminated": [e not in _TERMINALS for e in ends],
    }
    matrix = np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in FEATURES])
    return DocumentAnalysis(features=matrix.reshape(n, len(FEATURES)), similarity=similarity)


def score_sentences(analysis: DocumentAnalysis, model: NewsModel | None = None) -> FloatArray:
    """Each sentence's score: lead prior, minus the unterminated penalty, plus weighted content."""
    model = model or load_model()
    features = analysis.features
    n = features.shape[0]
    standard = (features - np.asarray(model.mean)) / np.asarray(model.scale)
    content = standard @ np.asarray(model.coef) + model.intercept
    unterminated = features[:, FEATURES.index("unterminated")]
    title = features[:, FEATURES.index("title_similarity")]
    result: FloatArray = (
        -np.log1p(np.arange(n))
        - model.unterminated_penalty * unterminated
        + model.content_weight * content
        + model.title_weight * title
    )
    return result


def select_mmr(
    scores: FloatArray, similarity: FloatArray, count: int, redundancy: float, duplicate: float
) -> list[int]:
    """Pick ``count`` sentences by maximal marginal relevance, skipping near-duplicates."""
    n = len(scores)
    count = min(count, n)
    chosen: list[int] = []
    closest = np.zeros(n)  # highest similarity to any chosen sentence
    available = np.ones(n, dtype=bool)
    while len(chosen) < count and available.any():
        gain = np.where(available, scores - redundancy * closest, -np.inf)
        pick = int(np.argmax(gain))
        chosen.append(pick)
        available[pick] = False
        closest = np.maximum(closest, similarity[pick])
        available &= closest < duplicate
    if len(chosen) < count:
        # Everything left repeats a pick; fill up with the best of the rest.
        rest = [i for i in np.argsort(-scores, kind="stable").tolist() if i not in chosen]
        chosen.extend(rest[: count - len(chosen)])
    return sorted(chosen)


@dataclass(frozen=True, slots=True)
class LeadRules:
    """When the lead-anchored ranker passes over a sentence (chosen a priori, checked by nested CV).

    A sentence is *defective* as a summary line when it has fewer than
    ``short_words`` words, asks a question, opens with a quote mark (a
    teaser), has no terminal punctuation (a heading, caption or furniture),
    or is at least ``duplicate`` similar (TF-IDF cosine) to a sentence
    already picked.
    """

    short_words: int = 6  # = SHORT_WORDS
    duplicate: float = 0.7


SHORT_WORDS = 6  # the default of LeadRules.short_words


def defects(texts: Sequence[str], short_words: int = SHORT_WORDS) -> list[str | None]:
    """Why each sentence is a defective summary line ("short", "question", ...), or None."""
    out: list[str | None] = []
    for text in texts:
        stripped = text.strip()
        end = stripped.rstrip(_CLOSERS)[-1:]
        if len(_TOKEN.findall(stripped)) < short_words and not _is_cjk(stripped):
            out.append("short")
        elif end == "?" or end == "？":
            out.append("question")
        elif stripped[:1] in _OPENERS:
            out.append("teaser")
        elif end not in _TERMINALS:
            out.append("unterminated")
        else:
            out.append(None)
    return out


def _is_cjk(text: str) -> bool:
    """True when ``text`` is written mostly without spaces (Chinese, Japanese): words uncounted."""
    return sum("\u3000" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in text) > len(text) / 3


def lead_anchored(
    texts: Sequence[str], count: int, similarity: FloatArray, rules: LeadRules = LeadRules()
) -> list[int]:
    """The first ``count`` sound sentences in article order: the lead, unless it is defective.

    Defective sentences (see :class:`LeadRules`) are passed over; when too few
    sound sentences exist, the earliest passed-over ones that repeat nothing
    fill up, so a summary is never short of what the text can give.
    """
    n = len(texts)
    reasons = defects(texts, rules.short_words)
    chosen: list[int] = []
    closest = np.zeros(n)
    for i in range(n):
        if len(chosen) >= count:
            break
        if reasons[i] is None and closest[i] < rules.duplicate:
            chosen.append(i)
            closest = np.maximum(closest, similarity[i])
    for i in range(n):
        if len(chosen) >= count:
            break
        if i not in chosen and closest[i] < rules.duplicate:
            chosen.append(i)
            closest = np.maximum(closest, similarity[i])
    return sorted(chosen)


def news_ranker(
    rules: LeadRules = LeadRules(),
) -> Callable[[list[list[Sentence]], int, str | None], list[int]]:
    """The news ranker with ``rules`` in the registry's protocol (the benchmark varies them)."""

    def rank(paragraphs: list[list[Sentence]], count: int, title: str | None) -> list[int]:
        texts = [s.text for p in paragraphs for s in p]
        if count >= len(texts):
            return list(range(len(texts)))
        similarity = analyse_document(texts, similarity_only=True).similarity
        return lead_anchored(texts, count, similarity, rules)

    return rank


def rank_news(paragraphs: list[list[Sentence]], count: int, title: str | None) -> list[int]:
    """The news ranker in the registry's protocol: flat indices of the picked sentences.

    Lead-anchored: a learned content weight that may override position
    scored above Lead-3 on the data it was chosen on but did not carry over
    to unseen articles, so position leads and only defects move it.
    """
    return _default_ranker(paragraphs, count, title)


_default_ranker = news_ranker()

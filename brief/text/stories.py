"""Stories across sources: cluster the day's articles, summarize each cluster once, rank them.

The same event reported by several feeds becomes one :class:`~brief.models.Story`:
articles are compared by TF-IDF cosine over their title and lead (where a news
story says what it is about), within a time window, and linked when similar
enough; each connected group is one story.  Its summary is multi-document and
extractive: the member articles' own summary sentences, picked so that what
several sources say comes first and no sentence repeats another.  Stories are
ranked by how many sources carry them, whether they mention an actor on the
reader's watchlist, how salient their acting actors are across the day and how
recent they are; a story carried only by a teaser or a sponsor line ranks low.

Summaries are cached (the store's analysis cache when one is given, and an
in-process cache always), and a large batch is summarized across processes.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np

from brief.models import Article, Sentence, Story, Summary
from brief.text.clean import LEAD_CHARS
from brief.text.daywords import _day_words, _distinct
from brief.text.folding import folded

if TYPE_CHECKING:
    from brief.config import Config, SummaryConfig
    from brief.store import AnalysisCache
    from brief.text.news import Learnt

ANALYSER = "brief.summary/2"  # bump when summaries of the same text and settings change
TOP_TERMS = 40  # terms kept per article vector: enough to identify a story, cheap to compare
SIGNATURE_TERMS = 20  # terms a story keeps in the briefing history (its signature across days)
PARALLEL_MIN = 400  # uncached summaries below this run in-process (workers cost ~0.2 s to start)
_CACHE_LIMIT = 20_000
# Two articles are one story's at this cosine, published this close (cluster_stories).
_THRESHOLD = 0.3
_WINDOW_HOURS = 48.0
_BLOCK = 250  # articles compared at a time when clustering (bounds the memory it takes)
# At most this many article pairs in one block (a big day's are fewer): a block's arrays then
# stay in the processor's cache (a 10,000-article day compares quicker than in blocks four
# times the size, and holds half the memory while it does).
_BLOCK_CELLS = 1 << 18


@dataclass(frozen=True, slots=True)
class StoryWeights:
    """How stories are ranked: sources, recency (half-life in hours), watchlist, actors."""

    sources: float = 1.0
    recency: float = 1.0
    half_life_hours: float = 12.0
    watchlist: float = 1.5
    actors: float = 1.0


FULL_WORDS = 80  # an article this long is a full report; shorter ones are teasers
TEASER_FLOOR = 0.3  # how much of its rank a story carried by an empty teaser keeps
AD_FACTOR = 0.15  # and one carried only by an advertisement or a podcast's sponsor line
# Sponsor reads and podcast show notes: a line selling something, not news.
_AD_RE = re.compile(
    # The lookahead on each phrase's first character lets the scan pass most positions fast.
    r"\b(?=[pdcoubs\dftl])(?:\b(?:promo|discount|coupon|offer) code\b|\buse code\b|"
    r"\bsponsored by\b|\bbrought to you by\b|\b\d{1,2}% off\b|\bfree trial\b|\bthis episode\b|"
    r"\bsubscribe (?:now|today|to (?:the|our) (?:podcast|show))\b|\blisten (?:now|on)\b)",
    re.IGNORECASE,
)
# Every phrase _AD_RE finds holds one of these words in some case, so a lead whose lower
# case has none of them has no ad (the regex is most of article_substance's time).  The
# exception, a text that folding.folded does not lower-case for IGNORECASE: it is searched.
_AD_WORDS = ("code", "sponsored", "brought", "% off", "trial", "episode", "subscribe", "listen")
# And it holds one of these phrases (a phrase's letters and spaces are literal in the
# regex): the few leads that have a word above and none of these (a "trial" or a
# "code" in the news) need no regex either.
_AD_PHRASES = (
    *("promo code", "discount code", "coupon code", "offer code", "use code"),
    *("sponsored by", "brought to you by", "% off", "free trial", "this episode"),
    *("subscribe now", "subscribe today", "subscribe to ", "listen now", "listen on"),
)


def ad_count(text: str) -> int:
    """How many sponsor or advertising phrases ``text`` carries (``_AD_RE``'s matches)."""
    lower = folded(text)
    if lower is not None and (
        not any(w in lower for w in _AD_WORDS) or not any(p in lower for p in _AD_PHRASES)
    ):
        return 0
    return len(_AD_RE.findall(text))


# --- clustering -------------------------------------------------------------


def _article_vectors(
    articles: Sequence[Article], leads: Sequence[str | None] = ()
) -> tuple[_Rows, np.ndarray, np.ndarray]:
    """Sparse, L2-normalised TF-IDF rows over title + lead, each row's norm (0 = empty), and
    the stem id of each column.

    ``leads`` may give each article's :func:`~brief.text.clean.clean_lead` (None where
    not known), worked out before (the actor analysis records it with its cache).
    """
    from brief.text.clean import clean_lead
    from brief.text.news import _vocabulary

    vocabulary = _vocabulary()
    if len(leads) != len(articles):
        leads = [None] * len(articles)
    # The title counts twice: it names the story; the lead is read without furniture.
    texts = (
        f"{article.title}\n{article.title}\n"
        + (clean_lead(article.text, LEAD_CHARS) if lead is None else lead)
        for article, lead in zip(articles, leads, strict=True)
    )
    # Every token of the day, as its text's number and its word's place in the day's
    # list of words; every new word is learnt in one batch, then each word looked up once.
    # (The texts are made one at a time, each kept only as the bytes that are read.)
    rows, places, day_list = _day_words(texts)
    vocabulary.learn(day_list)
    known = vocabulary.__getitem__  # (every word learnt just above)
    word_ids = np.fromiter(map(known, day_list), dtype=np.int64, count=len(day_list))
    del day_list
    # What a token is (kept or not, its stem, its column) is its word's: worked out per
    # word, then looked up per token (the columns are the day's kept stems in order).
    kept_word = ~vocabulary.stop[word_ids] & ~vocabulary.digit[word_ids]
    word_stems = vocabulary.stem[word_ids]
    terms = _distinct(np.sort(word_stems[kept_word]))
    word_columns = np.searchsorted(terms, word_stems)
    keep = kept_word[places]
    columns = word_columns[places[keep]]
    rows = rows[keep]
    del places, keep  # (each token array goes as soon as the next is made: a big day's are large)
    n = len(articles)
    width = max(1, len(terms))
    # Each row's distinct terms in column order, with how often each occurs.  (The cells
    # come row by row, so a stable sort, which merges sorted runs, is twice as fast.)
    # (The rows are 32-bit numbers: the cells are reckoned in 64 bits, sorted in place.)
    cells = rows * np.int64(width)
    cells += columns
    del rows, columns
    cells.sort(kind="stable")
    firsts = np.flatnonzero(np.diff(cells, prepend=-1))
    occurrences = np.diff(firsts, append=len(cells))
    cells = cells[firsts]
    rows, cols = np.divmod(cells, width)
    del cells
    df = np.bincount(cols, minlength=width)
    # Terms in very many articles name no particular story (only cut on big days,
    # so a small day's shared story words are kept).
    common = df > max(50, 0.02 * n)
    idf = np.log((n + 1.0) / (df + 1.0)) + 1.0
    idf[common] = 0.0
    data = (1.0 + np.log(occurrences.astype(np.float64))) * idf[cols]
    # The common terms' entries weigh nothing: they go (each array replaced in turn, so
    # no two copies of all three are held).
    nonzero = np.flatnonzero(data)
    rows = rows[nonzero]
    cols = cols[nonzero]
    data = data[nonzero]
    del nonzero
    rows, cols, data = _top_terms(rows, cols, data, n, TOP_TERMS)
    lengths = np.bincount(rows, minlength=n)
    starts = np.concatenate(([0], np.cumsum(lengths)))
    norms = np.sqrt(_row_sums(data * data, starts))
    scale = np.where(norms > 0, 1.0 / np.maximum(norms, 1e-12), 0.0)
    # Each row's terms from the last column to the first: the order the sums of
    # products over shared terms are taken in (the cosines, to the last bit, as
    # brief has always computed them).  The entries come in (row, column) order: each
    # row's are reversed in place.
    order = (starts[:-1] + starts[1:] - 1)[rows] - np.arange(len(rows))
    matrix = _Rows(starts, cols[order], scale[rows] * data[order], width)
    return matrix, norms, terms


@dataclass(frozen=True)
class _Rows:
    """Sparse rows (compressed: row i's columns are ``indices[indptr[i]:indptr[i + 1]]``,
    their weights ``data`` at the same places), numpy arrays only."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int

    def row_of_entries(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))


def _row_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per row, the sum of its entries' ``values`` (rows given by their ``starts``)."""
    sums = np.zeros(len(starts) - 1)
    filled = np.flatnonzero(np.diff(starts))
    if filled.size:
        sums[filled] = np.add.reduceat(values, starts[filled])
    return sums


def _top_terms(
    rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n: int, keep: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``keep`` heaviest entries (vectorized over all rows; none weighs 0),
    entries in (row, column) order as given."""
    lengths = np.bincount(rows, minlength=n)
    if lengths.size == 0 or lengths.max() <= keep:
        return rows, cols, data
    # Rank entries within their row by weight: sort by (row, -weight).
    order = np.lexsort((-data, rows))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rank = np.arange(len(order)) - np.repeat(starts, lengths)
    chosen = np.sort(order[rank < keep])
    return rows[chosen], cols[chosen], data[chosen]


def _links(
    matrix: _Rows, stamps: np.ndarray, threshold: float, window_hours: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The linked pairs of rows as sparse rows (``indptr``, ``indices``, cosines): those
    sharing a term whose cosine is at least ``threshold``, published (``stamps``, NaN:
    undated) within ``window_hours``; each row's links in column order, none to itself.

    A pair's cosine is the sum of its products over the shared terms in the first
    row's order (last column first), from 0.0 up, as brief has always added them.
    """
    n = len(matrix.indptr) - 1
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    entry_rows = matrix.row_of_entries()
    # The matrix by columns: each term's articles in order, with their weights.
    # (A stable sort of 16-bit numbers is a radix sort: columns fit in most days.)
    by_term = np.argsort(
        indices.astype(np.uint16) if matrix.width <= 1 << 16 else indices, kind="stable"
    )
    term_rows, term_data = entry_rows[by_term], data[by_term]
    term_counts = np.bincount(indices, minlength=matrix.width)
    term_starts = np.concatenate(([0], np.cumsum(term_counts)[:-1]))
    # Each entry's place among its term's articles: the ones after it are later rows.
    place = np.empty(len(by_term), dtype=np.int64)
    place[by_term] = np.arange(len(by_term)) - np.repeat(term_starts, term_counts)
    rows_parts, cols_parts, sims_parts = [], [], []
    # Compare in blocks of rows and keep only links above the threshold, so memory stays
    # bounded however many articles there are.  Each row is compared with the later rows
    # only: a pair's cosine is the same sum of the same products either way round (the
    # shared terms come in column order in both rows), so each link is found once and
    # given to both its articles.
    start = 0
    while start < n:
        span = n - start  # (the rows a row of this block can be compared with, and itself)
        stop = min(n, start + max(1, min(_BLOCK, _BLOCK_CELLS // span)))
        lo, hi = indptr[start], indptr[stop]
        terms_here = indices[lo:hi]
        first = place[lo:hi] + 1
        counts = term_counts[terms_here] - first
        # Every (row entry, later article sharing its term) pair, row by row, each row's
        # terms in its order: the products are summed per pair of articles in that order.
        before = np.cumsum(counts) - counts
        at = np.arange(int(counts.sum())) + np.repeat(
            term_starts[terms_here] + first - before, counts
        )
        pair = np.repeat(entry_rows[lo:hi] - start, counts) * span + (term_rows[at] - start)
        products = np.repeat(data[lo:hi], counts) * term_data[at]
        cosines = np.bincount(pair, weights=products, minlength=(stop - start) * span)
        # Most pairs share a term or two and stay far below the threshold: comparing
        # first leaves few cells to find (the scan for nonzero ones was most of the time).
        # A pair that shares no term is never linked, whatever the threshold.
        close = cosines >= threshold
        if threshold <= 0:
            close &= cosines != 0
        linked = np.flatnonzero(close)
        rows, cols = np.divmod(linked, span)
        rows += start
        cols += start
        sims = cosines[linked]
        apart = np.abs(stamps[rows] - stamps[cols]) > window_hours * 3600.0  # NaN: close
        rows_parts.append(rows[~apart])
        cols_parts.append(cols[~apart])
        sims_parts.append(sims[~apart])
        start = stop
    earlier = np.concatenate(rows_parts)
    later = np.concatenate(cols_parts)
    sims = np.concatenate(sims_parts)
    rows = np.concatenate((earlier, later))
    cols = np.concatenate((later, earlier))
    sims = np.concatenate((sims, sims))
    by_link = np.lexsort((cols, rows))
    rows, cols, sims = rows[by_link], cols[by_link], sims[by_link]
    # The links, row by row in column order (the order the rows come in).
    return np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n)))), cols, sims


def cluster_stories(
    articles: Sequence[Article],
    *,
    now: datetime | None = None,
    threshold: float = _THRESHOLD,
    window_hours: float = _WINDOW_HOURS,
    vectors: tuple[_Rows, np.ndarray] | None = None,
    leads: Sequence[str | None] = (),
) -> list[list[Article]]:
    """Group articles that report the same story; every article lands in exactly one group.

    Two articles are linked when the TF-IDF cosine of their title + lead is at
    least ``threshold`` and they were published within ``window_hours`` of
    each other (an undated article is close to everything; ``now`` dates
    nothing, it is accepted for symmetry with the ranking).  Groups are stars:
    the best-linked article not yet taken leads a group of its linked
    articles not yet taken.  The lead comes first (it represents the story),
    then the rest newest first; groups come in the order of their first
    member in the input.  ``vectors`` are the articles' rows and norms when the caller
    has them already (:func:`build_stories` keeps them for the stories' signatures);
    else they are made here, with ``leads`` (each article's clean lead, if known).
    """
    if len(articles) < 2:
        return [list(articles)] if articles else []  # nothing to link: no vectors needed
    matrix, norms = vectors if vectors is not None else _article_vectors(articles, leads)[:2]
    groups = _star_groups(matrix, norms, _stamps(articles), threshold, window_hours)
    return [[articles[i] for i in group] for group in groups]


def _stamps(articles: Sequence[Article]) -> np.ndarray:
    """Each article's publication time (seconds since the epoch; NaN: undated)."""
    return np.array(
        [a.published.timestamp() if a.published else np.nan for a in articles], dtype=np.float64
    )


def _star_groups(
    matrix: _Rows, norms: np.ndarray, stamps: np.ndarray, threshold: float, window_hours: float
) -> list[list[int]]:
    """:func:`cluster_stories`' groups, as the rows (articles) in each."""
    n = len(stamps)
    indptr, indices, sims = _links(matrix, stamps, threshold, window_hours)
    centrality = _row_sums(sims, indptr)
    # Star clustering: the best-connected article leads a story and takes its
    # direct neighbours; no chains of "similar to something similar" that
    # would merge unrelated stories on a busy day.
    order = np.lexsort((norms <= 0, -centrality))  # (stable: ties in input order)
    leader = np.full(n, -1, dtype=np.int64)
    for i in order.tolist():
        if leader[i] >= 0:
            continue
        leader[i] = i
        neighbours = indices[indptr[i] : indptr[i + 1]]
        free = neighbours[leader[neighbours] < 0]
        leader[free] = i
    groups: OrderedDict[int, list[int]] = OrderedDict()
    for index, head in enumerate(leader.tolist()):
        groups.setdefault(head, []).append(index)
    # Newest first, undated last; a group's members come in input order, which the
    # stable sort keeps among equals.
    age = [-stamp if not math.isnan(stamp) else math.inf for stamp in stamps.tolist()]
    out: list[list[int]] = []
    for head, members in groups.items():
        rest = sorted((i for i in members if i != head), key=age.__getitem__)
        out.append([head, *rest])
    return out


@dataclass(frozen=True)
class Clustered:
    """What clustering a day gives: the articles' vectors (rows, norms, terms), their
    story groups (rows), each article's :func:`article_substance`, and (from a forked
    process, :mod:`brief.text.clusterfork`) what its vocabulary learnt meanwhile."""

    vectors: tuple[_Rows, np.ndarray, np.ndarray]
    groups: list[list[int]]
    substance: list[float]
    learnt: Learnt | None = None


# --- summaries, cached and in parallel ----------------------------------------

_memory: OrderedDict[tuple[str, str], tuple[tuple[int, int, int], ...]] = OrderedDict()


def _settings_key(config: SummaryConfig) -> str:
    return (
        f"{config.algorithm}:{config.sentences}:{config.ratio}:{config.max_input_sentences}"
        f":{config.words}"
    )


def _content_hash(article: Article) -> str:
    from brief.store import article_hash

    return article_hash(article)


def _from_spans(article: Article, algorithm: str, spans: Sequence[Sequence[int]]) -> Summary | None:
    """Rebuild a cached summary, or None when the spans do not fit this text."""
    sentences = []
    for index, start, end in spans:
        if not 0 <= start < end <= len(article.text):
            return None
        sentences.append(Sentence(text=article.text[start:end], index=index, start=start, end=end))
    return Summary(article_id=article.id, algorithm=algorithm, sentences=tuple(sentences))


Spans = tuple[tuple[int, int, int], ...]


def _summarize_one(item: tuple[Article, SummaryConfig]) -> tuple[Spans, str | None]:
    """Worker body: one article's summary as (index, start, end) spans, and why it degraded.

    A summarizer failure in one article gives that article its lead sentences
    (or its first line) and a reason, never an exception that ends the run.
    """
    from brief.text.summarize import summarize_article

    article, config = item
    try:
        summary = summarize_article(article, config)
        return tuple((s.index, s.start, s.end) for s in summary.sentences), None
    except Exception as exc:  # one bad article must not take the briefing down
        reason = f"{type(exc).__name__}: {str(exc)[:120]}".rstrip(": ")
    try:
        from brief.text.sentences import split_sentences

        lead = split_sentences(article.text[:20_000])[: max(1, config.sentences)]
        return tuple((s.index, s.start, s.end) for s in lead), reason
    except Exception:  # even splitting failed: the first line stands for the article
        end = article.text.find("\n")
        end = min(len(article.text), 300) if end <= 0 else min(end, 300)
        return ((0, 0, end),) if end > 0 else (), reason


def summarize_many(
    articles: Sequence[Article],
    config: SummaryConfig,
    *,
    cache: AnalysisCache | None = None,
    workers: int | None = None,
    parallel_min: int = PARALLEL_MIN,
    failures: dict[str, str] | None = None,
) -> dict[str, Summary]:
    """Summaries of many articles by id: cached ones reused, the rest computed.

    With at least ``parallel_min`` uncached articles and more than one core
    (or ``workers``), they are summarized by a process pool in chunks;
    otherwise in this process, which is faster for small batches.  An article
    whose summary failed gets its lead sentences, is not cached, and its id
    and the reason go into ``failures``.  The new summaries are cached in one
    transaction.
    """
    key = _settings_key(config)
    results: dict[str, Summary] = {}
    todo: list[tuple[Article, str]] = []
    for article in articles:
        if article.id in results:
            continue
        digest = _content_hash(article)
        spans = _memory.get((digest, key))
        if spans is None and cache is not None:
            stored = cache.get_analysis(digest, ANALYSER, key)
            if stored is not None:
                try:
                    spans = tuple(tuple(int(v) for v in span) for span in json.loads(stored))  # type: ignore[misc]
                except (ValueError, TypeError):
                    spans = None
        summary = _from_spans(article, config.algorithm, spans) if spans is not None else None
        if summary is None:
            todo.append((article, digest))
        else:
            results[article.id] = summary
    if not todo:
        return results
    cores = workers if workers is not None else (os.cpu_count() or 1)
    items = [(article, config) for article, _ in todo]
    if cores > 1 and len(items) >= parallel_min:
        chunk = max(8, len(items) // (cores * 4))
        from concurrent.futures import ProcessPoolExecutor  # (only a big batch needs it)

        with ProcessPoolExecutor(max_workers=cores) as pool:
            computed = list(pool.map(_summarize_one, items, chunksize=chunk))
    else:
        computed = [_summarize_one(item) for item in items]
    kept: list[tuple[str, str]] = []  # (content hash, spans): cached in one transaction
    for (article, digest), (spans, failure) in zip(todo, computed, strict=True):
        if failure is not None:
            if failures is not None:
                failures[article.id] = failure
        else:
            _memory[(digest, key)] = spans
            kept.append((digest, json.dumps(spans)))
        summary = _from_spans(article, config.algorithm, spans)
        if summary is not None:
            results[article.id] = summary
    if cache is not None:
        from brief.store.analyses import write_analyses

        write_analyses(cache, ANALYSER, key, kept)
    while len(_memory) > _CACHE_LIMIT:
        _memory.popitem(last=False)
    return results


# --- one summary per story ------------------------------------------------------


def summarize_story(
    articles: Sequence[Article],
    config: SummaryConfig,
    *,
    summaries: dict[str, Summary] | None = None,
    cache: AnalysisCache | None = None,
    exclude: Container[str] = (),
    limit: int | None = None,
) -> tuple[str, ...]:
    """A multi-document extractive summary of one story, without repeated sentences.

    Candidates are each article's own summary sentences.  A candidate scores by
    how much the other sources agree with it (its similarity to their
    candidates), by its rank in its own article's summary, and a little for
    coming from the lead article; picks skip anything too close to one
    already made.  The result keeps the lead article's sentences first.  A candidate
    whose :func:`~brief.store.history.sentence_key` is in ``exclude`` (the reader saw it
    in an earlier briefing) is never picked.  ``limit`` caps the number of sentences
    (default: as many as the lead article's summary has).
    """
    if not articles:
        return ()
    summaries = summaries or summarize_many(articles, config, cache=cache)
    candidates: list[tuple[int, int, str]] = []  # (article number, rank, text)
    for number, article in enumerate(articles):
        summary = summaries.get(article.id)
        if summary is None:
            continue
        for position, sentence in enumerate(summary.sentences):
            candidates.append((number, position, sentence.text))
    if exclude:
        from brief.store.history import sentence_key

        candidates = [c for c in candidates if sentence_key(c[2]) not in exclude]
    if not candidates:
        return ()
    wanted = len(summaries.get(articles[0].id, Summary("", "", ())).sentences) or config.sentences
    wanted = max(1, min(wanted, limit or wanted, len(candidates)))
    if len(articles) == 1:
        return tuple(text for _, _, text in candidates[:wanted])

    from brief.text.news import analyse_document, select_mmr

    texts = [text for _, _, text in candidates]
    similarity = analyse_document(texts).similarity
    owner = np.array([number for number, _, _ in candidates])
    rank = np.array([r for _, r, _ in candidates], dtype=np.float64)
    other = owner[:, None] != owner[None, :]
    support = np.where(other, similarity, 0.0).max(axis=1, initial=0.0)
    agreement = (np.where(other, similarity, 0.0)).sum(axis=1) / max(1, len(articles) - 1)
    scores = support + agreement - 0.3 * np.log1p(rank) + 0.2 * (owner == 0)
    picked = select_mmr(scores, similarity, wanted, 1.0, 0.5)
    # Read in story order: lead article first, each article's sentences in its order.
    picked.sort(key=lambda i: (owner[i], rank[i]))
    seen: set[str] = set()
    out: list[str] = []
    used = 0
    for i in picked:
        key = " ".join(texts[i].casefold().split())
        size = len(texts[i].split())
        if key not in seen and (not out or not config.words or used + size <= config.words):
            seen.add(key)
            out.append(texts[i])
            used += size
    return tuple(out)


# --- ranking and the briefing's stories ------------------------------------------


def _watch_pattern(config: Config) -> re.Pattern[str] | None:
    """One regex matching any watched actor's name or alias as a whole word."""
    names = {n for actor in config.actors.watch for n in (actor.name, *actor.aliases) if n}
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _word_count(text: str, enough: int) -> int:
    """``len(text.split())``, or a smaller count that is still at least ``enough``.

    Each word of a prefix of the text is (the start of) a word of the text, so when
    the prefix holds ``enough`` words the rest need not be split.
    """
    prefix = 8 * enough  # characters (a word and its space take six on average)
    if len(text) > prefix:
        words = _split_count(text[:prefix])
        if words >= enough:
            return words
    return _split_count(text)


# ASCII bytes to b" " where str.split splits (whitespace), else to b"x".
_WHITESPACE = bytes(ord(" ") if chr(c).isspace() else ord("x") for c in range(128)) + b"x" * 128


def _split_count(text: str) -> int:
    """``len(text.split())``: for ASCII, the runs of b"x" once whitespace is b" " and the
    rest b"x" (no list of words made)."""
    if not text.isascii():
        return len(text.split())
    marks = text.encode("ascii").translate(_WHITESPACE)
    return marks.count(b" x") + marks.startswith(b"x")


def article_substance(article: Article) -> float:
    """How much news an article carries, 0..1: 1 for a full report, less for a teaser
    (a few words, or the title again), least for an advertisement or sponsor line.
    """
    title_words = len(article.title.split())
    words = _word_count(article.text, max(FULL_WORDS, title_words + 1))
    if (
        words
        and words == title_words  # (else the texts cannot be the same)
        and " ".join(article.text.split()).casefold() == " ".join(article.title.split()).casefold()
    ):
        words = 0  # the title again, nothing more
    share = min(1.0, words / FULL_WORDS)
    substance = TEASER_FLOOR + (1.0 - TEASER_FLOOR) * share
    ads = ad_count(article.text[:LEAD_CHARS])
    if ads and (words < FULL_WORDS or ads >= 2):
        substance *= AD_FACTOR
    return substance


def story_score(
    articles: Sequence[Article],
    now: datetime,
    watch: re.Pattern[str] | None = None,
    weights: StoryWeights = StoryWeights(),
    actors: float = 0.0,
    substance: float | None = None,
) -> float:
    """A story's rank: more sources, watched and salient actors (``actors``, 0..1), more
    recent first; a story carried only by teasers or sponsor lines keeps a fraction of it.
    ``substance`` is its articles' highest :func:`article_substance`, when known.
    """
    sources = len({a.source_name for a in articles} | {s for a in articles for s in a.also_in})
    dated = [a.published for a in articles if a.published is not None]
    if dated:
        age_hours = max(0.0, (now - max(dated)).total_seconds() / 3600.0)
        recency = 0.5 ** (age_hours / weights.half_life_hours)
    else:
        recency = 0.5  # undated (local files, samples): neither fresh nor stale
    watched = 0
    if watch is not None:
        found = {
            m.group(0)
            for a in articles
            for m in watch.finditer(f"{a.title}\n{a.text[:LEAD_CHARS]}")
        }
        watched = min(2, len(found))
    if substance is None:
        substance = max((article_substance(a) for a in articles), default=0.0)
    return float(
        substance
        * (
            weights.sources * math.log2(1 + sources)
            + weights.recency * recency
            + weights.watchlist * watched
            + weights.actors * actors
        )
    )


def build_stories(
    articles: Sequence[Article],
    config: Config,
    *,
    now: datetime | None = None,
    cache: AnalysisCache | None = None,
    workers: int | None = None,
    actor_weights: Mapping[str, float] | None = None,
    failures: dict[str, str] | None = None,
    leads: Sequence[str | None] = (),
    choose: Callable[[list[list[Article]]], list[list[Article]]] | None = None,
    exclude: Container[str] = (),
    clustered: Clustered | None = None,
) -> tuple[Story, ...]:
    """The briefing's stories: clustered, ranked, cut to ``max_stories`` and summarized.

    ``choose`` (ranked article groups → the ones to keep) replaces the plain cut, for
    sections with a cap each (:mod:`brief.briefing.sections`).

    ``actor_weights`` (article id → 0..1) says how salient the actors acting in
    each article are across the day (:meth:`brief.actors.briefs.DayActors.article_weights`);
    a story weighs as its weightiest article.  Articles whose summary failed (lead
    sentences stand in) land in ``failures``.  Each story carries its signature (the
    heaviest terms of its articles' clustering vectors); summaries never show a sentence
    whose key is in ``exclude`` (see :func:`summarize_story`).  ``leads``, when given,
    are the articles' clean leads in order (None where unknown), so clustering need not
    clean them again; ``clustered``, when given, is that work done already (for the
    same ``articles``).
    """
    if not articles:
        return ()
    now = now or datetime.now(UTC)
    watch = _watch_pattern(config)
    # One bundled sample needs no vectors (no clustering, and samples have no memory).
    vectorize = len(articles) > 1 or not articles[0].evergreen
    vectors: tuple[_Rows, np.ndarray, np.ndarray] | None
    substance = None  # (each article's, when worked out with the clustering)
    if vectorize and clustered is not None:
        vectors, substance = clustered.vectors, clustered.substance
        groups = [[articles[i] for i in group] for group in clustered.groups]
    else:
        vectors = _article_vectors(articles, leads) if vectorize else None
        groups = cluster_stories(
            articles, now=now, vectors=(vectors[0], vectors[1]) if vectors is not None else None
        )
    rows = {id(a): i for i, a in enumerate(articles)}
    weights = actor_weights or {}

    def score(group: list[Article]) -> float:
        actors = max((weights.get(a.id, 0.0) for a in group), default=0.0)
        most = None if substance is None else max(substance[rows[id(a)]] for a in group)
        return story_score(group, now, watch, actors=actors, substance=most)

    scores = [score(group) for group in groups]
    order = sorted(range(len(groups)), key=lambda g: (-scores[g], g))
    if choose is not None:
        chosen = choose([groups[g] for g in order])
    else:
        chosen = [groups[g] for g in order[: config.briefing.max_stories]]
    summaries = summarize_many(
        [a for group in chosen for a in group],
        config.summary,
        cache=cache,
        workers=workers,
        failures=failures,
    )
    stories = []
    for group in chosen:
        summary = summarize_story(group, config.summary, summaries=summaries, exclude=exclude)
        if exclude:
            summary = _top_up(group, summary, config.summary, summaries, exclude, cache)
        signature = (
            _signature(vectors[0], vectors[2], [rows[id(a)] for a in group])
            if vectors is not None
            else ()
        )
        stories.append(
            Story(
                id=group[0].id,
                title=group[0].title,
                articles=tuple(group),
                summary=summary,
                terms=signature,
            )
        )
    return tuple(stories)


def _top_up(
    group: list[Article],
    summary: tuple[str, ...],
    config: SummaryConfig,
    summaries: dict[str, Summary],
    exclude: Container[str],
    cache: AnalysisCache | None,
) -> tuple[str, ...]:
    """A story's summary when sentences the reader saw were left out: chosen again from
    longer article summaries (as many more sentences as were left out), so a follow-up
    that repeats its background still shows its new reporting at full length."""
    from brief.store.history import sentence_key

    dropped = sum(
        sentence_key(s.text) in exclude
        for a in group
        if a.id in summaries
        for s in summaries[a.id].sentences
    )
    if not dropped or config.ratio > 0:
        return summary
    lead = summaries.get(group[0].id)
    limit = len(lead.sentences) if lead is not None and lead.sentences else config.sentences
    deeper = replace(config, sentences=config.sentences + dropped)
    more = summarize_many(group, deeper, cache=cache)
    return summarize_story(group, deeper, summaries=more, exclude=exclude, limit=limit) or summary


def _signature(matrix: _Rows, terms: np.ndarray, rows: list[int]) -> tuple[tuple[str, float], ...]:
    """A story's signature: the ``SIGNATURE_TERMS`` heaviest stems of its articles' summed
    clustering vectors, L2-normalised, as (stem, weight) pairs."""
    from brief.text.news import _vocabulary

    summed = np.zeros(matrix.width)
    for row in rows:  # (the rows' weights added in the story's order)
        cells = slice(matrix.indptr[row], matrix.indptr[row + 1])
        summed[matrix.indices[cells]] += matrix.data[cells]
    top = np.argsort(-summed, kind="stable")[:SIGNATURE_TERMS]
    top = top[summed[top] > 0]
    if top.size == 0:
        return ()
    weights = summed[top] / float(np.sqrt(np.sum(summed[top] ** 2)))
    names = _vocabulary().stem_names(int(t) for t in terms[top])
    return tuple((name, round(float(w), 4)) for name, w in zip(names, weights, strict=True))

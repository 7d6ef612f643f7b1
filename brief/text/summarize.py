"""One registry of extractive summarizers (sumy's algorithms and brief's own), offline."""

from __future__ import annotations

import warnings
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from brief.algorithms import SUMMARY_ALGORITHMS
from brief.errors import BriefError
from brief.models import Sentence, Summary

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from brief.config import SummaryConfig
    from brief.models import Article

    # A ranker gets the (capped, de-duplicated) paragraphs, the number of sentences
    # wanted and the title, and returns the flat indices of its picks.
    Ranker = Callable[[list[list[Sentence]], int, "str | None"], list[int]]

# The names live in brief/algorithms.py: config checks them without importing this module.
_ALGORITHMS = SUMMARY_ALGORITHMS

# Edmundson's cue method needs words that make a sentence more (bonus) or less
# (stigma) likely to matter; these are chosen for news prose.
_EDMUNDSON_BONUS = (
    "announced", "according", "said", "says", "confirmed", "agreed", "decided", "found",
    "killed", "elected", "approved", "launched", "reported", "revealed", "warned",
    "first", "new", "major", "significant", "important", "key", "president", "government",
    "minister", "officials", "police", "court", "percent", "million", "billion",
)  # fmt: skip
_EDMUNDSON_STIGMA = (
    "advertisement", "click", "subscribe", "newsletter", "photo", "video", "gallery",
    "caption", "copyright", "follow", "share", "comments", "perhaps", "maybe", "hardly",
    "meanwhile", "incidentally", "read", "sign", "cookies",
)  # fmt: skip


def algorithm_names() -> tuple[str, ...]:
    """Every summarizer a config or the command line may name (cheap: imports nothing)."""
    return _ALGORITHMS


def check_algorithm(name: str) -> None:
    """Raise BriefError naming the known algorithms when ``name`` is not one of them."""
    if name not in _ALGORITHMS:
        raise BriefError(
            f"unknown summary algorithm {name!r}",
            "choose one of " + ", ".join(_ALGORITHMS),
        )


def summary_length(total: int, sentences: int = 3, ratio: float = 0.0) -> int:
    """How many sentences a summary of ``total`` sentences gets (a ratio > 0 wins, at least 1)."""
    if total <= 0:
        return 0
    wanted = max(1, round(total * ratio)) if ratio > 0 else max(1, sentences)
    return min(wanted, total)


def summarize_text(
    text: str,
    *,
    algorithm: str = "lexrank",
    sentences: int = 3,
    ratio: float = 0.0,
    max_input_sentences: int = 400,
    title: str | None = None,
    words: int = 0,
    ranker: Ranker | None = None,
) -> list[Sentence]:
    """Pick the summary sentences of ``text`` with ``algorithm``; they come back in article order.

    The text is cleaned first (:mod:`brief.text.clean`: glued captions and
    furniture out, datelines trimmed; offsets still index ``text``).
    ``ratio > 0`` asks for that fraction of the sentences (at least one)
    instead of a fixed count; ``words > 0`` is a word budget: picks that
    would take the summary over it are left out (the first pick always
    stays).  Only the first ``max_input_sentences`` sentences are
    considered, so the cost stays bounded however long the input.
    ``ranker`` replaces the algorithm's ranking (the benchmarks vary rules).
    """
    check_algorithm(algorithm)
    from brief.text.clean import clean_paragraphs

    paragraphs = clean_paragraphs(text)
    total = sum(len(p) for p in paragraphs)
    count = summary_length(total, sentences, ratio)
    if count == 0:
        return []
    paragraphs = prepare_paragraphs(paragraphs, max_input_sentences)
    flat = [s for p in paragraphs for s in p]
    count = min(count, len(flat))
    if count >= len(flat):
        return within_budget(flat, words)
    picks = (ranker or _ranker(algorithm))(paragraphs, count, title)
    # A ranker may come back short (sumy's LSA returns nothing when no sentence
    # has a content word); fill up from the lead so a summary is never empty.
    chosen = list(dict.fromkeys(i for i in picks if 0 <= i < len(flat)))[:count]
    for i in range(len(flat)):
        if len(chosen) >= count:
            break
        if i not in chosen:
            chosen.append(i)
    return within_budget([flat[i] for i in sorted(chosen)], words)


def word_count(text: str) -> int:
    """Words in ``text`` as a reader counts them (whitespace-separated)."""
    return len(text.split())


def within_budget(picked: Sequence[Sentence], words: int) -> list[Sentence]:
    """The picks, in order, that fit a budget of ``words`` (0: none); the first always stays."""
    if words <= 0 or not picked:
        return list(picked)
    out = [picked[0]]
    used = word_count(picked[0].text)
    for sentence in picked[1:]:
        size = word_count(sentence.text)
        if used + size <= words:
            out.append(sentence)
            used += size
    return out


def summarize_article(article: Article, config: SummaryConfig) -> Summary:
    """Summarize one article with the configured algorithm, length and word budget."""
    picked = summarize_text(
        article.text,
        algorithm=config.algorithm,
        sentences=config.sentences,
        ratio=config.ratio,
        max_input_sentences=config.max_input_sentences,
        title=article.title or None,
        words=config.words,
    )
    return Summary(article_id=article.id, algorithm=config.algorithm, sentences=tuple(picked))


def prepare_paragraphs(paragraphs: list[list[Sentence]], limit: int) -> list[list[Sentence]]:
    """Cap the input at ``limit`` sentences and drop repeated sentences (keeping the first)."""
    limit = max(1, limit)
    seen: set[str] = set()
    out: list[list[Sentence]] = []
    kept = 0
    for paragraph in paragraphs:
        keep: list[Sentence] = []
        for sentence in paragraph:
            if kept >= limit:
                break
            key = sentence.text.casefold()
            if key in seen:
                continue
            seen.add(key)
            keep.append(sentence)
            kept += 1
        if keep:
            out.append(keep)
        if kept >= limit:
            break
    return out


def _ranker(name: str) -> Ranker:
    """The ranking function registered under ``name``."""
    if name == "lead":
        return _rank_lead
    if name == "news":
        from brief.text.news import rank_news

        return rank_news
    return lambda paragraphs, count, title: _rank_with_sumy(name, paragraphs, count, title)


def _rank_lead(paragraphs: list[list[Sentence]], count: int, title: str | None) -> list[int]:
    """The first ``count`` sentences: the news baseline (Lead-k)."""
    return list(range(count))


@lru_cache(maxsize=1)
def cached_stemmer() -> Callable[[str], str]:
    """sumy's English Snowball stemmer (needs no downloaded data), memoized per word."""
    from sumy.nlp.stemmers import Stemmer

    stem: Callable[[str], str] = lru_cache(maxsize=200_000)(Stemmer("english"))
    return stem


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """sumy's English stop words (shipped inside the sumy package)."""
    from sumy.utils import get_stop_words

    words: frozenset[str] = get_stop_words("english")
    return words


@cache
def _sumy_summarizer(name: str) -> Any:
    """A configured sumy summarizer for ``name`` (built once, reused)."""
    from sumy.summarizers.edmundson import EdmundsonSummarizer
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.reduction import ReductionSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    classes: dict[str, Any] = {
        "lexrank": LexRankSummarizer,
        "lsa": LsaSummarizer,
        "luhn": LuhnSummarizer,
        "textrank": TextRankSummarizer,
        "edmundson": EdmundsonSummarizer,
        "kl": KLSummarizer,
        "sumbasic": SumBasicSummarizer,
        "reduction": ReductionSummarizer,
    }
    summarizer = classes[name](cached_stemmer())
    if name == "edmundson":
        summarizer.bonus_words = _EDMUNDSON_BONUS
        summarizer.stigma_words = _EDMUNDSON_STIGMA
        summarizer.null_words = stop_words()
    else:
        summarizer.stop_words = stop_words()
    return summarizer


def _rank_with_sumy(
    name: str, paragraphs: Sequence[Sequence[Sentence]], count: int, title: str | None
) -> list[int]:
    """Run sumy's ``name`` summarizer over our own sentences and map its picks back."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence

    from brief.text.sentences import OfflineTokenizer

    tokenizer = OfflineTokenizer()
    stops = stop_words()
    position: dict[int, int] = {}
    dom_paragraphs = []
    flat = 0
    for number, paragraph in enumerate(paragraphs):
        items = []
        if number == 0 and title and title.strip():
            # The title as a heading feeds Edmundson's title and location methods.
            items.append(SumySentence(title, tokenizer, is_heading=True))
        for sentence in paragraph:
            item = SumySentence(sentence.text, tokenizer)
            # A sentence without a content word gives sumy's graph methods a zero
            # row (NaN ranks); it could never be a good pick, so leave it out.
            if any(w.lower() not in stops for w in item.words):
                position[id(item)] = flat
                items.append(item)
            flat += 1
        if items:
            dom_paragraphs.append(Paragraph(items))
    if len(position) <= count:
        return sorted(position.values())
    document = ObjectDocumentModel(dom_paragraphs)
    summarizer = _sumy_summarizer(name)
    import numpy as np

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # LSA warns when a text has fewer distinct words than sentences, and
        # LexRank's power method divides 0 by 0 on degenerate graphs; the
        # result is still usable (the lead fills any gap), so stay quiet.
        warnings.simplefilter("ignore", UserWarning)
        try:
            picked = summarizer(document, count)
        except (ArithmeticError, ValueError, np.linalg.LinAlgError):
            return []  # a degenerate text: summarize_text falls back to the lead
    return [position[id(s)] for s in picked if id(s) in position]

"""A reading budget: a briefing that fits in ``[briefing] minutes`` at ``words_per_minute``.

The budget chooses how many stories (in rank order) and how long each summary is
(the ``[summary] words`` budget, tightened step by step with the summarizer's own
:func:`~brief.text.summarize.within_budget`), and how many actor briefs. What it
measures is the written file: every candidate is rendered and its words counted as
a reader reads them (:mod:`brief.briefing.reading`), so the estimate in the front
matter is the one that was fitted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from brief.briefing.reading import reading_words
from brief.briefing.render import render_markdown
from brief.config import Config
from brief.models import ActorBrief, Briefing, Sentence, Story
from brief.text.summarize import within_budget

# The actor briefs get at most this share of the budget; the stories the rest.
ACTOR_SHARE = 1 / 3
# A fit this close to the target is taken with the longest summaries that reach it.
GOOD_FIT = 0.05
# Summary word budgets tried, as fractions of the configured one (longest first).
STEPS = (1.0, 0.8, 0.65, 0.5, 0.35, 0.2)
FALLBACK_WORDS = 70  # when [summary] words is 0 (no budget), the longest tried

Assemble = Callable[[tuple[Story, ...], tuple[ActorBrief, ...]], Briefing]


def trim_summary(story: Story, words: int) -> Story:
    """``story`` with its summary cut to ``words`` (its first sentence always stays)."""
    picked = [Sentence(text, i, 0, 0) for i, text in enumerate(story.summary)]
    kept = tuple(s.text for s in within_budget(picked, words))
    return story if kept == story.summary else dataclasses.replace(story, summary=kept)


def briefing_words(briefing: Briefing) -> int:
    """Words a reader reads in the briefing as it will be written."""
    return reading_words(render_markdown(briefing))


def _best_count(count_words: Callable[[int], int], most: int, target: float) -> tuple[int, int]:
    """The number of stories (0..most) whose briefing is nearest ``target`` words, and its
    words; more stories never mean fewer words, so a binary search finds the crossing."""
    low, high = 0, most
    while low < high:  # the smallest count reaching the target
        middle = (low + high) // 2
        if count_words(middle) >= target:
            high = middle
        else:
            low = middle + 1
    options = [(n, count_words(n)) for n in {max(0, low - 1), low}]
    return min(options, key=lambda o: (abs(o[1] - target), -o[0]))


def fit_reading_budget(
    stories: Sequence[Story], actor_briefs: Sequence[ActorBrief], assemble: Assemble, config: Config
) -> Briefing:
    """The briefing from ``stories`` (ranked) and ``actor_briefs`` nearest the budget.

    ``assemble`` builds a Briefing from chosen stories and briefs (sections and all).
    With too little news for the budget everything is shown.
    """
    briefing = config.briefing
    target = briefing.minutes * briefing.words_per_minute
    stories = tuple(stories)
    actors = tuple(actor_briefs)

    def words_of(chosen: tuple[Story, ...], briefs: tuple[ActorBrief, ...]) -> int:
        return briefing_words(assemble(chosen, briefs))

    base = words_of((), ())
    kept_actors = 0
    for count in range(1, len(actors) + 1):
        if words_of((), actors[:count]) - base > ACTOR_SHARE * target:
            break
        kept_actors = count
    briefs = actors[:kept_actors]

    longest = config.summary.words or FALLBACK_WORDS
    budgets = list(dict.fromkeys(max(1, round(longest * step)) for step in STEPS))
    best: tuple[float, tuple[Story, ...]] | None = None
    for words in budgets:
        trimmed = tuple(trim_summary(s, words) for s in stories)

        def words_with(n: int, shown: tuple[Story, ...] = trimmed) -> int:
            return words_of(shown[:n], briefs)

        count, got = _best_count(words_with, len(trimmed), target)
        miss = abs(got - target) / max(target, 1.0)
        if best is None or miss < best[0]:
            best = (miss, trimmed[:count])
        if miss <= GOOD_FIT or (got < target and count == len(trimmed)):
            break  # close enough with the longest summaries, or too little news to fill it
    chosen = best[1] if best is not None else ()
    # Stories ran out before the budget: the actor briefs may fill what is left.
    while kept_actors < len(actors) and words_of(chosen, actors[: kept_actors + 1]) <= target:
        kept_actors += 1
    return assemble(chosen, actors[:kept_actors])

"""Sections of the top stories by feed tag (``[[sections]]``): each story goes to the section
of its leading article's source, in config order, at most ``max_stories`` each."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from brief.config import Config
from brief.models import Article, Story

T = TypeVar("T")


def section_of(article: Article, config: Config, tags: Mapping[str, tuple[str, ...]]) -> str:
    """The section an article leads a story into: the first whose tags its source carries."""
    carried = {t.casefold() for t in tags.get(article.source_id, ())}
    for section in config.sections:
        if carried & {t.casefold() for t in section.tags}:
            return section.name
    return config.briefing.default_section


def section_order(config: Config) -> list[str]:
    """Section names in the order they are shown (the default section last)."""
    return [s.name for s in config.sections] + [config.briefing.default_section]


def _caps(config: Config) -> dict[str, int]:
    caps = {s.name: s.max_stories for s in config.sections}
    caps[config.briefing.default_section] = config.briefing.max_stories
    return caps


def choose_by_section(
    ranked: Sequence[T],
    lead: Callable[[T], Article],
    config: Config,
    tags: Mapping[str, tuple[str, ...]],
) -> list[T]:
    """The ranked items each section has room for, still in rank order, at most
    ``[briefing] max_stories`` in all."""
    caps = _caps(config)
    taken: dict[str, int] = {}
    out: list[T] = []
    for item in ranked:
        if len(out) >= config.briefing.max_stories:
            break
        name = section_of(lead(item), config, tags)
        if taken.get(name, 0) < caps[name]:
            taken[name] = taken.get(name, 0) + 1
            out.append(item)
    return out


def group_stories(
    stories: Sequence[Story], config: Config, tags: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[Story, ...], tuple[tuple[str, int], ...]]:
    """The stories in section order (rank order within one) and each section's story count."""
    by_section: dict[str, list[Story]] = {name: [] for name in section_order(config)}
    for story in stories:
        by_section[section_of(story.lead, config, tags)].append(story)
    ordered = tuple(story for group in by_section.values() for story in group)
    counts = tuple((name, len(group)) for name, group in by_section.items() if group)
    return ordered, counts

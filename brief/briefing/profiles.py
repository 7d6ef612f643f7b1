"""Named briefings (``[[briefings]]``): each profile as the Config it is composed with, and
which sources a briefing reads (by tag, feed name or URL, local path)."""

from __future__ import annotations

import dataclasses
import logging
import string
from collections.abc import Iterable

from brief.config import Config, ProfileConfig
from brief.errors import ConfigError
from brief.models import CollectResult, Source

log = logging.getLogger(__name__)


def profile_names(config: Config) -> tuple[str, ...]:
    """The configured profiles' names, in config order."""
    return tuple(p.name for p in config.briefings)


def find_profile(config: Config, name: str) -> ProfileConfig:
    """The profile called ``name`` (any case); a one-line ConfigError naming the known ones."""
    for profile in config.briefings:
        if profile.name.casefold() == name.strip().casefold():
            return profile
    known = ", ".join(profile_names(config)) or "none: add [[briefings]] tables to the config"
    raise ConfigError(f"{config.path or 'config'}: no briefing profile {name!r}; known: {known}")


def _fill_name(pattern: str, name: str) -> str:
    """``pattern`` with ``{name}`` filled in, ``{date}`` and ``{title}`` left for the writer."""
    out = []
    for literal, field, _, _ in string.Formatter().parse(pattern):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if field == "name":
            out.append(name)
        elif field is not None:
            out.append("{" + field + "}")
    return "".join(out)


def profile_config(config: Config, profile: ProfileConfig) -> Config:
    """The config a profile's briefing is composed and written with (0/empty: [briefing]'s)."""
    base = config.briefing
    chosen = profile.tags or profile.feeds
    briefing = dataclasses.replace(
        base,
        title=profile.title.strip() or base.title,
        window_hours=profile.window_hours or base.window_hours,
        max_stories=profile.max_stories or base.max_stories,
        minutes=profile.minutes or base.minutes,
        output_dir=profile.output_dir or base.output_dir,
        filename=_fill_name(profile.filename, profile.name),
        tags=profile.tags if chosen else base.tags,
        feeds=profile.feeds if chosen else base.feeds,
        profile=profile.name,
    )
    sections = config.sections
    if profile.sections:
        by_name = {s.name.casefold(): s for s in config.sections}
        sections = tuple(by_name[n.casefold()] for n in profile.sections if n.casefold() in by_name)
    return dataclasses.replace(config, briefing=briefing, sections=sections)


def source_tags(config: Config, sources: Iterable[Source]) -> dict[str, tuple[str, ...]]:
    """Each source's tags by source id: a feed's from its config, a local one's from
    ``[[sources.folders]]``."""
    local: dict[str, tuple[str, ...]] = {}
    for entry, tags in config.local_tags().items():
        local[str(_resolved(config, entry))] = tags
    out: dict[str, tuple[str, ...]] = {}
    for source in sources:
        tags = source.tags if source.kind == "feed" else local.get(source.location, source.tags)
        out[source.id] = tuple(tags)
    return out


def _resolved(config: Config, entry: str) -> object:
    path = config.resolve_local(entry)
    return path.resolve() if path.exists() else path


def _named(config: Config, source: Source, wanted: set[str]) -> bool:
    """Whether ``source`` is one of the sources named in ``[briefing] feeds``."""
    if source.name.casefold() in wanted or source.location.casefold() in wanted:
        return True
    if source.kind == "local":
        entries = [e for e in config.briefing.feeds if e.casefold() in wanted]
        return any(str(_resolved(config, e)) == source.location for e in entries)
    return False


def restrict_sources(config: Config, result: CollectResult) -> CollectResult:
    """Only the sources the briefing reads (``[briefing] tags`` / ``feeds``); all when unset."""
    briefing = config.briefing
    if not briefing.tags and not briefing.feeds:
        return result
    wanted_tags = {t.casefold() for t in briefing.tags}
    wanted_names = {f.strip().casefold() for f in briefing.feeds}
    tags = source_tags(config, (h.source for h in result.health))
    kept = {
        h.source.id
        for h in result.health
        if wanted_tags & {t.casefold() for t in tags.get(h.source.id, ())}
        or _named(config, h.source, wanted_names)
    }
    _warn_unmatched(config, result, tags)
    return CollectResult(
        articles=tuple(a for a in result.articles if a.source_id in kept),
        health=tuple(h for h in result.health if h.source.id in kept),
    )


def _warn_unmatched(
    config: Config, result: CollectResult, tags: dict[str, tuple[str, ...]]
) -> None:
    """Say which chosen tags and sources match no source: a typo must not look like a quiet day."""
    carried = {t.casefold() for source_tags in tags.values() for t in source_tags}
    which = f"profile {config.briefing.profile}" if config.briefing.profile else "[briefing]"
    for tag in config.briefing.tags:
        if tag.casefold() not in carried:
            log.warning(f"{which}: no source carries the tag {tag!r}")
    for name in config.briefing.feeds:
        if not any(_named(config, h.source, {name.strip().casefold()}) for h in result.health):
            log.warning(f"{which}: no source is named {name!r}")

"""Collecting articles from sources: local files and feeds."""

from __future__ import annotations

from datetime import datetime

from brief.config import Config
from brief.models import CollectResult


def collect_sources(config: Config, *, now: datetime) -> CollectResult:
    """Gather the articles of every configured source, with each source's health."""
    from brief.collect.local import collect_local

    del now  # local files carry their own dates; feeds use it for the refresh interval
    articles, health = collect_local(config.local_paths())
    return CollectResult(articles=tuple(articles), health=tuple(health))

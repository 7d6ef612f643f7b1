"""Probe one URL for `brief feeds add`: is it a feed (title, entries), or a page linking to one?"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from brief.collect.http import download, make_client
from brief.collect.parse import parse_feed
from brief.config import FetchConfig


@dataclass(frozen=True, slots=True)
class Probe:
    """What one URL turned out to be: a feed (with title and entry count), or an error."""

    url: str
    title: str | None = None
    entries: int = 0
    error: str | None = None
    discovered: tuple[str, ...] = ()


async def probe_feed_async(url: str, fetch: FetchConfig, *, now: datetime) -> Probe:
    """Fetch ``url`` once; follow a web page's feed link if it has one."""
    async with make_client(fetch) as client:
        got = await download(client, url, fetch, now=now)
        if got.error is not None:
            return Probe(url=url, error=got.error)
        parsed = await asyncio.to_thread(
            parse_feed, got.body, got.final_url or url, dict(got.headers)
        )
        if parsed.ok:
            return Probe(url=url, title=parsed.title, entries=len(parsed.entries))
        if parsed.discovered:
            link = parsed.discovered[0]
            again = await download(client, link, fetch, now=now)
            if again.error is None:
                found = await asyncio.to_thread(
                    parse_feed, again.body, again.final_url or link, dict(again.headers)
                )
                if found.ok:
                    return Probe(
                        url=link,
                        title=found.title,
                        entries=len(found.entries),
                        discovered=parsed.discovered,
                    )
        return Probe(url=url, error=parsed.error, discovered=parsed.discovered)


def probe_feed(url: str, fetch: FetchConfig, *, now: datetime | None = None) -> Probe:
    """Blocking :func:`probe_feed_async`."""
    return asyncio.run(probe_feed_async(url, fetch, now=now or datetime.now(UTC)))

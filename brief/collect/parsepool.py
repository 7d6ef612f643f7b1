"""Run ``parse_feed`` off the event loop, in one thread.

There was a process pool here for heavy first fetches.  Since most feeds
are read by the fast path (:mod:`brief.collect.fastparse`), a first fetch of
200 feeds (21.6 MB) parses in about a second of CPU, less than a pool's
workers cost to start (~0.4 s of CPU each, 120 MB); even before, on 2
cores, it gave 1.02x the wall time for 12% more CPU.  One thread, not
several: parsing holds the GIL, so more threads only take turns with the
event loop downloading the other feeds.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from datetime import datetime

from brief.collect.parse import ParsedFeed, load_feedparser, parse_feed

# From this many first-fetched feeds on, warm the character-set detector up too.
WARM_DETECTOR_FEEDS = 8


def _parse_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> ParsedFeed:
    return parse_feed(body, url, headers, since=since)


def _warm_parser(first_fetch: bool) -> None:
    """Import feedparser while the first responses are still on their way.

    On a first fetch of many feeds, also load the character-set detector
    feedparser falls back on for feeds that misdeclare their encoding: its
    first use costs about 80 ms, which would otherwise land mid-run.
    """
    feedparser = load_feedparser()
    detect = getattr(feedparser.encodings, "lazy_chardet_encoding", None)
    if first_fetch and callable(detect):
        detect("Últimas notícias".encode("latin-1"))


class Parsers:
    """Runs parse_feed off the event loop, in one thread that is warmed up early."""

    def __init__(self) -> None:
        self._thread = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="brief-parse"
        )

    def prepare(self, likely: int, first_fetch: int) -> None:
        """Warm the parse thread up when ``likely`` feeds will probably need parsing."""
        if likely:
            self._thread.submit(_warm_parser, first_fetch >= WARM_DETECTOR_FEEDS)

    async def parse(
        self, body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
    ) -> ParsedFeed:
        """Parse one body in the parse thread; never raises for bad input."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, _parse_job, body, url, headers, since)

    def close(self) -> None:
        """Stop the parse thread."""
        self._thread.shutdown(wait=True, cancel_futures=True)

"""The exact request brief sends and what it reads back, on a raw socket server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from brief.collect.http import ACCEPT, ACCEPT_ENCODING, Download, download, make_client
from brief.config import FetchConfig

FETCH = FetchConfig(user_agent="brief-test/1", timeout_seconds=5.0)
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def _exchange(**kw: Any) -> tuple[list[list[tuple[str, str]]], Download]:
    """GET /old (a 301 to /feed) with ``kw``; every request's header lines, and the result."""
    heads: list[list[tuple[str, str]]] = []
    handlers: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        try:
            while head := (await reader.readuntil(b"\r\n\r\n")).decode("latin-1"):
                lines = head.split("\r\n")[1:-2]
                heads.append([(k, v.strip()) for k, v in (line.split(":", 1) for line in lines)])
                if head.startswith("GET /old "):
                    writer.write(
                        b"HTTP/1.1 301 Moved\r\nLocation: /feed\r\nContent-Length: 0\r\n\r\n"
                    )
                else:
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n")
                    writer.write(b"X-Twice: 1\r\nx-twice: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            handlers.discard(task)

    async def main() -> Download:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            async with make_client(FETCH) as client:
                got = await download(client, f"http://127.0.0.1:{port}/old", FETCH, now=NOW, **kw)
            while handlers:  # each sees the client leave, and closes its end
                await asyncio.sleep(0.01)
        return got

    got = asyncio.run(main())
    return heads, got


FEED = [("Connection", "keep-alive"), ("User-Agent", "brief-test/1"), ("Accept", ACCEPT)]
ENCODING = [("Accept-Encoding", ACCEPT_ENCODING)]


@pytest.mark.parametrize(
    ("kw", "extra"),
    [
        ({}, []),
        ({"etag": '"v1"'}, [("If-None-Match", '"v1"')]),
        (
            {"last_modified": "Sat, 28 Nov 2026 06:00:00 GMT"},
            [("If-Modified-Since", "Sat, 28 Nov 2026 06:00:00 GMT")],
        ),
    ],
)
def test_a_feed_request_sends_these_headers_in_this_order(
    kw: dict[str, str], extra: list[tuple[str, str]]
) -> None:
    heads, _ = _exchange(**kw)
    assert len(heads) == 2  # the redirect is followed with the same headers
    for head in heads:
        host, *rest = head
        assert host[0] == "Host"
        assert rest == FEED + ENCODING + extra


def test_a_page_request_sends_its_own_accept_in_the_same_place() -> None:
    heads, _ = _exchange(accept="text/html")
    for head in heads:
        assert head[1:] == [*FEED[:2], ("Accept", "text/html"), *ENCODING]


def test_the_response_is_read_back_with_lower_case_names_and_repeats_joined() -> None:
    _, got = _exchange()
    assert got.error is None and got.status == 200 and got.body == b"ok"
    assert got.moved_permanently and got.final_url is not None
    assert got.final_url.endswith("/feed")
    assert dict(got.headers) == {"content-length": "2", "x-twice": "1, 2"}

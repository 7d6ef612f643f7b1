"""The fast path's shortcut for absolute links gives exactly feedparser's ``_urljoin``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brief.collect.fastparse import joined
from brief.collect.parse import load_feedparser

BASES = ("", "http://example.com/feed/", "https://example.com/a/b?c#d", "ftp://x/", "http://[::1")
URLS = (
    "http://example.com/story?id=1&amp;b=2#top",
    "https://example.com",
    "https://example.com?q=1",
    "https://example.com/a;b",  # path parameters: urlparse splits them off
    "https://example.com/a;",
    "https://example.com/a?",  # an empty query or fragment is dropped by urlunsplit
    "https://example.com/a#",
    "https://example.com/a?#f",
    "http:///example.com/a",  # feedparser's _urifixer drops the extra slash
    "http://[::1]/a",
    "http://[::1/a",
    "http://exämple.com/",
    "http://example.com/a b",
    "http://example.com/a\tb",
    " http://example.com/",
    "HTTP://example.com/",
    "/relative/path",
    "relative",
    "tag:example.com,2026:1",
    "javascript:alert(1)",
    "//example.com/a",
)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("url", URLS)
def test_joined_is_feedparsers_urljoin(base: str, url: str) -> None:
    join = load_feedparser().urls._urljoin
    assert joined(join, base, url) == join(base, url)


_URL_CHARS = st.sampled_from([*"ab/:?#;[]@%&= \t.-_~", "é", "\x7f", "\x00"])


@given(
    base=st.sampled_from(BASES),
    scheme=st.sampled_from(["http://", "https://", "http:", ""]),
    rest=st.text(_URL_CHARS, max_size=20),
)
def test_joined_matches_on_generated_urls(base: str, scheme: str, rest: str) -> None:
    join = load_feedparser().urls._urljoin
    url = scheme + rest
    assert joined(join, base, url) == join(base, url)


def test_joined_returns_an_absolute_link_without_joining() -> None:
    def refuse(base: str, url: str) -> str:
        raise AssertionError("joined should not need urljoin here")

    url = "https://example.com/a/b?c=1&d=2#e"
    assert joined(refuse, "http://example.com/feed", url) == url

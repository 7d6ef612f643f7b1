"""Feed links a web page announces (``<link rel="alternate">``), best first."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

_FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "text/xml",
    "application/xml",
}


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        if tag != "link":
            return
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in _FEED_TYPES and values.get("href"):
            self.links.append((kind, values["href"].strip()))


def discover_feed_links(page: bytes | str, base_url: str) -> list[str]:
    """Feed URLs a web page announces with ``<link rel="alternate" type="...">``, best first."""
    text = page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page
    finder = _LinkFinder()
    try:
        finder.feed(text[:2_000_000])
        finder.close()
    except Exception:  # HTMLParser is forgiving; whatever it found so far stands
        pass
    base = urljoin(base_url, finder.base) if finder.base else base_url
    order = {t: i for i, t in enumerate(sorted(_FEED_TYPES, key=_feed_type_rank))}
    seen: list[str] = []
    for _kind, href in sorted(finder.links, key=lambda link: order[link[0]]):
        absolute = urljoin(base, href)
        if absolute.startswith(("http://", "https://")) and absolute not in seen:
            seen.append(absolute)
    return seen


def _feed_type_rank(kind: str) -> int:
    ranks = [
        "application/atom+xml",
        "application/rss+xml",
        "application/feed+json",
        "application/rdf+xml",
    ]
    return ranks.index(kind) if kind in ranks else len(ranks)

"""HTML to article text and metadata, with trafilatura (main content only, no page chrome)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from brief.config import FetchConfig
from brief.errors import SourceError


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """The main text of an HTML page with whatever metadata it declares."""

    text: str
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    url: str | None = None


def html_to_text(html: str, url: str | None = None) -> str:
    """The main text of an HTML page, paragraphs separated by blank lines ('' if none)."""
    # Imported here: trafilatura costs half a second that plain-text files and feeds never use.
    import trafilatura

    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    if not text:
        return ""
    # trafilatura puts one paragraph per line; brief's convention is blank-line paragraphs.
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# Full timestamps (not just the day) and the original publication date, not the last update.
_DATE_CONFIG = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True}


def extract_page(html: str, url: str | None = None) -> ExtractedPage:
    """Main text plus title, date, author and canonical URL of an HTML page."""
    import trafilatura

    text = html_to_text(html, url)
    try:
        meta = trafilatura.extract_metadata(html, default_url=url, date_config=_DATE_CONFIG)
    except Exception:  # metadata is optional: a page without it is still text
        meta = None
    if meta is None:
        return ExtractedPage(text=text, url=url)
    # The page's headline usually opens the extracted text too; it is the title, not body.
    first, _, rest = text.partition("\n\n")
    if meta.title and rest and " ".join(first.split()).casefold() == meta.title.casefold():
        text = rest
    return ExtractedPage(
        text=text,
        title=(meta.title or None),
        published=_parse_date(meta.date),
        author=(meta.author or None),
        url=(meta.url or url),
    )


# --- page furniture ------------------------------------------------------------
# Saved pages and feed full texts carry navigation, photo captions, credits and
# "follow us" blocks around the article.  These general rules remove them; they
# are tuned on no single site (see tests/unit/test_furniture.py for the cases).

_FURNITURE_LINE = re.compile(
    r"""^(?:
      skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|article)
    | open\s+this\s+(?:photo|image|video)\s+in\s+(?:the\s+)?gallery:?
    | (?:view|see)\s+(?:the\s+)?(?:full\s+)?(?:photo\s+)?gallery.{0,40}
    | follow\s+(?:related\s+)?(?:authors|topics|us)\b.{0,60}
    | authors\s+and\s+topics\s+you\s+follow\b.*
    | interact\s+with\s+.{1,40}
    | (?:sign\s+up|subscribe)\b.{0,100}
    | advertisement|sponsored(?:\s+content)?|ad\s+feedback
    | (?:read|see)\s+(?:more|also|next)\b.{0,100}
    | related(?:\s+(?:articles?|stories|coverage|topics|content|links))?\s*:?.{0,80}
    | (?:more\s+from|most\s+(?:popular|read)|recommended(?:\s+for\s+you)?)\b.{0,60}
    | click\s+here\b.{0,120}
    | listen\s+to\s+this\s+(?:article|story).{0,40}
    | share\s+(?:this\s+)?(?:article|story|on\s+\w+).{0,40}
    | report\s+an?\s+(?:error|typo|correction).{0,60}
    | (?:copyright|©).{0,160}
    | .{0,120}all\s+rights\s+reserved\.?
    | (?:with|additional)\s+(?:files|reports|reporting|writing)\s+(?:from|by)\s+.{1,100}
    | comments?(?:\s*\(\d+\))?
    | (?:photo|photograph|image|video|caption)(?:\s+credit)?\s*:.{0,200}
    | (?:this\s+)?(?:article|story)\s+(?:was|has\s+been)\s+(?:updated|corrected)\b.{0,160}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines after which everything else is page chrome, not article.
_TAIL_MARKER = re.compile(
    r"^(?:follow\s+related|related\s+(?:articles|stories|coverage)|more\s+from\b|"
    r"most\s+(?:popular|read)|recommended\s+for\s+you|share\s+this|sign\s+up\s+for|"
    r"comments?(?:\s*\(\d+\))?$)",
    re.IGNORECASE,
)

# A photo credit at the end of a caption: "...2024.Maxim Shipenkov/The Canadian Press",
# "(AP Photo/Jane Doe)", "Photograph: John Smith/Reuters", "... | Getty Images".
_CAPTION_CREDIT = re.compile(
    r"""(?:
      (?:^|[\s.!?”"’)])(?:[A-Z][\w.'’-]*\s){1,3}[A-Z][\w.'’-]*
      \s?/\s?(?:The\s)?[A-Z][\w&.'’\ -]{0,39}[\w&'’]\)?$
    | \((?:AP|AFP|Reuters|Getty|EPA|Bloomberg|Xinhua)[^)]{0,60}\)$
    | (?:photograph|photo|credit|illustration)\s*:\s*[^.]{2,80}$
    | [|•]\s*(?:Getty\s+Images|Reuters|AFP|AP|EPA|Shutterstock|Bloomberg).{0,40}$
    )""",
    re.VERBOSE,
)

_SENTENCE_END = re.compile(r"[.!?…。！？][\"”’')\]」』）]*$|[\"”」』]$")
# Trimmed from the ends of a text only when shorter than this: a longer line
# without a final stop is an article that ends in a caption, not furniture.
_SHORT_LINE_WORDS = 12


def _word_count(line: str) -> int:
    """Words in a line; text written without spaces (CJK) counts about two characters a word."""
    spaced = len(line.split())
    wide = sum("\u3000" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in line)
    return max(spaced, wide // 2)


def _is_sentence(line: str) -> bool:
    """A line that reads like prose: several words and a sentence ending."""
    return _word_count(line) >= 6 and bool(_SENTENCE_END.search(line))


def is_furniture(line: str) -> bool:
    """True for a line that is page chrome (navigation, credits, promos), not article."""
    stripped = line.strip()
    if not stripped:
        return False
    if _FURNITURE_LINE.match(stripped):
        return True
    return bool(_CAPTION_CREDIT.search(stripped)) and len(stripped.split()) <= 60


def strip_furniture(text: str) -> str:
    """Remove page furniture from article text; paragraphs stay separated by blank lines.

    Rules, in order: whole lines that are known chrome or photo captions with a
    credit go anywhere; the line after a "photo in gallery" marker is a caption;
    a tail marker ("Follow related ...", "Related stories") cuts the rest of the
    page; short lines (under a dozen words) that are not sentences are trimmed
    from both ends.  Only what is clearly furniture goes: a text that would be
    left empty keeps every line that is not known chrome.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraphs = [line for line in lines if line]
    kept: list[str] = []
    after_gallery = False
    cut_from = len(paragraphs)
    for i in range(len(paragraphs) - 1, (2 * len(paragraphs)) // 3 - 1, -1):
        if _TAIL_MARKER.match(paragraphs[i]):
            cut_from = i
    for line in paragraphs[:cut_from]:
        if after_gallery:
            after_gallery = False
            if not _is_sentence(line) or _CAPTION_CREDIT.search(line):
                continue
        if is_furniture(line):
            after_gallery = bool(re.search(r"gallery:?$", line, re.IGNORECASE))
            continue
        kept.append(line)
    while kept and not _is_sentence(kept[0]) and _word_count(kept[0]) < 4:
        kept.pop(0)
    while kept and not _is_sentence(kept[-1]) and _word_count(kept[-1]) < _SHORT_LINE_WORDS:
        kept.pop()
    if not kept:
        # Never lose an article to the trimming rules: only known chrome goes.
        return "\n\n".join(line for line in paragraphs[:cut_from] if not is_furniture(line))
    return "\n\n".join(kept)


def fetch_page(url: str, fetch: FetchConfig) -> ExtractedPage:
    """Download one web page (the feed fetcher's limits) and extract its article."""
    import asyncio
    from datetime import datetime

    from brief.collect.http import decode_html, download, make_client

    async def get() -> tuple[bytes, str, str | None, str | None]:
        async with make_client(fetch) as client:
            got = await download(
                client, url, fetch, now=datetime.now(UTC), accept="text/html,application/xhtml+xml"
            )
        content_type = got.headers.get("content-type", "")
        if got.error is None and got.status is not None and got.status >= 400:
            return b"", content_type, f"{url}: HTTP {got.status}", got.final_url
        return got.body, content_type, got.error, got.final_url

    body, content_type, error, final_url = asyncio.run(get())
    if error:
        raise SourceError(error if url in error else f"{url}: {error}")
    page = extract_page(decode_html(body, content_type), final_url or url)
    return ExtractedPage(
        text=strip_furniture(page.text),
        title=page.title,
        published=page.published,
        author=page.author,
        url=page.url or final_url or url,
    )

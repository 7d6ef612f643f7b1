"""Feed text to clean plain text: entry HTML fragments, control characters, one-line messages."""

from __future__ import annotations

import html
import re

ERROR_CHARS = 200


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")


def one_line(text: str, limit: int = ERROR_CHARS) -> str:
    """``text`` on one line, control characters and runs of space folded, cut at ``limit``."""
    line = " ".join(_CONTROL_RE.sub(" ", str(text)).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


_DROP_RE = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|math|head|select|button)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_CDATA_RE = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.DOTALL)
_BLOCK_RE = re.compile(
    r"<(?:/?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|table|section|article|header|footer|"
    r"figure|figcaption|dd|dt|dl|aside|main|nav|address)|br|hr)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>|<![^>]*>|<\?[^>]*>")
_PARA_SPLIT_RE = re.compile(r"\n\s*\n+")


def html_fragment_to_text(fragment: str) -> str:
    """Entry HTML → plain text: tags gone, entities decoded, paragraphs kept as blank-line breaks.

    A fast, forgiving converter for the small fragments feeds carry; whole
    article pages go through trafilatura (:mod:`brief.collect.extract`).
    """
    if "<" not in fragment and "&" not in fragment:
        return clean_text(fragment)
    text = fragment
    # Both patterns start with a fixed "<!": most fragments have neither, so no scan.
    if "<![CDATA[" in text:
        text = _CDATA_RE.sub(r"\1", text)
    if "<!--" in text:
        text = _COMMENT_RE.sub(" ", text)
    text = _DROP_RE.sub(" ", text)
    text = _BLOCK_RE.sub("\n\n", text)
    text = _TAG_RE.sub("", text)
    return clean_text(html.unescape(text))


def clean_text(text: str) -> str:
    """Plain text tidied: control characters out, spaces collapsed, paragraphs kept."""
    text = _CONTROL_RE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " "))
    paragraphs = (" ".join(p.split()) for p in _PARA_SPLIT_RE.split(text))
    return "\n\n".join(p for p in paragraphs if p)

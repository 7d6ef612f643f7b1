"""Where each line of the briefing came from: the article a sentence is in, a link to the
sentence itself (a text fragment, ``#:~:text=``), and names made safe for ``[[wikilinks]]``.

Text fragments follow the WICG "URL Fragment Text Directives" draft: the directive is
``text=[prefix-,]start[,end][,-suffix]`` with each part percent-encoded, and ``-``, ``&`` and
``,`` (the directive's own syntax) always encoded.  A long sentence is linked by its first
and last few words (``start,end``), so the link stays short and still highlights all of it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from brief.models import Article

# Past this many words a sentence is linked as start,end; each end gets EDGE_WORDS words.
LONG_WORDS = 10
EDGE_WORDS = 4
# Characters that would close, pipe, or anchor a wikilink, or start Markdown or HTML inside
# it; names are untrusted, so none of them survives inside [[...]].
_WIKILINK_UNSAFE = re.compile(r"[\[\]|#^<>`\\*_~$&]")
_TAG_UNSAFE = re.compile(r"[^\w/-]+")


def _encode(part: str) -> str:
    """One directive part percent-encoded; ``-`` too (quote keeps it, the spec does not)."""
    return quote(part, safe="").replace("-", "%2D")


def text_directive(sentence: str) -> str:
    """The ``text=`` directive that highlights ``sentence`` on its page."""
    words = sentence.split()
    if len(words) > LONG_WORDS:
        start = " ".join(words[:EDGE_WORDS])
        end = " ".join(words[-EDGE_WORDS:])
        return f"text={_encode(start)},{_encode(end)}"
    return "text=" + _encode(" ".join(words))


def sentence_url(url: str | None, sentence: str) -> str | None:
    """The article's web address pointing at ``sentence``; None for no or non-web URLs.

    An existing fragment is kept (``#part:~:text=...``); a text directive already there is
    replaced.  The result still goes through the renderer's ``safe_url``.
    """
    if not url or urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    words = sentence.split()
    if not words:
        return url
    base, _, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0]
    return f"{base}#{fragment}:~:{text_directive(' '.join(words))}"


@functools.lru_cache(maxsize=4096)  # the same article texts are looked up for every bullet
def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def source_article(sentence: str, candidates: Sequence[Article]) -> Article | None:
    """The article ``sentence`` was taken from: the first whose text contains it, else the
    one sharing most of its words, else the first candidate."""
    if not candidates:
        return None
    wanted = _normal(sentence)
    for article in candidates:
        if wanted and wanted in _normal(article.text):
            return article
    words = set(wanted.split())
    best = max(candidates, key=lambda a: len(words & set(_normal(a.text).split())))
    return best


def wikilink(name: str) -> str | None:
    """``[[name]]`` with every character that could break out of the link removed;
    None when nothing is left.  ``name`` must already be one plain line."""
    inner = " ".join(_WIKILINK_UNSAFE.sub(" ", name).split())
    return f"[[{inner}]]" if inner else None


def note_tag(text: str) -> str:
    """A tag as note tools accept it: words joined by ``-``; letters, digits, ``_``, ``/``."""
    return _TAG_UNSAFE.sub("-", text.strip()).strip("-/")

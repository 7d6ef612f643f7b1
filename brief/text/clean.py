"""One cleaning pass before any analysis: the reader's sentences, with offsets into the original.

Every summarizer, the story clusterer and the actor layer read articles
through :func:`clean_paragraphs`.  It splits the text with brief's splitter,
then:

- cuts glued photo captions out of the prose (tabloid pages put a caption
  inline with no full stop: "…queue for food in Raqqa The group said…") and
  drops the caption piece;
- cuts out inline page furniture ("Scroll down for video", share-bar button
  runs, "CNN's X contributed to this report") and drops it;
- drops a leading agency dateline ("(CNN)", "LONDON (Reuters) -") from a
  sentence by moving its start past it.

Nothing is rewritten: each returned :class:`Sentence` is still exactly
``text[start:end]`` of the original article, so offsets stay right for the
reader view, the caches and quote spans.  A text whose every sentence would
be dropped keeps its plain split (nothing is ever lost).  The rules are
general (no site's markup) and each has unit tests on invented text
(``tests/unit/test_clean.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from brief.models import Sentence
from brief.text.sentences import split_paragraphs

LEAD_CHARS = 1500  # how much of an article's text describes what it is about (the stories' lead)

# Inline furniture phrases: cut out wherever they stand in running text.
_INLINE_FURNITURE = re.compile(
    # The lookahead on a word's first letter lets the scan skip most positions fast.
    r"""\b(?=[scrwtpefl])(?:
      \bscroll\s+down\s+for\s+(?:the\s+)?(?:video|videos|more|pictures?|photos?)\b
    | \bshare\s+(?:or\s+comment\s+on\s+)?this\s+(?:article|story|page)\b
    | \bwatch\s+the\s+video\s+(?:below|above)\b
    | \bclick\s+here\s+to\s+(?:watch|see|read|view|download|sign)\b[^.!?]{0,60}
    | \bread\s+more\s*:
    | \bsponsored\s+content\b
    | (?:\b(?:Share|Tweet|Pin|Email|E-mail|Facebook|Twitter|Pinterest|WhatsApp|LinkedIn|Reddit|
          Print|Flipboard|Comments?|Copy\s+link|shares?)\b[\s|•·,]*(?:\d[\d.,]*[km]?\s*)?){3,}
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Words that open a new sentence after a glued caption: a lower-case word, a
# space, one of these, then a lower-case word ("…food in Raqqa The group said…").
# Pronouns and articles only: a name after a caption cannot be told from prose.
_OPENER = r"(?:The|He|She|They|It|His|Her|Their|Its|We|This|These|Those|There|But|And|However)"
_GLUED_CAPTION = re.compile(
    # The space first: most positions fail at once (fast); then what stands either side.
    r"\s(?<=[a-z][a-z]\s)(?=" + _OPENER + r"\s+[a-z])"
    r"|\s(?<=\bpictured\s)(?=[A-Z][a-z])"
)
# An invented caption starts after "pictured" or ends a lower-case run; its
# words before a real title ("told The New York Times") are guarded by the
# lower-case word the opener needs after it.

# "…contributed to this report." and "Additional reporting by …": credits, not news.
_CREDIT = re.compile(
    r"^(?:[\w'’.,\- ]{1,200}\s)?(?:contributed|added)\s+(?:to\s+)?(?:this|the)\s+"
    r"(?:report|story|article)(?:ing)?\.?$"
    r"|^(?:additional\s+)?reporting\s+by\s.{1,120}$",
    re.IGNORECASE,
)

# An agency dateline opening a sentence: "(CNN)", "(CNN) -- ", "LONDON (Reuters) - ",
# "WASHINGTON — ", "BEIJING, March 3 (Xinhua) -- ".
_DATELINE = re.compile(
    r"""^(?:
      \((?:CNN|AP|AFP|Reuters|Bloomberg|Xinhua|UPI|EFE|dpa|PA|ANSA|Kyodo|Yonhap|TASS|
           CNN\s?Money|EW|Mashable|RTTNews|IANS|PTI)\)\s*(?:[-—–]{1,2}\s*)?
    | [A-Z][A-Z.'’ -]{1,30}[A-Z.](?:,\s*[A-Z][a-z]{2,9}\.?(?:\s\d{1,2})?)?
      (?:\s*\([A-Za-z .]{2,20}\))?\s*[-—–]{1,2}\s+
    | [A-Z][A-Z.'’ -]{1,30}[A-Z.](?:,\s*[A-Z][a-z]{2,9}\.?(?:\s\d{1,2})?)?\s*\([A-Za-z .]{2,20}\)\s*
    | (?:[A-Z][a-z]+\s){1,3}\((?:CNN|AP|AFP|Reuters|Bloomberg|Xinhua|UPI)\)\s*(?:[-—–]{1,2}\s*)?
    )""",
    re.VERBOSE,
)

_CONJUNCTION = re.compile(r"\s+(?:But|And|However)\s")
_TERMINAL = re.compile(r"[.!?…。！？][\"'”’)\]»」』）]*$")


def glued_caption_cuts(text: str) -> list[int]:
    """Offsets where a photo caption glued to prose (no full stop) ends and a sentence begins."""
    return [m.start() for m in _GLUED_CAPTION.finditer(text)]


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of inline furniture phrases in ``text``."""
    return [(m.start(), m.end()) for m in _INLINE_FURNITURE.finditer(text)]


def dateline_length(sentence: str) -> int:
    """How many leading characters of ``sentence`` are an agency dateline (0 if none)."""
    found = _DATELINE.match(sentence)
    if found is None:
        return 0
    rest = sentence[found.end() :]
    # A dateline is followed by the story: a capital, a digit or a quote opens it.
    if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'“‘"):
        return 0
    return found.end()


def is_furniture_sentence(sentence: str) -> bool:
    """True for a sentence that is page furniture or a credit line, not news."""
    stripped = sentence.strip().strip(".:|•·-—– ")
    if not stripped:
        return True
    found = _INLINE_FURNITURE.fullmatch(stripped)
    return found is not None or bool(_CREDIT.match(sentence.strip()))


def debris(sentence: str) -> str | None:
    """What page debris a summary bullet still carries, or None when it reads clean.

    The editorial benchmark's detector: a glued caption, an inline furniture
    phrase, a leading dateline, a credit line or a "word.Word" join.
    """
    if dateline_length(sentence):
        return "dateline"
    if is_furniture_sentence(sentence) or _INLINE_FURNITURE.search(sentence):
        return "furniture"
    if _GLUED_CAPTION.search(sentence):
        return "glued caption"
    if re.search(r"(?<![A-Z.])[a-z]{2,}[.!?][A-Z][a-z]+\b(?!\.\w)", sentence):
        return "joined sentences"
    return None


def clean_paragraphs(text: str) -> list[list[Sentence]]:
    """``text`` as paragraphs of reader-facing sentences; offsets index the original ``text``.

    Glued captions and furniture are cut out and dropped, leading datelines
    trimmed; ``index`` counts the kept sentences from 0.  When cleaning would
    leave nothing, the plain split comes back instead.
    """
    furniture = furniture_spans(text)
    captions = glued_caption_cuts(text)
    cuts = [*captions, *(edge for span in furniture for edge in span)]
    paragraphs = split_paragraphs(text, cuts) if cuts else split_paragraphs(text)
    inside = {start for start, _ in furniture}
    # Before "And"/"But" the piece is more often a sentence that lost its stop
    # than a caption: it is cut off but kept.
    caption_ends = {c for c in captions if not _CONJUNCTION.match(text, c)}
    out: list[list[Sentence]] = []
    index = 0
    for paragraph in paragraphs:
        kept: list[Sentence] = []
        for sentence in paragraph:
            if sentence.start in inside or is_furniture_sentence(sentence.text):
                continue
            if _ends_at(text, sentence.end, caption_ends) and not _TERMINAL.search(sentence.text):
                continue  # the caption before a glued sentence
            skip = dateline_length(sentence.text)
            start = sentence.start + skip
            while skip and start < sentence.end and text[start].isspace():
                start += 1
            if start >= sentence.end:
                continue
            kept.append(
                replace(sentence, text=text[start : sentence.end], start=start, index=index)
            )
            index += 1
        if kept:
            out.append(kept)
    if not out:
        return paragraphs
    return out


def _ends_at(text: str, end: int, cuts: set[int]) -> bool:
    """True when the sentence ending at ``end`` ends at one of ``cuts`` (whitespace between)."""
    pos = end
    while pos < len(text) and pos not in cuts and text[pos].isspace():
        pos += 1
    return pos in cuts


def clean_sentences(text: str) -> list[Sentence]:
    """The reader-facing sentences of ``text`` (see :func:`clean_paragraphs`), in order."""
    return [s for paragraph in clean_paragraphs(text) for s in paragraph]


def clean_lead(text: str, limit: int) -> str:
    """About the first ``limit`` characters of ``text``'s cleaned sentences, joined by spaces."""
    return lead_text(text, lead_spans(text, limit), limit)


def lead_spans(
    text: str, limit: int, sentences: Sequence[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """The (start, end) of the cleaned sentences :func:`clean_lead` joins (offsets into ``text``).

    Only the first ``2 * limit`` characters are read, so the spans are those of
    that head's sentences (a cache can keep them instead of the lead itself).
    ``sentences``, the (start, end) of ``clean_sentences(text)`` if known, are
    used when the whole text is that head.
    """
    if sentences is None or len(text) > 2 * limit:
        sentences = [(s.start, s.end) for s in clean_sentences(text[: 2 * limit])]
    spans: list[tuple[int, int]] = []
    size = 0
    for start, end in sentences:
        spans.append((start, end))
        size += end - start + 1
        if size >= limit:
            break
    return spans


def lead_text(text: str, spans: Sequence[tuple[int, int]], limit: int) -> str:
    """The lead :func:`clean_lead` gives, from its :func:`lead_spans`."""
    return " ".join(text[start:end] for start, end in spans)[:limit]

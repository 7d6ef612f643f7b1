"""Quotation marks paired per paragraph, quoted words masked, and sentence boundaries.

Curly, straight and guillemet double marks, and single marks told apart from
apostrophes; a quote left open at the end of a paragraph runs on into the next
one.  Masking blanks the quoted words so that verb and sentence searches outside
quotes skip them, while a quote keeps its capital and its final stop.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from brief.actors.gazetteer import ABBREVIATIONS
from brief.text.sentences import char_positions

_OPEN_DOUBLE = "“«„"
_CLOSE_DOUBLE = "”»"
_DOUBLE_MARKS = '"“«„”»'
_SINGLE_OPENS = "‘'"
_SINGLE_CLOSES = "’'"
_ANY_MARK_RE = re.compile("[\"“«„”»‘'’]")
_WORD_CHAR_RE = re.compile(r"\w")
_QUOTE_WORD_RE = re.compile(r"[\w’'-]+")
_WHOLE_START_RE = re.compile(r"[A-Z0-9]")


@dataclass(slots=True)
class _Span:
    """A quotation: marks at ``mark_start``/``mark_end``, words at ``start:end``."""

    mark_start: int
    mark_end: int  # index just after the closing mark (or the paragraph end when left open)
    start: int
    end: int
    paragraph: int
    open_end: bool
    speech: bool = False
    speaker: int | None = None
    governed: bool = False  # a verb of saying attributes it (even to someone unnamed)
    confidence: float = 0.0  # how sure the speaker is (0 when there is none)


# The marks, the quotes and their speakers all read the paragraphs of one text: found once.
@lru_cache(maxsize=4)
def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            spans.append((offset, offset + len(body)))
        offset += len(line)
    return tuple(spans)


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _union(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The same positions as ``spans`` as sorted, disjoint spans (for bisection)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _double_quotes(text: str, start: int, end: int, para: int) -> list[_Span]:
    """Pair the double quotation marks of one paragraph.

    Curly marks say which way they face; a straight mark is read from its
    neighbours (after a space it opens, before one it closes), so one missing
    closing mark ("... idea. "France is ...") does not turn the rest of the
    paragraph inside out.
    """
    found: list[_Span] = []
    opened: int | None = None
    for pos in char_positions(text, _DOUBLE_MARKS, start, end):
        char = text[pos]
        if char == '"':
            before = text[pos - 1] if pos > start else " "
            after = text[pos + 1] if pos + 1 < end else " "
            if before.isspace() or before in "([{—–-":
                char = "“"
            elif after.isspace() or after in ".,;:!?)]}—–-" or opened is not None:
                char = "”"
            else:
                char = "“"
        if char in _OPEN_DOUBLE:
            if opened is not None and text[opened + 1 : pos].strip():
                # A new quote opens before the last one closed: end that one here.
                close = pos
                while close > opened + 1 and text[close - 1].isspace():
                    close -= 1
                found.append(_Span(opened, close, opened + 1, close, para, False))
            opened = pos
        elif char in _CLOSE_DOUBLE and opened is not None:
            found.append(_Span(opened, pos + 1, opened + 1, pos, para, False))
            opened = None
    if opened is not None:
        found.append(_Span(opened, end, opened + 1, end, para, True))
    return found


def _single_quotes(text: str, start: int, end: int, para: int, taken: list[_Span]) -> list[_Span]:
    """'Quotes' in single marks, told apart from apostrophes (O'Brien, won't, the Smiths')."""
    blocked = [(s.mark_start, s.mark_end) for s in taken]
    found: list[_Span] = []
    closes: list[int] | None = None  # (found when a mark may open a quote)
    done = start  # (marks before it are inside a quote found)
    for pos in char_positions(text, _SINGLE_OPENS, start, end):
        if pos < done:
            continue
        before = text[pos - 1] if pos > start else " "
        after = text[pos + 1] if pos + 1 < end else " "
        # (An apostrophe in a word fails the test of its neighbours: that comes first.)
        if (
            (before.isspace() or before in "([{—–-:" or pos == start)
            and after.isalnum()
            and not _inside(pos, blocked)
        ):
            if closes is None:
                closes = char_positions(text, _SINGLE_CLOSES, start, end)
            close = _single_close(text, pos + 1, end, closes)
            if close is not None:
                found.append(_Span(pos, close + 1, pos + 1, close, para, False))
                done = close + 1
    return found


def _single_close(text: str, pos: int, end: int, closes: list[int]) -> int | None:
    """The first of ``closes`` (the closing marks' places) from ``pos`` that closes a quote."""
    for index in range(bisect_left(closes, pos), len(closes)):
        at = closes[index]
        before = text[at - 1]
        after = text[at + 1] if at + 1 < end else " "
        if not before.isspace() and not after.isalnum():
            return at
    return None


def _marks(text: str) -> list[_Span]:
    """Every quotation of ``text``, paragraph by paragraph, before any is left out (fresh copies:
    quote attribution marks them up)."""
    return [_Span(*fields) for fields in _mark_fields(text)]


# Titles are read before detection and quotes after it, in the same text: pair marks once.
@lru_cache(maxsize=4)
def _mark_fields(text: str) -> tuple[tuple[int, int, int, int, int, bool], ...]:
    spans: list[_Span] = []
    for index, (start, end) in enumerate(_paragraphs(text)):
        if _ANY_MARK_RE.search(text, start, end) is None:
            continue  # most paragraphs quote no one
        doubles = _double_quotes(text, start, end, index)
        spans += doubles
        spans += _single_quotes(text, start, end, index, doubles)
    spans.sort(key=lambda s: s.mark_start)
    for span in spans:
        # Trailing commas and spaces inside the marks belong to the sentence around the quote.
        while span.end > span.start and text[span.end - 1] in " ,;:\u00a0":
            span.end -= 1
        while span.start < span.end and text[span.start].isspace():
            span.start += 1
    return tuple(
        (s.mark_start, s.mark_end, s.start, s.end, s.paragraph, s.open_end)
        for s in spans
        if _WORD_CHAR_RE.search(text, s.start, s.end)
    )


def _quote_spans(text: str, excluded: Sequence[tuple[int, int]]) -> list[_Span]:
    """The quotations of ``text`` outside paragraphs that are wholly ``excluded``."""
    spans = _marks(text)
    if not excluded or not spans:
        return spans
    paragraphs = _paragraphs(text)
    merged = _union(excluded)
    skipped = {
        index
        for index in {s.paragraph for s in spans}
        if _covered(text, *paragraphs[index], merged)
    }
    return [s for s in spans if s.paragraph not in skipped]


def _covered(text: str, start: int, end: int, merged: Sequence[tuple[int, int]]) -> bool:
    """True when the disjoint ``merged`` spans leave nothing but spaces of ``text[start:end]``.

    Both ends excluded is not enough: a one-paragraph story opens with a
    dateline ("(CNN)") and closes with a credit sentence, and its quotes lie between.
    """
    pos = start
    for a, b in merged:
        if b <= pos:
            continue
        if a >= end:
            break
        if a > pos and text[pos:a].strip():
            return False
        pos = max(pos, b)
        if pos >= end:
            return True
    return not text[pos:end].strip()


def _masked(text: str, spans: Sequence[_Span]) -> str:
    """The text with quoted words blanked out, so sentence and verb searches skip them.

    A quote keeps its capital and its final stop, so a quoted sentence still
    starts and ends a sentence: “Xxxx xxx.” Mr. Lee said.
    """
    pieces: list[str] = []
    done = 0
    for span in spans:
        if span.start < done:
            return _masked_slowly(text, spans)  # overlapping quotations: mask char by char
        if span.start >= span.end:
            continue
        # Every character but a space becomes an x.
        inner = text[span.start : span.end].translate(_BLANKS)
        if text[span.start].isupper():
            inner = "X" + inner[1:]
        if text[span.end - 1] in ".!?":
            inner = inner[:-1] + text[span.end - 1]
        pieces += (text[done : span.start], inner)
        done = span.end
    pieces.append(text[done:])
    return "".join(pieces)


class _Blanked(dict[int, str]):
    """A ``str.translate`` table: "x" for every character that is no space, spaces kept.

    It fills itself as characters come (a table of every code point would be
    large); translating text of ASCII characters reads it once per character kind.
    """

    def __missing__(self, char: int) -> str:
        mapped = self[char] = chr(char) if chr(char).isspace() else "x"
        return mapped


_BLANKS = _Blanked()


def _masked_slowly(text: str, spans: Sequence[_Span]) -> str:
    chars = list(text)
    for span in spans:
        last = span.end - 1
        for pos in range(span.start, span.end):
            if chars[pos].isspace() or (pos == last and chars[pos] in ".!?"):
                continue
            upper = pos == span.start and chars[pos].isupper()
            chars[pos] = "X" if upper else "x"
    return "".join(chars)


# A straight single mark closes and opens sentences as well (Daily Mail style: ....' Next 'Xx).
_BOUNDARY_RE = re.compile(r"[.!?][\"”’'»)\]]*\s+(?=[\"“‘'«(]?[A-Z0-9])")


_STEM_RE = re.compile(r"([\w.]+)\.$")
_CAPITAL_RE = re.compile(r"[A-Z]")
_DOTTED_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _ends_sentence(masked: str, start: int, at: int) -> bool:
    """Does the stop at ``at`` end a sentence, reading no further back than ``start``?

    A period after a title, an initial or a dotted abbreviation ("Mr. Starmer",
    "Patricia M. Kim", "U.S. President") ends nothing.
    """
    if masked[at] != ".":
        return True
    # The stem runs back to a space at most: searching from after the last one finds what
    # a search from 12 characters back would, without trying each position before it.
    reach = max(start, at - 12)
    begin = max(reach, masked.rfind(" ", reach, at) + 1)
    stem = masked[begin:at]
    if stem.isalpha():
        # (Letters alone are the stem the search finds, and no dotted abbreviation.)
        return not (stem in ABBREVIATIONS or (len(stem) == 1 and "A" <= stem <= "Z"))
    word = _STEM_RE.search(masked, begin, at + 1)
    if word is None:
        return True
    stem = word.group(1)
    return not (stem in ABBREVIATIONS or _CAPITAL_RE.fullmatch(stem) or _DOTTED_RE.fullmatch(stem))


def _boundaries(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence ends in ``masked[start:end]`` as (end of the sentence, start of the next)."""
    return [
        (match.start() + 1, match.end())
        for match in _BOUNDARY_RE.finditer(masked, start, end)
        if _ends_sentence(masked, start, match.start())
    ]


class _Cuts:
    """The sentence boundaries of one paragraph, found once for all its quotes.

    Answers what :func:`_boundaries` would over part of the paragraph: the
    candidate stops do not depend on where a scan starts (a stop cannot lie
    inside another's match), only the look back for an abbreviation does.
    """

    def __init__(self, masked: str, start: int, end: int) -> None:
        self.masked = masked
        self.start = start
        self.end = end
        # _BOUNDARY_RE.finditer's matches, tried only at the stops (each opens one).
        self.stops: list[int] = []
        self.nexts: list[int] = []
        done = start
        for at in char_positions(masked, ".!?", start, end):
            if at >= done and (match := _BOUNDARY_RE.match(masked, at, end)) is not None:
                self.stops.append(at)
                done = match.end()
                self.nexts.append(done)
        # Whether each stop ends a sentence read back to the paragraph's start (each
        # quote asks again for the stops before it).
        self._ended: dict[int, bool] = {}

    def _ends(self, index: int) -> bool:
        """:func:`_ends_sentence` for stop number ``index``, looking back to the start."""
        ended = self._ended.get(index)
        if ended is None:
            ended = self._ended[index] = _ends_sentence(self.masked, self.start, self.stops[index])
        return ended

    def sentence_start(self, pos: int) -> int:
        """Where the sentence containing ``pos`` starts."""
        index = bisect_right(self.nexts, pos) - 1
        while index >= 0:
            if self._ends(index):
                return self.nexts[index]
            index -= 1
        return self.start

    def sentence_end(self, pos: int) -> int:
        """Where the sentence running at ``pos`` ends."""
        for index in range(bisect_left(self.stops, pos), len(self.stops)):
            if _ends_sentence(self.masked, pos, self.stops[index]):
                return self.stops[index] + 1
        return self.end

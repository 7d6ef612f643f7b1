"""Offline sentence splitting with character offsets, and a word tokenizer object for sumy.

The splitter is rule-based and needs no model data: a regular expression finds
candidate ends (``.``, ``!``, ``?``, ``…`` and CJK full stops, with any closing
quotes or brackets), and a few rules reject the false ones — titles before
names (Mr., Dr.), initials (Patricia M. Kim), dotted abbreviations (U.S.,
p.m.) unless an ordinary sentence opener follows, and anything followed by a
lower-case word ("Really?" she asked).  Blank lines always end a sentence,
and so do the line ends of short unwrapped lines (headlines, captions, lists).
It is several times faster than syntok, which the benchmark shows beside it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import TYPE_CHECKING

from brief.models import Sentence

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

# sumy's own notion of a word: letters, with inner apostrophes or hyphens.
_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")

# Anchored on the newline so the scan does not try a match at every space.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v\r]*\n(?:[ \t\f\v\r]*\n)*|\u2029")
_QUOTE_CLOSERS = "\"'”’»)]}›"
# A candidate end: terminal punctuation, any closing quotes/brackets, then space or the end.
# One character class first, so the regex engine can skip ahead to candidates
# quickly; whether whitespace follows is checked in _is_boundary.
_CANDIDATE = re.compile(r"[.!?‼⁇⁈⁉…。！？]+[" + re.escape(_QUOTE_CLOSERS) + r"」』）]*")
_STOPS = ".!?‼⁇⁈⁉…。！？"  # (the first class of _CANDIDATE)
_STOP_OR_CLOSER = _STOPS + _QUOTE_CLOSERS + "」』）"  # (either class)
_CJK_STOPS = "。！？"
# The word just before a candidate period (letters, digits, inner dots, apostrophes).
_WORD_BEFORE = re.compile(r"([^\s\"'“‘(\[{«]*)\.$")
_INITIAL_BEFORE = re.compile(r"(?:^|\s)[A-Z]\.\s*$")
_NEXT_WORD = re.compile(r"[\"'“‘(\[{«¿¡]*([^\W_][\w'’-]*)")
_LIST_MARKER = re.compile(r"(?:[-*•–—#>]|\d{1,3}[.)])\s")


def _words(spaced: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and extend)."""
    return frozenset(spaced.split())


# Words that come before a name, so a capitalised word after them is no new sentence.
_TITLES = _words(
    "mr mrs ms messrs mme mlle dr prof sen sens rep reps gov gen gens lt lieut col sgt ssgt msgt "
    "sfc spc pfc capt cmdr cdr adm maj brig cpl lcpl pvt pte ens sgm cwo ret "
    "rev hon pres supt det insp atty amb fr sr sra srta mt ft"
)
# Abbreviations that may also end a sentence: split only before a typical sentence opener.
_AMBIGUOUS = _words(
    "inc corp co ltd llc plc jr st ave blvd rd bros dept govt univ assn est etc vs approx "
    "al jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri "
    "sat sun no nos vol fig figs ch sec art pp p op cf ed eds rev"
)
# Abbreviations that take a number after them ("No. 10", "Jan. 5", "pp. 3"): never split there.
_BEFORE_NUMBER = _words(
    "no nos vol fig figs ch sec art pp p op jan feb mar apr jun jul aug sep sept oct nov dec"
)
# Common sentence openers: after an abbreviation like "U.S." or "Inc." one of
# these, capitalised, means a new sentence; a name or noun ("U.S. Senate") does not.
_OPENERS = _words(
    """a an the he she it they we i you his her its their our my your this that these those there
    here but and or so yet nor if when while after before since although though because as at
    in on for of to by from with without during under over about after among between into
    however meanwhile then now still also instead indeed moreover furthermore thus hence
    some many most much more several few both all each every no none not nothing one two three
    what who whom whose why how where which whether last earlier later yesterday today
    tomorrow according despite such only even just once other another neither either
    mr mrs ms dr"""
)

# Words that often follow a clock time inside a sentence.
_AFTER_TIME = _words(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep sept oct
    nov dec et est edt ct cst cdt mt mst mdt pt pst pdt gmt bst utc cet cest jst ist aest
    eastern central pacific mountain local"""
)


# "…the end.Next sentence": some corpora lose the space after a full stop.  A
# join is a lower-case word of two or more letters, the stop, then a capitalised
# word ("Next", or "I" before a space); "example.Com"-style domains and
# "file.Txt" are guarded by the known endings below.
_JOIN_BEFORE = re.compile(r"(?:^|[\s\"'“‘(])[a-z][a-z'’-]*[a-z]$")
_JOIN_AFTER = re.compile(r"(?:[A-Z][a-z]+(?:['’][a-z]+)?|I)(?=[\s,;:!?'’\"”]|$)")
_NOT_JOINS = _words(
    "com net org edu gov io co uk us de fr info biz tv me ly fm txt pdf doc docx csv json html "
    "htm xml md py js ts jpg jpeg png gif mp3 mp4 zip exe"
)


def _is_join(text: str, end: int, mark: str, para_end: int) -> bool:
    """True when "word.Word" at ``end`` is two sentences glued with no space."""
    if mark not in (".", "!", "?"):
        return False
    # (The word after first: a digit or a lower-case letter there settles it, "3.5", "e.g".)
    after = _JOIN_AFTER.match(text, end, para_end)
    if after is None:
        return False
    before = _JOIN_BEFORE.search(text, max(0, end - 41), end - 1)
    if before is None:
        return False
    word = before.group().lstrip(" \t\n\"'“‘(").lower()
    return after.group().lower() not in _NOT_JOINS and word.rstrip(".") not in _TITLES


def _is_boundary(text: str, end: int, mark: str, para_end: int) -> bool:
    """Decide whether the candidate ``mark`` ending at ``end`` really ends a sentence."""
    cjk = mark[0] in _CJK_STOPS
    if end < para_end and not cjk and not text[end].isspace():
        # "3.5", "U.S.-China", "example.com": no space, no end, unless "end.Next".
        return _is_join(text, end, mark, para_end)
    rest = end
    while rest < para_end and text[rest].isspace():
        rest += 1
    if rest >= para_end:
        return True
    first = text[rest]
    next_word: str | None = None  # read when needed: a capital opens no lower-case word
    if not first.isupper():
        next_word = _next_word(text, rest, para_end)
        if next_word[:1].islower() or (not next_word and first in ",;:"):
            # "Really?" she asked / "e.g. the": a lower-case word continues the sentence.
            return False
    if mark != ".":
        # "?", "!", "…", "...", a CJK stop, or a closing quote after the period ('.”'):
        # the sentence ends.  Only a bare period may stand after an abbreviation.
        return True
    # The word runs back to a space at most (a space is one of the characters that stop
    # it): searching from after the last space finds the match a search from 40
    # characters back would, without trying every position of the words before.
    reach = max(0, end - 40)
    begin = max(reach, text.rfind(" ", reach, end) + 1)
    before = text[begin : end - 1]
    if not before.isalpha():
        # (A word of letters holds none of the characters that stop it, so it is the
        # match; anything else is searched for.)
        found = _WORD_BEFORE.search(text, begin, end)
        before = found.group(1) if found else ""
    if not before:
        return True
    key = before.lower().rstrip(".")
    if key in _TITLES:
        return False
    if key in ("v", "vs"):
        return False  # "U.S. v. Nixon": a case name goes on
    initial = len(before) == 1 and before.isalpha() and before.isupper()
    dotted = "." in before or key in _AMBIGUOUS
    if not (initial or dotted or key in _BEFORE_NUMBER or key in ("a.m", "p.m")):
        return True  # an ordinary word before the period: the word after it does not matter
    if next_word is None:
        next_word = _next_word(text, rest, para_end)
    if key in _BEFORE_NUMBER and next_word[:1].isdigit():
        return False
    if initial:
        # An initial ("Patricia M. Kim", "J. R. R. Tolkien") unless an opener
        # follows; a run of initials ("A. N. Other") is still a name.
        opener = next_word.lower() in _OPENERS
        return opener and not _INITIAL_BEFORE.search(text, max(0, end - 8), end - 2)
    if key in ("a.m", "p.m"):
        # A time: "5 p.m. The talks..." ends the sentence, "5 p.m. Monday" / "p.m. ET" do not.
        return next_word.lower() not in _AFTER_TIME
    if dotted:
        # U.S., p.m., Inc.: ambiguous, a sentence opener decides.
        return next_word.lower() in _OPENERS
    return True


def char_positions(text: str, chars: str, start: int, end: int) -> list[int]:
    """Where any of ``chars`` stands in ``text[start:end]``, in order.

    What a search for the class of ``chars`` finds, by ``str.find``: much
    quicker than the engine's test of each character when they are rare.
    """
    found = []
    for char in chars:
        at = text.find(char, start, end)
        while at >= 0:
            found.append(at)
            at = text.find(char, at + 1, end)
    if len(chars) > 1:
        found.sort()
    return found


def _candidates(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(end, text) of each match of ``_CANDIDATE.finditer(text, start, end)``, in order.

    A candidate opens with a stop, so the stops are found with ``str.find``
    and the expression is tried only where a stop is followed by another stop
    or a closer.
    """
    found: list[tuple[int, str]] = []
    done = start
    for at in char_positions(text, _STOPS, start, end):
        if at < done:
            continue  # (inside the candidate before: "...", "?!")
        done = at + 1
        if done < end and text[done] in _STOP_OR_CLOSER:
            match = _CANDIDATE.match(text, at, end)
            if match is not None:  # (always: it opens with a stop)
                done = match.end()
                found.append((done, match.group()))
                continue
        found.append((done, text[at]))
    return found


def _next_word(text: str, start: int, end: int) -> str:
    """The word starting at ``start`` (after any opening quotes or brackets), or ""."""
    follower = _NEXT_WORD.match(text, start, end)
    return follower.group(1) if follower else ""


def _line_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets of single line breaks in ``text[start:end]`` that end a sentence.

    A block whose lines are all short (nothing looks hard-wrapped) is a list of
    headlines, captions or items: every line stands alone.  In wrapped prose a
    short line, or a line before a list marker, ends its sentence.
    """
    block = text[start:end]
    if "\n" not in block:
        return []
    lines = block.split("\n")
    longest = max(len(line.strip()) for line in lines)
    breaks: list[int] = []
    offset = start
    for i, line in enumerate(lines[:-1]):
        offset += len(line) + 1
        stripped = line.strip()
        following = lines[i + 1].lstrip()
        if not stripped or not following:
            continue
        starts_item = bool(_LIST_MARKER.match(following)) or following[0] in "#>"
        if following[0].islower() and not starts_item:
            continue
        if stripped[-1] in ".!?…。！？" + _QUOTE_CLOSERS:
            continue  # the ordinary rules decide
        short = longest < 50 or len(stripped) < 0.6 * longest
        if short or starts_item:
            breaks.append(offset - 1)
    return breaks


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines."""
    pos = 0
    # (A break holds a line break or U+2029: a text with neither is one paragraph, and
    # need not be scanned character by character.)
    if "\n" in text or "\u2029" in text:
        for gap in _PARAGRAPH_BREAK.finditer(text):
            yield pos, gap.start()
            pos = gap.end()
    yield pos, len(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_paragraphs(text: str, extra_cuts: Sequence[int] = ()) -> list[list[Sentence]]:
    """Split ``text`` into paragraphs of sentences; ``Sentence.start/end`` index into ``text``.

    Each sentence's ``text`` is exactly ``text[start:end]``; ``index`` counts
    sentences across the whole text from 0.  ``extra_cuts`` are further
    offsets where a sentence must end (the cleaning pass finds glued captions
    and inline furniture that punctuation does not mark).
    """
    paragraphs: list[list[Sentence]] = []
    index = 0
    extra = sorted(extra_cuts)
    for para_start, para_end in _paragraph_spans(text):
        para_start, para_end = _trim(text, para_start, para_end)
        if para_start >= para_end:
            continue
        cuts = [
            at
            for at, mark in _candidates(text, para_start, para_end)
            if _is_boundary(text, at, mark, para_end)
        ]
        cuts.extend(_line_breaks(text, para_start, para_end))
        if extra:
            first = bisect_left(extra, para_start)
            cuts.extend(c for c in extra[first : bisect_left(extra, para_end)] if c > para_start)
        cuts.sort()
        found: list[Sentence] = []
        pos = para_start
        for cut in [*cuts, para_end]:
            start, end = _trim(text, pos, cut)
            pos = max(pos, cut)
            if start < end:
                found.append(Sentence(text=text[start:end], index=index, start=start, end=end))
                index += 1
        if found:
            paragraphs.append(found)
    return paragraphs


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with character offsets into ``text``, in order."""
    return [s for paragraph in split_paragraphs(text) for s in paragraph]


def syntok_sentences(text: str) -> list[str]:
    """Split ``text`` with syntok (the reference splitter the benchmark compares against)."""
    import syntok.segmenter as segmenter

    out: list[str] = []
    for paragraph in segmenter.analyze(text):
        for tokens in paragraph:
            if tokens:
                start = tokens[0].offset
                end = tokens[-1].offset + len(tokens[-1].value)
                piece = text[start:end].strip()
                if piece:
                    out.append(piece)
    return out


@lru_cache(maxsize=1)
def _nltk_word_tokenize() -> Callable[[str], list[str]]:
    # NLTKWordTokenizer is pure regular expressions: unlike nltk.word_tokenize it
    # never looks for downloaded tokenizer models, so it works offline with an empty NLTK_DATA.
    from nltk.tokenize.destructive import NLTKWordTokenizer

    tokenize: Callable[[str], list[str]] = NLTKWordTokenizer().tokenize
    return tokenize


class OfflineTokenizer:
    """A sumy-compatible tokenizer (``to_sentences``, ``to_words``) that needs no NLTK data.

    ``splitter="syntok"`` splits sentences with syntok (the spine's reference
    set-up); the default uses brief's own faster splitter.
    """

    def __init__(self, language: str = "english", *, splitter: str = "brief") -> None:
        if splitter not in ("brief", "syntok"):
            raise ValueError(f"unknown sentence splitter {splitter!r}")
        self._language = language
        self._splitter = splitter

    @property
    def language(self) -> str:
        """The language name sumy's stemmer and stop words expect."""
        return self._language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into sentence strings."""
        if self._splitter == "syntok":
            return tuple(syntok_sentences(paragraph))
        return tuple(s.text for s in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split a sentence into words (punctuation and numbers dropped, as sumy does)."""
        # NLTK leaves the period on abbreviations inside a sentence ("Oct.", "Mr.");
        # without it they are words like any other.
        tokens = (w[:-1] if w.endswith(".") else w for w in _nltk_word_tokenize()(sentence))
        return tuple(w for w in tokens if _WORD.match(w))

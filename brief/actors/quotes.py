"""Direct quotes and who said them: “...,” X said; X said “...”; he told; according to X.

Quotation marks are paired per paragraph (see ``marks``).  A quote is speech
when it is attributed or long enough to be a sentence; a short phrase in
quotation marks ("no limits", a “reverse Nixon” approach) is a scare quote or a
title unless a speech verb governs it.  The speaker comes from, in order: the
words right after the quote (“...,” she said), the speech verb before it in
the same sentence (X said that ... “...”), the sentence just before (X said the
plan was wrong. “...”), or the quote before it in the same run of speech.  Each
speaker carries a confidence (see ``speakers``); below ``MIN_CONFIDENCE`` the
quote is kept but shown as unattributed: right or silent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from brief.actors.detect import Detection
from brief.actors.marks import (
    _QUOTE_WORD_RE,
    _WHOLE_START_RE,
    _boundaries,
    _Cuts,
    _masked,
    _masked_slowly,
    _paragraphs,
    _quote_spans,
    _Span,
)
from brief.actors.speakers import _SPEECH_VERB_FORMS, _SPEECH_VERBS, _VERB_RE, Attributor
from brief.models import Quote

__all__ = ["MIN_CONFIDENCE", "find_quotes", "title_spans"]
# Re-exported for the tests of the pieces (they read them from here).
_PIECES = (_boundaries, _Cuts, _masked_slowly, _paragraphs, _SPEECH_VERB_FORMS, _VERB_RE, _masked)

# Below this confidence a quote is shown unattributed.  Chosen on 14 of the 20 quotes-dev
# articles (bench/quotes_dev.py sweep), reported on the other 6.
MIN_CONFIDENCE = 0.5
# A speaker this sure is one that later pronouns and unattributed quotes may follow.
_CHAIN = 0.6
_ADJACENT = 0.95  # a continuation right after its head
_LATER = 0.85  # ... with words in between that name no one else
_INTRODUCED = 0.85  # "X said the plan was wrong. “...”": the sentence before introduces it
_INLINE = 0.5  # a quote inside a sentence with no verb of saying

# Words before a quote that make it a name or a term, not speech ("so-called “experts”").
_NAMING_RE = re.compile(
    r"(?:so-called|dubbed|known as|called|named|nicknamed|termed|labell?ed|branded|titled|entitled|"
    r"the (?:term|phrase|word|words|slogan|hashtag|motto|label|name)|coined)\s*$",
    re.IGNORECASE,
)


def _words(spaced: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and extend)."""
    return frozenset(spaced.split())


# Lower-case words that may follow a quote that is speech; any other word after the closing
# mark (a “no limits” partnership) shows the quote is used as a modifier.
_DETERMINERS = _words(
    "a an the its his her their our my your this that these those another any some no"
)
_FUNCTION_WORDS = _words(
    "and or but nor so yet to in on at as for of that which who with from by its his her "
    "their the a an is was are were be been has have had will would could should may might "
    "must can than because after before while when if said says he she they it this these "
    "those over against about into through between during under since until also even only "
    "not no said told according adding saying instead again too there here then now"
)
_SMALL_WORDS = _words(
    "of the a an and in on to for be is are at by from as or but nor vs with into"
)


def _is_title(words: Sequence[str]) -> bool:
    """Every word that matters capitalised: a title or a name (“The Art of the Deal”)."""
    significant = 0
    for word in words:
        if word.lower() not in _SMALL_WORDS:
            if not word[:1].isupper() or significant == 12:
                return False  # (most quotes fail at their first lower-case word)
            significant += 1
    return significant >= 2


def title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted titles and names (“American Pie”): their words name no actor."""
    return [span for span, (_, title) in _quoted_words(text).items() if title]


# Titles are read before detection and quotes after it, in the same quotations: each one's
# words are read once.
@lru_cache(maxsize=4)
def _quoted_words(text: str) -> dict[tuple[int, int], tuple[tuple[str, ...], bool]]:
    """Each quotation's words, and whether they are a title, by its (start, end), in order."""
    found: dict[tuple[int, int], tuple[tuple[str, ...], bool]] = {}
    for span in _quote_spans(text, ()):
        words = tuple(_QUOTE_WORD_RE.findall(text, span.start, span.end))
        found[(span.start, span.end)] = (words, _is_title(words))
    return found


def find_quotes(
    detection: Detection, *, article_id: str = "", min_confidence: float = MIN_CONFIDENCE
) -> list[Quote]:
    """Every direct quote in the detected text that is speech, with its speaker when sure.

    A quote whose speaker is less sure than ``min_confidence`` keeps its
    confidence but no speaker.
    """
    text = detection.text
    spans = _quote_spans(text, detection.excluded)
    if not spans:
        return []  # (no quotation marks: nothing to attribute)
    attributor = Attributor(detection, spans)
    headline = _headline(attributor)
    quoted = _quoted_words(text)
    # Each phrase quoted so far, with who was sure to have said it (None: no one).
    seen_phrases: dict[str, int | None] = {}
    previous: _Span | None = None  # the last speech quote
    for span in spans:
        inner = text[span.start : span.end]
        words, title = quoted[(span.start, span.end)]
        # A short quote is speech only when attributed or a whole sentence ("Believe it.").
        whole = bool(_WHOLE_START_RE.match(inner)) and inner.rstrip()[-1:] in (".", "!", "?")
        short = len(words) < 5 and not whole
        phrase = " ".join(words).lower()  # (a space ends a word's casing context)
        repeated = phrase in seen_phrases
        earlier = seen_phrases.setdefault(phrase, None)
        if title:
            continue  # a title or a name in quotation marks
        if previous is not None and _interrupted(attributor, previous, span):
            # “It is hard,” he said, “but we will try.”: one quote, one speaker.
            span.speech, span.speaker, span.governed = True, previous.speaker, True
            span.confidence = previous.confidence
            previous = span
            continue
        if short and _NAMING_RE.search(text[max(0, span.mark_start - 30) : span.mark_start]):
            continue  # a name or a term ("a troll called 'fatalsplash' then accused her")
        speaker, confidence, said = attributor.after(span)
        if not said:
            scare = short and (repeated or _modifies(text, span))
            speaker, confidence, said = attributor.before(span)
            # A short phrase a named speaker's verb governs is theirs ("X said the figures
            # were 'unverified'"); one quoted before is so only if the same one said it then.
            theirs = said and speaker is not None and confidence >= _CHAIN
            if scare and not (theirs and (not repeated or earlier == speaker)):
                continue  # a scare quote, a term, a name
            if short and not said:
                continue  # a short phrase no verb of saying governs
        if not said:
            speaker, confidence = _context_speaker(attributor, previous, span)
        if span.paragraph == headline:
            speaker = None  # a headline's quoted words are the desk's summary, not a quote
        if speaker is None:
            confidence = 0.0
        span.speech, span.speaker, span.governed = True, speaker, said
        span.confidence = confidence
        if speaker is not None and confidence >= _CHAIN:
            attributor.last_speaker = speaker
            if seen_phrases.get(phrase) is None:
                seen_phrases[phrase] = speaker
        previous = span
    quotes = []
    for span in spans:
        if not span.speech:
            continue
        shown = span.speaker is not None and span.confidence >= min_confidence
        name = detection.entities[span.speaker].name if shown and span.speaker is not None else None
        quotes.append(
            Quote(
                text[span.start : span.end],
                name,
                span.start,
                span.end,
                article_id,
                confidence=round(span.confidence, 3),
            )
        )
    return quotes


def _modifies(text: str, span: _Span) -> bool:
    """True when the quoted words qualify a noun: a “no limits” partnership, a 'fun' day."""
    if span.open_end:
        return False
    if (
        text[span.end - 1 : span.end] in ",.;:!?"
        or text[span.mark_end : span.mark_end + 1] in ",.;:!?"
    ):
        return False
    after = re.match(r"\s*([A-Za-z][\w-]*)", text[span.mark_end : span.mark_end + 40])
    before = re.search(r"([\w'’]+)\s*$", text[max(0, span.mark_start - 40) : span.mark_start])
    if after is None or before is None:
        return False
    word, determiner = after.group(1), before.group(1)
    if not word.islower() or word in _FUNCTION_WORDS:
        return False
    return determiner.lower() in _DETERMINERS or bool(re.search(r"['’]s?$", determiner))


_INTERRUPTION_RE = re.compile(
    rf"^\s*,?\s*[^.!?“”\"]{{0,60}}\b(?:{_SPEECH_VERBS})\b[^.!?“”\"]{{0,40}}[,:]\s*$",
    re.IGNORECASE,
)


def _interrupted(attributor: Attributor, previous: _Span, span: _Span) -> bool:
    """Is ``span`` the rest of ``previous``, cut by its attribution (“...,” he said, “...”)?

    Only a quote broken off at a comma goes on; after a full stop the next one
    is a new quote, and one whose interruption names someone new is theirs.
    """
    if previous.paragraph != span.paragraph or previous.open_end:
        return False
    text = attributor.text
    if "," not in text[previous.end : previous.mark_end + 1]:
        return False
    between = attributor.masked[previous.mark_end : span.mark_start]
    if not between.rstrip().endswith((",", ":")) or not _INTERRUPTION_RE.match(between):
        return False
    named = attributor.mentions_in(previous.mark_end, span.mark_start)
    return all(m.entity == previous.speaker for m in named)


def _context_speaker(
    attributor: Attributor, previous: _Span | None, span: _Span
) -> tuple[int | None, float]:
    """The speaker of a quote with no verb of its own: introduced by the sentence before,
    or continuing the confident quote before it when nothing between names anyone else."""
    cuts = attributor.cuts(span.paragraph)
    sent_start = cuts.sentence_start(span.mark_start)
    opens = not attributor.masked[sent_start : span.mark_start].strip()
    factor = 1.0 if opens else _INLINE
    if opens:
        before = attributor.previous_sentence(sent_start, span.paragraph)
        if before is not None:
            start, end, para = before
            zone = attributor.masked[start:end]
            speaker, confidence, said = attributor.verb_in(start, zone, para)
            if said and speaker is not None:
                return speaker, confidence * _INTRODUCED
    if previous is None or previous.speaker is None or previous.confidence < _CHAIN:
        return None, 0.0
    head = attributor.det.entities[previous.speaker]
    # Other names in the head quote's own attribution are titles and appositions
    # ("..., said Acme Chief Officer Jo Bloggs, of Leeds."), not someone new.
    attribution_end = attributor.cuts(previous.paragraph).sentence_end(previous.mark_end)
    between = attributor.mentions_in(previous.mark_end, span.mark_start)
    if any(m.entity == previous.speaker and m.start < attribution_end for m in between):
        between = [m for m in between if m.start >= attribution_end]
    for mention in between:
        other = attributor.entity(mention)
        if mention.entity != previous.speaker and (
            other.kind == "person" or other.kind == head.kind
        ):
            return None, 0.0  # someone else came into the story in between
    gap = attributor.masked[previous.mark_end : span.mark_start].split()
    near = _ADJACENT if len(gap) <= 3 else _LATER
    return previous.speaker, previous.confidence * near * factor


def _headline(attributor: Attributor) -> int | None:
    """The index of the first paragraph when it is a headline: short, no final stop, more after."""
    paragraphs = attributor.paragraphs
    if len(paragraphs) < 2:
        return None
    start, end = paragraphs[0]
    line = attributor.text[start:end].rstrip(" '\"’”»)")
    if len(line.split()) > 20 or line[-1:] in ".!?":
        return None
    return 0

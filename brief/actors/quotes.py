"""Direct quotes and who said them: “...,” X said; X said “...”; he told; according to X.

Quotation marks are paired per paragraph (curly, straight, guillemets, and
single marks told apart from apostrophes); a quote left open at the end of a
paragraph runs on into the next one, as news style has it.  A quote is speech
when it is attributed or long enough to be a sentence; a short phrase in
quotation marks ("no limits", a “reverse Nixon” approach) is a scare quote or a
title unless a speech verb governs it.  The speaker comes from, in order: the
words right after the quote (“...,” she said), the speech verb before it in
the same sentence (X said that ... “...”), or the quote before it in the same
run of speech (a second quote with no attribution of its own).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from brief.actors.detect import Detection, Entity, Found
from brief.actors.gazetteer import ABBREVIATIONS
from brief.models import Quote

_SPEECH_VERB_TEXT = (
    "said says say saying told tells telling added adds adding asked asks stated states declared "
    "insisted insists insisting argued argues arguing warned warns warning noted notes noting "
    "explained explains claimed claims claiming wrote writes writing posted tweeted announced "
    "replied responded acknowledged admitted confirmed denied suggested urged urging stressed "
    "emphasised emphasized observed remarked commented cautioned predicted recalled conceded "
    "countered continued call(?:ed|ing)(?!\\x20(?:out|for|on|off|up|in|back)) "
    "described describing "
    "vowed promised pledged boasted complained lamented quipped joked shouted yelled whispered "
    "tells reiterated reckoned concluded agreed disagreed mused pointed\\x20out went\\x20on"
)
_SPEECH_VERB_FORMS = _SPEECH_VERB_TEXT.split()  # ("\x20" is a space within a form)


def _by_first_letter(forms: Sequence[str]) -> str:
    """One alternation of ``forms`` grouped by first letter: the same matches, found faster.

    The regular expression engine tries every alternative at every word start;
    grouped, it tries a letter first.  Each form is a whole word (the pattern
    puts ``\\b`` on both sides), so at most one can match at a place, and the
    order of the groups changes nothing.
    """
    groups: dict[str, list[str]] = {}
    for form in dict.fromkeys(forms):
        groups.setdefault(form[0], []).append(form[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


_SPEECH_VERBS = _by_first_letter(_SPEECH_VERB_FORMS)
_VERB_RE = re.compile(rf"\b(?:{_SPEECH_VERBS})\b|\baccording to\b", re.IGNORECASE)
_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}
_PRONOUN_RE = re.compile(r"^(?:he|she|they|it)$", re.IGNORECASE)
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
_LEAD_IN_RE = re.compile(
    r"^\s*(?:after|before|on|in|at|during|while|when|since|asked|speaking|writing|despite|"
    r"following|addressing|responding|in a|earlier|later|last|this|yesterday)"
    r"\b[^,]{0,80},\s*",
    re.IGNORECASE,
)
_CLAUSE_BREAK_RE = re.compile(r"(?:,\s*(?:and|but|while|whereas)\s+|;\s*|\s+but\s+)", re.IGNORECASE)
_NOMINAL_RE = re.compile(
    r"\bthe\s+(?:\w+\s+)?(ministry|agency|company|government|group|embassy|military|army|party|"
    r"council|court|bank|organi[sz]ation|firm|administration|kremlin|department|office|statement)\b",
    re.IGNORECASE,
)
_STATE_NOUNS = _words(
    "government ministry military army embassy administration kremlin department office"
)
_OPEN_DOUBLE = "“«„"
_CLOSE_DOUBLE = "”»"
_DOUBLE_MARK_RE = re.compile('["“«„”»]')
_SINGLE_OPEN_RE = re.compile("[‘']")
_SINGLE_CLOSE_RE = re.compile("[’']")
_ANY_MARK_RE = re.compile("[\"“«„”»‘'’]")
_WORD_CHAR_RE = re.compile(r"\w")
_SPACES_RE = re.compile(r"(\s+)")
_QUOTE_WORD_RE = re.compile(r"[\w’'-]+")
_WHOLE_START_RE = re.compile(r"[A-Z0-9]")
_LEAD_RE = re.compile(r"^[\s,:;—–-]*")


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


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            spans.append((offset, offset + len(body)))
        offset += len(line)
    return spans


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
    for mark in _DOUBLE_MARK_RE.finditer(text, start, end):
        pos = mark.start()
        char = mark.group()
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
    pos = start
    while pos < end:
        mark = _SINGLE_OPEN_RE.search(text, pos, end)
        if mark is None:
            break
        pos = mark.start()
        if not _inside(pos, blocked):
            before = text[pos - 1] if pos > start else " "
            after = text[pos + 1] if pos + 1 < end else " "
            if (before.isspace() or before in "([{—–-:" or pos == start) and after.isalnum():
                close = _single_close(text, pos + 1, end)
                if close is not None:
                    found.append(_Span(pos, close + 1, pos + 1, close, para, False))
                    pos = close + 1
                    continue
        pos += 1
    return found


def _single_close(text: str, pos: int, end: int) -> int | None:
    for mark in _SINGLE_CLOSE_RE.finditer(text, pos, end):
        at = mark.start()
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
    skipped = {
        index
        for index in {s.paragraph for s in spans}
        if _inside(paragraphs[index][0], excluded) and _inside(paragraphs[index][1] - 1, excluded)
    }
    return [s for s in spans if s.paragraph not in skipped]


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
        # Runs of non-space become runs of x (split at spaces: quicker than char by char).
        parts = _SPACES_RE.split(text[span.start : span.end])
        parts[::2] = ["x" * len(part) for part in parts[::2]]
        inner = "".join(parts)
        if text[span.start].isupper():
            inner = "X" + inner[1:]
        if text[span.end - 1] in ".!?":
            inner = inner[:-1] + text[span.end - 1]
        pieces += (text[done : span.start], inner)
        done = span.end
    pieces.append(text[done:])
    return "".join(pieces)


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


_BOUNDARY_RE = re.compile(r"[.!?][\"”’»)\]]*\s+(?=[\"“‘«(]?[A-Z0-9])")


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
    word = _STEM_RE.search(masked, max(start, at - 12), at + 1)
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
        matches = [(m.start(), m.end()) for m in _BOUNDARY_RE.finditer(masked, start, end)]
        self.stops = [at for at, _ in matches]
        self.nexts = [after for _, after in matches]

    def sentence_start(self, pos: int) -> int:
        """Where the sentence containing ``pos`` starts."""
        index = bisect_right(self.nexts, pos) - 1
        while index >= 0:
            if _ends_sentence(self.masked, self.start, self.stops[index]):
                return self.nexts[index]
            index -= 1
        return self.start

    def sentence_end(self, pos: int) -> int:
        """Where the sentence running at ``pos`` ends."""
        for index in range(bisect_left(self.stops, pos), len(self.stops)):
            if _ends_sentence(self.masked, pos, self.stops[index]):
                return self.stops[index] + 1
        return self.end


class _Attributor:
    """Finds speakers for the quotes of one text."""

    def __init__(self, detection: Detection, spans: list[_Span]) -> None:
        self.det = detection
        self.text = detection.text
        self.spans = spans
        self.masked = _masked(self.text, spans)
        self.paragraphs = _paragraphs(self.text)
        # Speakers are named outside quotation marks.
        quoted = _union([(s.start, s.end) for s in spans])
        starts = [a for a, _ in quoted]
        self.outside = [
            m
            for m in detection.mentions
            if (at := bisect_right(starts, m.start) - 1) < 0 or m.start >= quoted[at][1]
        ]
        self.outside.sort(key=lambda m: m.start)  # already so: mentions come in text order
        self.outside_starts = [m.start for m in self.outside]
        self._cuts: dict[int, _Cuts] = {}

    def cuts(self, paragraph: int) -> _Cuts:
        """The sentence boundaries of paragraph number ``paragraph``."""
        found = self._cuts.get(paragraph)
        if found is None:
            start, end = self.paragraphs[paragraph]
            found = self._cuts[paragraph] = _Cuts(self.masked, start, end)
        return found

    def entity(self, found: Found) -> Entity:
        return self.det.entities[found.entity]

    def mentions_in(self, start: int, end: int) -> list[Found]:
        """The mentions outside quotes within ``start:end``, in text order."""
        found = []
        for index in range(bisect_left(self.outside_starts, start), len(self.outside)):
            mention = self.outside[index]
            if mention.start >= end:
                break
            if mention.end <= end:
                found.append(mention)
        return found

    def pick(self, mentions: list[Found], *, prefer_last: bool = False) -> int | None:
        """The speaker among mentions in a subject: a person, else an organisation or state."""
        if not mentions:
            return None
        people = [m for m in mentions if self.entity(m).kind == "person"]
        if people:
            return (people[-1] if prefer_last else people[0]).entity
        plain = [m for m in mentions if not m.possessive and self.entity(m).kind != "person"]
        orgs = [m for m in plain if self.entity(m).kind == "organisation"]
        if orgs:
            return (orgs[-1] if prefer_last else orgs[0]).entity
        if plain:
            return (plain[-1] if prefer_last else plain[0]).entity
        return mentions[-1].entity

    def resolve_pronoun(self, pronoun: str, pos: int, para: int) -> int | None:
        """The last fitting actor named (outside quotes) before ``pos`` within a few paragraphs.

        A name in the possessive ("Saka's injury") is passed over when another fits:
        "he" after it usually goes back to the sentence subject before.
        """
        low = pronoun.lower()
        floor = self.paragraphs[max(0, para - 3)][0]
        fallback: int | None = None
        for found in reversed(self.outside):
            if found.start >= pos or found.start < floor:
                continue
            entity = self.entity(found)
            if low == "it":
                if entity.kind != "person":
                    return found.entity
                continue
            if entity.kind != "person":
                continue
            gender = _PRONOUNS.get(low)
            if gender and entity.gender and entity.gender != gender:
                continue
            if found.possessive:
                fallback = found.entity if fallback is None else fallback
                continue
            return self.learn_gender(found.entity, gender)
        return self.learn_gender(fallback, _PRONOUNS.get(low))

    def learn_gender(self, entity: int | None, gender: str | None) -> int | None:
        """The pronoun that refers to a person tells their gender when nothing else did."""
        if entity is not None and gender and self.det.entities[entity].gender is None:
            self.det.entities[entity].gender = gender
        return entity

    def nominal(self, noun: str, pos: int, para: int) -> int | None:
        """ "the company said": the most mentioned fitting organisation (or state) so far."""
        wanted = ("state", "organisation") if noun.lower() in _STATE_NOUNS else ("organisation",)
        counts: dict[int, int] = {}
        first: dict[int, int] = {}
        for found in self.outside:
            if found.start >= pos:
                break
            if self.entity(found).kind in wanted:
                counts[found.entity] = counts.get(found.entity, 0) + 1
                first.setdefault(found.entity, found.start)
        if not counts:
            return None
        return max(counts, key=lambda e: (counts[e], -first[e]))

    def subject(self, start: int, end: int, para: int) -> int | None:
        """The speaker named in the words ``start:end`` before (or after) a speech verb."""
        zone = self.masked[start:end]
        mentions = self.mentions_in(start, end)
        words = zone.split()
        if mentions:
            first_word = words[0].lower() if words else ""
            if first_word in ("he", "she") and mentions[0].start > start + len(words[0]):
                people = [m for m in mentions if self.entity(m).kind == "person"]
                if not people:
                    return self.resolve_pronoun(first_word, start, para)
            return self.pick(mentions)
        if words and _PRONOUN_RE.match(words[0]) and len(words) <= 3:
            return self.resolve_pronoun(words[0], start, para)
        for word in words[:2]:
            if word.lower() in ("he", "she", "it"):
                return self.resolve_pronoun(word, start, para)
        nominal = _NOMINAL_RE.search(zone)
        if nominal is not None and len(words) <= 6:
            return self.nominal(nominal.group(1), start, para)
        return None

    def after(self, span: _Span) -> tuple[int | None, bool]:
        """“...,” X said / said X / he told ... — the words right after the closing mark.

        Returns the speaker (None when unnamed: "one official told Reuters") and
        whether an attribution was found at all.
        """
        stop = self.cuts(span.paragraph).sentence_end(span.mark_end)
        following = [s for s in self.spans if s.mark_start >= span.mark_end and s.mark_start < stop]
        if following:
            stop = following[0].mark_start
        tail = self.masked[span.mark_end : stop]
        lead = _LEAD_RE.match(tail)
        offset = span.mark_end + (lead.end() if lead else 0)
        rest = self.masked[offset:stop]
        verb = _VERB_RE.search(rest)
        if verb is None or len(rest[: verb.start()].split()) > 14:
            return None, False
        verb_start = offset + verb.start()
        if verb.group().lower() == "according to":
            return self.subject(offset + verb.end(), stop, span.paragraph), True
        if rest[: verb.start()].strip():
            # "Ukraine’s Foreign Ministry said", "she said", "Mr. Smith told reporters".
            if _boundaries(self.masked, offset, verb_start):
                return None, False
            return self.subject(offset, verb_start, span.paragraph), True
        # "said Mr. Smith, the mayor." — the speaker follows the verb.
        after_verb = offset + verb.end()
        clause_end = self.masked.find(",", after_verb, stop)
        end = clause_end if clause_end >= 0 else stop
        return self.subject(after_verb, end, span.paragraph), True

    def before(self, span: _Span) -> tuple[int | None, bool]:
        """X said (that) ... “...” — a speech verb before the quote: (speaker, verb found)."""
        sent_start = self.cuts(span.paragraph).sentence_start(span.mark_start)
        zone = self.masked[sent_start : span.mark_start]
        if not zone.strip() and span.paragraph > 0:
            # "X said this week:" closing the paragraph before introduces the quote.
            prev_start, prev_end = self.paragraphs[span.paragraph - 1]
            if self.masked[prev_start:prev_end].rstrip().endswith(":"):
                sent_start = self.cuts(span.paragraph - 1).sentence_start(prev_end)
                zone = self.masked[sent_start:prev_end]
        verbs = list(_VERB_RE.finditer(zone))
        if not verbs:
            return None, False
        verb = verbs[-1]
        word = verb.group().lower()
        if word == "according to":
            comma = zone.find(",", verb.end())
            end = sent_start + (comma if comma >= 0 else len(zone))
            return self.subject(sent_start + verb.end(), end, span.paragraph), True
        subject_zone = zone[: verb.start()]
        lead = _LEAD_IN_RE.match(subject_zone)
        begin = lead.end() if lead else 0
        if not word.endswith("ing"):
            # A finite verb's subject is in its own clause ("..., and critics called it ...").
            breaks = list(_CLAUSE_BREAK_RE.finditer(subject_zone, begin))
            if breaks:
                begin = breaks[-1].end()
        return self.subject(sent_start + begin, sent_start + verb.start(), span.paragraph), True


_SMALL_WORDS = _words(
    "of the a an and in on to for be is are at by from as or but nor vs with into"
)


def _is_title(words: list[str]) -> bool:
    """Every word that matters capitalised: a title or a name (“The Art of the Deal”)."""
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    return 2 <= len(significant) <= 12 and all(w[:1].isupper() for w in significant)


def title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted titles and names (“American Pie”): their words name no actor."""
    found = []
    for span in _quote_spans(text, ()):
        words = _QUOTE_WORD_RE.findall(text, span.start, span.end)
        if _is_title(words):
            found.append((span.start, span.end))
    return found


def find_quotes(detection: Detection, *, article_id: str = "") -> list[Quote]:
    """Every direct quote in the detected text that is speech, with its speaker when known."""
    text = detection.text
    spans = _quote_spans(text, detection.excluded)
    attributor = _Attributor(detection, spans)
    seen_phrases: set[str] = set()
    previous: _Span | None = None  # the last speech quote
    for span in spans:
        inner = text[span.start : span.end]
        words = _QUOTE_WORD_RE.findall(inner)
        phrase = " ".join(w.lower() for w in words)
        repeated = phrase in seen_phrases
        seen_phrases.add(phrase)
        # A short quote is speech only when attributed or a whole sentence ("Believe it.").
        whole = bool(_WHOLE_START_RE.match(inner)) and inner.rstrip()[-1:] in (".", "!", "?")
        short = len(words) < 5 and not whole
        if _is_title(words):
            continue  # a title or a name in quotation marks
        if previous is not None and _interrupted(attributor.masked, previous, span):
            # “It is hard,” he said, “but we will try.”: one quote, one speaker.
            span.speech, span.speaker, span.governed = True, previous.speaker, True
            previous = span
            continue
        speaker, said = attributor.after(span)
        if not said:
            if short and (
                repeated
                or _NAMING_RE.search(text[max(0, span.mark_start - 30) : span.mark_start])
                or _modifies(text, span)
            ):
                continue  # a scare quote, a term, a name
            speaker, said = attributor.before(span)
            if short and not said:
                continue  # a short phrase no verb of saying governs
        span.speech, span.speaker, span.governed = True, speaker, said
        if speaker is None and not said and previous is not None:
            span.speaker = _continued_speaker(text, attributor, previous, span)
        previous = span
    quotes = []
    for span in spans:
        if not span.speech:
            continue
        name = detection.entities[span.speaker].name if span.speaker is not None else None
        quotes.append(Quote(text[span.start : span.end], name, span.start, span.end, article_id))
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


def _interrupted(masked: str, previous: _Span, span: _Span) -> bool:
    """Is ``span`` the rest of ``previous``, cut by its attribution ("..., he said, ...")?"""
    if previous.paragraph != span.paragraph or previous.open_end:
        return False
    between = masked[previous.mark_end : span.mark_start]
    if not between.rstrip().endswith((",", ":")):
        return False  # the pattern ends in a comma or colon: no need to try it
    return bool(_INTERRUPTION_RE.match(between))


def _continued_speaker(
    text: str, attributor: _Attributor, previous: _Span, span: _Span
) -> int | None:
    """The speaker of an unattributed quote that continues the one before it."""
    if previous.speaker is None:
        return None
    if previous.paragraph == span.paragraph:
        return previous.speaker
    para_start, _ = attributor.paragraphs[span.paragraph]
    starts_paragraph = not text[para_start : span.mark_start].strip()
    if starts_paragraph and previous.paragraph == span.paragraph - 1:
        return previous.speaker
    return None

"""One cleaning pass before any analysis: the reader's sentences, with offsets into the original.

Every summarizer, the story clusterer and the actor layer read articles
through :func:`clean_paragraphs`.  It splits the text with brief's splitter,
then:

- cuts glued photo captions out of the prose (tabloid pages put a caption
  inline with no full stop: "…queue for food in Raqqa The group said…", or
  before a name: "…out of the garage on Friday Jane Roe said…") and drops
  the caption piece;
- cuts out inline page furniture ("Scroll down for video", share-bar button
  runs, "CNN's X contributed to this report") and drops it;
- drops bylines ("By . Jane Roe .") and page time stamps ("PUBLISHED: .",
  "08:37 EST, 23 October 2013 .");
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

from brief.models import Sentence
from brief.text.folding import folded
from brief.text.news import stop_words
from brief.text.sentences import split_paragraphs, split_sentences

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
# Every alternative of _INLINE_FURNITURE opens with one of these words (in any case), so
# a phrase can start only where one stands: furniture_spans tries the expression there
# instead of at every position.  A word added to the expression must be added here.
_FURNITURE_WORDS = (
    *("scroll", "share", "watch", "click", "read", "sponsored"),
    *("tweet", "pin", "email", "e-mail", "facebook", "twitter", "pinterest", "whatsapp"),
    *("linkedin", "print", "flipboard", "comment", "copy"),
)

# Words that open a new sentence after a glued caption: a lower-case word, a
# space, one of these, then a lower-case word ("…food in Raqqa The group said…").
# Pronouns and articles only: a name after a caption cannot be told from prose.
_OPENER = r"(?:The|He|She|They|It|His|Her|Their|Its|We|This|These|Those|There|But|And|However)"
_GLUED_CAPTION = re.compile(
    # The space first: most positions fail at once (fast); then the capital both kinds
    # need after it (most spaces fail there); then what stands either side.
    r"\s(?=[A-Z])(?:(?<=[a-z][a-z]\s)(?=" + _OPENER + r"\s+[a-z])"
    r"|(?<=\bpictured\s)(?=[A-Z][a-z]))"
)
# An invented caption starts after "pictured" or ends a lower-case run; its
# words before a real title ("told The New York Times") are guarded by the
# lower-case word the opener needs after it.

# A caption glued before a sentence that opens with a name ("…his car out of
# the garage Jane Roe said the…").  A name after a lower-case word is usually
# prose ("striker Jane Roe said", "that Jane Roe was"), so the cut needs three
# things: the name (one to three capitalised words, a title allowed) is the
# subject of a verb; the word before it is a content word, not a function
# word or a role ("defender", "star"); and the piece before it is itself a
# caption-like clause: six words or more, with a capitalised word followed by
# a verb ("Jane Roe drives her car…").  The same clause test finds a caption
# before a sentence that opens with "A"/"An" ("…descending from its peak A
# climber has set…"), which the opener rule above leaves alone ("vitamin A").
# What follows the cut: "A"/"An" and a noun, or a name and a verb.  The name's words
# are no possessives ("dismissed Roe's claims").
_AFTER_CUT = (
    r"(?=An? (?P<noun>[a-z]+)"
    r"|(?P<name>(?:(?:Mr|Mrs|Ms|Dr|Professor|Sir|Lady)\.? )?[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})"
    r" (?P<verb>[a-z]+)(?: (?P<next>[a-z]+))?)"
)
_NAME_AFTER_LOWER = re.compile(
    # The whole word before the name is lower case ("garage", not "Schumacher")
    # or a weekday ("…on Friday Jane Roe…").
    r"(?<![\w'’.-])(?P<last>[a-z]{3,}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)(?P<cut> )"
    + _AFTER_CUT
)
# The cuts _NAME_AFTER_LOWER can make: a space after three lower-case letters (the end of
# a lower-case word or a weekday) with what it needs after it.  A pattern that opens with
# its space is scanned quickly (the engine skips to each space, and most fail at the
# capital); the word before the cut is then read back from the space (_names_after_lower).
_NAME_CUT = re.compile(r" (?=[A-Z])(?<=[a-z]{3} )" + _AFTER_CUT)
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def _word_set(words: str) -> frozenset[str]:
    """A set of the space-separated ``words`` (word lists stay readable)."""
    return frozenset(words.split())


_AUXILIARIES = _word_set(
    "is are was were has have had will would can could may might must should "
    "said says told added admitted claimed insisted revealed explained"
)
_OPEN_CLAUSE = _word_set(
    "when while as that if because since until after before where whether although though "
    "to who which what how"
)
# A capitalised word (no possessive: "Roe's terms") and a verb after it.
_CAPTION_VERB = re.compile(r"\b[A-Z][a-z]+,? ([a-z]{2,})\b(?= [a-z])")
_NAME_WORD = re.compile(r"\b[A-Z][a-z]+\b")
_ARTICLES = _word_set("a an the")
_TITLES = _word_set("Mr Mrs Ms Dr Professor Sir Lady Mr. Mrs. Ms. Dr.")
_NOT_BEFORE_A_NAME = _word_set(
    # Function words and reporting words that run into a name in prose.
    "the and but that when while whether than then with from into onto over under "
    "after before about against between without within during until since because "
    "like including named called dubbed nicknamed born said says told asked thanked "
    "here there where which who whom whose how why what also even only just "
    "for not nor yet per via ago"
    # Roles and relations written before a name ("defender Jane Roe").
    " star striker defender midfielder forward winger goalkeeper keeper captain manager "
    "coach boss chairman chairwoman chief president minister secretary leader "
    "spokesman spokeswoman spokesperson model actor actress singer rapper presenter "
    "host novelist author writer champion winner expert professor doctor judge "
    "lawyer attorney officer superintendent sergeant detective inspector constable "
    "countryman compatriot teammate supporter girlfriend boyfriend wife husband "
    "partner son daughter mother father brother sister friend chair director "
    "founder rival colleague player senator governor mayor candidate suspect victim "
    "mum dad grandmother grandfather uncle aunt cousin fan little young "
    "pilot driver rider jockey trainer referee umpire analyst economist "
    "commentator reporter correspondent editor photographer chef designer "
    "producer comedian businessman businesswoman entrepreneur billionaire "
    "millionaire tycoon heiress socialite pundit legend icon veteran rookie "
    "teenager schoolboy schoolgirl student pupil teacher nurse surgeon "
    "scientist researcher historian group club company firm charity team side band "
    "party union council agency soldier prop comedy film show series specialist"
)


def _caption_before_name(text: str, found: re.Match[str]) -> bool:
    """True when the piece before ``found``'s cut reads as a caption glued to a sentence."""
    verb, after = found.group("verb"), found.group("next")
    # "Islamic views were": a plural noun before a verb, not a verb.
    named = verb is not None
    if named and not (
        verb in _AUXILIARIES or (_verb_like(verb, after) and after not in _AUXILIARIES)
    ):
        return False
    last = found.group("last")
    if last in _NOT_BEFORE_A_NAME or last in stop_words():
        return False
    cut = found.start("cut")
    window = text[max(0, cut - 300) : cut]
    # The piece asked about below ends the window, and the window holds every capitalised
    # word and verb the piece does: with no such verb there, the split can be saved.
    if not any(
        word in _AUXILIARIES or _verb_like(word, "") for word in _CAPTION_VERB.findall(window)
    ):
        return False
    named_words: set[str] = set()
    if named:
        name = found.group("name").split()
        named_words = set(name[1:] if name[0] in _TITLES else name)
        if not named_words.intersection(_NAME_WORD.findall(window)):
            return False  # (nor in the piece: see below)
    # The piece since the last sentence end (or line break) before the cut.
    before = split_sentences(window)
    piece = before[-1].text.rsplit(": ", 1)[-1] if before else ""
    words = piece.split()
    # "…an early chance when prop Jane Roe was…": a clause still open is prose.
    # A piece that opens as a subordinate clause ("Since Roe returned, …") is a
    # sentence's start, not a caption.
    if len(words) < 6 or _OPEN_CLAUSE.intersection(w.lower() for w in [words[0], *words[-4:-1]]):
        return False
    if named:
        # A caption shows the person the next sentence is about ("Jane Roe
        # waves… Roe said…"); a name new to the piece is more often prose
        # ("the tariffs Mr. Roe has threatened").
        if not named_words.intersection(_NAME_WORD.findall(piece)):
            return False
    # "A climber has…", not "vitamin A and…"; "a type A personality" is one noun phrase.
    elif found.group("noun") in stop_words() or _ARTICLES.intersection(
        w.lower() for w in words[-3:-1]
    ):
        return False
    return any(
        word in _AUXILIARIES or _verb_like(word, "")
        for word in (m.group(1) for m in _CAPTION_VERB.finditer(piece))
    )


def _verb_like(word: str, after: str | None) -> bool:
    """A past ("posted") or present ("drives") form with a word after it: likely a verb."""
    if after is None or len(word) < 5 or word in stop_words():
        return False
    return word.endswith("ed") or (word.endswith("s") and not word.endswith("ss"))


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
    cuts = [m.start() for m in _GLUED_CAPTION.finditer(text)]
    cuts.extend(m.start("cut") for m in _names_after_lower(text) if _caption_before_name(text, m))
    return sorted(set(cuts))


def _names_after_lower(text: str) -> list[re.Match[str]]:
    """The matches ``_NAME_AFTER_LOWER.finditer(text)`` gives, found from their cuts.

    A match is the whole lower-case word before its cut (the character before
    it is no letter) or a weekday, its capital one before that word's lower
    case; so it starts at the lower-case run ending at the cut, or one before.
    Matches never overlap (each ends at its cut, after a word with no space).
    """
    found = []
    for cut in _NAME_CUT.finditer(text):
        start = cut.start() - 3
        while start > 0 and text[start - 1] in _LOWER:
            start -= 1
        match = _NAME_AFTER_LOWER.match(text, start)
        if match is None and start > 0:
            match = _NAME_AFTER_LOWER.match(text, start - 1)  # "Friday", "Monday"
        if match is not None:
            found.append(match)
    return found


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of inline furniture phrases in ``text``.

    The same spans as ``_INLINE_FURNITURE.finditer``, trying the expression
    only where one of ``_FURNITURE_WORDS`` stands, in text order, past the
    phrase found before.
    """
    return _furniture_spans(text, folded(text))


def _furniture_spans(text: str, lowered: str | None) -> list[tuple[int, int]]:
    """:func:`furniture_spans`, ``lowered`` being ``folded(text)``."""
    if lowered is None:
        return [(m.start(), m.end()) for m in _INLINE_FURNITURE.finditer(text)]
    starts = set()
    for word in _FURNITURE_WORDS:
        at = lowered.find(word)
        while at >= 0:
            starts.add(at)
            at = lowered.find(word, at + 1)
    spans: list[tuple[int, int]] = []
    done = 0
    for start in sorted(starts):
        if start >= done and (found := _INLINE_FURNITURE.match(text, start)) is not None:
            spans.append(found.span())
            done = found.end()
    return spans


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


# A byline ("By Jane Roe for Example News", "By ." when the page put the
# name after a stray full stop) and the names that follow such a bare "By".
_NAME_RUN = r"(?:(?:[A-Z][\w'’-]*\.?|and|for|in|&|,)\s*)"
_BYLINE = re.compile(r"By\b[\s.]*" + _NAME_RUN + r"{0,10}[.|\s]*")
_NAMES_ONLY = re.compile(_NAME_RUN + r"{1,10}[.|\s]*")
# A page's time stamp: "PUBLISHED: 08:37 EST, 23 October 2013 | UPDATED: …",
# "Last updated at 4:12 PM on 5th January 2012".  Every word is a label, a
# time, a date or a zone, and there is a label or a number.
_STAMP_LABEL = re.compile(r"(?:PUBLISHED|UPDATED|Published|Updated|Posted|Last)\b")
_STAMP_WORD = re.compile(
    r"""(?:PUBLISHED|UPDATED|Published|Updated|Posted|Last|last|updated|at|on
    | \d{1,2}[:.]\d{2}(?:[ap]m)? | \d{1,4}(?:st|nd|rd|th)? | [AP]M | [ap]m | [A-Z]{2,4}
    | (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*
    | (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)[.,:|]*""",
    re.VERBOSE,
)


def is_time_stamp(sentence: str) -> bool:
    """True for a line that is only a page's publication or update time."""
    first = sentence.split(None, 1)[:1]
    if first and first[0].strip(".,:|") and not _STAMP_WORD.fullmatch(first[0]):
        return False  # every word must be a stamp's: most lines fail at the first
    words = [w for w in sentence.split() if w.strip(".,:|")]
    if not words or not all(_STAMP_WORD.fullmatch(w) for w in words):
        return False
    return any(_STAMP_LABEL.match(w) or w[:1].isdigit() for w in words)


def is_furniture_sentence(sentence: str) -> bool:
    """True for a sentence that is page furniture, a byline, a time stamp or a credit line."""
    trimmed = sentence.strip()
    return _is_byline(trimmed) or _other_furniture(sentence, trimmed)


def _is_byline(trimmed: str) -> bool:
    """A byline ("By Jane Doe"): it opens with "By", so no other sentence is matched."""
    return trimmed.startswith("By") and _BYLINE.fullmatch(trimmed) is not None


def _other_furniture(sentence: str, trimmed: str, credits: bool = True) -> bool:
    """:func:`is_furniture_sentence` but for bylines; ``trimmed`` is ``sentence.strip()``.

    ``credits`` False says the text around the sentence holds no credit line.
    """
    stripped = trimmed.strip(".:|•·-—– ")
    if not stripped or is_time_stamp(sentence):
        return True
    return _INLINE_FURNITURE.fullmatch(stripped) is not None or (credits and _is_credit(trimmed))


def _is_credit(line: str) -> bool:
    """True for a credit line ("… contributed to this report.", "Reporting by …")."""
    lowered = folded(line)
    if lowered is not None and not _may_credit(lowered):
        return False  # (every credit has one of these words: most lines are not searched)
    return bool(_CREDIT.match(line))


def _may_credit(lowered: str) -> bool:
    """Does folded text hold one of the words every credit line has?

    (Folding maps each character to one character, the same wherever it stands
    but for a Greek sigma: a piece of a text holds these words only if the whole
    text does.)
    """
    return "contributed" in lowered or "added" in lowered or "reporting" in lowered


def debris(sentence: str) -> str | None:
    """What page debris a summary bullet still carries, or None when it reads clean.

    The editorial benchmark's detector: a glued caption, an inline furniture
    phrase, a leading dateline, a credit line or a "word.Word" join.
    """
    if dateline_length(sentence):
        return "dateline"
    if is_furniture_sentence(sentence) or _INLINE_FURNITURE.search(sentence):
        return "furniture"
    if glued_caption_cuts(sentence):
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
    lowered = folded(text)
    furniture = _furniture_spans(text, lowered)
    credits = lowered is None or _may_credit(lowered)
    captions = glued_caption_cuts(text)
    cuts = [*captions, *(edge for span in furniture for edge in span)]
    paragraphs = split_paragraphs(text, cuts) if cuts else split_paragraphs(text)
    inside = {start for start, _ in furniture}
    # Before "And"/"But" the piece is more often a sentence that lost its stop
    # than a caption: it is cut off but kept.
    caption_ends = {c for c in captions if not _CONJUNCTION.match(text, c)}
    out: list[list[Sentence]] = []
    index = 0
    byline = False  # the last sentence dropped was a byline: names may follow ("By . Jane Roe .")
    for paragraph in paragraphs:
        kept: list[Sentence] = []
        for sentence in paragraph:
            trimmed = sentence.text.strip()
            if byline and _NAMES_ONLY.fullmatch(trimmed):
                continue
            byline = _is_byline(trimmed)
            if (
                byline
                or sentence.start in inside
                or _other_furniture(sentence.text, trimmed, credits)
            ):
                continue
            if (
                caption_ends
                and _ends_at(text, sentence.end, caption_ends)
                and not _TERMINAL.search(sentence.text)
            ):
                continue  # the caption before a glued sentence
            skip = dateline_length(sentence.text)
            if not skip and sentence.index == index:
                kept.append(sentence)  # (the sentence as split: no copy needed)
                index += 1
                continue
            start = sentence.start + skip
            while skip and start < sentence.end and text[start].isspace():
                start += 1
            if start >= sentence.end:
                continue
            kept.append(Sentence(text[start : sentence.end], index, start, sentence.end))
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

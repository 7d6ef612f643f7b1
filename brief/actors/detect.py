"""Find the people, states and organisations an article mentions, and merge each one's names.

No model and no download: runs of capitalised words are cut into parts with
word lists (titles, roles, name heads) and the gazetteer (states with their
demonyms and metonyms, known organisations).  Cues around a name decide what
it is: "President" or "Mr." before it, ", a senior fellow at ..." after it,
"news agency" behind it.  Names then merge within the article ("Mr. Xi" and
"Xi" join "Xi Jinping"), and the reader's watchlist renames what it knows.

Page furniture ("Skip to main content"), photo captions and credits
("Name/The Canadian Press") and by-lines ("With reports from Reuters") are
not read at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from brief.actors.gazetteer import (
    ABBREVIATIONS,
    SPACED_TOKEN_RE,
    Entry,
    Gazetteer,
    Lexicon,
    load_gazetteer,
    load_lexicon,
    phrase_tokens,
    prefixes_of,
)
from brief.config import WatchedActor
from brief.models import Actor, ActorKind

# --- what is not article body ------------------------------------------------------

# Whole lines of web-page furniture, matched at the start of a line in any case.
_FURNITURE_RE = re.compile(
    r"^\W*(?:skip to (?:main )?content|open this (?:photo|image) in gallery|"
    r"follow related (?:authors|topics)|authors and topics you follow|interact with the|"
    r"sign up (?:for|to)|subscribe (?:to|now|for)|(?:share|email|print) this (?:article|story)|"
    r"share on (?:facebook|twitter|x|whatsapp|linkedin)|read more\b|"
    r"related (?:stories|articles|coverage)|click here|listen to this article|"
    r"report an? (?:error|typo)|editorial standards|leave a comment|show comments|"
    r"you may also like|most popular|recommended for you|"
    r"this article (?:was|is|has been) (?:updated|published|corrected)|copyright\b|©|"
    r"all rights reserved|(?:photo|photograph|image|picture|illustration|video) (?:credit|by)?\s*:|"
    r"credit\s*:|(?:additional )?reporting by\b|editing by\b|compiled by\b|written by\b|"
    r"with (?:files|reports?|reporting) from\b|advertisement\s*$|story continues below|"
    r"get the latest)",
    re.IGNORECASE,
)
# A photo credit: "Maxim Shipenkov/The Canadian Press", "Jane Doe/AP".
_CREDIT = (
    r"(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*\s*/\s*(?:(?:The|AFP|AP|via)\s+)?"
    r"(?:[A-Z][\w'’.&-]*)(?:\s+[A-Z][\w'’.&-]*){0,3}"
)
# A line ending in a credit is a caption: it repeats the story and credits people not in it.
_CAPTION_RE = re.compile(
    r"(?:" + _CREDIT + r"|\(?(?:[A-Z][\w.-]*\s+)*(?:via\s+)?Getty Images\)?|"
    r"\((?:Photo|Image|Picture)s?(?::| by)[^)]*\))\s*$"
)
_CREDIT_RE = re.compile(r"(?<![\w/])" + _CREDIT + r"(?![\w/])")
# "WASHINGTON (Reuters) -" and "(CNN)" at the head of a story: the agency wrote it.
_DATELINE_RE = re.compile(
    r"^[^\S\n]*(?:[A-Z][A-Z.'’ -]+,?(?:\s+\w+\.?\s+\d{1,2})?\s*)?"
    r"\((?:Reuters|AP|AFP|CNN|Bloomberg|UPI|Xinhua|dpa|DPA|EFE|ANSA|PA)\)\s*[-—–:]*",
    re.MULTILINE,
)


_NEWLINE_RE = re.compile("\n")


def _may_credit(line: str) -> bool:
    """Could ``line`` end in a credit?  Each kind has a fixed part ("/", "Getty Images",
    "(Photo"): a line without one is not searched (a regular expression tried at every
    position of a long paragraph is most of the cost here)."""
    return (
        "/" in line
        or "Getty Images" in line
        or "(Photo" in line
        or "(Image" in line
        or "(Picture" in line
    )


def excluded_spans(text: str) -> list[tuple[int, int]]:
    """Character spans that are not article body: furniture lines, captions, credits, datelines."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip() and (
            _FURNITURE_RE.match(body) or (_may_credit(body) and _CAPTION_RE.search(body))
        ):
            spans.append((offset, offset + len(body)))
        elif "/" in body:
            for match in _CREDIT_RE.finditer(body):
                spans.append((offset + match.start(), offset + match.end()))
        offset += len(line)
    if "(" in text:  # every dateline names its agency in brackets
        # A dateline starts a line: try the expression there only, not at every position
        # (what finditer does; a match may run over a line end, so skip what it took).
        taken = 0
        for start in [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]:
            if start < taken:
                continue
            dateline = _DATELINE_RE.match(text, start)
            if dateline is not None:
                if dateline.group().strip():
                    spans.append((dateline.start(), dateline.end()))
                taken = dateline.end()
    spans.sort()
    return spans


# --- word classes --------------------------------------------------------------------

_OPENING_QUOTES = frozenset("“‘«„\"'")


def _words(spaced: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and extend)."""
    return frozenset(spaced.split())


_PARTICLES = _words(
    "de da di del della der den van von du le la bin ibn al el dos das ter ten zu y"
)
_DETERMINERS = frozenset(("The", "A", "An", "the", "a", "an"))
# "Iran-backed", "Saudi-led": the state acts (unlike "Washington-based", "Russia-watchers").
_BACKING_SUFFIXES = _words(
    "backed led funded controlled owned allied aligned sponsored supported run installed "
    "brokered appointed leaning friendly"
)
_LOWER_PREFIXES = frozenset(
    ["pro", "anti", "non", "ex", "post", "pre", "neo", "crypto", "sub", "trans"]
)
# Adjectives that may stand between a demonym and the actor it qualifies ("Russian state media").
_MODIFIERS = _words(
    "state state-run state-owned state-backed state-controlled government government-backed "
    "top senior former new military armed special security elite local regional foreign two "
    "three four several many some other leading prominent official pro-government "
    "intelligence naval federal national central ruling chief deputy young retired captured "
    "wounded dead killed murdered detained jailed missing acting junior longtime long-time "
    "veteran"
)
# Words before a title that keep it a title ("Deputy Foreign Minister").
_TITLE_MODIFIERS = _words(
    "Deputy Vice Acting Interim Former First Senior Chief Assistant Associate Special "
    "Permanent Executive former Top Shadow"
)
# Forms of address: never a name themselves.
_ADDRESS_FORMS = _words(
    "Mr. Mr Mrs. Mrs Ms. Ms Miss Mx. Dr. Dr Prof. Prof Sir Dame Lord Lady Herr Frau Mme. Mme "
    "Mlle. Monsieur Madame Señor Señora"
)
_NAME_SUFFIXES = frozenset(("Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "Junior", "Senior"))
_INITIALS_RE = re.compile(r"(?:[A-Z]\.)+")
_INITIAL_RE = re.compile(r"[A-Z]\.")
_NUMERAL_RE = re.compile(r"[IVX]+|\d+")  # "World War II", "Formula 1"
_AGE_RE = re.compile(r"\d{1,3}")
_AGE_PREFIX_RE = re.compile(r"^(?:\d+\s*-\s*)?[\w-]*year-old\s+")
_NUMBER_MODIFIER_RE = re.compile(r"\d+(?:-year-old)?|[\w-]+-(?:year-old|time|based)")
_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&]{2,6}")
# Verbs of saying right after a name ("Webster said") mark a speaker.
_SPEECH_AFTER = _words(
    "said says say told tells added adds asked stated declared insisted argued argues warned "
    "warns noted explained claimed claims wrote writes posted tweeted announced replied "
    "responded acknowledged admitted confirmed denied suggested urged stressed emphasised "
    "emphasized observed remarked commented cautioned predicted recalled conceded countered"
)
# ... but a name right after these is the listener ("told Bild"), not the speaker.
_LISTENING = frozenset(("told", "tells", "asked", "asks"))
# Plural nouns for groups of people that open sentences ("Critics said").
_GROUPS = _words(
    "critics analysts experts police witnesses sources authorities residents observers "
    "protesters supporters opponents voters neighbours neighbors relatives friends family "
    "organisers organizers rescuers firefighters paramedics medics investigators prosecutors "
    "officials scientists researchers doctors others reports documents records polls studies "
    "data figures statistics fans members leaders parents teachers"
)
# Heads that take "of" inside a name ("Bank of England", "Secretary of State").
_OF_HEADS = _words(
    "Republic Kingdom Secretary Minister Ministry Duke Prince Princess House Chamber Bank "
    "Director Chief Head State"
)

CandKind = Literal["person", "state", "organisation", "unknown", "surname", "none"]


# --- tokens ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Tok:
    """A token as the detector sees it: possessive split off, capitalisation and place noted."""

    text: str  # without a possessive ending
    raw: str
    start: int
    end: int  # end of ``text``
    word: bool
    cap: bool
    poss: bool = False
    initial: bool = False  # first word of a sentence
    line: int = 0


def _is_cap(word: str) -> bool:
    if word[:1].isupper():
        return True
    # "al-Assad", "bin-Salman": a lower-case particle joined to a capitalised name.
    head, _, rest = word.partition("-")
    return head in _PARTICLES and rest[:1].isupper()


def _name_word(word: str) -> bool:
    """Capitalised with lower-case letters after ("Xi", "O’Brien", "McDonald"), not "PGA".

    Hyphenated parts are capitalised ("Jean-Claude") or, after the first, short syllables
    ("Seo-yeon", "Ing-wen").
    """
    parts = word.split("-")
    if len(parts) > 1 and parts[0] in _PARTICLES:
        parts = parts[1:]
    for index, part in enumerate(parts):
        letters = part.replace("'", "").replace("’", "")
        if not letters.isalpha():
            return False
        if index > 0 and letters.islower() and len(letters) <= 5:
            continue
        if not letters[0].isupper() or not any(c.islower() for c in letters[1:]):
            return False
    return True


# What the scanner needs to know of a token's text, worked out once per distinct text:
# (a word?, capitalised?, the word without a possessive ending, was one taken off?,
# lower case?, hyphenated?, may it start a known phrase?, ends in "s"?).
_Shape = tuple[bool, bool, str, bool, bool, bool, bool, bool]
_SHAPES: dict[str, _Shape] = {}
_SHAPES_LIMIT = 200_000  # distinct token texts kept (a few MB); then the table starts over


def _shapes() -> dict[str, _Shape]:
    """The table of token shapes (emptied when it grows past its limit)."""
    if len(_SHAPES) > _SHAPES_LIMIT:
        _SHAPES.clear()
    return _SHAPES


def _shape(raw: str) -> _Shape:
    """Read ``raw`` (a token's text) once, and remember it in the table of shapes."""
    head = raw[0]
    firsts = load_gazetteer().firsts
    if not head.isalnum():
        shape: _Shape = (False, False, raw, False, False, False, raw in firsts, False)
    else:
        cap = head.isupper() or ("-" in raw and _is_cap(raw))
        stemmed = len(raw) > 2 and raw[-2] in "'’" and raw[-1] in "sS" and head.isalpha()
        word = raw[:-2] if stemmed else raw
        # A token in capitals may be a dateline's "WASHINGTON" (see _Finder._known).
        known = raw in firsts or word in firsts or (word.isupper() and len(word) > 3)
        plural = not stemmed and raw[-1] == "s"
        shape = (True, cap, word, stemmed, word.islower(), "-" in word, known, plural)
    _SHAPES[raw] = shape
    return shape


def _opens(text: str, pos: int) -> bool:
    """True when the quotation mark at ``pos`` opens a quote."""
    if text[pos] in "“‘«„":
        return True
    before = text[pos - 1] if pos > 0 else " "
    return before.isspace() or before in "([{—–-"


# --- candidates ---------------------------------------------------------------------


class _Unit:
    """One part of a run of capitalised words: a word, or a known phrase as a whole."""

    __slots__ = ("entry", "first", "known", "last")

    def __init__(self, first: int, last: int, entry: Entry | None = None) -> None:
        self.first = first
        self.last = last
        self.entry = entry
        self.known = entry is not None

    def __repr__(self) -> str:
        return f"_Unit({self.first}, {self.last}, {self.entry!r})"

    def is_state(self) -> bool:
        return self.entry is not None and self.entry.kind == "state"


@dataclass(slots=True)
class _Cand:
    """A name found in the text, before names are merged into actors."""

    kind: CandKind
    first: int  # token indices (inclusive) of the name itself
    last: int
    start: int
    end: int
    surface: str
    name: str
    possessive: bool
    known: bool = False
    relation: str | None = None
    form_start: int | None = None  # where a titled form ("Chinese President Xi Jinping") starts
    affiliation: str | None = None
    role: str | None = None
    gender: str | None = None
    evidence: int = 0
    initial: bool = False
    watched: bool = False
    entity: int = -1
    owner: _Cand | None = None  # a qualifier counts only if the name it qualifies does
    after_article: bool = False  # right after "the"


@dataclass(frozen=True, slots=True)
class _Context:
    """What a run left for the words after it: "Russian Foreign Ministry" before "spokeswoman"."""

    kind: Literal["body", "title"]
    state: str | None
    first: int


class _Finder:
    """Finds the candidate names of one text (pass 1) and reads the cues around them (pass 2)."""

    def __init__(
        self, text: str, watch: Sequence[WatchedActor], ignore: Sequence[tuple[int, int]]
    ) -> None:
        self.text = text
        self.lex: Lexicon = load_lexicon()
        self.gaz: Gazetteer = load_gazetteer()
        self.watch = _watch_entries(watch)
        self.watch_longest = max((len(k) for k in self.watch), default=0)
        self.watch_firsts = frozenset(key[0] for key in self.watch)
        self.watch_prefixes = prefixes_of(self.watch)
        self.excluded = excluded_spans(text)
        self.toks: list[_Tok] = []
        self.words: list[str] = []  # each token's text
        self.lower_vocab: set[str] = set()
        self.cap_inside: Counter[str] = Counter()  # capitalised words not opening a sentence
        self.cap_words: Counter[str] = Counter()
        # How often each pair of capitalised words occurs together ("McLaren Fernando" once,
        # but "McLaren" on its own too: two names run together).
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.known: list[tuple[int, Entry] | None] = []
        self.visits: list[int] = []  # the tokens pass 1 must look at (see :meth:`run`)
        self._scan([*self.excluded, *ignore])
        self.cands: list[_Cand] = []
        self.context: dict[int, _Context] = {}  # by a run's last token

    # -- known phrases

    def known_at(self, i: int) -> tuple[int, Entry] | None:
        """The longest known phrase at token ``i``, watchlist first: (size in tokens, entry)."""
        return self.known[i]

    def _scan(self, skip: Sequence[tuple[int, int]]) -> None:
        """Tokenize the text outside the ``skip`` spans, count its words, find known phrases.

        The detector's hot loop, so everything that needs one look at each token
        happens here, once: the tokens themselves (those of :func:`tokenize`, a
        possessive ending split off, sentence starts marked), the vocabulary and
        capitalised words and pairs, and the tokens that may start a known phrase
        (a few set look-ups), which :meth:`_known` then reads.
        """
        text = self.text
        toks, words = self.toks, self.words
        add_tok, add_word = toks.append, words.append
        lower_vocab = self.lower_vocab
        add_lower = lower_vocab.add
        cap_inside, cap_words, pairs = self.cap_inside, self.cap_words, self.pairs
        firsts, watch_firsts = self.gaz.firsts, self.watch_firsts
        watching = bool(watch_firsts)
        shapes = _shapes()
        common = self.lex.common_words
        maybe_known: list[int] = []  # tokens that may start a known phrase
        visits: list[int] = []  # capitalised or hyphenated words
        size = len(text)
        # The spans to skip, in order; past the last one a span beyond the text.
        spans = iter(sorted(skip))
        span_start, span_end = next(spans, (size + 1, size + 1))
        line = 0
        newline = text.find("\n")  # the next line break not yet counted (-1: none left)
        # The first place where either of those needs a look: tokens before it skip both tests.
        event = min(newline + 1 if newline >= 0 else size + 1, span_start, span_end)
        boundary = True  # the next word starts a sentence
        taken = 0  # where the last token ended: a period an abbreviation took is no token
        previous: str | None = None  # the token before, when a capitalised word
        index = 0  # the number of the next token
        pos = 0  # where the last token the expression found ended
        pieces: Sequence[tuple[int, str]]
        for space, plain, single in SPACED_TOKEN_RE.findall(text):
            # Only spaces lie between tokens: each starts where the spaces after the last end.
            start = pos + len(space)
            if plain:
                pos = start + len(plain)
                if event >= pos:
                    # Plain lower-case words, each followed by a space (most of a text): no
                    # test above can apply to them, so they become tokens in a tight loop.
                    chunk = plain.split(" ")
                    chunk.pop()  # (after the space that ends the last word)
                    first = chunk[0]
                    after = start + len(first)
                    add_tok(_Tok(first, first, start, after, True, False, False, boundary, line))
                    for word in chunk[1:]:
                        start = after + 1
                        after = start + len(word)
                        add_tok(_Tok(word, word, start, after, True, False, False, False, line))
                    words.extend(chunk)
                    lower_vocab.update(chunk)
                    if not firsts.isdisjoint(chunk) or not watch_firsts.isdisjoint(chunk):
                        maybe_known.extend(
                            index + k
                            for k, word in enumerate(chunk)
                            if word in firsts or word in watch_firsts
                        )
                    index += len(chunk)
                    boundary = False
                    previous = None
                    continue
                # A line break or a skipped span falls before or inside: word by word.
                pieces = []
                for word in plain.split(" ")[:-1]:
                    pieces.append((start, word))
                    start += len(word) + 1
            else:
                pos = start + len(single)
                pieces = ((start, single),)
            for start, raw in pieces:
                end = start + len(raw)
                if start < taken:
                    continue
                if (
                    end < size
                    and text[end] == "."
                    and raw[0].isalpha()
                    and (raw in ABBREVIATIONS or (len(raw) == 1 and raw.isupper()))
                ):
                    raw, end = raw + ".", end + 1
                    taken = end  # the period is no token of its own
                if event <= start:  # a line break or a skipped span comes before this token
                    if 0 <= newline < start:
                        # (none between the last token and ``newline``: count from there)
                        line += text.count("\n", newline, start)
                        newline = text.find("\n", start)
                        boundary = True
                    while span_end <= start:
                        span_start, span_end = next(spans, (size + 1, size + 1))
                    event = min(newline + 1 if newline >= 0 else size + 1, span_start, span_end)
                    if span_start <= start:
                        boundary = True
                        continue
                shape = shapes.get(raw)
                if shape is None:
                    shape = _shape(raw)
                is_word, cap, word, stemmed, lower, hyphen, first_of_known, plural = shape
                if not is_word:
                    if first_of_known or (watching and raw in watch_firsts):
                        maybe_known.append(index)
                    add_tok(_Tok(raw, raw, start, end, False, False, False, False, line))
                    add_word(raw)
                    index += 1
                    previous = None
                    if raw in ".!?:" or (raw in _OPENING_QUOTES and _opens(text, start)):
                        boundary = True
                    continue
                if stemmed:
                    word_end = start + len(word)  # "Moscow’s" is Moscow
                    poss = True
                else:
                    word_end = end
                    # A plural possessive ("the Nations’ plan"): the apostrophe alone after -s.
                    poss = (
                        plural
                        and end < size
                        and text[end] in "'’"
                        and (end + 1 >= size or not text[end + 1].isalnum())
                    )
                initial = boundary
                if cap:
                    # "... with the U.S. Most analysts ...": an abbreviation may end a sentence too.
                    if not initial and index:
                        last = toks[-1]
                        if last.word and last.raw[-1] == "." and word.lower() in common:
                            initial = True
                    cap_words[word] = cap_words.get(word, 0) + 1
                    if not initial:
                        cap_inside[word] = cap_inside.get(word, 0) + 1
                    if previous is not None:
                        pairs[(previous, word)] = pairs.get((previous, word), 0) + 1
                    previous = word
                    visits.append(index)
                else:
                    previous = None
                    if lower:
                        add_lower(word)
                    if hyphen:
                        visits.append(index)
                if first_of_known or (watching and (raw in watch_firsts or word in watch_firsts)):
                    maybe_known.append(index)
                add_tok(_Tok(word, raw, start, word_end, True, cap, poss, initial, line))
                add_word(word)
                index += 1
                boundary = False
        known: list[tuple[int, Entry] | None] = [None] * len(toks)
        watch, watch_prefixes, watch_longest = self.watch, self.watch_prefixes, self.watch_longest
        entries, prefixes, longest = self.gaz.entries, self.gaz.prefixes, self.gaz.longest
        for i in maybe_known:
            found = self._known(watch, watch_firsts, watch_prefixes, watch_longest, i)
            if found is None:
                found = self._known(entries, firsts, prefixes, longest, i)
            if found is not None:
                known[i] = found
                # A lower-case known phrase is read in pass 1 if it names an actor, or
                # skipped as a whole if it is longer than a word.
                if toks[i].word and (found[1].kind is not None or found[0] > 1):
                    visits.append(i)
        self.known = known
        self.visits = sorted(set(visits))

    def _known(
        self,
        table: Mapping[tuple[str, ...], Entry],
        firsts: frozenset[str],
        prefixes: frozenset[tuple[str, ...]],
        longest: int,
        i: int,
    ) -> tuple[int, Entry] | None:
        toks = self.toks
        first = toks[i]
        shout = first.text.isupper() and len(first.text) > 3  # a dateline's "WASHINGTON"
        if (
            first.raw not in firsts
            and first.text not in firsts
            and not (shout and first.text.title() in firsts)
        ):
            return None
        # A phrase of n tokens starts with n - 1 raw words that begin some phrase: look no
        # further than those reach (nor past the line or the text).
        limit = min(longest, len(toks) - i)
        widest = 1
        inner: tuple[str, ...] = (first.raw,)
        while widest < limit and toks[i + widest].line == first.line and inner in prefixes:
            inner = (*inner, toks[i + widest].raw)
            widest += 1
        for size in range(widest, 0, -1):
            window = toks[i : i + size]
            # Inner words keep their apostrophes ("People's Republic of China"); the last
            # one loses a possessive ("Moscow’s" is Moscow).
            inner = tuple(t.raw for t in window[:-1])
            last = window[-1]
            entry = table.get((*inner, last.text))
            if entry is None and last.poss and last.raw != last.text:
                entry = table.get((*inner, last.raw))
            if entry is None and size == 1 and shout:
                entry = table.get((first.text.title(),))
            if entry is not None:
                return size, entry
        return None

    # -- pass 1: runs of capitalised words

    def run(self) -> None:
        """Find every candidate name in the text.

        Only the tokens in :attr:`visits` can start a name or a skip: every other
        token (punctuation, a plain lower-case word) would just be stepped over.
        """
        toks = self.toks
        visits = self.visits
        v = 0
        i = 0
        while True:
            while v < len(visits) and visits[v] < i:
                v += 1
            if v == len(visits):
                break
            i = visits[v]
            tok = toks[i]
            if "-" in tok.text and self.compound(i):
                i += 1
                continue
            known = self.known[i]
            if not tok.cap and (known is None or known[1].kind is None):
                i += known[0] if known else 1
                continue
            units, i = self.run_at(i)
            self.classify(units)

    def compound(self, i: int) -> bool:
        """Read "China-Russia", "Washington-based", "Iran-backed"; True when token ``i`` is done."""
        tok = self.toks[i]
        parts = tok.text.split("-")
        if parts[0].lower() in _LOWER_PREFIXES and not tok.cap:
            return True  # "pro-Russian": an opinion, not the state
        whole = self.known[i]
        if whole is not None and whole[0] == 1:
            return False  # "Guinea-Bissau", "Port-au-Prince": a name of its own
        entries = [self.gaz.entries.get(phrase_tokens(part)) for part in parts]
        if not any(e is not None and e.kind is not None for e in entries):
            return False
        last = parts[-1]
        if last.islower() and last not in _BACKING_SUFFIXES:
            return (
                True  # "Washington-based", "Moscow-born", "Russia-watchers": not the state acting
            )
        backing = last in _BACKING_SUFFIXES or self.actor_noun_after(i)
        offset = tok.start
        for index, (part, entry) in enumerate(zip(parts, entries, strict=True)):
            # Demonyms ("Russian-Chinese relations") name the state only when it acts.
            if (
                entry is not None
                and entry.kind is not None
                and (entry.relation != "demonym" or backing)
            ):
                possessive = tok.poss and index == len(parts) - 1
                self.add_known(entry, offset, offset + len(part), i, i, possessive)
            offset += len(part) + 1
        return True

    def compound_of_known(self, j: int) -> bool:
        if self.known[j] is not None:
            return False
        return any(
            (e := self.gaz.entries.get(phrase_tokens(p))) is not None and e.kind is not None
            for p in self.toks[j].text.split("-")
        )

    def run_at(self, i: int) -> tuple[list[_Unit], int]:
        """The run of capitalised units starting at token ``i``, and the index after it."""
        toks = self.toks
        size = len(toks)
        units: list[_Unit] = []
        j = i
        while j < size:
            tok = toks[j]
            if units and (tok.initial or tok.line != toks[units[-1].last].line):
                break
            if units and toks[units[-1].last].poss:
                break
            if not tok.word:
                if tok.text == "&" and units and j + 1 < size and toks[j + 1].cap:
                    units.append(_Unit(j, j))
                    j += 1
                    continue
                break
            if "-" in tok.text and units and self.compound_of_known(j):
                break
            known = self.known[j]
            if known is not None and (tok.cap or not units or known[1].kind is not None):
                units.append(_Unit(j, j + known[0] - 1, known[1]))
                j += known[0]
                continue
            if tok.cap or (units and self.connector(j, units)):
                units.append(_Unit(j, j))
                j += 1
                continue
            break
        while units and not units[-1].known and not toks[units[-1].first].cap:
            units.pop()  # a connector cannot end a run
        if not units:
            return [], i + 1
        return units, units[-1].last + 1

    def connector(self, j: int, units: list[_Unit]) -> bool:
        """May lower-case token ``j`` join a name ("Bank of England", "Ursula von der Leyen")?"""
        toks = self.toks
        word = toks[j].text
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if nxt is None or toks[j].line != nxt.line:
            return False
        if word in _PARTICLES:
            return nxt.cap or nxt.text in _PARTICLES
        if units[-1].known:
            return False  # a known name is complete: "the European Commission on Tuesday"
        ahead = self.known[j + 1]
        if ahead is not None and ahead[1].kind is None:
            return False  # "... Council on Monday"
        previous = toks[units[-1].last].text
        if word == "of":
            if previous not in self.lex.org_heads and previous not in _OF_HEADS:
                return False
            return nxt.cap or (nxt.text == "the" and j + 2 < len(toks) and toks[j + 2].cap)
        if word in ("for", "on") and nxt.cap:
            return previous in self.lex.org_heads  # "Center for ...", "Council on ..."
        if word in ("and", "&") and nxt.cap:
            # "... for Strategic and International Studies": inside an organisation's name.
            words = [toks[q].text for u in units for q in range(u.first, u.last + 1)]
            return any(
                w in self.lex.org_heads
                and i + 1 < len(words)
                and words[i + 1] in ("of", "for", "on")
                for i, w in enumerate(words)
            )
        if word == "the" and toks[j - 1].text in ("of", "for", "on"):
            return nxt.cap
        return False

    # -- classifying a run

    def classify(self, units: list[_Unit]) -> None:
        """Turn one run into candidates, after dropping words that name nothing."""
        toks = self.toks
        # Determiners and sentence-initial everyday words ("Since", "Most") name nothing.
        while units and not units[0].known:
            tok = toks[units[0].first]
            if tok.text in _DETERMINERS or (tok.initial and self.is_common(units[0].first)):
                units = units[1:]
                continue
            break
        if not units:
            return
        if (
            len(units) > 1
            and not units[-1].known
            and toks[units[-1].last].text in self.lex.org_heads
        ):
            self.classify_units(units)  # "Asian Development Bank", "Western Union"
            return
        # Names of no actor split the run ("Nazi Germany" → Germany; "on Red Square").
        piece: list[_Unit] = []
        for unit in units:
            if unit.entry is not None and unit.entry.kind is None:
                if piece:
                    self.classify_units(piece)
                piece = []
            else:
                piece.append(unit)
        if piece:
            self.classify_units(piece)

    def is_common(self, i: int) -> bool:
        """Is the sentence-initial token ``i`` an everyday word rather than a name?"""
        word = self.toks[i].text
        lower = word.lower()
        if self.lex.title_at(self.words, i):
            return False
        if word in self.lex.given_names or self.cap_inside.get(word, 0) > 0:
            return lower in self.lex.common_words and self.cap_inside.get(word, 0) == 0
        if lower in self.lex.common_words or lower in self.lower_vocab:
            return True
        # "Writing this week, ...", "Asked about ...": participles and adverbs open sentences.
        return len(lower) > 4 and lower.endswith(("ing", "ly", "ed"))

    def qualifiers(self, units: list[_Unit]) -> int:
        """How many leading units are states qualifying what follows ("Chinese President")."""
        toks = self.toks
        p = 0
        while p < len(units) - 1 and units[p].is_state():
            entry = cast(Entry, units[p].entry)
            nxt = units[p + 1]
            word = toks[nxt.first].text
            if nxt.entry is not None:
                ok = nxt.entry.kind == "organisation" or (
                    entry.relation == "demonym" and nxt.entry.kind != "state"
                )
            else:
                ok = entry.relation == "demonym" or bool(
                    self.lex.title_at(self.words, nxt.first)
                    or word in self.lex.org_descriptors
                    or word in self.lex.org_heads
                    or word in _TITLE_MODIFIERS
                )
            if not ok:
                break
            p += 1
        return p

    def take_titles(
        self, units: list[_Unit], p: int
    ) -> tuple[int, list[str], int | None, str | None]:
        """Titles from unit ``p`` on: (next unit, titles, first title token, gender they show)."""
        toks, words = self.toks, self.words
        titles: list[str] = []
        title_first: int | None = None
        gender: str | None = None
        while p < len(units) and not units[p].known:
            first = units[p].first
            size = self.lex.title_at(words, first)
            mods = 0
            while (
                size == 0
                and first + mods < len(toks)
                and toks[first + mods].text in _TITLE_MODIFIERS
            ):
                mods += 1
                size = self.lex.title_at(words, first + mods)
            if (
                size == 0
                and mods == 0
                and p + 1 < len(units)
                and words[first].lower() in self.lex.roles
            ):
                size = 1  # a role opening a sentence: "Veterinarian Lucyna Kuziel-Zawalich"
            if size == 0:
                break
            end = first + mods + size - 1
            covered = [q for q in range(p, len(units)) if units[q].first <= end]
            if any(units[q].known for q in covered) or units[covered[-1]].last != end:
                break
            if titles and covered[-1] == len(units) - 1:
                break  # "Mr. King", "Prime Minister Major": the last word is the name
            titles.append(" ".join(words[first : end + 1]))
            gender = gender or self.lex.honorific_gender.get(words[end])
            title_first = first if title_first is None else title_first
            p = covered[-1] + 1
        return p, titles, title_first, gender

    def classify_units(self, units: list[_Unit]) -> None:
        """Cut a run into state qualifiers, titles and a name, and say what the name is."""
        toks = self.toks
        lex = self.lex
        p = self.qualifiers(units) if units[0].known else 0  # (qualifiers are known states)
        quals = [(u, cast(Entry, u.entry)) for u in units[:p]] if p else []
        p, titles, title_first, gender = self.take_titles(units, p)
        role_prefix: str | None = None
        if not titles:
            # A title inside the run: "Franklin County Prosecutor Ron O'Brien", "Senate
            # Majority Leader John Thune".  What comes before it is a run of its own.
            for k in range(p + 1, len(units) - 1):
                if units[k].known or not self.lex.title_at(self.words, units[k].first):
                    continue
                if toks[units[k].first].text in _ADDRESS_FORMS:
                    continue
                q, inner, _, inner_gender = self.take_titles(units, k)
                if inner and q < len(units) and self.name_like([toks[units[q].first].text]):
                    prefix = units[p:k]
                    role_prefix = self.span_text(prefix[0].first, prefix[-1].last)
                    title_first = prefix[0].first
                    self.classify_units(prefix)
                    p, titles, gender = q, inner, inner_gender
                    break
        rest = units[p:]
        if quals:
            form_start: int | None = toks[quals[0][0].first].start
        else:
            form_start = toks[title_first].start if title_first is not None else None
        if not rest:
            self.classify_titles_only(units, quals, titles)
            return
        rest_words = [toks[k].text for u in rest for k in range(u.first, u.last + 1)]
        if len(rest) == 1 and rest[0].entry is not None:
            self.classify_known(units, rest[0], quals, titles)
            return
        if self.lex.is_body(rest_words):
            # A state's own body ("Russian Foreign Ministry", "Ukraine's Foreign Ministry").
            for unit, entry in quals:
                self.add_known(
                    entry, toks[unit.first].start, toks[unit.last].end, unit.first, unit.last, False
                )
            state = quals[-1][1].name if quals else self.possessive_state_before(units[0].first)
            self.context[rest[-1].last] = _Context("body", state, units[0].first)
            return
        head = rest_words[-1]
        if len(rest_words) > 2 and _NUMERAL_RE.fullmatch(head):
            head = rest_words[-2]
        linked = len(rest_words) > 2 and any(
            w in ("of", "for", "on") and rest_words[i - 1] in lex.org_heads
            for i, w in enumerate(rest_words[1:-1], 1)
        )
        if len(rest_words) > 1 and (head in lex.org_heads or linked) and not titles:
            self.classify_org(units, rest, rest_words, quals)
            return
        if (
            head in self.lex.nonactor_heads
            and not titles
            and (len(rest_words) > 1 or len(rest) == 1)
        ):
            return  # "Red Square", "World War II", "French Open"
        first_entry = rest[0].entry
        if (
            first_entry is not None
            and first_entry.kind is not None
            and not titles
            and toks[rest[0].first].text not in self.lex.given_names
        ):
            # A known name run into another ("... in France Gomis is put through"): two names.
            self.classify_units(units[: p + 1] if not quals else [rest[0]])
            self.classify_units(rest[1:])
            return
        # Captions run into the text ("Diego Costa Clearly", "Sebastian Vettel Vettel"):
        # a trailing everyday word or a repeated name is not part of the name.
        words = [toks[u.first].text for u in rest]
        for k in range(1, len(rest)):
            if words[k] == words[k - 1] and rest[k].entry is None:
                self.classify_units(units[: p + k])
                self.classify_units(rest[k:])
                return
        while len(rest) > 1 and rest[-1].entry is None and self.everyday(words[len(rest) - 1]):
            rest = rest[:-1]
            words = words[: len(rest)]
        given = self.lex.given_names
        alone = (
            self.cap_words[words[0]] > self.pairs[(words[0], words[1])] if len(words) > 1 else False
        )
        if (
            alone
            and not titles
            and words[0] not in given
            and words[0] not in self.lex.family_names_first
        ):
            for k in range(1, len(rest) - 1):
                if words[k] in given and rest[k].entry is None:
                    # "McLaren Fernando Alonso", "Sheffield Ali Carter": a team or place
                    # before a full name.
                    self.classify_units(rest[:k])
                    self.classify_units(rest[k:])
                    return
        first_tok, last_tok = rest[0].first, rest[-1].last
        # Whatever is left is a name, most likely a person's.  The states qualifying it
        # ("German Formula 4") count only if it turns out to be an actor.
        owned = [
            self.add_known(entry, toks[u.first].start, toks[u.last].end, u.first, u.last, False)
            for u, entry in quals
        ]
        cand = self.add("person" if titles else "unknown", first_tok, last_tok)
        for qual in owned:
            qual.owner = cand
        cand.gender = gender
        cand.form_start = form_start
        cand.initial = toks[first_tok].initial and not titles
        after_the = first_tok > 0 and toks[first_tok - 1].text in ("the", "The")
        if after_the and not titles and toks[first_tok].text not in self.lex.given_names:
            cand.after_article = True  # "the Boston Red Sox": not a person's name
        if titles:
            cand.evidence += 2
            roles = [
                t for t in titles if t not in self.lex.honorific_gender and t not in _ADDRESS_FORMS
            ]
            if roles:
                cand.role = " ".join(roles)
                if role_prefix:
                    cand.role = f"{role_prefix} {cand.role}"
        if quals:
            cand.affiliation = quals[-1][1].name

    def classify_titles_only(
        self, units: list[_Unit], quals: list[tuple[_Unit, Entry]], titles: list[str]
    ) -> None:
        """A run of titles and states with no name ("the Russian President", "King said")."""
        toks = self.toks
        if len(units) == 1 and not quals and titles:
            # A lone title word may be a surname ("King said" after "B.B. King"): it may only
            # join a full name, never stand alone.
            tok = toks[units[0].first]
            if tok.cap and tok.text not in _ADDRESS_FORMS and _name_word(tok.text):
                self.add("surname", units[0].first, units[0].last)
            return
        for unit, entry in quals:
            poss = toks[unit.last].poss
            self.add_known(
                entry, toks[unit.first].start, toks[unit.last].end, unit.first, unit.last, poss
            )
        if quals and titles:
            self.context[units[-1].last] = _Context("title", quals[-1][1].name, units[0].first)

    def classify_known(
        self,
        units: list[_Unit],
        unit: _Unit,
        quals: list[tuple[_Unit, Entry]],
        titles: list[str],
    ) -> None:
        """A known state or organisation ("Moscow", "Xinhua news agency"), maybe qualified."""
        toks = self.toks
        entry = cast(Entry, unit.entry)
        if entry.kind is None:
            return
        # "Chinese mercenaries" name China; "Chinese foreign policy" does not.
        demonym = entry.kind == "state" and entry.relation == "demonym"
        if demonym and not titles and not quals and not self.actor_noun_after(unit.last):
            return
        for qual, qual_entry in quals:
            self.add_known(
                qual_entry,
                toks[qual.first].start,
                toks[qual.last].end,
                qual.first,
                qual.last,
                False,
            )
        cand = self.add_known(
            entry,
            toks[unit.first].start,
            toks[unit.last].end,
            unit.first,
            unit.last,
            toks[unit.last].poss,
        )
        if quals and entry.kind == "organisation" and not cand.affiliation:
            cand.affiliation = quals[-1][1].name

    def classify_org(
        self,
        units: list[_Unit],
        rest: list[_Unit],
        rest_words: list[str],
        quals: list[tuple[_Unit, Entry]],
    ) -> None:
        """An organisation; a generic name ("Communist Party") keeps its state ("Chinese ...")."""
        toks = self.toks
        first_tok = rest[0].first
        generic = all(
            w in self.lex.org_descriptors or w in self.lex.org_heads or w in ("of", "the", "&")
            for w in rest_words
        )
        if quals and generic:
            first_tok = quals[0][0].first
        elif quals and quals[-1][1].relation == "demonym":
            for unit, entry in quals:
                self.add_known(
                    entry, toks[unit.first].start, toks[unit.last].end, unit.first, unit.last, False
                )
        cand = self.add("organisation", first_tok, rest[-1].last, evidence=1)
        cand.affiliation = quals[-1][1].name if quals else None

    def name_like(self, words: Sequence[str]) -> bool:
        """Could these words be a person's name ("Patricia M. Kim", "Ron O’Brien", "al-Assad")?"""
        lex = self.lex
        given = words[0] in lex.given_names or words[0] in lex.family_names_first
        for index, word in enumerate(words):
            if word in _PARTICLES or _INITIALS_RE.fullmatch(word) or word in _NAME_SUFFIXES:
                continue
            if not _name_word(word):
                return False
            if word in lex.given_names or word in lex.family_names_first:
                continue
            low = word.lower()
            later = given and index > 0  # "Major" is a word, but "John Major" a name
            if (low in lex.common_words or low in self.lower_vocab) and not later:
                return False
            if (word in lex.org_heads or word in lex.nonactor_heads) and not later:
                return False
        return True

    def possessive_state_before(self, i: int) -> str | None:
        """The state named in the possessive before token ``i`` ("Ukraine’s Foreign Ministry")."""
        k = i - 1
        if k >= 0 and self.toks[k].word and self.toks[k].poss:
            for cand in reversed(self.cands):
                if cand.last == k and cand.kind == "state":
                    return cand.name
        return None

    def actor_noun_after(self, i: int) -> bool:
        """Does an actor noun follow token ``i`` ("Chinese mercenaries", "Russian state media")?"""
        toks = self.toks
        words: list[str] = []
        k = i + 1
        while k < len(toks) and len(words) < 4 and toks[k].word and toks[k].line == toks[i].line:
            words.append(toks[k].text.lower())
            k += 1
        nouns = self.lex.actor_nouns
        for skip in range(3):
            if skip > 0 and (skip > len(words) or words[skip - 1] not in _MODIFIERS):
                break
            rest = words[skip:]
            if rest and (rest[0] in nouns or " ".join(rest[:2]) in nouns):
                return True
        return False

    def span_text(self, first: int, last: int) -> str:
        return self.text[self.toks[first].start : self.toks[last].end]

    def add_known(
        self, entry: Entry, start: int, end: int, first: int, last: int, possessive: bool
    ) -> _Cand:
        """Record a mention of a known actor (gazetteer or watchlist)."""
        cand = _Cand(
            kind=entry.kind or "organisation",
            first=first,
            last=last,
            start=start,
            end=end,
            surface=self.text[start:end],
            name=entry.name,
            possessive=possessive,
            known=True,
            relation=entry.relation,
            affiliation=entry.affiliation,
            evidence=3,
            watched=entry.relation == "watched",
        )
        self.cands.append(cand)
        return cand

    def add(self, kind: CandKind, first: int, last: int, *, evidence: int = 0) -> _Cand:
        """Record a name found in the text (tokens ``first`` to ``last``)."""
        toks = self.toks
        surface = self.span_text(first, last)
        cand = _Cand(
            kind=kind,
            first=first,
            last=last,
            start=toks[first].start,
            end=toks[last].end,
            surface=surface,
            name=surface,
            possessive=toks[last].poss,
            evidence=evidence,
        )
        self.cands.append(cand)
        return cand

    # -- pass 2: cues around each name

    def cues(self) -> None:
        """Read the words around each unknown name: roles, appositions, speech verbs, org cues."""
        by_first = {c.first: c for c in self.cands}
        for cand in self.cands:
            if cand.kind not in ("person", "unknown", "organisation") or cand.known:
                continue
            words = [self.toks[k].text for k in range(cand.first, cand.last + 1)]
            if cand.kind != "organisation":
                self.person_cues(cand, words, by_first)
            self.org_cues(cand, words)

    def person_cues(self, cand: _Cand, words: list[str], by_first: dict[int, _Cand]) -> None:
        toks = self.toks
        lex = self.lex
        if len(words) > 1 and (words[0] in lex.given_names or words[0] in lex.family_names_first):
            cand.evidence += 2
            cand.kind = "person"
            gender = lex.given_names.get(words[0])
            cand.gender = cand.gender or (gender if gender != "x" else None)
        if any(_INITIALS_RE.fullmatch(w) for w in words[1:-1]):
            cand.evidence += 2  # "Patricia M. Kim"
        self.role_before(cand)
        self.apposition(cand)
        after = toks[cand.last + 1] if cand.last + 1 < len(toks) else None
        if after is not None and after.word and after.text in _SPEECH_AFTER:
            cand.evidence += 1  # "Webster said"
            if cand.initial and len(words) == 1 and not self.people_noun(words[0]):
                cand.evidence += 1  # "Lauda said:" opening a sentence; but "Critics said"
        before = toks[cand.first - 1].text if cand.first > 0 else ""
        if before in _SPEECH_AFTER and before not in _LISTENING:
            cand.evidence += 1  # "said Smith"
        if cand.possessive:
            owned = by_first.get(cand.last + 1)
            if owned is not None and owned.kind == "state":
                cand.affiliation = cand.affiliation or owned.name  # "Mao Zedong’s China"

    def role_before(self, cand: _Cand) -> None:
        """A role right before the name: "spokeswoman Maria Zakharova", "EU competition
        commissioner Teresa Ribera", "Kremlin spokesman Dmitry Peskov"."""
        toks = self.toks
        lex = self.lex
        k = cand.first - 1
        role_words: list[str] = []
        while k >= 0 and toks[k].word and not toks[k].cap and len(role_words) < 5:
            if toks[k].line != toks[cand.first].line or toks[k].poss:
                break
            low = toks[k].text.lower()
            pair = f"{low} {role_words[0].lower()}" if role_words else ""
            if (
                low in lex.roles
                or pair in lex.roles
                or (role_words and (low in _MODIFIERS or self.noun_modifier(low)))
            ):
                role_words.insert(0, toks[k].text)
            else:
                break
            k -= 1
        # Modifiers count only in front of a role noun ("competition commissioner").
        while role_words and not any(
            " ".join(role_words[i:]).lower() in lex.roles for i in range(len(role_words))
        ):
            role_words.pop()
        if not role_words:
            return
        cand.evidence += 2
        cand.kind = "person"
        role = " ".join(role_words)
        cand.gender = cand.gender or lex.role_gender.get(role_words[-1].lower())
        form_start = toks[k + 1].start
        context = self.context.get(k)
        owner = next((c for c in self.cands if c.last == k and c is not cand), None)
        if context is not None:
            # "Russian Foreign Ministry spokeswoman": the body is part of the role.
            body = [toks[q].text for q in range(context.first, k + 1)]
            while (
                body and (e := self.gaz.entries.get((body[0],))) is not None and e.kind == "state"
            ):
                body = body[1:]
            role = " ".join([*body, role]) if context.kind == "body" else role
            form_start = toks[context.first].start
            if context.state:
                cand.affiliation = cand.affiliation or context.state
        elif owner is not None:
            # "Arsenal manager Mikel Arteta": the run before the role is who they serve.
            if owner.kind == "unknown" and not toks[k].poss and self.org_like(owner):
                owner.kind = "organisation"
                owner.evidence += 2
            if owner.kind in ("state", "organisation"):
                cand.affiliation = cand.affiliation or owner.name
                if not toks[k].poss:
                    form_start = owner.start
        cand.role = cand.role or role
        if cand.form_start is None:
            cand.form_start = form_start

    def people_noun(self, word: str) -> bool:
        """A plural of people ("Officials", "Critics", "Analysts") rather than a surname."""
        low = word.lower()
        if low in self.lex.actor_nouns or low in _GROUPS:
            return True
        return low.endswith("s") and (low[:-1] in self.lex.roles or low[:-2] in self.lex.roles)

    def noun_modifier(self, low: str) -> bool:
        """A plain lower-case word that may modify a role noun ("competition", "trade")."""
        if not low.isalpha() or len(low) < 3 or low in self.lex.common_words:
            return False
        if low in _SPEECH_AFTER or low.endswith(("ed", "ing", "ly")):
            return False
        return low not in self.lex.roles

    def everyday(self, word: str) -> bool:
        """A capitalised word that is an everyday word here ("The", "Clearly", "Defenders")."""
        if word in self.lex.given_names or word in self.lex.family_names_first:
            return False
        low = word.lower()
        if low in self.lex.common_words:
            return True
        return low in self.lower_vocab and (low.endswith("ly") or low.endswith("s"))

    def org_like(self, cand: _Cand) -> bool:
        """Could this run be an organisation's name ("Arsenal", "PGA Tour", "Apple")?"""
        words = [self.toks[q].text for q in range(cand.first, cand.last + 1)]
        if any(w.lower() in self.lex.common_words or not w[0].isalpha() for w in words):
            return False
        if len(words) == 1:
            # "Television star", "Shadow minister": a generic word, not a name.
            word = words[0]
            generic = (
                word in self.lex.org_heads
                or word in self.lex.nonactor_heads
                or word in _TITLE_MODIFIERS
            )
            if generic or word.lower() in self.lower_vocab or word in self.lex.given_names:
                return False
        return True

    def apposition(self, cand: _Cand) -> None:
        """ ", a senior fellow at the Atlantic Council,", ", 27,", ", who ...": a person, and
        the role and affiliation the apposition states."""
        toks = self.toks
        lex = self.lex
        j = cand.last + 1
        if j >= len(toks) or toks[j].text != "," or cand.possessive:
            return
        k = j + 1
        if k + 1 < len(toks) and _AGE_RE.fullmatch(toks[k].text) and toks[k + 1].text in ",.;)":
            cand.evidence += 2  # an age
            cand.kind = "person" if cand.kind == "unknown" else cand.kind
            return
        if k < len(toks) and toks[k].text in ("who", "whose"):
            if toks[cand.first].text not in lex.given_names:
                return  # "Leicestershire, who", "Boston Red Sox, who": not enough to say "person"
            cand.evidence += 1
            cand.kind = "person" if cand.kind == "unknown" else cand.kind
            return
        words: list[int] = []  # up to the next comma, period or quotation mark
        while k < len(toks) and len(words) < 18 and (toks[k].word or toks[k].text in "-&"):
            words.append(k)
            k += 1
        if not words:
            return
        lowered = [toks[q].text.lower() for q in words]
        start = 1 if lowered[0] in ("a", "an", "the") else 0
        role_end = self.role_end(words, lowered, start)
        if role_end is None:
            # "Name, a think tank in Washington," names an organisation.
            if start == 1 and any(
                lowered[q] in lex.org_cues or " ".join(lowered[q : q + 2]) in lex.org_cues
                for q in range(start, min(len(lowered), start + 2))
            ):
                cand.kind = "organisation" if cand.kind == "unknown" else cand.kind
                cand.evidence += 1
            return
        cand.kind = "person" if cand.kind == "unknown" else cand.kind
        cand.evidence += 2
        cand.gender = cand.gender or lex.role_gender.get(lowered[role_end - 1])
        # The organisation or state the role is at: the first named after a preposition.
        affiliation = None
        stop = role_end
        for q in range(role_end, len(words)):
            if lowered[q] not in ("at", "of", "for", "with", "from", "in"):
                continue
            owner = next(
                (
                    c
                    for c in self.cands
                    if words[q] < c.first <= words[-1]
                    and c.kind in ("organisation", "state")
                    and c.relation != "demonym"
                ),
                None,
            )
            if owner is not None:
                affiliation, stop = owner.name, q
                break
        if stop > start:
            role = " ".join(self.span_text(words[start], words[stop - 1]).split())
            cand.role = cand.role or _AGE_PREFIX_RE.sub("", role)
        if affiliation:
            cand.affiliation = cand.affiliation or affiliation

    def role_end(self, words: list[int], lowered: list[str], start: int) -> int | None:
        """Where the role noun of an apposition ends, if it has one after mere modifiers."""
        lex = self.lex
        for q in range(start, min(len(lowered), start + 6)):
            if q + 1 < len(lowered) and " ".join(lowered[q : q + 2]) in lex.roles:
                end = q + 2
                break
            if lowered[q] in lex.roles:
                end = q + 1
                break
            # Only modifiers may come first: "a 25-year-old officer", not "during the student".
            word = lowered[q]
            modifier = (
                word in _MODIFIERS
                or self.noun_modifier(word)
                or word in ("-", "year-old")
                or _NUMBER_MODIFIER_RE.fullmatch(word)
            )
            if not modifier or (self.toks[words[q]].cap and q > start):
                return None
        else:
            return None
        if start == 0 and end - 1 > 0 and lowered[0] not in lex.roles:
            return None  # no article and no role noun first: not an apposition
        return end

    def org_cues(self, cand: _Cand, words: list[str]) -> None:
        """ "Xinhua news agency", "broadcaster CNN", "FBI" seen twice: an organisation."""
        toks = self.toks
        lex = self.lex
        j = cand.last + 1
        after = [toks[q].text.lower() for q in range(j, min(len(toks), j + 2)) if toks[q].word]
        cue_after = after and (after[0] in lex.org_cues or " ".join(after[:2]) in lex.org_cues)
        if cue_after and cand.kind in ("unknown", "organisation"):
            cand.kind = "organisation"
            cand.evidence += 2
        before: list[str] = []
        k = cand.first - 1
        while k >= 0 and len(before) < 2 and toks[k].word and not toks[k].cap:
            before.insert(0, toks[k].text.lower())
            k -= 1
        cue_before = before and (
            before[-1] in lex.org_cues or " ".join(before[-2:]) in lex.org_cues
        )
        if cue_before and cand.kind == "unknown":
            cand.kind = "organisation"
            cand.evidence += 2
        acronym = len(words) == 1 and _ACRONYM_RE.fullmatch(words[0])
        if acronym and cand.kind == "unknown" and self.cap_inside.get(words[0], 0) >= 2:
            cand.kind = "organisation"
            cand.evidence += 1


def _watch_entries(watch: Sequence[WatchedActor]) -> dict[tuple[str, ...], Entry]:
    """The watchlist's names and aliases as known phrases."""
    table: dict[tuple[str, ...], Entry] = {}
    for actor in watch:
        kind = cast(ActorKind, actor.kind if actor.kind in ("state", "organisation") else "person")
        for phrase in (actor.name, *actor.aliases):
            tokens = phrase_tokens(phrase)
            if len(tokens) > 1 and tokens[0].lower() == "the":
                tokens = tokens[1:]
            if tokens:
                table.setdefault(tokens, Entry(actor.name, kind, "watched"))
    return table


# --- merging ------------------------------------------------------------------------


@dataclass(slots=True)
class Entity:
    """An actor of one article with everything the detector learnt about it."""

    kind: ActorKind
    name: str
    surfaces: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)  # "Chinese President Xi Jinping", "Mr. Xi"
    role: str | None = None
    affiliation: str | None = None
    gender: str | None = None
    evidence: int = 0
    watched: bool = False
    known: bool = False

    def actor(self) -> Actor:
        """The public view of this entity."""
        aliases = [a for a in dict.fromkeys([*self.forms, *self.surfaces]) if a != self.name]
        return Actor(
            name=self.name,
            kind=self.kind,
            aliases=tuple(aliases),
            affiliation=self.affiliation if self.affiliation != self.name else None,
            role=self.role,
        )


@dataclass(frozen=True, slots=True)
class Found:
    """One mention of an entity (an index into :attr:`Detection.entities`)."""

    entity: int
    start: int
    end: int
    surface: str
    possessive: bool = False


@dataclass(frozen=True, slots=True)
class Detection:
    """What the detector found in one text."""

    text: str
    entities: tuple[Entity, ...]
    mentions: tuple[Found, ...]
    excluded: tuple[tuple[int, int], ...]


def _plain(word: str) -> str:
    """The word without accents ("Näslund" → "Naslund"), so spellings of one name merge."""
    if word.isascii():
        return word  # nothing to take off (and most names are plain already)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def name_key(words: Iterable[str]) -> tuple[str, ...]:
    """A person's name without initials, particles, suffixes and accents, for matching."""
    return tuple(
        _plain(w)
        for w in words
        if not _INITIAL_RE.fullmatch(w) and w not in _PARTICLES and w not in _NAME_SUFFIXES
    )


class _Merger:
    """Turns one text's candidates into entities: known names, full names, then single names."""

    def __init__(self, finder: _Finder) -> None:
        self.finder = finder
        self.toks = finder.toks
        self.cands = sorted(finder.cands, key=lambda c: (c.start, -c.end))
        self.entities: list[Entity] = []
        self.index: dict[tuple[str, str], int] = {}
        self.people: list[tuple[tuple[str, ...], int]] = []

    def entity_for(self, kind: ActorKind, name: str) -> int:
        key = (kind, name)
        if key not in self.index:
            self.index[key] = len(self.entities)
            self.entities.append(Entity(kind=kind, name=name))
        return self.index[key]

    def merge(self) -> tuple[list[Entity], list[Found]]:
        """Assign every candidate to an entity (or to none) and collect the mentions."""
        for cand in self.cands:
            if cand.known and cand.owner is None:
                self.assign_known(cand)
        self.full_names()
        self.single_names()
        self.standalone()
        for cand in self.cands:
            if cand.owner is not None and cand.owner.entity >= 0:
                self.assign_known(cand)
        return self.collect()

    def assign_known(self, cand: _Cand) -> None:
        cand.entity = self.entity_for(cast(ActorKind, cand.kind), cand.name)
        entity = self.entities[cand.entity]
        entity.known = True
        entity.watched = entity.watched or cand.watched
        entity.affiliation = entity.affiliation or cand.affiliation

    def full_names(self) -> None:
        """Organisations by their text; people by name key ("Patricia M. Kim" ~ "Patricia Kim")."""
        singles = Counter(
            self.toks[c.first].text for c in self.cands if not c.known and c.first == c.last
        )
        for cand in self.cands:
            if cand.known or cand.kind in ("surname", "none"):
                continue
            if cand.kind == "organisation":
                cand.entity = self.entity_for("organisation", cand.surface)
                continue
            words = [self.toks[k].text for k in range(cand.first, cand.last + 1)]
            key = name_key(words)
            if len(key) < 2:
                continue
            if not self.finder.name_like(words) or cand.after_article:
                cand.kind = "none"
                continue
            if cand.evidence < 1 and not (singles[key[-1]] or singles[key[0]]):
                continue  # "Motorsport Arena Oschersleben": capitalised, nothing says "person"
            match = next(
                (e for k, e in self.people if k == key or (k[0] == key[0] and k[-1] == key[-1])),
                None,
            )
            if match is None:
                match = self.entity_for("person", cand.surface)
                self.people.append((key, match))
            cand.entity = match

    def single_names(self) -> None:
        """Single names join the nearest fitting full name: "Mr. Xi" → Xi Jinping, "Putin"."""
        lex = self.finder.lex
        for cand in self.cands:
            if cand.entity >= 0 or cand.kind == "organisation" or cand.first != cand.last:
                continue
            word = _plain(self.toks[cand.first].text)
            first_name = word in lex.given_names or word in lex.family_names_first
            fits = [
                (k, e) for k, e in self.people if word == k[-1] or (first_name and word == k[0])
            ]
            if not fits:
                # "Vinícius" after "Vinícius Júnior": a first name, if only one person has it.
                firsts = [(k, e) for k, e in self.people if word == k[0]]
                if len({e for _, e in firsts}) == 1:
                    fits = firsts
            if len(fits) == 1:
                cand.entity = fits[0][1]
                continue
            if fits:
                cand.entity = min(fits, key=lambda item: self.distance(cand, word, item))[1]
                continue
            orgs = [
                i
                for i, e in enumerate(self.entities)
                if e.kind == "organisation" and not e.known and e.name.split()[0] == word
            ]
            if orgs and cand.kind == "unknown":
                cand.entity = orgs[0]  # "Brookings" after "Brookings Institution"

    def distance(
        self, cand: _Cand, word: str, item: tuple[tuple[str, ...], int]
    ) -> tuple[int, int]:
        """Rank a fitting full name: surname matches first, then the one met most recently."""
        before = [c.start for c in self.cands if c.entity == item[1] and c.start < cand.start]
        recency = -max(before) if before else len(self.finder.text)
        return (0 if word == item[0][-1] else 1, recency)

    def standalone(self) -> None:
        """Single names that joined nothing stand alone, if something says they are actors."""
        for cand in self.cands:
            if cand.entity >= 0 or cand.owner is not None or cand.first != cand.last:
                continue
            if cand.kind in ("none", "surname"):
                continue
            if cand.kind == "unknown":
                if cand.evidence < 1 or (cand.initial and cand.evidence < 2):
                    continue
                cand.kind = "person"
            if cand.kind == "person" and (
                cand.evidence < 1 or cand.after_article or not self.finder.name_like([cand.surface])
            ):
                continue
            cand.entity = self.entity_for(cast(ActorKind, cand.kind), cand.surface)

    def collect(self) -> tuple[list[Entity], list[Found]]:
        text = self.finder.text
        found: list[Found] = []
        for cand in self.cands:
            if cand.entity < 0:
                continue
            entity = self.entities[cand.entity]
            if not cand.known:
                entity.evidence += cand.evidence
            if cand.kind in ("person", "unknown", "surname") and entity.kind == "person":
                entity.role = entity.role or cand.role
                entity.affiliation = entity.affiliation or cand.affiliation
                entity.gender = entity.gender or cand.gender
                if cand.form_start is not None:
                    entity.forms.append(_squash(text[cand.form_start : cand.end]))
            elif entity.kind == "organisation":
                entity.affiliation = entity.affiliation or cand.affiliation
            entity.surfaces.append(_squash(cand.surface))
            found.append(Found(cand.entity, cand.start, cand.end, cand.surface, cand.possessive))
        # A full name with no cue, met once ("Columbus Dispatch" beside "of Columbus"): too
        # uncertain to keep.
        doubtful = {
            i
            for i, e in enumerate(self.entities)
            if e.kind == "person" and not e.known and e.evidence < 1 and len(e.surfaces) < 2
        }
        if not doubtful:
            return self.entities, found
        number = {
            old: new
            for new, old in enumerate(i for i in range(len(self.entities)) if i not in doubtful)
        }
        kept = [e for i, e in enumerate(self.entities) if i not in doubtful]
        mentions = [
            Found(number[f.entity], f.start, f.end, f.surface, f.possessive)
            for f in found
            if f.entity in number
        ]
        return kept, mentions


def _squash(text: str) -> str:
    return " ".join(text.split())


def _canonical(entity: Entity) -> None:
    """A person's display name: the fullest form seen, without titles."""
    if entity.kind != "person" or entity.known:
        return
    names = [s for s in entity.surfaces if len(s.split()) > 1] or entity.surfaces
    if names:
        counts = Counter(names)  # distinct names, in order of first use, with their counts
        order = {name: -place for place, name in enumerate(counts)}
        entity.name = max(counts, key=lambda s: (len(name_key(s.split())), counts[s], order[s]))


def _apply_watch(entities: list[Entity], watch: Sequence[WatchedActor]) -> None:
    """Rename entities the reader watches (by name or alias) to the watched name and kind."""
    for actor in watch:
        names = {actor.name.casefold(), *(a.casefold() for a in actor.aliases)}
        kind = cast(ActorKind, actor.kind)
        for entity in entities:
            if entity.name.casefold() in names or any(
                s.casefold() in names for s in entity.surfaces
            ):
                entity.name, entity.kind, entity.watched = actor.name, kind, True


def _fold(entities: list[Entity], found: list[Found]) -> tuple[list[Entity], list[Found]]:
    """Entities with one (kind, name) are one actor (the watchlist may have renamed several)."""
    first: dict[tuple[str, str], int] = {}
    kept: list[Entity] = []
    target: dict[int, int] = {}
    for i, entity in enumerate(entities):
        key = (entity.kind, entity.name)
        if key in first:
            keep = kept[first[key]]
            keep.surfaces += entity.surfaces
            keep.forms += entity.forms
            keep.role = keep.role or entity.role
            keep.affiliation = keep.affiliation or entity.affiliation
            keep.gender = keep.gender or entity.gender
            keep.evidence += entity.evidence
            keep.watched = keep.watched or entity.watched
        else:
            first[key] = len(kept)
            kept.append(entity)
        target[i] = first[key]
    if len(kept) == len(entities):
        mentions = list(found)  # nothing folded: every mention keeps its entity
    else:
        mentions = [Found(target[f.entity], f.start, f.end, f.surface, f.possessive) for f in found]
    mentions.sort(key=lambda f: (f.start, f.end))
    return kept, mentions


def detect(
    text: str, *, watch: Sequence[WatchedActor] = (), ignore: Sequence[tuple[int, int]] = ()
) -> Detection:
    """Find every actor mentioned in ``text`` (people, states, organisations) with its mentions.

    ``ignore`` lists spans to leave unread besides page furniture (quoted titles:
    “American Pie” names no American).
    """
    finder = _Finder(text, watch, ignore)
    finder.run()
    finder.cues()
    entities, found = _Merger(finder).merge()
    for entity in entities:
        _canonical(entity)
    _apply_watch(entities, watch)
    entities, found = _fold(entities, found)
    return Detection(text, tuple(entities), tuple(found), tuple(finder.excluded))

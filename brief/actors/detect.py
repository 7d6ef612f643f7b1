"""Find the people, states and organisations an article mentions, and merge each one's names.

No model and no download: proper-name runs are read off capitalisation and
cut into parts with word lists (titles, roles, name heads) and the gazetteer
(states, their demonyms and metonyms, known organisations).  Cues around a
name decide what it is: "President" or "Mr." before it, ", a senior fellow
at ..." after it, "news agency" behind it.  Names then merge within the
article ("Mr. Xi" and "Xi" join "Xi Jinping"), and the reader's watchlist
renames what it knows.

Page furniture ("Skip to main content"), photo credits ("Name/The Canadian
Press") and by-lines ("With reports from Reuters") are not read at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from brief.actors.gazetteer import (
    Entry,
    Gazetteer,
    Lexicon,
    Token,
    load_gazetteer,
    load_lexicon,
    phrase_tokens,
    tokenize,
)
from brief.config import WatchedActor
from brief.models import Actor, ActorKind

# --- what is not article body ------------------------------------------------

# Whole lines of web-page furniture.  Matched at the start of a line, case-insensitively.
_FURNITURE_RE = re.compile(
    r"^\W*(?:skip to (?:main )?content|open this (?:photo|image) in gallery|"
    r"follow related (?:authors|topics)|authors and topics you follow|interact with the|"
    r"sign up (?:for|to)|subscribe (?:to|now|for)|(?:share|email|print) this (?:article|story)|"
    r"share on (?:facebook|twitter|x|whatsapp|linkedin)|read more\b|related (?:stories|articles|coverage)|"
    r"click here|listen to this article|report an? (?:error|typo)|editorial standards|"
    r"leave a comment|show comments|you may also like|most popular|recommended for you|"
    r"this article (?:was|is|has been) (?:updated|published|corrected)|copyright\b|©|"
    r"all rights reserved|(?:photo|photograph|image|picture|illustration|video) (?:credit|by)?\s*:|"
    r"credit\s*:|(?:additional )?reporting by\b|editing by\b|compiled by\b|written by\b|"
    r"with (?:files|reports?|reporting) from\b|advertisement\s*$|story continues below|"
    r"we have a weekly .* newsletter|get the latest)",
    re.IGNORECASE,
)
# A line that ends in a photo credit ("... on Oct. 24, 2024.Maxim Shipenkov/The Canadian Press",
# "... (Getty Images)") is a caption: it repeats the story and credits people who are not in it.
_CREDIT = (
    r"(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*\s*/\s*(?:(?:The|AFP|AP|via)\s+)?"
    r"(?:[A-Z][\w'’.&-]*)(?:\s+[A-Z][\w'’.&-]*){0,3}"
)
_CAPTION_RE = re.compile(
    r"(?:" + _CREDIT + r"|\(?(?:[A-Z][\w.-]*\s+)*(?:via\s+)?Getty Images\)?|"
    r"\((?:Photo|Image|Picture)s?(?::| by)[^)]*\))\s*$"
)
_CREDIT_RE = re.compile(r"(?<![\w/])" + _CREDIT + r"(?![\w/])")
# "WASHINGTON (Reuters) -" and "(CNN)" at the head of a story: the agency is the author, not news.
_DATELINE_RE = re.compile(
    r"^[^\S\n]*(?:[A-Z][A-Z.'’ -]+,?(?:\s+\w+\.?\s+\d{1,2})?\s*)?"
    r"\((?:Reuters|AP|AFP|CNN|Bloomberg|UPI|Xinhua|dpa|DPA|EFE|ANSA|PA)\)\s*[-—–:]*",
    re.MULTILINE,
)


def excluded_spans(text: str) -> list[tuple[int, int]]:
    """Character spans that are not article body: furniture lines, captions, credits, datelines."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip() and (_FURNITURE_RE.match(body) or _CAPTION_RE.search(body)):
            spans.append((offset, offset + len(body)))
        else:
            for match in _CREDIT_RE.finditer(body):
                spans.append((offset + match.start(), offset + match.end()))
        offset += len(line)
    for match in _DATELINE_RE.finditer(text):
        if match.group().strip():
            spans.append((match.start(), match.end()))
    spans.sort()
    return spans


# --- tokens ---------------------------------------------------------------------

_OPENING_QUOTES = frozenset("“‘«„\"'")
_SENTENCE_END = frozenset(".!?")
_PARTICLES = frozenset(
    "de da di del della der den van von du le la bin ibn al el dos das ter ten zu y".split()
)
_DETERMINERS = frozenset(("The", "A", "An", "the", "a", "an"))
_ADDRESS_SUFFIXES = frozenset(
    "based born bred educated raised headquartered registered listed domiciled".split()
)
_BACKING_SUFFIXES = frozenset(
    """backed led funded controlled owned allied aligned sponsored supported run installed
    brokered appointed leaning friendly""".split()
)
_LOWER_PREFIXES = frozenset("pro anti non ex post pre neo crypto sub trans".split())
# Adjectives that may stand between a demonym and the actor it qualifies ("Russian state media").
_MODIFIERS = frozenset(
    """state state-run state-owned state-backed state-controlled government government-backed top
    senior former new military armed special security elite local regional foreign two three four
    several many some other leading prominent official pro-government intelligence naval federal
    national central ruling chief deputy young retired captured wounded dead killed murdered
    detained jailed missing""".split()
)
_TITLE_MODIFIERS = frozenset(
    """Deputy Vice Acting Interim Former First Senior Chief Assistant Associate Special Permanent
    Executive former Top""".split()
)
# Forms of address: never a name themselves.
_ADDRESS_FORMS = frozenset(
    """Mr. Mr Mrs. Mrs Ms. Ms Miss Mx. Dr. Dr Prof. Prof Sir Dame Lord Lady Herr Frau Mme. Mme
    Mlle. Monsieur Madame Señor Señora""".split()
)
_NAME_SUFFIXES = frozenset(("Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "Junior", "Senior"))
_INITIAL_RE = re.compile(r"(?:[A-Z]\.)+")
_SPEECH_AFTER = frozenset(
    """said says say told tells added adds asked stated declared insisted argued argues warned warns
    noted explained claimed claims wrote writes posted tweeted announced replied responded
    acknowledged admitted confirmed denied suggested urged stressed emphasised emphasized
    observed remarked commented cautioned predicted recalled conceded countered""".split()
)


@dataclass(slots=True)
class _Tok:
    """A token as the detector sees it: possessive split off, capitalisation and position noted."""

    text: str
    raw: str
    start: int
    end: int
    word: bool
    cap: bool
    poss: bool = False
    initial: bool = False
    line: int = 0


def _is_cap(word: str) -> bool:
    if word[:1].isupper():
        return True
    # "al-Assad", "bin-Salman": a lower-case particle joined to a capitalised name.
    head, _, rest = word.partition("-")
    return head in _PARTICLES and rest[:1].isupper()


def _name_word(word: str) -> bool:
    """Capitalised with lower-case letters after ("Xi", "O’Brien", "McDonald", "al-Assad"), not "PGA"."""
    parts = word.split("-")
    if len(parts) > 1 and parts[0] in _PARTICLES:
        parts = parts[1:]
    for part in parts:
        letters = part.replace("'", "").replace("’", "")
        if not letters.isalpha() or not letters[0].isupper():
            return False
        if not any(c.islower() for c in letters[1:]):
            return False
    return True


def _strip_possessive(raw: str) -> str | None:
    """The word without its possessive ending ("Moscow’s" → "Moscow"), or None."""
    if len(raw) > 2 and raw[-2] in "'’" and raw[-1] in "sS" and raw[0].isalpha():
        return raw[:-2]
    return None


def _tokens(text: str, excluded: Sequence[tuple[int, int]]) -> list[_Tok]:
    """Word and punctuation tokens outside the excluded spans, with sentence starts marked."""
    out: list[_Tok] = []
    spans = iter(excluded)
    span = next(spans, None)
    line = 0
    last_end = 0
    boundary = True  # the next word starts a sentence
    raw_tokens = tokenize(text)
    for index, token in enumerate(raw_tokens):
        newlines = text.count("\n", last_end, token.start)
        last_end = token.end
        if newlines:
            line += newlines
            boundary = True
        while span is not None and span[1] <= token.start:
            span = next(spans, None)
        if span is not None and span[0] <= token.start < span[1]:
            boundary = True
            continue
        word = token.text[0].isalnum()
        if not word:
            out.append(
                _Tok(token.text, token.text, token.start, token.end, False, False, line=line)
            )
            if token.text in _SENTENCE_END or token.text == ":":
                boundary = True
            elif token.text in _OPENING_QUOTES and _opens(text, token, raw_tokens, index):
                boundary = True
            continue
        raw = token.text
        stem = _strip_possessive(raw)
        tok = _Tok(
            text=stem or raw,
            raw=raw,
            start=token.start,
            end=token.start + len(stem) if stem else token.end,
            word=True,
            cap=_is_cap(raw),
            poss=stem is not None,
            initial=boundary,
            line=line,
        )
        # Plural possessive ("the Nations’ plan"): the apostrophe stands alone after an -s word.
        following = raw_tokens[index + 1] if index + 1 < len(raw_tokens) else None
        if (
            stem is None
            and following is not None
            and following.start == token.end
            and following.text in "'’"
            and raw.endswith("s")
            and (following.end >= len(text) or not text[following.end].isalnum())
        ):
            tok.poss = True
        out.append(tok)
        # "... the U.S. Most analysts": an abbreviation may also end the sentence.
        boundary = False
    _mark_abbreviation_ends(out)
    return out


def _opens(text: str, token: Token, tokens: list[Token], index: int) -> bool:
    """True when a quotation mark opens a quote (start of text, after a space or bracket)."""
    if token.text in "“‘«„":
        return True
    before = text[token.start - 1] if token.start > 0 else " "
    return before.isspace() or before in "([{—–-"


def _mark_abbreviation_ends(tokens: list[_Tok]) -> None:
    lexicon = load_lexicon()
    for prev, tok in zip(tokens, tokens[1:], strict=False):
        if (
            prev.word
            and prev.raw.endswith(".")
            and tok.word
            and tok.line == prev.line
            and tok.text.lower() in lexicon.common_words
            and tok.cap
        ):
            tok.initial = True


# --- candidates -----------------------------------------------------------------


@dataclass(slots=True)
class _Cand:
    """A name found in the text, before merging."""

    kind: str  # person, state, organisation, unknown
    first: int  # token indices (inclusive) of the name itself
    last: int
    start: int
    end: int
    surface: str
    name: str
    possessive: bool
    known: bool = False
    relation: str | None = None
    titles: list[str] = field(default_factory=list)
    form_start: int | None = None  # where a titled form ("Chinese President Xi Jinping") starts
    qualifier: str | None = None
    affiliation: str | None = None
    role: str | None = None
    gender: str | None = None
    evidence: int = 0
    initial: bool = False
    watched: str | None = None
    entity: int = -1
    owner: _Cand | None = None  # a qualifier counts only if the name it qualifies does


@dataclass(slots=True)
class _Seq:
    """A run of capitalised words (with known phrases as single units)."""

    units: list[tuple[int, int, Entry | None]]  # (first token, last token, known entry)


class _Detector:
    """One article's detection: tokens, candidates, merged entities."""

    def __init__(
        self, text: str, watch: Sequence[WatchedActor], ignore: Sequence[tuple[int, int]] = ()
    ) -> None:
        self.text = text
        self.lex: Lexicon = load_lexicon()
        self.gaz: Gazetteer = load_gazetteer()
        self.watch = _watch_entries(watch)
        self.watch_longest = max((len(k) for k in self.watch), default=0)
        self.excluded = excluded_spans(text)
        self.toks = _tokens(text, sorted([*self.excluded, *ignore]))
        self.lower_vocab = {t.text for t in self.toks if t.word and t.text.islower()}
        self.cap_inside = Counter(t.text for t in self.toks if t.word and t.cap and not t.initial)
        self.known_cache: dict[int, tuple[int, Entry] | None] = {}
        self.watch_firsts = frozenset(key[0] for key in self.watch)
        self.gaz_firsts = _first_words(self.gaz)
        self.words = [t.text for t in self.toks]
        self.cands: list[_Cand] = []
        self.seq_kind: dict[
            int, tuple[str, str | None, int]
        ] = {}  # last token → (kind, state, first)

    # -- known phrases

    def known_at(self, i: int) -> tuple[int, Entry] | None:
        """The longest known phrase (watchlist first, then gazetteer) starting at token ``i``."""
        if i in self.known_cache:
            return self.known_cache[i]
        found = self._known(self.watch, self.watch_firsts, self.watch_longest, i)
        if found is None:
            found = self._known(self.gaz.entries, self.gaz_firsts, self.gaz.longest, i)
        self.known_cache[i] = found
        return found

    def _known(
        self,
        table: Mapping[tuple[str, ...], Entry],
        firsts: frozenset[str],
        longest: int,
        i: int,
    ) -> tuple[int, Entry] | None:
        toks = self.toks
        first = toks[i]
        shout = first.text.isupper() and len(first.text) > 3  # datelines: "WASHINGTON"
        if first.raw not in firsts and first.text not in firsts:
            if not (shout and first.text.title() in firsts):
                return None
        line = first.line
        size_limit = 0
        while size_limit < min(longest, len(toks) - i) and toks[i + size_limit].line == line:
            size_limit += 1
        for size in range(size_limit, 0, -1):
            window = toks[i : i + size]
            # Inner words keep their apostrophes ("People's Republic of China"); a possessive
            # on the last word is dropped ("Moscow’s" → Moscow).
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
        toks = self.toks
        i = 0
        while i < len(toks):
            tok = toks[i]
            if not tok.word:
                i += 1
                continue
            if "-" in tok.text and self.compound(i):
                i += 1
                continue
            known = self.known_at(i)
            if not tok.cap and known is None:
                i += 1
                continue
            if not tok.cap and known is not None and known[1].kind is None:
                i += known[0]
                continue
            seq, i = self.sequence(i)
            self.classify(seq)

    def compound(self, i: int) -> bool:
        """Handle "China-Russia", "Washington-based", "Russian-backed"; True when done with it."""
        tok = self.toks[i]
        parts = tok.text.split("-")
        if parts[0].lower() in _LOWER_PREFIXES and not tok.cap:
            return True
        if len(parts) < 2:
            return False
        whole = self.known_at(i)
        if whole is not None and whole[0] == 1:
            return False  # "Guinea-Bissau", "Port-au-Prince": a name of its own
        entries = [self.gaz.entries.get(phrase_tokens(part)) for part in parts]
        if not any(e is not None and e.kind is not None for e in entries):
            return False
        last = parts[-1].lower()
        if last in _ADDRESS_SUFFIXES:
            return True  # "Washington-based Atlantic Council": an address, not the government
        backing = last in _BACKING_SUFFIXES or self.actor_noun_after(i)
        offset = tok.start
        for part, entry in zip(parts, entries, strict=True):
            if entry is not None and entry.kind is not None:
                if entry.relation != "demonym" or backing:
                    self.add_known(
                        entry, offset, offset + len(part), i, i, tok.poss and part == parts[-1]
                    )
            offset += len(part) + 1
        return True

    def sequence(self, i: int) -> tuple[_Seq, int]:
        """The run of capitalised units starting at token ``i``; returns it and the next index."""
        toks = self.toks
        units: list[tuple[int, int, Entry | None]] = []
        j = i
        while j < len(toks):
            tok = toks[j]
            if units and (tok.initial or tok.line != toks[units[-1][1]].line):
                break
            if units and toks[units[-1][1]].poss:
                break
            if not tok.word:
                if tok.text == "&" and units and j + 1 < len(toks) and toks[j + 1].cap:
                    units.append((j, j, None))
                    j += 1
                    continue
                break
            if "-" in tok.text and units and self.compound_is_known(j):
                break
            known = self.known_at(j)
            if known is not None and (tok.cap or not units or known[1].kind is not None):
                size, entry = known
                units.append((j, j + size - 1, entry))
                j += size
                continue
            if tok.cap:
                units.append((j, j, None))
                j += 1
                continue
            if units and self.connector(j, units):
                units.append((j, j, None))
                j += 1
                continue
            break
        # A connector cannot end a run.
        while units and units[-1][2] is None and not toks[units[-1][0]].cap:
            units.pop()
        if not units:
            return _Seq([]), i + 1
        return _Seq(units), units[-1][1] + 1

    def compound_is_known(self, j: int) -> bool:
        parts = self.toks[j].text.split("-")
        whole = self.known_at(j)
        if whole is not None:
            return False
        return any(
            (e := self.gaz.entries.get(phrase_tokens(p))) is not None and e.kind is not None
            for p in parts
        )

    def connector(self, j: int, units: list[tuple[int, int, Entry | None]]) -> bool:
        """May lower-case token ``j`` join a name ("Bank of England", "Ursula von der Leyen")?"""
        toks = self.toks
        word = toks[j].text
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if nxt is None or toks[j].line != nxt.line:
            return False
        if word in _PARTICLES:
            return nxt.cap or nxt.text in _PARTICLES
        if units[-1][2] is not None:
            return False  # a known name is complete: "the European Commission on Tuesday"
        ahead = self.known_at(j + 1)
        if ahead is not None and ahead[1].kind is None:
            return False  # "... Council on Monday"
        if word == "of":
            prev = toks[units[-1][1]].text
            if not (
                prev in self.lex.org_heads
                or prev
                in (
                    "Republic",
                    "Kingdom",
                    "Secretary",
                    "Minister",
                    "Ministry",
                    "Duke",
                    "Prince",
                    "Princess",
                    "House",
                    "Chamber",
                    "Bank",
                    "Director",
                    "Chief",
                    "Head",
                    "State",
                )
            ):
                return False
            if nxt.cap:
                return True
            return nxt.text == "the" and j + 2 < len(toks) and toks[j + 2].cap
        if word in ("for", "on") and nxt.cap:
            # "Center for Strategic ...", "Council on Foreign Relations".
            return toks[units[-1][1]].text in self.lex.org_heads
        if word in ("and", "&") and nxt.cap:
            # "... for Strategic and International Studies": inside an organisation's name only.
            words = [toks[q].text for u in units for q in range(u[0], u[1] + 1)]
            return any(
                w in self.lex.org_heads
                and i + 1 < len(words)
                and words[i + 1] in ("of", "for", "on")
                for i, w in enumerate(words)
            )
        if word == "the" and toks[j - 1].text in ("of", "for", "on"):
            return nxt.cap
        return False

    # -- classification of one run

    def classify(self, seq: _Seq) -> None:
        toks = self.toks
        units = list(seq.units)
        if not units:
            return
        # Leading determiners and sentence-initial everyday words ("Since", "Most") name nothing.
        while units and units[0][2] is None:
            tok = toks[units[0][0]]
            if tok.text in _DETERMINERS or (tok.initial and self.is_common(units[0][0])):
                units.pop(0)
                continue
            break
        if not units:
            return
        texts = [toks[u[0]].text if u[2] is None else "" for u in units]
        # Split at names that are no actor ("Nazi Germany" → "Germany"), unless the whole is an
        # organisation ("Asian Development Bank") or the phrase ends with a place or event head.
        last_text = toks[units[-1][1]].text
        if len(units) > 1 and units[-1][2] is None and self.org_head(last_text):
            pass
        elif any(u[2] is not None and u[2].kind is None for u in units):
            piece: list[tuple[int, int, Entry | None]] = []
            for unit in units:
                if unit[2] is not None and unit[2].kind is None:
                    if piece:
                        self.classify_units(piece)
                    piece = []
                else:
                    piece.append(unit)
            if piece and not self.nonactor_tail(piece):
                self.classify_units(piece)
            return
        del texts
        self.classify_units(units)

    def nonactor_tail(self, units: list[tuple[int, int, Entry | None]]) -> bool:
        return units[-1][2] is None and self.toks[units[-1][1]].text in self.lex.nonactor_heads

    def org_head(self, word: str) -> bool:
        return word in self.lex.org_heads

    def is_common(self, i: int) -> bool:
        """Is sentence-initial token ``i`` an everyday word rather than a name?"""
        tok = self.toks[i]
        word = tok.text
        if self.lex.title_at(self.words, i):
            return False
        if word in self.lex.given_names or self.cap_inside.get(word, 0) > 0:
            return word.lower() in self.lex.common_words and self.cap_inside.get(word, 0) == 0
        lower = word.lower()
        if lower in self.lex.common_words or lower in self.lower_vocab:
            return True
        # "Writing this week, ...", "Asked about ...": participles and adverbs open sentences.
        return bool(re.search(r"(?:ing|ly|ed)$", lower)) and len(lower) > 4

    def classify_units(self, units: list[tuple[int, int, Entry | None]]) -> None:
        toks = self.toks
        words = self.words
        p = 0
        qualifiers: list[tuple[int, int, Entry]] = []
        # Leading states that qualify what follows ("Chinese President", "U.S. Federal Reserve").
        while p < len(units) - 1 and units[p][2] is not None and units[p][2].kind == "state":
            nxt = units[p + 1]
            nxt_word = toks[nxt[0]].text
            if nxt[2] is not None and nxt[2].kind == "organisation":
                qualifiers.append(units[p])  # type: ignore[arg-type]
                p += 1
                continue
            if units[p][2].relation == "demonym" and (nxt[2] is None or nxt[2].kind != "state"):
                qualifiers.append(units[p])  # type: ignore[arg-type]
                p += 1
                continue
            if nxt[2] is None and (
                self.lex.title_at(words, nxt[0])
                or nxt_word in self.lex.org_descriptors
                or nxt_word in self.lex.org_heads
                or nxt_word in ("Deputy", "Vice", "Acting", "Interim", "Former", "First", "Senior")
            ):
                qualifiers.append(units[p])  # type: ignore[arg-type]
                p += 1
                continue
            break
        # Titles ("President", "Foreign Minister", "Mr."), possibly with modifiers ("Deputy").
        p, titles, title_first, gender = self.take_titles(units, p)
        role_prefix: str | None = None
        if not titles:
            # A title inside the run: "Franklin County Prosecutor Ron O'Brien",
            # "Senate Majority Leader Chuck Schumer".  What precedes it is classified on its own.
            for k in range(p + 1, len(units) - 1):
                if units[k][2] is not None or not self.lex.title_at(words, units[k][0]):
                    continue
                if toks[units[k][0]].text in self.lex.honorific_gender:
                    continue
                q, inner_titles, inner_first, inner_gender = self.take_titles(units, k)
                if inner_titles and q < len(units) and self.name_like([toks[units[q][0]].text]):
                    prefix = units[p:k]
                    role_prefix = self.text[toks[prefix[0][0]].start : toks[prefix[-1][1]].end]
                    if title_first is None:
                        title_first = prefix[0][0]
                    self.classify_units(prefix)
                    p, titles, gender = q, inner_titles, inner_gender
                    del inner_first
                    break
        rest = units[p:]
        state_quals = [q for q in qualifiers if q[2].kind == "state"]
        form_start = (
            toks[qualifiers[0][0]].start
            if qualifiers
            else (toks[title_first].start if title_first is not None else None)
        )
        if not rest and len(units) == 1 and not qualifiers and titles and toks[units[0][0]].cap:
            # A lone title word may be a surname ("King said", after "B.B. King"): it can only
            # join a full name, never stand alone.
            tok = toks[units[0][0]]
            if tok.text not in _ADDRESS_FORMS and _name_word(tok.text):
                self.add("surname", units[0][0], units[0][1], tok.text)
            return
        if not rest:
            if titles or state_quals:
                for q in state_quals:
                    self.add_known(
                        q[2], toks[q[0]].start, toks[q[1]].end, q[0], q[1], toks[q[1]].poss
                    )
                if state_quals:
                    self.seq_kind[units[-1][1]] = ("title", state_quals[-1][2].name, units[0][0])
            return
        rest_words = [toks[k].text for u in rest for k in range(u[0], u[1] + 1)]
        # One known unit: a state or organisation ("Moscow", "Xinhua news agency").
        if len(rest) == 1 and rest[0][2] is not None:
            entry = rest[0][2]
            for q in state_quals:
                self.add_known(q[2], toks[q[0]].start, toks[q[1]].end, q[0], q[1], False)
            if entry.kind is not None:
                cand = self.add_known(
                    entry,
                    toks[rest[0][0]].start,
                    toks[rest[0][1]].end,
                    rest[0][0],
                    rest[0][1],
                    toks[rest[0][1]].poss,
                )
                if entry.kind == "state" and entry.relation == "demonym" and not titles:
                    if not self.actor_noun_after(rest[0][1]):
                        self.cands.remove(cand)
                        return
                if titles and entry.kind == "person":
                    cand.titles = titles
                self.seq_kind[rest[0][1]] = (
                    entry.kind,
                    entry.name if entry.kind == "state" else entry.affiliation,
                    units[0][0],
                )
                if state_quals and entry.kind == "organisation" and not cand.affiliation:
                    cand.affiliation = state_quals[-1][2].name
            return
        # A state's own body ("Russian Foreign Ministry", "Ukraine's Foreign Ministry"): the state.
        if self.lex.is_body(rest_words):
            for q in state_quals:
                self.add_known(q[2], toks[q[0]].start, toks[q[1]].end, q[0], q[1], False)
            state = (
                state_quals[-1][2].name
                if state_quals
                else self.possessive_state_before(units[0][0])
            )
            self.seq_kind[rest[-1][1]] = ("body", state, units[0][0])
            return
        first_tok, last_tok = rest[0][0], rest[-1][1]
        head = rest_words[-1]
        while len(rest_words) > 1 and re.fullmatch(r"[IVX]+|\d+", head):
            head = rest_words[rest_words.index(head) - 1] if head in rest_words else head
            break
        linked = any(
            w in ("of", "for", "on") and rest_words[i - 1] in self.lex.org_heads
            for i, w in enumerate(rest_words[1:-1], 1)
        )
        if len(rest_words) > 1 and (head in self.lex.org_heads or linked) and not titles:
            # An organisation.  A generic rest ("Communist Party") keeps its state in the name.
            generic = all(
                w in self.lex.org_descriptors or w in self.lex.org_heads or w in ("of", "the", "&")
                for w in rest_words
            )
            if qualifiers and generic:
                first_tok = qualifiers[0][0]
            elif state_quals and state_quals[-1][2].relation == "demonym":
                for q in state_quals:
                    self.add_known(q[2], toks[q[0]].start, toks[q[1]].end, q[0], q[1], False)
            surface = self.text[toks[first_tok].start : toks[last_tok].end]
            cand = self.add(
                "organisation",
                first_tok,
                last_tok,
                surface,
                evidence=1,
                affiliation=state_quals[-1][2].name if state_quals else None,
            )
            self.seq_kind[last_tok] = ("organisation", cand.affiliation, units[0][0])
            return
        if len(rest_words) > 1 and head in self.lex.nonactor_heads and not titles:
            return
        if (
            len(rest_words) == 1
            and len(rest) == 1
            and rest_words[0] in self.lex.nonactor_heads
            and not titles
        ):
            return
        # Whatever is left is a name: most likely a person's.  The states qualifying it
        # ("German Formula 4") count only if it turns out to be an actor.
        quals = [
            self.add_known(q[2], toks[q[0]].start, toks[q[1]].end, q[0], q[1], False)
            for q in state_quals
        ]
        surface = self.text[toks[first_tok].start : toks[last_tok].end]
        honorific_only = bool(titles) and all(
            self.lex.honorific_gender.get(t) or t in ("Dr.", "Dr", "Prof.", "Prof") for t in titles
        )
        cand = self.add("person" if titles else "unknown", first_tok, last_tok, surface)
        for qual in quals:
            qual.owner = cand
        cand.titles = [t for t in titles if t not in self.lex.honorific_gender]
        cand.gender = gender
        cand.form_start = form_start
        cand.initial = toks[first_tok].initial and not titles
        if titles:
            cand.evidence += 2
            cand.role = " ".join(t for t in titles if not self.lex.honorific_gender.get(t)) or None
            if honorific_only:
                cand.role = None
            if role_prefix and cand.role:
                cand.role = f"{role_prefix} {cand.role}"
        if state_quals:
            cand.affiliation = state_quals[-1][2].name
        self.seq_kind[last_tok] = ("person", None, units[0][0])

    def take_titles(
        self, units: list[tuple[int, int, Entry | None]], p: int
    ) -> tuple[int, list[str], int | None, str | None]:
        """Consume titles at unit ``p``: (next unit, titles, first title token, gender)."""
        toks = self.toks
        words = self.words
        titles: list[str] = []
        title_first: int | None = None
        gender: str | None = None
        while p < len(units) and units[p][2] is None:
            first = units[p][0]
            size = self.lex.title_at(words, first)
            mods = 0
            while (
                size == 0
                and first + mods < len(toks)
                and toks[first + mods].text in _TITLE_MODIFIERS
            ):
                mods += 1
                size = self.lex.title_at(words, first + mods)
            if size == 0:
                break
            end = first + mods + size - 1
            covered = [q for q in range(p, len(units)) if units[q][0] <= end]
            if any(units[q][2] is not None for q in covered) or units[covered[-1]][1] != end:
                break
            if titles and covered[-1] == len(units) - 1:
                break  # "Mr. King", "Prime Minister Major": the last word is the name
            titles.append(" ".join(words[first : end + 1]))
            gender = gender or self.lex.honorific_gender.get(words[end])
            if title_first is None:
                title_first = first
            p = covered[-1] + 1
        return p, titles, title_first, gender

    def name_like(self, words: Sequence[str]) -> bool:
        """Could these words be a person's name ("Patricia M. Kim", "Ron O’Brien", "al-Assad")?"""
        lex = self.lex
        given = words[0] in lex.given_names or words[0] in lex.family_names_first
        for index, word in enumerate(words):
            if word in _PARTICLES or _INITIAL_RE.fullmatch(word) or word in _NAME_SUFFIXES:
                continue
            if not _name_word(word):
                return False
            low = word.lower()
            if word in lex.given_names or word in lex.family_names_first:
                continue
            if (low in lex.common_words or low in self.lower_vocab) and not (given and index > 0):
                return False  # "Major" is a word, but "John Major" a name
            if (word in lex.org_heads or word in lex.nonactor_heads) and not (given and index > 0):
                return False
        return True

    def possessive_state_before(self, i: int) -> str | None:
        """The state named in a possessive right before token ``i`` ("Ukraine’s Foreign Ministry")."""
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
        for skip in range(0, 3):
            if skip > 0 and (skip > len(words) or words[skip - 1] not in _MODIFIERS):
                break
            rest = words[skip:]
            if rest and (rest[0] in nouns or " ".join(rest[:2]) in nouns):
                return True
        return False

    def add_known(
        self, entry: Entry, start: int, end: int, first: int, last: int, possessive: bool
    ) -> _Cand:
        kind = entry.kind or "organisation"
        cand = _Cand(
            kind=kind,
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
        )
        if entry.relation == "watched":
            cand.watched = entry.name
        self.cands.append(cand)
        return cand

    def add(
        self,
        kind: str,
        first: int,
        last: int,
        surface: str,
        *,
        evidence: int = 0,
        affiliation: str | None = None,
    ) -> _Cand:
        toks = self.toks
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
            affiliation=affiliation,
        )
        self.cands.append(cand)
        return cand

    # -- pass 2: cues around each name

    def cues(self) -> None:
        toks = self.toks
        by_first = {c.first: c for c in self.cands}
        for cand in self.cands:
            if cand.kind not in ("person", "unknown", "organisation") or cand.known:
                continue
            words = [toks[k].text for k in range(cand.first, cand.last + 1)]
            if cand.kind != "organisation":
                self.person_cues(cand, words, by_first)
            self.org_cues(cand, words)

    def person_cues(self, cand: _Cand, words: list[str], by_first: dict[int, _Cand]) -> None:
        toks = self.toks
        lex = self.lex
        first = words[0]
        if len(words) > 1 and (first in lex.given_names or first in lex.family_names_first):
            cand.evidence += 2
            cand.kind = "person"
            cand.gender = cand.gender or lex.given_names.get(first)
            if cand.gender == "x":
                cand.gender = None
        if any(re.fullmatch(r"[A-Z]\.", w) for w in words[1:-1]):
            cand.evidence += 2  # "Patricia M. Kim"
        if len(words) == 1 and words[0] in lex.given_names and words[0] not in self.cap_inside:
            pass
        # A role noun right before the name: "spokeswoman Maria Zakharova", "president Richard
        # Nixon", "EU competition commissioner Teresa Ribera".
        k = cand.first - 1
        role_words: list[str] = []
        line = toks[cand.first].line
        while k >= 0 and toks[k].word and not toks[k].cap and len(role_words) < 5:
            if toks[k].line != line or toks[k].poss:
                break
            low = toks[k].text.lower()
            pair = " ".join([low, role_words[0].lower()]) if role_words else ""
            if low in lex.roles or pair in lex.roles:
                role_words.insert(0, toks[k].text)
                k -= 1
                continue
            if role_words and (low in _MODIFIERS or self.noun_modifier(low)):
                role_words.insert(0, toks[k].text)
                k -= 1
                continue
            break
        # Modifiers only count in front of a role ("competition commissioner"), not alone.
        while (
            role_words
            and role_words[-1].lower() not in lex.roles
            and not any(
                " ".join(role_words[i:]).lower() in lex.roles for i in range(len(role_words))
            )
        ):
            role_words.pop()
        if role_words:
            cand.evidence += 2
            cand.kind = "person"
            role = " ".join(role_words)
            cand.gender = cand.gender or lex.role_gender.get(role_words[-1].lower())
            form_start = toks[k + 1].start
            body = self.seq_kind.get(k)
            owner = next((c for c in self.cands if c.last == k and c is not cand), None)
            if body is not None and body[0] in ("body", "title"):
                # "Russian Foreign Ministry spokeswoman": the state's body is part of the role.
                _, state, seq_first = body
                words_before = [toks[q].text for q in range(seq_first, k + 1)]
                quals = 0
                while quals < len(words_before) and (
                    (entry := self.gaz.entries.get((words_before[quals],))) is not None
                    and entry.kind == "state"
                ):
                    quals += 1
                role = " ".join([*words_before[quals:], role]).strip()
                form_start = toks[seq_first].start
                if state:
                    cand.affiliation = cand.affiliation or state
            elif owner is not None and not toks[k].poss:
                # "Kremlin spokesman Dmitry Peskov", "Arsenal manager Mikel Arteta": who they serve.
                if owner.kind == "unknown" and self.org_like(owner):
                    owner.kind = "organisation"
                    owner.evidence += 2
                if owner.kind in ("state", "organisation"):
                    cand.affiliation = cand.affiliation or owner.name
                    form_start = owner.start
            elif owner is not None and toks[k].poss and owner.kind in ("state", "organisation"):
                cand.affiliation = cand.affiliation or owner.name
            cand.role = cand.role or role
            cand.form_start = cand.form_start if cand.form_start is not None else form_start
        # An apposition after the name: ", a senior fellow at the Atlantic Council," / ", 27,".
        self.apposition(cand)
        # "Webster said", "said Webster": a speaker is a person (or an organisation, see below).
        j = cand.last + 1
        if j < len(toks) and toks[j].word and toks[j].text in _SPEECH_AFTER:
            cand.evidence += 1
        before = toks[cand.first - 1].text if cand.first > 0 else ""
        if before in _SPEECH_AFTER and before not in ("told", "tells", "asked", "asks"):
            cand.evidence += 1  # "said Smith"; but "told Bild" names the listener
        # "Mao Zedong’s China": a person's state.
        if cand.possessive:
            owned = by_first.get(cand.last + 1)
            if owned is not None and owned.kind == "state":
                cand.affiliation = cand.affiliation or owned.name

    def noun_modifier(self, low: str) -> bool:
        """A plain lower-case word that may modify a role noun ("competition", "trade", "security")."""
        if not low.isalpha() or len(low) < 3 or low in self.lex.common_words:
            return False
        if low in _SPEECH_AFTER or re.search(r"(?:ed|ing|ly)$", low):
            return False
        return low not in self.lex.roles

    def org_like(self, cand: _Cand) -> bool:
        """Could this capitalised run be an organisation's name ("Arsenal", "PGA Tour", "Apple")?"""
        words = [self.toks[q].text for q in range(cand.first, cand.last + 1)]
        for word in words:
            if word.lower() in self.lex.common_words or not word[0].isalpha():
                return False
        return not (len(words) == 1 and words[0] in self.lex.given_names)

    def apposition(self, cand: _Cand) -> None:
        toks = self.toks
        lex = self.lex
        j = cand.last + 1
        if j >= len(toks) or toks[j].text != "," or cand.possessive:
            return
        k = j + 1
        if (
            k < len(toks)
            and re.fullmatch(r"\d{1,3}", toks[k].text)
            and k + 1 < len(toks)
            and toks[k + 1].text in ",."
        ):
            cand.evidence += 2  # an age
            cand.kind = "person" if cand.kind == "unknown" else cand.kind
            return
        if k < len(toks) and toks[k].text in ("who", "whose"):
            words = [toks[q].text for q in range(cand.first, cand.last + 1)]
            if len(words) == 1 and words[0] not in lex.given_names:
                return  # "Leicestershire, who ...": the "who" may belong to someone else
            cand.evidence += 1
            cand.kind = "person" if cand.kind == "unknown" else cand.kind
            return
        # Collect the apposition up to the next comma, period or quotation mark.
        words: list[int] = []
        while k < len(toks) and len(words) < 18:
            t = toks[k]
            if not t.word and t.text not in ("-", "&"):
                break
            words.append(k)
            k += 1
        if not words:
            return
        texts = [toks[q].text for q in words]
        lowered = [w.lower() for w in texts]
        start = 1 if lowered[0] in ("a", "an", "the") else 0
        role_end = None
        for q in range(start, min(len(lowered), start + 6)):
            if q + 1 < len(lowered) and " ".join(lowered[q : q + 2]) in lex.roles:
                role_end = q + 2
                break
            if lowered[q] in lex.roles:
                role_end = q + 1
                break
            # Only modifiers may come before the role noun: "a 25-year-old officer",
            # "a senior fellow", "the bloc's competition chief" — not "during the student".
            word = lowered[q]
            if not (
                word in _MODIFIERS
                or self.noun_modifier(word)
                or word in ("-", "year-old", "longtime", "long-time", "veteran")
                or re.fullmatch(r"\d+(?:-year-old)?|[\w-]+-(?:year-old|time|based)", word)
            ) or (toks[words[q]].cap and q > start):
                break
        if role_end is not None and start == 0 and role_end - 1 > 0 and lowered[0] not in lex.roles:
            role_end = None  # no article and no role noun first: not an apposition
        if role_end is None:
            # "Name, a think tank in Washington," names an organisation.
            if start == 0:
                return
            for q in range(start, min(len(lowered), start + 2)):
                if lowered[q] in lex.org_cues or " ".join(lowered[q : q + 2]) in lex.org_cues:
                    if cand.kind == "unknown":
                        cand.kind = "organisation"
                    cand.evidence += 1
                    return
            return
        if cand.kind == "unknown":
            cand.kind = "person"
        cand.evidence += 2
        cand.gender = cand.gender or lex.role_gender.get(lowered[role_end - 1])
        # The organisation or state the role is at: the first one named after a preposition.
        affiliation = None
        role_stop = role_end
        for q in range(role_end, len(words)):
            if lowered[q] in ("at", "of", "for", "with", "from", "in"):
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
                    affiliation = owner.name
                    role_stop = q
                    break
        stop = role_stop if affiliation else role_end
        if stop > start:
            role = self.text[toks[words[start]].start : toks[words[stop - 1]].end]
            role = re.sub(r"^(?:\d+\s*-\s*)?[\w-]*year-old\s+", "", " ".join(role.split()))
            cand.role = cand.role or role
        if affiliation:
            cand.affiliation = cand.affiliation or affiliation

    def org_cues(self, cand: _Cand, words: list[str]) -> None:
        toks = self.toks
        lex = self.lex
        j = cand.last + 1
        after = [toks[q].text.lower() for q in range(j, min(len(toks), j + 2)) if toks[q].word]
        if after and (after[0] in lex.org_cues or " ".join(after[:2]) in lex.org_cues):
            if cand.kind == "unknown" or (cand.kind == "organisation"):
                cand.kind = "organisation"
                cand.evidence += 2
        before: list[str] = []
        k = cand.first - 1
        while k >= 0 and len(before) < 2 and toks[k].word and not toks[k].cap:
            before.insert(0, toks[k].text.lower())
            k -= 1
        if before and (before[-1] in lex.org_cues or " ".join(before[-2:]) in lex.org_cues):
            if cand.kind == "unknown":
                cand.kind = "organisation"
                cand.evidence += 2
        if (
            len(words) == 1
            and re.fullmatch(r"[A-Z][A-Z0-9&]{2,6}", words[0])
            and cand.kind == "unknown"
        ):
            if self.cap_inside.get(words[0], 0) >= 2:
                cand.kind = "organisation"
                cand.evidence += 1


_FIRSTS: dict[int, frozenset[str]] = {}


def _first_words(gazetteer: Gazetteer) -> frozenset[str]:
    """The first words of all known phrases: a fast "nothing starts here" test."""
    key = id(gazetteer)
    if key not in _FIRSTS:
        _FIRSTS[key] = frozenset(k[0] for k in gazetteer.entries)
    return _FIRSTS[key]


def _watch_entries(watch: Sequence[WatchedActor]) -> dict[tuple[str, ...], Entry]:
    table: dict[tuple[str, ...], Entry] = {}
    for actor in watch:
        kind: ActorKind = (
            actor.kind if actor.kind in ("person", "state", "organisation") else "person"
        )  # type: ignore[assignment]
        for phrase in (actor.name, *actor.aliases):
            tokens = phrase_tokens(phrase)
            if tokens and tokens[0].lower() == "the" and len(tokens) > 1:
                tokens = tokens[1:]
            if tokens:
                table.setdefault(tokens, Entry(actor.name, kind, "watched"))  # type: ignore[arg-type]
    return table


# --- merging ----------------------------------------------------------------------


@dataclass(slots=True)
class Entity:
    """An actor of one article with everything the detector learnt about it."""

    kind: ActorKind
    name: str
    surfaces: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None
    gender: str | None = None
    evidence: int = 0
    watched: bool = False
    known: bool = False
    tokens: tuple[str, ...] = ()

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
    """One mention of an entity (index into :attr:`Detection.entities`)."""

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


def _name_key(tokens: Iterable[str]) -> tuple[str, ...]:
    """A person's name without initials, suffixes and accents: "Patricia M. Kim" ~ "Patricia Kim"."""
    return tuple(
        _plain(t)
        for t in tokens
        if not re.fullmatch(r"[A-Z]\.|Jr\.?|Sr\.?|[IVX]+", t)
        and t not in _PARTICLES
        and t not in _NAME_SUFFIXES
    )


def _plain(word: str) -> str:
    """The word without accents ("Näslund" → "Naslund"), so spellings of one name merge."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def _merge(det: _Detector) -> tuple[list[Entity], list[Found]]:
    toks = det.toks
    text = det.text
    entities: list[Entity] = []
    index: dict[tuple[str, str], int] = {}

    def entity_for(kind: str, name: str) -> int:
        key = (kind, name)
        if key not in index:
            index[key] = len(entities)
            entities.append(Entity(kind=kind, name=name))  # type: ignore[arg-type]
        return index[key]

    cands = sorted(det.cands, key=lambda c: (c.start, -c.end))
    # Known actors (gazetteer, watchlist) are who they are.
    for cand in cands:
        if cand.known and cand.owner is None:
            cand.entity = entity_for(cand.kind, cand.name)
            ent = entities[cand.entity]
            ent.known = True
            ent.watched = ent.watched or cand.watched is not None
            ent.affiliation = ent.affiliation or cand.affiliation
            ent.evidence += cand.evidence
    # Multi-word names: people by their name key, organisations by their text.
    people: list[tuple[tuple[str, ...], int]] = []
    singles = Counter(toks[c.first].text for c in cands if not c.known and c.first == c.last)
    for cand in cands:
        if cand.known:
            continue
        words = [toks[k].text for k in range(cand.first, cand.last + 1)]
        if cand.kind == "organisation":
            name = " ".join(words).replace(" .", ".")
            cand.entity = entity_for("organisation", det.text[cand.start : cand.end])
            continue
        key = _name_key(words)
        if len(key) < 2:
            continue
        if not det.name_like(words):
            cand.kind = "none"
            continue
        if cand.evidence < 1 and not (singles[key[-1]] or singles[key[0]]):
            continue  # "Motorsport Arena Oschersleben": capitalised, but nothing says "person"
        match = next(
            (e for k, e in people if k == key or (k[0] == key[0] and k[-1] == key[-1])), None
        )
        if match is None:
            match = entity_for("person", cand.surface)
            people.append((key, match))
            entities[match].tokens = key
        cand.entity = match
    # Single names join the nearest fitting full name ("Mr. Xi" → "Xi Jinping", "Putin").
    for cand in cands:
        if cand.entity >= 0 or cand.kind == "organisation":
            continue
        if cand.first != cand.last:
            continue
        word = toks[cand.first].text
        first_name = word in det.lex.given_names or word in det.lex.family_names_first
        fits = [(k, e) for k, e in people if word == k[-1] or (first_name and word == k[0])]
        orgs = [
            i
            for i, e in enumerate(entities)
            if e.kind == "organisation" and not e.known and e.name.split()[0] == word
        ]
        if fits:
            # Prefer a surname match, then the full name met most recently before this mention.
            def distance(item: tuple[tuple[str, ...], int]) -> tuple[int, int]:
                starts = [c.start for c in cands if c.entity == item[1] and c.start < cand.start]
                last = max(starts) if starts else -1
                return (0 if word == item[0][-1] else 1, -last if last >= 0 else len(text))

            cand.entity = min(fits, key=distance)[1]
        elif orgs and cand.kind == "unknown":
            cand.entity = orgs[0]
    # Whatever is left stands alone, if something says it is an actor.
    for cand in cands:
        if cand.entity >= 0 or cand.owner is not None:
            continue
        if cand.kind in ("none", "surname") or (
            cand.kind in ("unknown", "person") and cand.first != cand.last
        ):
            continue
        if cand.kind == "unknown":
            if cand.evidence < 1 or cand.initial and cand.evidence < 2:
                continue
            cand.kind = "person"
        if cand.kind == "person" and (cand.evidence < 1 or not det.name_like([cand.surface])):
            continue
        cand.entity = entity_for(cand.kind, cand.surface)
    for cand in cands:
        if cand.owner is not None and cand.owner.entity >= 0:
            cand.entity = entity_for(cand.kind, cand.name)
            entities[cand.entity].known = True
    # Gather what the mentions say about their entity.
    found: list[Found] = []
    for cand in cands:
        if cand.entity < 0:
            continue
        ent = entities[cand.entity]
        if not cand.known:
            ent.evidence += cand.evidence
        if cand.kind in ("person", "unknown") and ent.kind == "person":
            ent.role = ent.role or cand.role
            ent.affiliation = ent.affiliation or cand.affiliation
            ent.gender = ent.gender or cand.gender
            ent.watched = ent.watched or cand.watched is not None
            if cand.form_start is not None:
                ent.forms.append(_squash(text[cand.form_start : cand.end]))
        elif ent.kind == "organisation":
            ent.affiliation = ent.affiliation or cand.affiliation
        ent.surfaces.append(_squash(cand.surface))
        found.append(Found(cand.entity, cand.start, cand.end, cand.surface, cand.possessive))
    # Multi-word people with no cue at all and a single mention are too uncertain to keep.
    keep = [
        i
        for i, e in enumerate(entities)
        if e.known or e.watched or e.kind != "person" or e.evidence >= 1 or len(e.surfaces) > 1
    ]
    return _renumber(entities, found, keep)


def _renumber(
    entities: list[Entity], found: list[Found], keep: list[int]
) -> tuple[list[Entity], list[Found]]:
    new_index = {old: new for new, old in enumerate(keep)}
    kept = [entities[i] for i in keep]
    mentions = [
        Found(new_index[f.entity], f.start, f.end, f.surface, f.possessive)
        for f in found
        if f.entity in new_index
    ]
    return kept, mentions


def _squash(text: str) -> str:
    return " ".join(text.split())


def _canonical(entity: Entity) -> None:
    """Pick the person's display name: the fullest form seen, without titles."""
    if entity.kind != "person" or entity.known:
        return
    names = [s for s in entity.surfaces if len(s.split()) > 1] or entity.surfaces
    if names:
        counts = Counter(names)
        entity.name = max(
            names, key=lambda s: (len(_name_key(s.split())), counts[s], -names.index(s))
        )


def _apply_watch(entities: list[Entity], watch: Sequence[WatchedActor]) -> None:
    """Rename entities the reader watches (by name or alias) to the watched name and kind."""
    for actor in watch:
        names = {actor.name.lower(), *(a.lower() for a in actor.aliases)}
        for entity in entities:
            if entity.name == actor.name and entity.watched:
                continue
            if entity.name.lower() in names or any(s.lower() in names for s in entity.surfaces):
                entity.name = actor.name
                entity.kind = actor.kind  # type: ignore[assignment]
                entity.watched = True


def detect(
    text: str, *, watch: Sequence[WatchedActor] = (), ignore: Sequence[tuple[int, int]] = ()
) -> Detection:
    """Find every actor mentioned in ``text`` (people, states, organisations) with its mentions.

    ``ignore`` lists spans to leave unread besides page furniture (quoted titles:
    “American Pie” names no American).
    """
    det = _Detector(text, watch, ignore)
    det.run()
    det.cues()
    entities, found = _merge(det)
    for entity in entities:
        _canonical(entity)
    _apply_watch(entities, watch)
    # Entities renamed to one watched name are one actor.
    entities, found = _fold_same_name(entities, found)
    found.sort(key=lambda f: (f.start, f.end))
    return Detection(text, tuple(entities), tuple(found), tuple(det.excluded))


def _fold_same_name(entities: list[Entity], found: list[Found]) -> tuple[list[Entity], list[Found]]:
    first: dict[tuple[str, str], int] = {}
    target: dict[int, int] = {}
    for i, entity in enumerate(entities):
        key = (entity.kind, entity.name)
        if key in first:
            keep = entities[first[key]]
            keep.surfaces += entity.surfaces
            keep.forms += entity.forms
            keep.role = keep.role or entity.role
            keep.affiliation = keep.affiliation or entity.affiliation
            keep.gender = keep.gender or entity.gender
            keep.evidence += entity.evidence
            target[i] = first[key]
        else:
            first[key] = i
            target[i] = i
    keep_ids = sorted(set(target.values()))
    remapped = [Found(target[f.entity], f.start, f.end, f.surface, f.possessive) for f in found]
    return _renumber(entities, remapped, keep_ids)

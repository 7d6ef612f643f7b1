"""Candidate names (pass 1): runs of capitalised words cut into qualifiers, titles and a name."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

from brief.actors.gazetteer import (
    Entry,
    phrase_tokens,
)
from brief.actors.scan import _Scanner
from brief.actors.tokens import _name_word
from brief.actors.words import (
    _ADDRESS_FORMS,
    _BACKING_SUFFIXES,
    _DETERMINERS,
    _INITIALS_RE,
    _LOWER_PREFIXES,
    _MODIFIERS,
    _NAME_SUFFIXES,
    _NUMERAL_RE,
    _OF_HEADS,
    _PARTICLES,
    _PRODUCT_WORDS,
    _TITLE_MODIFIERS,
)
from brief.config import WatchedActor

# No name has this many parts: a longer run of capitalised words is a headline, a list or
# a repeated word, and is read as runs of this size (the work per run stays bounded).
MAX_RUN_UNITS = 16

CandKind = Literal["person", "state", "organisation", "place", "unknown", "surname", "none"]


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
    not_actor: str | None = None  # "product": named, but no actor (see Entity.not_actor)


@dataclass(frozen=True, slots=True)
class _Context:
    """What a run left for the words after it: "Russian Foreign Ministry" before "spokeswoman"."""

    kind: Literal["body", "title"]
    state: str | None
    first: int


class _Candidates(_Scanner):
    """Finds the candidate names of one text (pass 1): runs of capitalised words, cut and typed."""

    def __init__(
        self, text: str, watch: Sequence[WatchedActor], ignore: Sequence[tuple[int, int]]
    ) -> None:
        super().__init__(text, watch, ignore)
        self.cands: list[_Cand] = []
        # The same candidates by the index of their last token, in order (looked up by
        # position: a scan of every candidate per name would be quadratic in the text).
        self.cands_by_last: dict[int, list[_Cand]] = {}
        self.cands_by_first: dict[int, list[tuple[int, _Cand]]] = {}  # (place in cands, cand)
        self.context: dict[int, _Context] = {}  # by a run's last token

    # -- pass 1: runs of capitalised words

    def run(self) -> None:
        """Find every candidate name in the text.

        Only the tokens in :attr:`visits` can start a name or a skip: every other
        token (punctuation, a plain lower-case word) would just be stepped over.
        """
        words, caps, known_at = self.words, self.caps, self.known
        visits = self.visits
        v = 0
        i = 0
        while True:
            v = bisect_left(visits, i, v)  # the next token to visit at or after ``i``
            if v == len(visits):
                break
            i = visits[v]
            if "-" in words[i] and self.compound(i):
                i += 1
                continue
            known = known_at[i]
            if not caps[i] and (known is None or known[1].kind is None):
                i += known[0] if known else 1
                continue
            units, i = self.run_at(i)
            self.classify(units)

    def compound(self, i: int) -> bool:
        """Read "China-Russia", "Washington-based", "Iran-backed"; True when token ``i`` is done."""
        parts = self.words[i].split("-")
        if parts[0].lower() in _LOWER_PREFIXES and not self.caps[i]:
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
        offset = self.starts[i]
        for index, (part, entry) in enumerate(zip(parts, entries, strict=True)):
            # Demonyms ("Russian-Chinese relations") name the state only when it acts.
            if (
                entry is not None
                and entry.kind is not None
                and (entry.relation != "demonym" or backing)
            ):
                possessive = self.poss[i] and index == len(parts) - 1
                self.add_known(entry, offset, offset + len(part), i, i, possessive)
            offset += len(part) + 1
        return True

    def compound_of_known(self, j: int) -> bool:
        if self.known[j] is not None:
            return False
        return any(
            (e := self.gaz.entries.get(phrase_tokens(p))) is not None and e.kind is not None
            for p in self.words[j].split("-")
        )

    def run_at(self, i: int) -> tuple[list[_Unit], int]:
        """The run of capitalised units starting at token ``i``, and the index after it."""
        words, caps, lines, poss, known_at = (
            self.words,
            self.caps,
            self.lines,
            self.poss,
            self.known,
        )
        initials, is_word = self.initials, self.is_word
        size = len(words)
        units: list[_Unit] = []
        j = i
        while j < size and len(units) < MAX_RUN_UNITS:
            if units and (initials[j] or lines[j] != lines[units[-1].last]):
                break
            if units and poss[units[-1].last]:
                break
            if not is_word[j]:
                if words[j] == "&" and units and j + 1 < size and caps[j + 1]:
                    units.append(_Unit(j, j))
                    j += 1
                    continue
                break
            if "-" in words[j] and units and self.compound_of_known(j):
                break
            known = known_at[j]
            if known is not None and (caps[j] or not units or known[1].kind is not None):
                units.append(_Unit(j, j + known[0] - 1, known[1]))
                j += known[0]
                continue
            if caps[j] or (units and self.connector(j, units)):
                units.append(_Unit(j, j))
                j += 1
                continue
            break
        while units and not units[-1].known and not caps[units[-1].first]:
            units.pop()  # a connector cannot end a run
        if not units:
            return [], i + 1
        return units, units[-1].last + 1

    def connector(self, j: int, units: list[_Unit]) -> bool:
        """May lower-case token ``j`` join a name ("Bank of England", "Ursula von der Leyen")?"""
        words, caps, lines = self.words, self.caps, self.lines
        word = words[j]
        n = j + 1  # the token after
        if n >= len(words) or lines[j] != lines[n]:
            return False
        if word in _PARTICLES:
            return caps[n] or words[n] in _PARTICLES
        if units[-1].known:
            return False  # a known name is complete: "the European Commission on Tuesday"
        ahead = self.known[j + 1]
        if ahead is not None and ahead[1].kind is None:
            return False  # "... Council on Monday"
        previous = words[units[-1].last]
        if word == "of":
            if previous not in self.lex.org_heads and previous not in _OF_HEADS:
                return False
            return caps[n] or (words[n] == "the" and j + 2 < len(words) and caps[j + 2])
        if word in ("for", "on") and caps[n]:
            return previous in self.lex.org_heads  # "Center for ...", "Council on ..."
        if word in ("and", "&") and caps[n]:
            # "... for Strategic and International Studies": inside an organisation's name.
            run = words[units[0].first : units[-1].last + 1]
            return any(
                w in self.lex.org_heads and i + 1 < len(run) and run[i + 1] in ("of", "for", "on")
                for i, w in enumerate(run)
            )
        if word == "the" and words[j - 1] in ("of", "for", "on"):
            return caps[n]
        return False

    # -- classifying a run

    def classify(self, units: list[_Unit]) -> None:
        """Turn one run into candidates, after dropping words that name nothing."""
        if len(units) == 1 and units[0].entry is not None:
            # A known name alone (a third of all runs): what the steps below come to for it.
            unit, entry = units[0], units[0].entry
            if entry.kind is not None:
                self.classify_known(units, unit, [], [])
            elif entry.relation == "place":
                self.add_place(unit)
            return
        words = self.words
        # Determiners and sentence-initial everyday words ("Since", "Most") name nothing.
        while units and not units[0].known:
            first = units[0].first
            if words[first] in _DETERMINERS or (self.initials[first] and self.is_common(first)):
                units = units[1:]
                continue
            break
        if not units:
            return
        if len(units) > 1 and not units[-1].known and words[units[-1].last] in self.lex.org_heads:
            self.classify_units(units)  # "Asian Development Bank", "Western Union"
            return
        # Names of no actor split the run ("Nazi Germany" → Germany; "on Red Square").
        piece: list[_Unit] = []
        for unit in units:
            if unit.entry is not None and unit.entry.kind is None:
                if piece:
                    self.classify_units(piece)
                piece = []
                if unit.entry.relation == "place" and unit is units[-1]:
                    # "in Texas", "Chicago said": a place ("Chicago Bulls" is a team's name).
                    self.add_place(unit)
            else:
                piece.append(unit)
        if piece:
            self.classify_units(piece)

    def is_common(self, i: int) -> bool:
        """Is the sentence-initial token ``i`` an everyday word rather than a name?"""
        word = self.words[i]
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
        words = self.words
        p = 0
        while p < len(units) - 1 and units[p].is_state():
            entry = cast(Entry, units[p].entry)
            nxt = units[p + 1]
            word = words[nxt.first]
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
        words = self.words
        titles: list[str] = []
        title_first: int | None = None
        gender: str | None = None
        while p < len(units) and not units[p].known:
            first = units[p].first
            size = self.lex.title_at(words, first)
            mods = 0
            while (
                size == 0 and first + mods < len(words) and words[first + mods] in _TITLE_MODIFIERS
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
        """Cut a run into state qualifiers, titles and a name, and say what the name is.

        A run may split into pieces that are classified in turn, first to last; a
        stack of pieces keeps that order without recursion (a run of a thousand
        repeated names splits a thousand times).
        """
        stack = [units]
        while stack:
            stack.extend(reversed(self.classify_piece(stack.pop())))

    def classify_piece(self, units: list[_Unit]) -> list[list[_Unit]]:
        """Classify one piece of a run; the pieces it splits into, to classify next, in order."""
        starts, ends = self.starts, self.ends
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
                if self.words[units[k].first] in _ADDRESS_FORMS:
                    continue
                q, inner, _, inner_gender = self.take_titles(units, k)
                if inner and q < len(units) and self.name_like([self.words[units[q].first]]):
                    prefix = units[p:k]
                    role_prefix = self.span_text(prefix[0].first, prefix[-1].last)
                    title_first = prefix[0].first
                    self.classify_units(prefix)
                    p, titles, gender = q, inner, inner_gender
                    break
        rest = units[p:]
        if quals:
            form_start: int | None = starts[quals[0][0].first]
        else:
            form_start = starts[title_first] if title_first is not None else None
        if not rest:
            self.classify_titles_only(units, quals, titles)
            return []
        rest_words = self.words[rest[0].first : rest[-1].last + 1]  # (a run's units abut)
        if len(rest) == 1 and rest[0].entry is not None:
            self.classify_known(units, rest[0], quals, titles)
            return []
        product_of = rest[0].entry
        if (
            product_of is not None
            and product_of.kind == "organisation"
            and len(rest) > 1
            and self.words[rest[1].first] in _PRODUCT_WORDS
        ):
            # "Apple Watch", "Google Pixel": the company's product, not the company.
            cand = self.add("organisation", rest[0].first, rest[-1].last, evidence=2)
            cand.not_actor = "product"
            return []
        if self.lex.is_body(rest_words):
            # A state's own body ("Russian Foreign Ministry", "Ukraine's Foreign Ministry").
            for unit, entry in quals:
                self.add_known(
                    entry, starts[unit.first], ends[unit.last], unit.first, unit.last, False
                )
            state = quals[-1][1].name if quals else self.possessive_state_before(units[0].first)
            self.context[rest[-1].last] = _Context("body", state, units[0].first)
            return []
        head = rest_words[-1]
        if len(rest_words) > 2 and _NUMERAL_RE.fullmatch(head):
            head = rest_words[-2]
        linked = len(rest_words) > 2 and any(
            w in ("of", "for", "on") and rest_words[i - 1] in lex.org_heads
            for i, w in enumerate(rest_words[1:-1], 1)
        )
        if len(rest_words) > 1 and (head in lex.org_heads or linked) and not titles:
            self.classify_org(units, rest, rest_words, quals)
            return []
        if (
            head in self.lex.nonactor_heads
            and not titles
            and (len(rest_words) > 1 or len(rest) == 1)
        ):
            return []  # "Red Square", "World War II", "French Open"
        first_entry = rest[0].entry
        if (
            first_entry is not None
            and first_entry.kind is not None
            and not titles
            and self.words[rest[0].first] not in self.lex.given_names
        ):
            # A known name run into another ("... in France Gomis is put through"): two names.
            return [units[: p + 1] if not quals else [rest[0]], rest[1:]]
        # Captions run into the text ("Diego Costa Clearly", "Sebastian Vettel Vettel"):
        # a trailing everyday word or a repeated name is not part of the name.
        words = [self.words[u.first] for u in rest]
        for k in range(1, len(rest)):
            if words[k] == words[k - 1] and rest[k].entry is None:
                return [units[: p + k], rest[k:]]
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
                    return [rest[:k], rest[k:]]
        first_tok, last_tok = rest[0].first, rest[-1].last
        # Whatever is left is a name, most likely a person's.  The states qualifying it
        # ("German Formula 4") count only if it turns out to be an actor.
        owned = [
            self.add_known(entry, starts[u.first], ends[u.last], u.first, u.last, False)
            for u, entry in quals
        ]
        cand = self.add("person" if titles else "unknown", first_tok, last_tok)
        for qual in owned:
            qual.owner = cand
        cand.gender = gender
        cand.form_start = form_start
        cand.initial = self.initials[first_tok] and not titles
        after_the = first_tok > 0 and self.words[first_tok - 1] in ("the", "The")
        if after_the and not titles and self.words[first_tok] not in self.lex.given_names:
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
        return []

    def classify_titles_only(
        self, units: list[_Unit], quals: list[tuple[_Unit, Entry]], titles: list[str]
    ) -> None:
        """A run of titles and states with no name ("the Russian President", "King said")."""
        starts, ends = self.starts, self.ends
        if len(units) == 1 and not quals and titles:
            # A lone title word may be a surname ("King said" after "B.B. King"): it may only
            # join a full name, never stand alone.
            first = units[0].first
            word = self.words[first]
            if self.caps[first] and word not in _ADDRESS_FORMS and _name_word(word):
                self.add("surname", units[0].first, units[0].last)
            return
        for unit, entry in quals:
            poss = self.poss[unit.last]
            self.add_known(entry, starts[unit.first], ends[unit.last], unit.first, unit.last, poss)
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
        starts, ends = self.starts, self.ends
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
                starts[qual.first],
                ends[qual.last],
                qual.first,
                qual.last,
                False,
            )
        cand = self.add_known(
            entry,
            starts[unit.first],
            ends[unit.last],
            unit.first,
            unit.last,
            self.poss[unit.last],
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
        starts, ends = self.starts, self.ends
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
                    entry, starts[unit.first], ends[unit.last], unit.first, unit.last, False
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
        if k >= 0 and self.is_word[k] and self.poss[k]:
            for cand in reversed(self.cands_by_last.get(k, ())):
                if cand.kind == "state":
                    return cand.name
        return None

    def actor_noun_after(self, i: int) -> bool:
        """Does an actor noun follow token ``i`` ("Chinese mercenaries", "Russian state media")?"""
        tokens, is_word, lines = self.words, self.is_word, self.lines
        words: list[str] = []
        k = i + 1
        while k < len(tokens) and len(words) < 4 and is_word[k] and lines[k] == lines[i]:
            words.append(tokens[k].lower())
            k += 1
        nouns = self.lex.actor_nouns
        for skip in range(3):
            if skip > 0 and (skip > len(words) or words[skip - 1] not in _MODIFIERS):
                break
            rest = words[skip:]
            if rest and (rest[0] in nouns or " ".join(rest[:2]) in nouns):
                return True
        return False

    def everyday(self, word: str) -> bool:
        """A capitalised word that is an everyday word here ("The", "Clearly", "Defenders")."""
        if word in self.lex.given_names or word in self.lex.family_names_first:
            return False
        low = word.lower()
        if low in self.lex.common_words:
            return True
        return low in self.lower_vocab and (low.endswith("ly") or low.endswith("s"))

    def span_text(self, first: int, last: int) -> str:
        return self.text[self.starts[first] : self.ends[last]]

    def keep(self, cand: _Cand) -> None:
        """Add a candidate to the list and to its indexes by position."""
        self.cands_by_last.setdefault(cand.last, []).append(cand)
        self.cands_by_first.setdefault(cand.first, []).append((len(self.cands), cand))
        self.cands.append(cand)

    def add_place(self, unit: _Unit) -> _Cand:
        """Record a mention of a place (a city or region: no actor, but reported)."""
        entry = cast(Entry, unit.entry)
        cand = _Cand(
            kind="place",
            first=unit.first,
            last=unit.last,
            start=self.starts[unit.first],
            end=self.ends[unit.last],
            surface=self.span_text(unit.first, unit.last),
            name=entry.name,
            possessive=self.poss[unit.last],
            known=True,
            relation="place",
        )
        self.keep(cand)
        return cand

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
        self.keep(cand)
        return cand

    def add(self, kind: CandKind, first: int, last: int, *, evidence: int = 0) -> _Cand:
        """Record a name found in the text (tokens ``first`` to ``last``)."""
        start, end = self.starts[first], self.ends[last]
        surface = self.text[start:end]
        cand = _Cand(
            kind=kind,
            first=first,
            last=last,
            start=start,
            end=end,
            surface=surface,
            name=surface,
            possessive=self.poss[last],
            evidence=evidence,
        )
        self.keep(cand)
        return cand

"""The cues around each candidate name (pass 2): roles, appositions, speech verbs, org cues."""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter

from brief.actors.candidates import _Cand, _Candidates
from brief.actors.words import (
    _ACRONYM_RE,
    _AGE_PREFIX_RE,
    _AGE_RE,
    _GROUPS,
    _INITIAL_RE,
    _INITIALS_RE,
    _LISTENING,
    _MODIFIERS,
    _NUMBER_MODIFIER_RE,
    _SPEECH_AFTER,
    _TITLE_MODIFIERS,
)

# A dateline: a city at the start of a line, its region or state, and a date.
_DATELINE_PLACE_RE = re.compile(
    r"^[^\S\n]*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})[^\S\n]*,[^\S\n]*"
    r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3},?[^\S\n]+"
    r"(?:\d{4}-\d\d-\d\d"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2})",
    re.MULTILINE,
)
# Lower-case words a results line may hold ("Birmingham v Barnsley", "NEW YORK AT DETROIT").
_TABLE_WORDS = frozenset(("v", "vs", "at", "and"))
# Last words of club names: "Charlton Athletic 2" is a team though "Charlton" is a first name.
_TEAM_WORDS = frozenset(
    re.findall(
        r"\S+",
        "United City Town Rovers Athletic Wanderers Albion County Rangers Celtic Villa Forest "
        "Palace Olympic Sporting Real Dynamo Spartak FC AFC SC CF Club Hotspur Argyle Orient "
        "Vale Alexandra Stanley Wednesday",
    )
)
_MATCH_VERBS = frozenset(("beat", "beats", "defeated", "drew", "lost", "thrashed", "edged"))
_LIST_SEPARATORS = frozenset((",", ";", "and", "-", "(", ")", ":"))
# A bowler's figures ("10-0-41-2": overs, maidens, runs, wickets): a person's line.
_BOWLING_RE = re.compile(r"\d+(?:\.\d)?-\d+-\d+-\d+\b")


class _Finder(_Candidates):
    """Finds the candidate names of one text (pass 1) and reads the cues around them (pass 2)."""

    # -- pass 2: cues around each name

    def cues(self) -> None:
        """Read the words around each unknown name: roles, appositions, speech verbs, org cues."""
        self.dateline_lines: set[int] = set()
        # (a number opens some token: each token's first character looked at in C)
        if any(map(str.isdigit, map(itemgetter(0), self.words))):
            self.dateline_cues()
            self.table_cues()
        by_first = {c.first: c for c in self.cands}
        for cand in self.cands:
            if cand.kind not in ("person", "unknown", "organisation") or cand.known:
                continue
            words = self.words[cand.first : cand.last + 1]
            if cand.kind != "organisation":
                self.person_cues(cand, words, by_first)
            self.org_cues(cand, words)
        self.list_cues()
        self.match_cues()

    def match_cues(self) -> None:
        """Sides of a match are teams: "Derbyshire beat Surrey", "Leeds drew with Chelsea" (a
        county, a city or a name there is its team, an organisation)."""
        if _MATCH_VERBS.isdisjoint(self.words):
            return  # (most texts: one look at each word, in C)
        words = self.words
        by_last = {c.last: c for c in self.cands}
        by_first = {c.first: c for c in self.cands}
        for i, word in enumerate(words):
            if word not in _MATCH_VERBS:
                continue
            after = i + 1
            if word in ("drew", "lost") and after < len(words) and words[after] in ("with", "to"):
                after += 1
            sides = [by_last.get(i - 1), by_first.get(after)]
            if any(c is None or c.kind in ("person", "state", "surname") for c in sides):
                # Both sides named, neither a person ("Smith beat Jones" is tennis) nor a
                # state ("Russia beat China" is a national side, or a vote: still the state).
                continue
            if not any(c is not None and c.kind in ("place", "organisation") for c in sides):
                continue  # "Sampras beat Ivanisevic": two surnames, players not teams
            for cand in sides:
                assert cand is not None
                if cand.kind != "organisation":
                    cand.kind, cand.known, cand.owner = "organisation", False, None
                    cand.name = cand.surface
                cand.evidence += 2

    def list_cues(self) -> None:
        """A list of full names of which two are people is a list of people ("Pakistan :
        Aamir Sohail , Saeed Anwar , Ijaz Ahmed", a team line-up, "13 - Japie Mulder ,"):
        its other full names that nothing else typed are people too."""
        run: list[_Cand] = []
        for cand in [*self.cands, None]:
            if cand is not None and run and self._listed_after(run[-1], cand):
                run.append(cand)
                continue
            people = [c for c in run if c.kind == "person" and c.evidence >= 1]
            if len(run) >= 3 and len(people) >= 2:
                for member in run:
                    if member.kind == "unknown" and not member.known and member.last > member.first:
                        member.kind = "person"
                        member.evidence += 1
            run = [cand] if cand is not None else []

    def _listed_after(self, before: _Cand, cand: _Cand) -> bool:
        """Is ``cand`` the next item of a list after ``before`` on the same line (only commas,
        semicolons, "and", numbers, dashes and brackets between)?"""
        lines = self.lines
        if cand.first <= before.last or lines[cand.first] != lines[before.last]:
            return False
        listed = False  # a comma, a semicolon or "and" between
        for t in self.words[before.last + 1 : cand.first]:
            if t in (",", ";", "and"):
                listed = True
            elif t not in _LIST_SEPARATORS and not t.isdigit():
                return False
        return listed

    def results_lines(self) -> set[int]:
        """Lines of a results table or standings ("Bradford 1 Tranmere 0", "Doncaster 4 1 1 2"):
        names and numbers only (with "v", "at", "and" between), a number right after a name
        or a fixture ("Oxley v Dunmore")."""
        token_lines = self.lines
        lines: set[int] = set()
        first = 0
        while first < len(token_lines):
            line = token_lines[first]
            # Tokens are in text order, so a line's tokens are one stretch of the list.
            after = bisect_right(token_lines, line, lo=first)
            if line not in self.dateline_lines and self.results_line(first, after):
                lines.add(line)
            first = after
        return lines

    def results_line(self, first: int, after: int) -> bool:
        """Do tokens ``first`` to ``after - 1`` (one line) read as a results line?

        A lower-case word other than "v", "at", "and" makes it a sentence whatever else is
        on it, so the reading stops there (most lines are sentences: a look at a word or two).
        """
        words, is_word, caps = self.words, self.is_word, self.caps
        scored = False  # a number after a name, or a fixture
        for i in range(first, after):
            word = words[i]
            if is_word[i] and not caps[i] and word[:1].isalpha():
                if word not in _TABLE_WORDS:
                    return False  # a sentence, not a table
            elif word[:1].isdigit() and i > 0 and caps[i - 1]:
                scored = True
            if word in ("v", "vs") and 0 < i < len(words) - 1 and caps[i - 1]:
                scored = scored or caps[i + 1]  # "Oxley v Dunmore": a fixture
        return scored

    def dateline_cues(self) -> None:
        """The city of a dateline ("NICE , France 1996-08-30", "TOFTIR , Faroe Islands Aug 31")
        is a place: where the story was filed, not a state or a person acting."""
        by_span = {(c.start, c.end): c for c in reversed(self.cands)}  # (the first found wins)
        # A dateline starts a line and ends on it: the expression is tried at line starts
        # only (finditer would try it at every position of the text).
        start = 0
        for number, line in enumerate(self.text.split("\n")):
            match = _DATELINE_PLACE_RE.match(self.text, start)
            start += len(line) + 1
            if match is None:
                continue
            self.dateline_lines.add(number)
            cand = by_span.get(match.span(1))
            if cand is None:
                continue
            cand.kind, cand.known, cand.relation, cand.owner = "place", True, "place", None
            name = " ".join(cand.surface.split())
            cand.name = name.title() if name.isupper() else name  # "NICE" → "Nice"

    def table_cues(self) -> None:
        """Teams in results tables are organisations ("Bradford 1 Tranmere 0": a place's name
        is its team there); "Ato Boldon ( Trinidad ) 20.37": a person and their country."""
        words, starts = self.words, self.starts
        results = self.results_lines()
        for cand in self.cands:
            if cand.kind not in ("unknown", "place", "person", "surname") or cand.role:
                continue
            after = cand.last + 1
            nxt = words[after] if after < len(words) else ""
            if (
                nxt == "("
                and after + 2 < len(words)
                and words[after + 2] == ")"
                and (state := self.gaz.entries.get((words[after + 1],))) is not None
                and state.kind == "state"
                and cand.kind != "place"
            ):
                cand.kind = "person"  # "Linford Christie ( Britain )": an athlete's country
                cand.evidence += 2
                continue
            figures = self.text[starts[after] : starts[after] + 16] if nxt else ""
            if _BOWLING_RE.match(figures) and cand.kind != "place":
                cand.kind = "person"  # "Muralitharan 10-0-41-2": a bowler's figures
                cand.evidence += 2
                continue
            if self.lines[cand.first] not in results:
                continue
            if cand.last > cand.first and _INITIAL_RE.fullmatch(words[cand.first]):
                continue  # "R. Kettlewell 108": a player's score, not a team's
            if (
                cand.last > cand.first
                and words[cand.first] in self.lex.given_names
                and words[cand.last] not in _TEAM_WORDS
            ):
                cand.kind = "person"  # "Ian Woosnam 70 76 71 70": a player's rounds
                cand.evidence += 2
                continue
            before = words[cand.first - 1] if cand.first > 0 else ""
            if nxt[:1].isdigit() or nxt in ("v", "vs") or before in ("v", "vs"):
                # A team: whatever the name would be elsewhere (a city, a surname).
                cand.kind = "organisation"
                cand.known = False
                cand.name = cand.surface
                cand.evidence += 2

    def person_cues(self, cand: _Cand, words: list[str], by_first: dict[int, _Cand]) -> None:
        tokens = self.words
        lex = self.lex
        if len(words) > 1 and (words[0] in lex.given_names or words[0] in lex.family_names_first):
            cand.evidence += 2
            cand.kind = "person"
            gender = lex.given_names.get(words[0])
            cand.gender = cand.gender or (gender if gender != "x" else None)
        if any(_INITIALS_RE.fullmatch(w) for w in words[1:-1]):
            cand.evidence += 2  # "Patricia M. Kim"
        if len(words) == 2 and _INITIAL_RE.fullmatch(words[0]) and self.name_like(words[1:]):
            cand.evidence += 2  # "G. McGrath", "K. Curran": an initial and a surname
            cand.kind = "person"
        self.role_before(cand)
        self.apposition(cand)
        after = cand.last + 1
        if after < len(tokens) and self.is_word[after] and tokens[after] in _SPEECH_AFTER:
            cand.evidence += 1  # "Webster said"
            if cand.initial and len(words) == 1 and not self.people_noun(words[0]):
                cand.evidence += 1  # "Lauda said:" opening a sentence; but "Critics said"
        before = tokens[cand.first - 1] if cand.first > 0 else ""
        if before in _SPEECH_AFTER and before not in _LISTENING:
            cand.evidence += 1  # "said Smith"
        if cand.possessive:
            owned = by_first.get(cand.last + 1)
            if owned is not None and owned.kind == "state":
                cand.affiliation = cand.affiliation or owned.name  # "Mao Zedong’s China"

    def role_before(self, cand: _Cand) -> None:
        """A role right before the name: "spokeswoman Maria Zakharova", "EU competition
        commissioner Teresa Ribera", "Kremlin spokesman Dmitry Peskov"."""
        words, starts, is_word, caps, lines, poss = (
            self.words,
            self.starts,
            self.is_word,
            self.caps,
            self.lines,
            self.poss,
        )
        lex = self.lex
        k = cand.first - 1
        role_words: list[str] = []
        while k >= 0 and is_word[k] and not caps[k] and len(role_words) < 5:
            if lines[k] != lines[cand.first] or poss[k]:
                break
            low = words[k].lower()
            pair = f"{low} {role_words[0].lower()}" if role_words else ""
            if (
                low in lex.roles
                or pair in lex.roles
                or (role_words and (low in _MODIFIERS or self.noun_modifier(low)))
            ):
                role_words.insert(0, words[k])
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
        form_start = starts[k + 1]
        context = self.context.get(k)
        owner = next((c for c in self.cands_by_last.get(k, ()) if c is not cand), None)
        if context is not None:
            # "Russian Foreign Ministry spokeswoman": the body is part of the role.
            body = self.words[context.first : k + 1]
            while (
                body and (e := self.gaz.entries.get((body[0],))) is not None and e.kind == "state"
            ):
                body = body[1:]
            role = " ".join([*body, role]) if context.kind == "body" else role
            form_start = starts[context.first]
            if context.state:
                cand.affiliation = cand.affiliation or context.state
        elif owner is not None:
            # "Arsenal manager Mikel Arteta": the run before the role is who they serve.
            if owner.kind == "unknown" and not poss[k] and self.org_like(owner):
                owner.kind = "organisation"
                owner.evidence += 2
            if owner.kind in ("state", "organisation"):
                cand.affiliation = cand.affiliation or owner.name
                if not poss[k]:
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

    def org_like(self, cand: _Cand) -> bool:
        """Could this run be an organisation's name ("Arsenal", "PGA Tour", "Apple")?"""
        words = self.words[cand.first : cand.last + 1]
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
        tokens, is_word = self.words, self.is_word
        lex = self.lex
        j = cand.last + 1
        if j >= len(tokens) or tokens[j] != "," or cand.possessive:
            return
        k = j + 1
        if k + 1 < len(tokens) and _AGE_RE.fullmatch(tokens[k]) and tokens[k + 1] in ",.;)":
            cand.evidence += 2  # an age
            cand.kind = "person" if cand.kind == "unknown" else cand.kind
            return
        if k < len(tokens) and tokens[k] in ("who", "whose"):
            if tokens[cand.first] not in lex.given_names:
                return  # "Leicestershire, who", "Boston Red Sox, who": not enough to say "person"
            cand.evidence += 1
            cand.kind = "person" if cand.kind == "unknown" else cand.kind
            return
        words: list[int] = []  # up to the next comma, period or quotation mark
        while k < len(tokens) and len(words) < 18 and (is_word[k] or tokens[k] in "-&"):
            words.append(k)
            k += 1
        if not words:
            return
        lowered = [tokens[q].lower() for q in words]
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
            # The first candidate (in the order found) that starts inside the apposition.
            inside = [
                (place, c)
                for first in range(words[q] + 1, words[-1] + 1)
                for place, c in self.cands_by_first.get(first, ())
                if c.kind in ("organisation", "state") and c.relation != "demonym"
            ]
            owner = min(inside, key=lambda item: item[0])[1] if inside else None
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
            if not modifier or (self.caps[words[q]] and q > start):
                return None
        else:
            return None
        if start == 0 and end - 1 > 0 and lowered[0] not in lex.roles:
            return None  # no article and no role noun first: not an apposition
        return end

    def org_cues(self, cand: _Cand, words: list[str]) -> None:
        """ "Xinhua news agency", "broadcaster CNN", "FBI" seen twice: an organisation."""
        tokens, is_word, caps = self.words, self.is_word, self.caps
        lex = self.lex
        j = cand.last + 1
        after = [tokens[q].lower() for q in range(j, min(len(tokens), j + 2)) if is_word[q]]
        cue_after = after and (after[0] in lex.org_cues or " ".join(after[:2]) in lex.org_cues)
        if cue_after and cand.kind in ("unknown", "organisation"):
            cand.kind = "organisation"
            cand.evidence += 2
        before: list[str] = []
        k = cand.first - 1
        while k >= 0 and len(before) < 2 and is_word[k] and not caps[k]:
            before.insert(0, tokens[k].lower())
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

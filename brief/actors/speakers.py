"""Who said a quote, and how sure that is: speech verbs, their subjects, pronouns, descriptors.

Every answer is a speaker (an entity index, or None) with a confidence in
[0, 1].  The rules are those of news copy: the subject of the speech verb
speaks ("A's lawyer B said" is B; "the affidavit states" is a document, no
one); a pronoun refers to the subject of the sentence before or to the last
speaker, never to an object, a by-phrase or a list member, and "he"/"she" only
to a person; a descriptor ("the 45-year-old", "the sheriff", "the club")
refers to an actor whose age or role the text gave, or to no one.  A quote
with no verb of its own inherits a speaker only from a confident one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from importlib import resources

from brief.actors.detect import Detection, Entity, Found
from brief.actors.marks import _Cuts, _masked, _paragraphs, _Span, _union
from brief.text.folding import folded


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


def _read_forms() -> list[str]:
    """The speech verbs of ``data/speech_verbs.txt`` as regular-expression forms."""
    data = resources.files("brief.actors").joinpath("data", "speech_verbs.txt")
    forms = [
        re.escape(line.strip()).replace("\\ ", "\\x20")
        for line in data.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # "called" says something only when no particle makes it another verb ("called for").
    return [*forms, "call(?:ed|ing)(?!\\x20(?:out|for|on|off|up|in|back|by|to|into|away|upon|as))"]


_SPEECH_VERB_FORMS = _read_forms()  # ("\x20" is a space within a form)
_SPEECH_VERBS = _by_first_letter(_SPEECH_VERB_FORMS)
_VERB_RE = re.compile(rf"\b(?:{_SPEECH_VERBS})\b|\baccording to\b", re.IGNORECASE)
# The same without IGNORECASE, for folded text (every form is lower-case ASCII letters and
# spaces): the engine then tests each group's first letter at once, several times faster.
_FOLDED_VERB_RE = re.compile(rf"\b(?:{_SPEECH_VERBS})\b|\baccording to\b")


def _speech_verbs(zone: str) -> list[re.Match[str]]:
    """``_VERB_RE.finditer(zone)``'s matches (a match's text is in lower case)."""
    lowered = folded(zone)
    if lowered is None:
        return list(_VERB_RE.finditer(zone))
    return list(_FOLDED_VERB_RE.finditer(lowered))


def _first_speech_verb(zone: str) -> re.Match[str] | None:
    """``_VERB_RE.search(zone)``'s match (its text in lower case)."""
    lowered = folded(zone)
    if lowered is None:
        return _VERB_RE.search(zone)
    return _FOLDED_VERB_RE.search(lowered)


_GENDERS = {"he": "m", "she": "f", "him": "m", "her": "f"}


def _words(spaced: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and extend)."""
    return frozenset(spaced.split())


# Adverbial openings before a sentence's subject ("After buying the houses on the road, X
# said"; "In 2006, after the ambassador resigned, X said"): one or two of them.
_LEAD_IN_RE = re.compile(
    r"^\s*(?:(?:after|before|on|in|at|during|while|when|since|asked|speaking|writing|despite|"
    r"following|addressing|responding|in a|earlier|later|last|this|yesterday|today|announcing|"
    r"however|meanwhile|ahead|amid|although|though|having|eventually|finally|separately|"
    r"elsewhere|now|once|by now)\b[^,]{0,120},\s*|in (?:a|an|his|her|their|its) (?:joint )?"
    r"(?:statement|interview|post|tweet|letter|speech|email|e-mail|blog post|video)\s+"
    r"(?!(?:to|on|for|with|from|by|at|in|of|that)\b)){1,2}",
    re.IGNORECASE,
)
_CLAUSE_BREAK_RE = re.compile(r"(?:,\s*(?:and|but|while|whereas)\s+|;\s*|\s+but\s+)", re.IGNORECASE)
# Words after which a name is an object, not the subject ("praised by X", "met X and Y").
_OBJECT_MARKERS = _words(
    "by of with to for from against about at on in into over after before than like as "
    "between among including nor that which who whom whose said says told"
)
# First words after a quote that continue its sentence rather than name who said it.
_NOT_SUBJECT = _OBJECT_MARKERS | _words("and or but then while because when if so yet")
_BEFORE_VERB = _words(
    "has had have was is will would could did does also later previously repeatedly once then "
    "reportedly allegedly publicly recently earlier always never today yesterday"
)
_AUXILIARIES = _words("is was were are has had have will would could did does be been being")
_DETERMINERS = _words("the a an his her their its our this that former")
_JOINERS = _words("and then also later but")
_CONJUNCTIONS = _words("but and so yet however meanwhile then also")
_DOCUMENTS = _words(
    "affidavit affidavits report reports document documents statement filing filings court "
    "papers complaint lawsuit indictment letter letters study survey paper records record "
    "minutes memo memorandum email emails website post book data figures research analysis "
    "police-report charge charges warrant ruling judgment verdict"
)
_ORG_NOUNS = _words(
    "ministry agency company government group embassy military army party council bank "
    "organisation organization firm administration kremlin department office club team "
    "force police charity trust union service authority board commission foundation "
    "network broadcaster newspaper paper airline school university hospital"
)
# Nouns for people: "Smith's lawyer" is someone else, "Smith's ordeal" is Smith's.
_PERSON_NOUNS = _words(
    "lawyer lawyers attorney attorneys solicitor barrister spokesman spokeswoman spokesperson "
    "wife husband son sons daughter daughters father mother parents brother sister family "
    "friend friends partner boyfriend girlfriend fiance fiancee manager agent coach boss aide "
    "aides adviser advisers team staff neighbour neighbor colleague colleagues lover widow "
    "uncle aunt cousin grandmother grandfather nephew niece children child baby doctor"
)
_STATE_NOUNS = _words(
    "government ministry military army embassy administration kremlin department office"
)
_DESCRIPTOR_RE = re.compile(
    r"^\s*(?:[A-Z][a-z]+\s+)?(?:the|a|an|his|her|their|its)\s+([\w’'-]+(?:\s+[\w’'-]+){0,3})\s*,?\s*$",
    re.IGNORECASE,
)
# "A spokesman for X", "a Y spokeswoman for X": X speaks through them.
_SPOKESMAN_RE = re.compile(
    r"(?:^|\s)\s*(?:a|an|the)\s+(?:[\w-]+\s+)?(?:spokes(?:man|woman|person)|representative)\s+"
    r"(?:for|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "A spokesman there said": for the organisation the sentence before took us to.
_SPOKESMAN_THERE_RE = re.compile(
    r"^\s*(?:a|an|the)\s+(?:[\w-]+\s+)?spokes(?:man|woman|person)\s+there\s*,?\s*$",
    re.IGNORECASE,
)
# "The document – prepared by X": a document speaks for the one who wrote it.
# (At the zone's start, or at a capital "The" where a glued caption hid the sentence's start.)
_AUTHORED_RE = re.compile(
    r"(?:^\s*(?i:the|a|an|this|its|their)|(?:^|\s)(?:The|A|An|This))\s+(?:[\w-]+\s+){0,2}?(?i:"
    + "|".join(sorted(_DOCUMENTS))
    + r")\b[\s,–—-]*(?:[\w-]+\s+){0,2}?(?i:prepared|written|drawn up|compiled|published|"
    r"produced|issued|commissioned|released)\s+by\s+(?:the\s+)?$"
)
# A capitalised word that never opens a name, after a lower-case word or a number with no
# stop between ("... 100 years ago In 2006, ..."): where a sentence glued to a caption starts.
_GLUED_START_RE = re.compile(
    r"(?<=[a-z0-9]) +((?:In|On|At|After|Before|When|While|During|Since|Despite|Following|"
    r"Yesterday|Today|Earlier|Later|Last|But|However|Meanwhile)\b)"
)
_LEAD_RE = re.compile(r"^[\s,:;—–-]*")
_AGE_RE = re.compile(r"(\d{1,3})-year-old")
_WORD_RE = re.compile(r"[\w’'-]+")
_MASKED_WORD_RE = re.compile(r"X?x*")

# Confidence of each kind of evidence (the threshold in quotes.py decides what is shown).
NAMED = 0.95  # the verb's subject is a name at the head of its clause
NAMED_LOOSE = 0.7  # a name in the subject zone, not at its head
DESCRIBED = 0.75  # a descriptor that fits one actor's age or role
DESCRIBED_BEFORE = 0.65  # ... the actor of that kind heading the sentence before
PRONOUN_WITHIN = 0.75  # "..., when he said": the one fitting person earlier in the sentence
ORGANISATION = 0.65  # "the club said": the one organisation the text names
ORGANISATION_LEAD = 0.6  # ... the one the story names most, several named
ORGANISATION_MANY = 0.45  # ... one of several named as often
PRONOUN_SURE = 0.9  # the sentence subject before is also the last speaker
PRONOUN_SUBJECT = 0.8  # the subject of the sentence before
PRONOUN_SPEAKER = 0.7  # the last speaker (the sentence before names no one)
AMBIGUOUS = 0.3  # the sentence before names someone else in an object position
LONG_ZONE = 0.8  # a factor when the words between verb and quote run long (captions, lists)


class Attributor:
    """Finds speakers, with confidences, for the quotes of one text."""

    def __init__(self, detection: Detection, spans: list[_Span]) -> None:
        self.det = detection
        self.text = detection.text
        self.spans = spans
        # (the quotes come in text order: their opening marks, for bisection)
        self.mark_starts = [s.mark_start for s in spans]
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
        self.last_speaker: int | None = None  # of the last confident quote
        self.last_speaker_at = -1

    # --- text geometry ---------------------------------------------------------------

    def cuts(self, paragraph: int) -> _Cuts:
        """The sentence boundaries of paragraph number ``paragraph``."""
        found = self._cuts.get(paragraph)
        if found is None:
            start, end = self.paragraphs[paragraph]
            found = self._cuts[paragraph] = _Cuts(self.masked, start, end)
        return found

    def paragraph_of(self, pos: int) -> int:
        """The index of the paragraph holding ``pos`` (or the one before it)."""
        starts = [a for a, _ in self.paragraphs]
        return max(0, bisect_right(starts, pos) - 1)

    def previous_sentence(self, start: int, para: int) -> tuple[int, int, int] | None:
        """The sentence before the one starting at ``start``: (start, end, paragraph)."""
        para_start = self.paragraphs[para][0]
        end = start
        while end > para_start and self.masked[end - 1].isspace():
            end -= 1
        if end <= para_start:
            if para == 0:
                return None
            para -= 1
            para_start, end = self.paragraphs[para]
        begin = self.cuts(para).sentence_start(max(para_start, end - 1))
        return begin, end, para

    def entity(self, found: Found) -> Entity:
        """The entity a mention names."""
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

    # --- subjects ----------------------------------------------------------------------

    def subject(self, start: int, end: int, para: int) -> tuple[int | None, float]:
        """The speaker named by the words ``start:end`` (a verb's subject zone)."""
        found = self._subject(start, end, para)
        if found[0] is None:
            # "Yesterday Mr Smith, 45, said": a lead-in may have swallowed the only name.
            whole = self.masked[start:end]
            lead = _LEAD_IN_RE.match(whole)
            if lead is not None and lead.end() < len(whole):
                found = self._subject(start + lead.end(), end, para)
        return found

    def _subject(self, start: int, end: int, para: int) -> tuple[int | None, float]:
        zone = self.masked[start:end]
        words = _WORD_RE.findall(zone)
        if not words:
            return None, 0.0
        while len(words) > 1 and words[0].lower() in _CONJUNCTIONS:
            start += zone.find(words[0]) + len(words[0])  # "But he added", "And Mr Smith said"
            zone = self.masked[start:end]
            words = words[1:]
        while len(words) > 1 and words[-1].lower() in _BEFORE_VERB:
            end = start + zone.rfind(words[-1])  # "the President had said", "Smith also told"
            zone = self.masked[start:end]
            words = words[:-1]
        first = words[0].lower()
        mentions = self.mentions_in(start, end)
        if first in ("he", "she"):
            return self.resolve_pronoun(first, start, para)
        if first in ("it", "they", "we", "i", "you"):
            return None, 0.0  # not a person named here; "it said" is rarely worth a guess
        if words[-1].lower() in ("he", "she") and len(words) > 1:
            # "..., when he said": the pronoun next to the verb is its subject.
            return self.pronoun_within(words[-1].lower(), start, end)
        head = self.head_mention(start, mentions)
        if head is not None:
            return head, NAMED if len(words) <= 12 else NAMED * LONG_ZONE
        if (
            mentions
            and _SPOKESMAN_RE.match(self.masked[start : mentions[-1].start])
            and not self.masked[mentions[-1].end : end].strip(" ,")
        ):
            return mentions[-1].entity, DESCRIBED  # "a spokesman for Acme said"
        if _SPOKESMAN_THERE_RE.match(zone):
            return self.spokesman_there(start, para)
        for mention in mentions:
            if _AUTHORED_RE.search(self.masked[start : mention.start]):
                return mention.entity, DESCRIBED  # "The report, written by Acme, says"
        if mentions and len(words) <= 12 and not any(m.possessive for m in mentions):
            people = [m for m in mentions if self.entity(m).kind == "person"]
            if len(people) == 1 and not self.governed(people[0]):
                return people[0].entity, NAMED_LOOSE
        comma = zone.find(",")
        return self.descriptor(zone if comma < 0 else zone[:comma], start, para)

    def spokesman_there(self, start: int, para: int) -> tuple[int | None, float]:
        """ "... taken to the Directorate of Culture. A spokesman there said": the one
        organisation the sentence before names (none when it names several or none)."""
        before = self.previous_sentence(self.cuts(para).sentence_start(start), para)
        if before is None:
            return None, 0.0
        orgs = {
            m.entity
            for m in self.mentions_in(before[0], before[1])
            if self.entity(m).kind == "organisation"
        }
        return _one(orgs, DESCRIBED_BEFORE)

    def governed(self, mention: Found) -> bool:
        """Does a preposition govern the name ("a letter to X", "praised by X")?  (Not an
        adjective in -ed: "a disappointed Button said" is Button.)"""
        ahead = _WORD_RE.findall(self.masked[max(0, mention.start - 30) : mention.start])
        return bool(ahead) and ahead[-1].lower() in _OBJECT_MARKERS

    def pronoun_within(self, pronoun: str, start: int, pos: int) -> tuple[int | None, float]:
        """A pronoun inside its sentence: the one fitting person named before it there."""
        para = self.paragraph_of(start)
        sent_start = self.cuts(para).sentence_start(start)
        gender = _GENDERS.get(pronoun)
        fitting = {
            m.entity
            for m in self.mentions_in(sent_start, pos)
            if not m.possessive and self.fits(m.entity, gender)
        }
        if fitting:
            return _one(fitting, PRONOUN_WITHIN)
        return self.resolve_pronoun(pronoun, start, para)

    def head_mention(self, start: int, mentions: list[Found]) -> int | None:
        """The name heading the subject: the first one no preposition or possessive governs.

        "But Simon Walker, director general of the IoD," gives Simon Walker;
        "A's lawyer B" gives B (never A); "BT chairman Mike Rake" gives the
        person beside the organisation; "the praise of X" gives no one.
        """
        done = start
        for index, mention in enumerate(mentions):
            gap = [
                w.lower()
                for w in _WORD_RE.findall(self.masked[done : mention.start])
                if not _MASKED_WORD_RE.fullmatch(w)  # a quote's words, masked
            ]
            if len(gap) > 6 or any(
                w in _OBJECT_MARKERS or _is_verb(w, gap[i - 1] if i else "")
                for i, w in enumerate(gap)
            ):
                return None  # "praised by X", "The council thanked X": X is no subject
            if mention.possessive:
                if self.entity(mention).kind != "person" and index + 1 == len(mentions):
                    return mention.entity  # "Ukraine's Foreign Ministry": the state speaks
                done = mention.end
                continue  # "A's lawyer ...": A owns the speaker, and is not them
            if self.entity(mention).kind != "person" and index + 1 < len(mentions):
                nxt = mentions[index + 1]
                between = _WORD_RE.findall(self.masked[mention.end : nxt.start])
                if (
                    self.entity(nxt).kind == "person"
                    and len(between) <= 3
                    and not any(w.lower() in _OBJECT_MARKERS for w in between)
                ):
                    return nxt.entity  # "Dundee managing director John Nelms"
            rest = self.masked[mention.end : mention.end + 6].lower()
            if rest.startswith((" and ", " or ", ", and ")) and index + 1 < len(mentions):
                return None  # "A and B said": a list speaks for no one in particular
            return mention.entity
        return None

    def descriptor(self, zone: str, start: int, para: int) -> tuple[int | None, float]:
        """ "the 45-year-old", "the sheriff", "the club": an actor the text described so.

        An age or a role the text gave one actor decides; else a titled
        descriptor ("The Prime Minister said") or an organisation noun refers to
        the actor heading the sentence before when that one is of the right kind.
        """
        match = _DESCRIPTOR_RE.match(zone)
        if match is None:
            return None, 0.0
        phrase = match.group(1).lower()
        head = phrase.split()[-1]
        if head in _DOCUMENTS:
            return None, 0.0  # a document says nothing itself
        age = _AGE_RE.search(phrase)
        if age is not None:
            return _one(self.aged(age.group(1), start), DESCRIBED)
        before = self.previous_sentence(self.cuts(para).sentence_start(start), para)
        lead: int | None = None
        if before is not None:
            lead = self.head_mention(before[0], self.mentions_in(before[0], before[1]))
        if head in _ORG_NOUNS:
            if lead is not None and self.det.entities[lead].kind in ("organisation", "state"):
                return lead, DESCRIBED_BEFORE
            return self.nominal(head, start)
        titled = match.group(1)[:1].isupper()
        fitting = {
            m.entity
            for m in self.outside
            if m.start < start
            and self.entity(m).kind == "person"
            and head in (self.entity(m).role or "").lower().split()
        }
        if not fitting and head.startswith("spokes"):
            # "A spokesperson for Acme said ... 'the spokesperson said'": Acme's
            fitting = {
                m.entity
                for m in self.outside
                if m.start < start
                and _SPOKESMAN_RE.search(self.masked, max(0, m.start - 40), m.start)
            }
        if not fitting:
            # "the family's attorney, James Maron ... The attorney added": the noun was
            # written right before one person's name.
            before_name = re.compile(rf"\b{re.escape(head)}\W{{0,2}}\s*$", re.IGNORECASE)
            fitting = {
                m.entity
                for m in self.outside
                if m.start < start
                and self.entity(m).kind == "person"
                and before_name.search(self.text, max(0, m.start - 40), m.start)
            }
        if fitting:
            return _one(fitting, DESCRIBED)
        if titled and lead is not None and self.det.entities[lead].kind == "person":
            return lead, DESCRIBED_BEFORE  # "David Cameron spoke. The Prime Minister said"
        return None, 0.0

    def aged(self, age: str, before: int) -> set[int]:
        """The people given this age before ``before`` ("Smith, 45," "45-year-old Smith")."""
        found = set()
        for mention in self.outside:
            if mention.start >= before:
                break
            if self.entity(mention).kind != "person":
                continue
            after = self.text[mention.end : mention.end + 8]
            ahead = self.text[max(0, mention.start - 40) : mention.start]
            if re.match(rf"\s*[,(]\s*{age}\b", after) or re.search(
                rf"\b{age}-year-old\s+(?:[\w-]+\s+){{0,3}}$", ahead
            ):
                found.add(mention.entity)
        return found

    def nominal(self, noun: str, pos: int) -> tuple[int | None, float]:
        """ "the company said": the fitting organisation (or state) the story is about so far.

        A name heading its sentence counts twice, one after a preposition ("fined
        by the European Commission") once; a tie is no answer worth showing.
        """
        wanted = ("state", "organisation") if noun in _STATE_NOUNS else ("organisation",)
        scores: dict[int, int] = {}
        for found in self.outside:
            if found.start >= pos:
                break
            if self.entity(found).kind in wanted:
                ahead = _WORD_RE.findall(self.masked[max(0, found.start - 20) : found.start])
                governed = any(w.lower() in _OBJECT_MARKERS for w in ahead[-2:])
                scores[found.entity] = scores.get(found.entity, 0) + (1 if governed else 2)
        if not scores:
            return None, 0.0
        ranked = sorted(scores, key=lambda e: -scores[e])
        if len(ranked) == 1:
            return ranked[0], ORGANISATION
        if scores[ranked[0]] > scores[ranked[1]]:
            return ranked[0], ORGANISATION_LEAD
        return ranked[0], ORGANISATION_MANY

    # --- the speech verb ------------------------------------------------------------

    def after(self, span: _Span) -> tuple[int | None, float, bool]:
        """“...,” X said / said X / he told ... — the words right after the closing mark.

        Returns the speaker, the confidence, and whether an attribution was found
        at all (one may be found to an unnamed speaker: "one official told Reuters").
        A quote that ends with a full stop ends its sentence: what follows it is
        the next sentence, not its attribution (“... done.” Mr B told reporters
        that ...), unless a lower-case word shows the writer went on; after “...?”
        or “...!” a verb close by still attributes it.
        """
        last = self.text[span.end - 1 : span.end]
        stop = self.cuts(span.paragraph).sentence_end(span.mark_end)
        # The next quote opening before that end ends the words read.
        following = bisect_left(self.mark_starts, span.mark_end)
        if following < len(self.mark_starts) and self.mark_starts[following] < stop:
            stop = self.mark_starts[following]
        tail = self.masked[span.mark_end : stop]
        lead = _LEAD_RE.match(tail)
        offset = span.mark_end + (lead.end() if lead else 0)
        rest = self.masked[offset:stop]
        verb = _first_speech_verb(rest)
        if verb is None:
            return None, 0.0, False
        before_verb = rest[: verb.start()].split()
        lower_next = rest[:1].islower()
        if last == "." and not lower_next:
            return None, 0.0, False
        if last in ("?", "!") and not lower_next and len(before_verb) > 4:
            return None, 0.0, False
        if len(before_verb) > 14:
            return None, 0.0, False
        verb_start = offset + verb.start()
        if verb.group().lower() == "according to":
            return (*self.subject(offset + verb.end(), stop, span.paragraph), True)
        if before_verb:
            # "Ukraine’s Foreign Ministry said", "she said", "Mr. Smith told reporters";
            # not "‘…’ by attacking the Tories, adding": that verb belongs to the sentence.
            first = before_verb[0].lstrip("(—–-").lower()
            if first in _NOT_SUBJECT or first.endswith("ing"):
                return None, 0.0, False
            if self.cuts(span.paragraph).sentence_start(verb_start) > offset:
                return None, 0.0, False
            return (*self.subject(offset, verb_start, span.paragraph), True)
        # "said Mr. Smith, the mayor." / "said Myer's chief executive, Jo Bloggs." — the
        # speaker follows the verb: a person named there, else the clause's head.
        after_verb = offset + verb.end()
        people = [m for m in self.mentions_in(after_verb, stop) if self.entity(m).kind == "person"]
        if people and len(self.masked[after_verb : people[0].start].split()) <= 12:
            return self.named_last(people), NAMED, True
        clause_end = self.masked.find(",", after_verb, stop)
        end = clause_end if clause_end >= 0 else stop
        return (*self.subject(after_verb, end, span.paragraph), True)

    def named_last(self, people: list[Found]) -> int:
        """The person after "said": the first named, unless a title ends in a full name
        ("said Acme Chief Marketing Officer and Deputy CEO, Jo Bloggs": Jo Bloggs)."""
        first = people[0]
        for later in people[1:]:
            between = self.masked[first.end : later.start]
            title = _WORD_RE.findall(between)
            if (
                between.rstrip().endswith(",")
                and not between.lstrip().startswith(",")
                and " " in self.entity(later).name
                and title
                and all(w[:1].isupper() or w in ("and", "of", "&") for w in title)
            ):
                return later.entity
        return first.entity

    def before(self, span: _Span) -> tuple[int | None, float, bool]:
        """X said (that) ... “...” — a speech verb before the quote in its sentence."""
        sent_start = self.cuts(span.paragraph).sentence_start(span.mark_start)
        zone = self.masked[sent_start : span.mark_start]
        if not zone.strip() and span.paragraph > 0:
            # "X said this week:" closing the paragraph before introduces the quote.
            prev_start, prev_end = self.paragraphs[span.paragraph - 1]
            if self.masked[prev_start:prev_end].rstrip().endswith(":"):
                sent_start = self.cuts(span.paragraph - 1).sentence_start(prev_end)
                zone = self.masked[sent_start:prev_end]
        return self.verb_in(sent_start, zone, span.paragraph)

    def verb_in(self, sent_start: int, zone: str, para: int) -> tuple[int | None, float, bool]:
        """The speaker of the last speech verb in ``zone`` (the sentence up to a quote).

        A participle ("..., adding:") or a verb coordinated with no subject of its
        own ("A warned that ... and added:") takes the subject heading the sentence.
        """
        verbs = _speech_verbs(zone)
        if not verbs:
            return None, 0.0, False
        verb = verbs[-1]
        word = verb.group().lower()
        if word == "according to":
            comma = zone.find(",", verb.end())
            end = sent_start + (comma if comma >= 0 else len(zone))
            return (*self.subject(sent_start + verb.end(), end, para), True)
        subject_zone = zone[: verb.start()]
        lead = _LEAD_IN_RE.match(subject_zone)
        begin = lead.end() if lead else 0
        if len(verbs) > 1 and not word.endswith("ing"):
            # "X claimed that ... Another group warned": a verb not joined to the one before
            # ("and added", "then said") has a subject of its own, after that verb.
            joined = _WORD_RE.findall(subject_zone[verbs[-2].end() :])
            if not joined or joined[-1].lower() not in _JOINERS:
                begin = max(begin, verbs[-2].end())
        if not word.endswith("ing"):
            # A finite verb's subject is in its own clause ("..., and critics called it ...");
            # a clause with no words of its own shares the sentence's ("A warned ..., and added").
            breaks = list(_CLAUSE_BREAK_RE.finditer(subject_zone, begin))
            if breaks and subject_zone[breaks[-1].end() :].strip():
                begin = breaks[-1].end()
        end = sent_start + len(subject_zone)
        speaker, confidence = self.subject(sent_start + begin, end, para)
        if speaker is None and lead is not None and begin == lead.end():
            # "Yesterday Mr Smith, 45, said": the lead-in swallowed the only name.
            speaker, confidence = self.subject(sent_start, end, para)
        if len(zone[verb.end() :].split()) > 30:
            confidence *= LONG_ZONE  # the quote sits far from its verb
        return speaker, confidence, True

    # --- pronouns ----------------------------------------------------------------------

    def sentence_subject(
        self, start: int, end: int, para: int, depth: int = 0, gender: str | None = None
    ) -> tuple[int | None, set[int]]:
        """The person heading the sentence ``start:end`` (a pronoun followed back), and the
        other people it names (objects, by-phrases: rival referents; the last speaker is none)."""
        # The last glued start: a caption or a headline run on before the sentence.
        glued = [m.start(1) for m in _GLUED_START_RE.finditer(self.masked, start, end)]
        if glued:
            start = glued[-1]
        zone = self.masked[start:end]
        lead = _LEAD_IN_RE.match(zone)
        begin = start + (lead.end() if lead else 0)
        words = _WORD_RE.findall(self.masked[begin:end])
        named = {m.entity for m in self.mentions_in(start, end) if self.entity(m).kind == "person"}
        named.discard(self.last_speaker)
        found: int | None = None
        if words and words[0].lower() in ("he", "she") and depth < 3:
            before = self.previous_sentence(start, para)
            if before is not None:
                found, _ = self.sentence_subject(*before, depth=depth + 1)
            last = self.last_speaker
            if found is None and last is not None and self.det.entities[last].kind == "person":
                found = last  # "He ..." with no one named before it: who has been speaking
        else:
            mentions = self.mentions_in(begin, end)
            head = self.head_mention(begin, mentions)
            if head is not None and self.det.entities[head].kind == "person":
                found = head
            elif head is None:
                found = self.possessor(begin, mentions, gender)
        named.discard(found)
        return found, named

    def possessor(self, begin: int, mentions: list[Found], gender: str | None) -> int | None:
        """ "Ms Ellis's ordeal began ...": the person owning the sentence's subject, when the
        thing owned is no person ("Ms Ellis's lawyer said" is the lawyer, not her) and no one
        else the sentence names fits the pronoun."""
        if not mentions or not mentions[0].possessive:
            return None
        first = mentions[0]
        if any(m.entity != first.entity and self.fits(m.entity, gender) for m in mentions):
            return None
        ahead = _WORD_RE.findall(self.masked[begin : first.start])
        if self.entity(first).kind != "person" or not all(w[:1].isupper() for w in ahead):
            return None  # (a title may stand before the name: "Ms Ellis's")
        owned = _WORD_RE.findall(self.masked[first.end : first.end + 30])
        owned = [w for w in owned if w.lower() not in ("s", "’s", "'s")]
        if not owned or owned[0].lower() in _PERSON_NOUNS or owned[0][:1].isupper():
            return None
        return first.entity

    def resolve_pronoun(self, pronoun: str, pos: int, para: int) -> tuple[int | None, float]:
        """He/she: the person heading a sentence before (back over sentences that name no
        one, such as quotes), else the last speaker; never an object or an organisation."""
        gender = _GENDERS.get(pronoun.lower())
        start = self.cuts(para).sentence_start(pos)
        subject: int | None = None
        rival = False
        for back in range(3):
            before = self.previous_sentence(start, para)
            if before is None:
                break
            subject, others = self.sentence_subject(*before, gender=gender)
            if subject is None and others:
                subject, others = self.reporter(before, others, gender)
            # Only the sentence right before can hold a rival (one the pronoun could refer
            # to); further back, a name ends the search (quotes naming no one are passed over).
            rival = back == 0 and any(self.fits(other, gender) for other in others)
            if subject is not None or rival or others:
                break  # (a place or an organisation named on the way is no referent of he/she)
            start, _, para = before
        if subject is not None and not self.fits(subject, gender):
            subject = None
        speaker = self.last_speaker
        if speaker is not None and not self.fits(speaker, gender):
            speaker = None
        if subject is not None:
            sure = PRONOUN_SURE if speaker in (None, subject) else PRONOUN_SUBJECT
            return self.learn_gender(subject, gender), sure
        if speaker is not None:
            return speaker, AMBIGUOUS if rival else PRONOUN_SPEAKER
        return None, 0.0

    def reporter(
        self, sentence: tuple[int, int, int], others: set[int], gender: str | None
    ) -> tuple[int | None, set[int]]:
        """The named subject of the sentence's verb of saying ("... but Jean Morris from the
        farm said the lamb was big"), when the sentence's head gave none: the one a following
        "she said" goes on with, if no one else there fits the pronoun."""
        start, end, para = sentence
        speaker, confidence, said = self.verb_in(start, self.masked[start:end], para)
        if not said or speaker is None or confidence < NAMED or speaker not in others:
            return None, others
        rest = others - {speaker}
        if any(self.fits(other, gender) for other in rest):
            return None, others
        return speaker, rest

    def fits(self, entity: int, gender: str | None) -> bool:
        """Can he/she refer to this actor: a person of that gender (or of none known)."""
        found = self.det.entities[entity]
        return found.kind == "person" and (
            gender is None or found.gender is None or found.gender == gender
        )

    def learn_gender(self, entity: int | None, gender: str | None) -> int | None:
        """The pronoun that refers to a person tells their gender when nothing else did."""
        if entity is not None and gender and self.det.entities[entity].gender is None:
            self.det.entities[entity].gender = gender
        return entity


def _is_verb(word: str, before: str) -> bool:
    """Does this lower-case word before a name look like a verb (so the name is its object)?

    An auxiliary, or a past form not after a determiner ("the council thanked X",
    not "the embattled X").
    """
    if word in _AUXILIARIES:
        return True
    return word.endswith("ed") and word.islower() and before not in _DETERMINERS


def _one(candidates: set[int], confidence: float) -> tuple[int | None, float]:
    """The only candidate, with ``confidence``; no one when there are none or several."""
    if len(candidates) == 1:
        return next(iter(candidates)), confidence
    return None, 0.0

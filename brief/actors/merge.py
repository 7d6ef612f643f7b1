"""Merge one text's candidate names into entities: known names, full names, single names."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from brief.actors.candidates import _Cand
from brief.actors.cues import _Finder
from brief.actors.words import (
    _HISTORY_CUES,
    _INITIAL_RE,
    _NAME_SUFFIXES,
    _PARTICLES,
    _TECHNOLOGIES,
)
from brief.config import WatchedActor
from brief.models import Actor, ActorKind, MentionKind

EntityKind = Literal["person", "state", "organisation", "place"]


@dataclass(slots=True)
class Entity:
    """An actor of one article with everything the detector learnt about it."""

    kind: EntityKind
    name: str
    surfaces: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)  # "Chinese President Xi Jinping", "Mr. Xi"
    role: str | None = None
    affiliation: str | None = None
    gender: str | None = None
    evidence: int = 0
    watched: bool = False
    known: bool = False
    # Named in the text but no actor of the news, for the briefs to leave out: "product"
    # ("Apple Watch", "GPS"), "history" (only ever "the late X", "in a mirror of X's ...").
    not_actor: str | None = None

    def actor(self) -> Actor:
        """The public view of this entity."""
        aliases = [a for a in dict.fromkeys([*self.forms, *self.surfaces]) if a != self.name]
        return Actor(
            name=self.name,
            kind=cast(ActorKind, self.kind),  # (places are kept apart: see Detection)
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
    kind: MentionKind = "name"  # "demonym": "Russian troops" (Russia's people, not its name)


@dataclass(frozen=True, slots=True)
class Detection:
    """What the detector found in one text."""

    text: str
    entities: tuple[Entity, ...]
    mentions: tuple[Found, ...]
    excluded: tuple[tuple[int, int], ...]
    # Cities and regions ("in Texas"): no actors, so apart from them; a place mention's
    # ``entity`` indexes ``places``.
    places: tuple[Entity, ...] = ()
    place_mentions: tuple[Found, ...] = ()


def _renumbered(found: Found, entity: int, kind: MentionKind | None = None) -> Found:
    """``found`` as a mention of entity number ``entity`` (and of ``kind``, if given).

    What ``dataclasses.replace`` does, without its look at the fields on every call.
    """
    return Found(
        entity, found.start, found.end, found.surface, found.possessive, kind or found.kind
    )


def _plain(word: str) -> str:
    """The word without accents ("Näslund" → "Naslund"), so spellings of one name merge."""
    if word.isascii():
        return word  # nothing to take off (and most names are plain already)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


# Words a name key leaves out besides initials: particles ("van", "al-") and suffixes ("Jr.").
_NOT_IN_KEY = _PARTICLES | _NAME_SUFFIXES


def name_key(words: Iterable[str]) -> tuple[str, ...]:
    """A person's name without initials, particles, suffixes and accents, for matching."""
    return tuple(
        w if w.isascii() else _plain(w)
        for w in words
        # (an initial, "M.", is what _INITIAL_RE matches: tested by its shape, without a call)
        if w not in _NOT_IN_KEY and not (len(w) == 2 and w[1] == "." and "A" <= w[0] <= "Z")
    )


class _Merger:
    """Turns one text's candidates into entities: known names, full names, then single names."""

    def __init__(self, finder: _Finder) -> None:
        self.finder = finder
        self.words = finder.words  # each token's text (``finder.toks[i].text``)
        self.cands = sorted(finder.cands, key=lambda c: (c.start, -c.end))
        self.entities: list[Entity] = []
        self.index: dict[tuple[str, str], int] = {}
        self.people: list[tuple[tuple[str, ...], int]] = []
        self.people_by_ends: dict[tuple[str, str], int] = {}
        # Where each entity's mentions start, sorted (for "the one met most recently").
        self.starts: dict[int, list[int]] = {}

    def entity_for(self, kind: EntityKind, name: str) -> int:
        key = (kind, name)
        if key not in self.index:
            self.index[key] = len(self.entities)
            self.entities.append(Entity(kind=kind, name=name))
        return self.index[key]

    def merge(self) -> tuple[list[Entity], list[Found]]:
        """Assign every candidate to an entity (or to none) and collect the mentions."""
        self.surnames_over_places()
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

    def surnames_over_places(self) -> None:
        """ "Jordan said" after "Louis Jordan": a lone word that is a person's surname in this
        text is that person, not the state of the same name."""
        people: dict[str, set[str]] = {}
        for c in self.cands:
            if c.kind == "person" and not c.known and c.first != c.last:
                people.setdefault(_plain(self.words[c.last]), set()).add(c.name)
        for cand in self.cands:
            word = _plain(self.words[cand.first])
            if (
                cand.known
                and cand.owner is None
                and cand.kind == "state"
                and cand.first == cand.last
                and word in people
            ):
                cand.known, cand.kind = False, "person"
                if len(people[word]) > 1:
                    # Two people of that name ("Frank Jordan", "Louis Jordan"): "Jordan" alone
                    # is one of them, which one the text does not say.
                    cand.entity = self.entity_for("person", cand.surface)

    def assign_known(self, cand: _Cand) -> None:
        cand.entity = self.entity_for(cast(EntityKind, cand.kind), cand.name)
        entity = self.entities[cand.entity]
        entity.known = True
        entity.watched = entity.watched or cand.watched
        entity.affiliation = entity.affiliation or cand.affiliation

    def full_names(self) -> None:
        """Organisations by their text; people by name key ("Patricia M. Kim" ~ "Patricia Kim")."""
        singles = Counter(
            self.words[c.first] for c in self.cands if not c.known and c.first == c.last
        )
        for cand in self.cands:
            if cand.known or cand.kind in ("surname", "none"):
                continue
            if cand.kind == "organisation":
                cand.entity = self.entity_for("organisation", cand.surface)
                continue
            words = self.finder.words[cand.first : cand.last + 1]
            key = name_key(words)
            if len(key) == 1 and cand.kind == "person" and _INITIAL_RE.fullmatch(words[0]):
                key = (words[0], *key)  # "G. McGrath": the initial stands for the first name
            if len(key) == 2 and key[0].lower() in _PARTICLES:
                # "Van Gaal said" after "Louis van Gaal": a capitalised particle opening the
                # sentence, and a surname; the one person with that surname, if only one.
                owners = {e for k, e in self.people if k[-1] == key[1]}
                if len(owners) == 1:
                    cand.entity = owners.pop()
                    continue
            if len(key) < 2:
                continue
            if not self.finder.name_like(words) or cand.after_article:
                cand.kind = "none"
                continue
            if cand.evidence < 1 and not (singles[key[-1]] or singles[key[0]]):
                continue  # "Motorsport Arena Oschersleben": capitalised, nothing says "person"
            # The first person with the same first and last word ("Patricia M. Kim").
            match = self.people_by_ends.get((key[0], key[-1]))
            if match is None:
                match = self.entity_for("person", cand.surface)
                self.people.append((key, match))
                self.people_by_ends[(key[0], key[-1])] = match
            cand.entity = match

    def single_names(self) -> None:
        """Single names join the nearest fitting full name: "Mr. Xi" → Xi Jinping, "Putin"."""
        lex = self.finder.lex
        # People by their last and first words, organisations by their first: looked up
        # per single name (neither list changes here).
        by_last: dict[str, list[int]] = {}
        by_first: dict[str, list[int]] = {}
        for place, (key, _) in enumerate(self.people):
            by_last.setdefault(key[-1], []).append(place)
            by_first.setdefault(key[0], []).append(place)
        orgs = _orgs_by_first_word(self.entities)
        for cand in self.cands:
            if cand.entity >= 0:
                insort(self.starts.setdefault(cand.entity, []), cand.start)
        for cand in self.cands:
            if cand.entity >= 0 or cand.kind == "organisation" or cand.first != cand.last:
                continue
            word = _plain(self.words[cand.first])
            first_name = word in lex.given_names or word in lex.family_names_first
            places = set(by_last.get(word, ()))
            if first_name:
                places.update(by_first.get(word, ()))
            fits = [self.people[place] for place in sorted(places)]
            if not fits and word not in orgs:
                # "Vinícius" after "Vinícius Júnior": a first name, if only one person has it
                # (a word that opens an organisation's name is that organisation's, below).
                firsts = [self.people[place] for place in by_first.get(word, ())]
                if len({e for _, e in firsts}) == 1:
                    fits = firsts
            if len(fits) == 1:
                cand.entity = fits[0][1]
            elif fits:
                cand.entity = min(fits, key=lambda item: self.distance(cand, word, item))[1]
            elif word in orgs and cand.kind == "unknown":
                cand.entity = orgs[word]  # "Brookings" after "Brookings Institution"
            if cand.entity >= 0:
                insort(self.starts.setdefault(cand.entity, []), cand.start)

    def distance(
        self, cand: _Cand, word: str, item: tuple[tuple[str, ...], int]
    ) -> tuple[int, int]:
        """Rank a fitting full name: surname matches first, then the one met most recently."""
        starts = self.starts.get(item[1], [])
        place = bisect_left(starts, cand.start)  # the mentions before this one end there
        recency = -starts[place - 1] if place else len(self.finder.text)
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
            entity.not_actor = entity.not_actor or cand.not_actor
            kind: MentionKind = "demonym" if cand.relation == "demonym" else "name"
            found.append(
                Found(cand.entity, cand.start, cand.end, cand.surface, cand.possessive, kind)
            )
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
        mentions = [_renumbered(f, number[f.entity]) for f in found if f.entity in number]
        return kept, mentions


# Words that add nothing to an organisation's name but its being one ("Dundee Football Club",
# "Brookings Institution"): the name's first word alone means that organisation.
_GENERIC_ORG_WORDS = frozenset(
    re.findall(
        r"\S+",
        "fc afc cf sc football club inc ltd plc llc group corporation corp company co "
        "institution institute foundation trust holdings association society",
    )
)


def _orgs_by_first_word(entities: Sequence[Entity]) -> dict[str, int]:
    """The organisation a lone first word of its name refers to ("Brookings"): the only one
    with that first word, or among several the only one the rest of whose name is generic
    ("Dundee" is Dundee FC, not Dundee United); a word shared some other way refers to none."""
    by_first: dict[str, list[int]] = {}
    for i, e in enumerate(entities):
        if e.kind == "organisation" and not e.known:
            by_first.setdefault(e.name.split()[0], []).append(i)
    found: dict[str, int] = {}
    for word, indexes in by_first.items():
        generic = [
            i
            for i in indexes
            if all(w.lower().strip(".") in _GENERIC_ORG_WORDS for w in entities[i].name.split()[1:])
        ]
        if len(indexes) == 1:
            found[word] = indexes[0]
        elif len(generic) == 1:
            found[word] = generic[0]
    return found


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
            keep.not_actor = keep.not_actor if keep.not_actor == entity.not_actor else None
        else:
            first[key] = len(kept)
            kept.append(entity)
        target[i] = first[key]
    if len(kept) == len(entities):
        mentions = list(found)  # nothing folded: every mention keeps its entity
    else:
        mentions = [_renumbered(f, target[f.entity]) for f in found]
    mentions.sort(key=lambda f: (f.start, f.end))
    return kept, mentions


def split_places(
    entities: list[Entity], found: list[Found]
) -> tuple[list[Entity], list[Found], list[Entity], list[Found]]:
    """Actors and their mentions apart from places and theirs (each numbered on its own)."""
    number: dict[int, tuple[bool, int]] = {}  # old index → (a place?, new index)
    actors: list[Entity] = []
    places: list[Entity] = []
    for i, entity in enumerate(entities):
        side = places if entity.kind == "place" else actors
        number[i] = (side is places, len(side))
        side.append(entity)
    if not places:
        return entities, found, [], []
    mentions: list[Found] = []
    place_mentions: list[Found] = []
    for f in found:
        is_place, new = number[f.entity]
        if is_place:
            place_mentions.append(_renumbered(f, new, "place"))
        else:
            # (a mention keeps its number if no place came before its actor: no copy then)
            mentions.append(f if new == f.entity else _renumbered(f, new))
    return actors, mentions, places, place_mentions


# A history cue before a name, in its sentence: the words of ``_HISTORY_CUES`` at the end.
_HISTORY_RE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _HISTORY_CUES), key=len, reverse=True)) + r")\b"
    r"(?:\s+(?:the\s+)?[\w.'’-]+){0,3}\s*$",
    re.IGNORECASE,
)


def mark_not_actors(entities: list[Entity], found: list[Found], text: str) -> None:
    """Flag entities that are named but are no actors: technologies, and people only ever
    named as history ("the late X", "in a mirror of President X's embrace of ...")."""
    historic: dict[int, bool] = {}
    for f in found:
        entity = entities[f.entity]
        if entity.kind != "person" or entity.watched or historic.get(f.entity) is False:
            continue
        before = text[max(0, f.start - 60) : f.start]
        cut = max(before.rfind(mark) for mark in ".!?\n")
        historic[f.entity] = _HISTORY_RE.search(before[cut + 1 :]) is not None
    for index, entity in enumerate(entities):
        if entity.name in _TECHNOLOGIES and not entity.watched:
            entity.not_actor = "product"
        elif historic.get(index):
            entity.not_actor = "history"

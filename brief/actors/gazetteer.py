"""The actor layer's data: states, known organisations and word lists, loaded from package files.

States come with their short forms ("U.S."), demonyms ("Russian") and metonyms
(capitals and seats of government: "Beijing", "the Kremlin"); organisations with
their aliases ("Xinhua news agency") and, when fixed, the state they belong to.
The files live in ``brief/actors/data/`` as JSON so a reader can edit them
without touching code; nothing here needs pycountry at run time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from brief.models import ActorKind

Relation = Literal["name", "alias", "demonym", "metonym", "nonactor", "place", "watched"]

# Initialisms ("U.S.", "D.C."), numbers ("2.0", "1960s"), words with inner apostrophes
# and hyphens ("O'Brien", "Washington-based"), and any other single character.
TOKEN_RE = re.compile(
    r"(?:[^\W\d_]\.){2,}"
    r"|\d+(?:[.,]\d+)*[^\W\d_]*"
    r"|[^\W\d_][\w]*(?:['’][\w]+)*(?:[-‑][\w]+(?:['’][\w]+)*)*"
    r"|\S"
)
# The same tokens with the spaces before each, and runs of plain lower-case words each
# followed by one space taken together (findall gives all three as strings: the detector's
# scanner adds up lengths instead of asking match objects for offsets).  Such a word is a
# whole token: the word expression above would stop at the space too.  Two shortcuts find
# the same tokens sooner: a plain word ("Bank", "said") followed by none of the characters
# that would make it an initialism or a longer word (a letter, digit, "_", ".", apostrophe
# or hyphen) is tried before the general expressions; and the possessive quantifiers (``++``,
# ``*+``) give back nothing, as nothing after them could match what they gave back.
SPACED_TOKEN_RE = re.compile(
    r"(\s*+)(?:((?:[a-z]++ )++)|([A-Za-z][a-z]*+(?![\w'’.\-‑])|" + TOKEN_RE.pattern + "))"
)


@dataclass(frozen=True, slots=True)
class Token:
    """A word, initialism, number or punctuation mark with its span in the text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split text into tokens; a period joins the word before it only in abbreviations, initials."""
    tokens: list[Token] = []
    for match in TOKEN_RE.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if tokens and tokens[-1].end > start:
            continue  # the period was taken by the abbreviation before it
        if (
            end < len(text)
            and text[end] == "."
            and word[0].isalpha()
            and (word in ABBREVIATIONS or (len(word) == 1 and word.isupper()))
        ):
            word, end = word + ".", end + 1
        tokens.append(Token(word, start, end))
    return tokens


@lru_cache(maxsize=16_384)  # (the detector splits the parts of "China-Russia" per mention)
def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Split a gazetteer phrase exactly as :func:`tokenize` splits text."""
    return tuple(token.text for token in tokenize(phrase))


# Words whose trailing period is part of the word, not the end of a sentence.
ABBREVIATIONS = frozenset(
    [
        "Mr",
        "Mrs",
        "Ms",
        "Mx",
        "Dr",
        "Prof",
        "Rev",
        "Gen",
        "Lt",
        "Col",
        "Capt",
        "Sgt",
        "Sen",
        "Rep",
        "Gov",
        "Adm",
        "Maj",
        "Cpl",
        "Pvt",
        "Det",
        "Cmdr",
        "Brig",
        "Gens",
        "St",
        "Jr",
        "Sr",
        "Inc",
        "Corp",
        "Co",
        "Ltd",
        "Mt",
        "Ft",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "No",
        "Nos",
        "vs",
        "etc",
        "Mme",
        "Mlle",
        "Messrs",
        "Dept",
        "Univ",
        "Ave",
        "Rd",
        "Blvd",
        "Sq",
        "Est",
        "approx",
        "Fig",
        "Vol",
        "Ph",
        "Esq",
    ]
)


@dataclass(frozen=True, slots=True)
class Entry:
    """What a known name stands for: a state, an organisation, or no actor (a region, a day)."""

    name: str
    kind: ActorKind | None
    relation: Relation
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Known names, keyed by their token sequence ("the" dropped in front)."""

    entries: Mapping[tuple[str, ...], Entry]
    states: frozenset[str]
    longest: int
    firsts: frozenset[str] = frozenset()  # first words of all phrases: a fast "none here" test
    # Every proper beginning of a phrase ("United",), ("United", "Arab"): how far to look.
    prefixes: frozenset[tuple[str, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefixes", prefixes_of(self.entries))

    def lookup(self, phrase: str) -> Entry | None:
        """The entry for a surface form ("Moscow", "the Kremlin", "U.S."), if known."""
        tokens = phrase_tokens(phrase)
        if tokens and tokens[0].lower() == "the" and len(tokens) > 1:
            return self.entries.get(tokens[1:]) or self.entries.get(tokens)
        return self.entries.get(tokens)

    def match(self, tokens: Iterable[str]) -> tuple[int, Entry] | None:
        """The longest known phrase at the start of ``tokens``: (token count, entry)."""
        head = tuple(t for _, t in zip(range(self.longest), tokens, strict=False))
        for size in range(len(head), 0, -1):
            entry = self.entries.get(head[:size])
            if entry is not None:
                return size, entry
        return None


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word lists the detector reads (see ``data/lexicon.json``); all lookups are exact strings."""

    titles: frozenset[tuple[str, ...]]
    title_longest: int
    honorific_gender: Mapping[str, str]
    roles: frozenset[str]
    role_gender: Mapping[str, str]
    org_heads: frozenset[str]
    body_heads: frozenset[tuple[str, ...]]
    org_descriptors: frozenset[str]
    org_cues: frozenset[str]
    actor_nouns: frozenset[str]
    nonactor_heads: frozenset[str]
    common_words: frozenset[str]
    given_names: Mapping[str, str] = field(default_factory=dict)
    family_names_first: frozenset[str] = frozenset()
    # First words of the titles: most words are none, and one look-up says so.
    title_firsts: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title_firsts", frozenset(t[0] for t in self.titles if t))

    def title_at(self, tokens: list[str], start: int) -> int:
        """Length of the longest title ("Foreign Minister", "Mr.") at ``tokens[start]``, or 0."""
        if start >= len(tokens) or tokens[start] not in self.title_firsts:
            return 0
        for size in range(min(self.title_longest, len(tokens) - start), 0, -1):
            if tuple(tokens[start : start + size]) in self.titles:
                return size
        return 0

    def is_body(self, tokens: Iterable[str]) -> bool:
        """True for a state's own bodies ("Foreign Ministry", "Army") that fold into the state."""
        return tuple(tokens) in self.body_heads


def _read(name: str) -> Any:
    data = resources.files("brief.actors").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(data)


def _keys(phrase: str) -> Iterator[tuple[str, ...]]:
    tokens = phrase_tokens(phrase)
    if not tokens:
        return
    if tokens[0].lower() == "the" and len(tokens) > 1:
        yield tokens[1:]
    else:
        yield tokens


@cache
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer (states, organisations, names that are no actor), loaded once."""
    data = _read("gazetteer.json")
    lexicon = _read("lexicon.json")
    entries: dict[tuple[str, ...], Entry] = {}

    def add(phrase: str, entry: Entry) -> None:
        for key in _keys(phrase):
            # First writer wins, and states are written first: "Georgia" stays a state.
            entries.setdefault(key, entry)

    states = []
    for state in data["states"]:
        name = state["name"]
        states.append(name)
        add(name, Entry(name, "state", "name"))
        for alias in state.get("aliases", ()):
            add(alias, Entry(name, "state", "alias"))
        for metonym in state.get("metonyms", ()):
            add(metonym, Entry(name, "state", "metonym"))
        for demonym in state.get("demonyms", ()):
            add(demonym, Entry(name, "state", "demonym"))
        for demonym in state.get("demonyms", ()):
            # "Swedes", "Americans": people of a state, not the state acting.
            if not demonym.endswith(("ese", "ss", "sh", "ch")):
                add(demonym + "s", Entry(demonym + "s", None, "nonactor"))
    for org in data["organisations"]:
        name = org["name"]
        entry = Entry(name, "organisation", "name", org.get("affiliation"))
        add(name, entry)
        for alias in org.get("aliases", ()):
            add(alias, Entry(name, "organisation", "alias", org.get("affiliation")))
    for word in lexicon["nonactor_words"]:
        add(word, Entry(word, None, "nonactor"))
    for place in data.get("places", {}).get("names", ()):
        add(place, Entry(place, None, "place"))  # no actor, but a place to report
    longest = max(len(key) for key in entries)
    return Gazetteer(
        entries=entries,
        states=frozenset(states),
        longest=longest,
        firsts=frozenset(key[0] for key in entries),
    )


def prefixes_of(keys: Iterable[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
    """Every proper, non-empty beginning of the given token sequences."""
    return frozenset(key[:size] for key in keys for size in range(1, len(key)))


@cache
def load_lexicon() -> Lexicon:
    """The bundled word lists (titles, roles, name heads, given names), loaded once."""
    data = _read("lexicon.json")
    titles = frozenset(phrase_tokens(t) for t in data["titles"])
    honorific_gender = {
        token: gender
        for gender, words in data["honorifics"].items()
        for word in words
        for token in [" ".join(phrase_tokens(word))]
    }
    role_gender = {w: "f" for w in data["female_roles"]} | {w: "m" for w in data["male_roles"]}
    given = {name: gender for gender, names in data["given_names"].items() for name in names}
    return Lexicon(
        titles=titles,
        title_longest=max(len(t) for t in titles),
        honorific_gender=honorific_gender,
        roles=frozenset(data["roles"]),
        role_gender=role_gender,
        org_heads=frozenset(data["org_heads"]),
        body_heads=frozenset(phrase_tokens(b) for b in data["body_heads"]),
        org_descriptors=frozenset(data["org_descriptors"]),
        org_cues=frozenset(data["org_cues"]),
        actor_nouns=frozenset(data["actor_nouns"]),
        nonactor_heads=frozenset(data["nonactor_heads"]),
        common_words=frozenset(w.lower() for w in data["common_words"]),
        given_names=given,
        family_names_first=frozenset(data["family_names_first"]),
    )


def state_names() -> frozenset[str]:
    """Canonical names of every state in the gazetteer."""
    return load_gazetteer().states

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

The parts, in the order a text goes through them: ``furniture`` (what is not
body), ``scan`` (tokens and known phrases, with ``tokens`` and ``words``:
token shapes and the word classes of ``data/cue_words.json``),
``candidates`` (pass 1: runs of capitalised words cut and typed), ``cues``
(pass 2: roles, appositions, speech verbs) and ``merge`` (names into actors).
"""

from __future__ import annotations

from collections.abc import Sequence

from brief.actors.candidates import CandKind, _Cand, _Candidates, _Context, _Unit
from brief.actors.cues import _Finder
from brief.actors.furniture import _DATELINE_RE, excluded_spans
from brief.actors.merge import (
    Detection,
    Entity,
    Found,
    _apply_watch,
    _canonical,
    _fold,
    _Merger,
    mark_not_actors,
    name_key,
    split_places,
)
from brief.actors.scan import _Scanner, _watch_entries
from brief.actors.tokens import _is_cap, _name_word, _opens, _Tok
from brief.actors.words import _OPENING_QUOTES
from brief.config import WatchedActor

# Names other modules and tests import from here (the detector's parts live in the
# modules above; this module is their front door).
__all__ = [
    "_DATELINE_RE",
    "_OPENING_QUOTES",
    "CandKind",
    "Detection",
    "Entity",
    "Found",
    "_Cand",
    "_Candidates",
    "_Context",
    "_Finder",
    "_Merger",
    "_Scanner",
    "_Tok",
    "_Unit",
    "_is_cap",
    "_name_word",
    "_opens",
    "_watch_entries",
    "detect",
    "excluded_spans",
    "name_key",
]


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
    mark_not_actors(entities, found, text)
    actors, mentions, places, place_mentions = split_places(entities, found)
    return Detection(
        text,
        tuple(actors),
        tuple(mentions),
        tuple(finder.excluded),
        tuple(places),
        tuple(place_mentions),
    )

"""Plain data that flows between brief's stages: frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True)
def _record(cls: type[_T]) -> type[_T]:
    """A frozen dataclass to the type checker (mypy rejects assigning to a field), made at
    run time without frozen's guard on every field: the actor records (a mention, a
    sentence, a quote) are made by the hundred thousand in a day's briefing, and a frozen
    dataclass's ``__init__`` takes five times as long (an ``object.__setattr__`` call per
    field).  Equal, hashed and printed as a frozen one is (``unsafe_hash``: the hash of its
    fields, which nothing changes).
    """
    return dataclass(slots=True, unsafe_hash=True)(cls)


SourceKind = Literal["local", "feed"]
ActorKind = Literal["person", "state", "organisation"]
# How a mention names its actor: by a name ("Russia", "Moscow", "Mr. Putin"), or by a
# nationality adjective ("Russian troops": the state's people or forces, not its name).
# A place's mentions ("in Texas") are of kind "place".
MentionKind = Literal["name", "demonym", "place"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where articles come from: a local folder/file or a feed URL."""

    id: str
    name: str
    kind: SourceKind
    location: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """How one source fared in the last collection."""

    source: Source
    article_count: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()
    last_success: datetime | None = None
    status: int | None = None

    @property
    def ok(self) -> bool:
        """True when the source produced no error."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class Link:
    """A link in an article's body: its target and its text, both untrusted.

    ``url`` may be of any scheme (only http(s) links are ever opened); for
    ``javascript:`` and ``data:`` links it is the scheme alone.
    """

    url: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A file an entry carries (a podcast episode): where, what type, how many bytes if said."""

    url: str
    type: str = ""
    length: int | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One article's text and metadata, whatever its source.

    ``published`` is timezone-aware (UTC) when known.  ``evergreen`` marks
    articles that belong in every briefing regardless of the time window
    (the bundled sample articles, so the offline demo is never empty).
    ``stored_hash`` is the store's content hash of ``title`` and ``text``, set
    only on articles read from the store (None: compute it); it takes no part
    in comparisons, and a copy with another title or text must drop it.
    """

    id: str
    source_id: str
    source_name: str
    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    fetched: datetime | None = None
    author: str | None = None
    guid: str | None = None
    also_in: tuple[str, ...] = ()
    evergreen: bool = False
    links: tuple[Link, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    stored_hash: str | None = field(default=None, compare=False, repr=False)


@_record
class Sentence:
    """A sentence of an article with its character span in the article text."""

    text: str
    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary: sentences of the article, in article order."""

    article_id: str
    algorithm: str
    sentences: tuple[Sentence, ...]


@_record
class Mention:
    """One occurrence of an actor in an article's text."""

    actor: str
    surface: str
    start: int
    end: int
    article_id: str = ""
    kind: MentionKind = "name"


@_record
class Place:
    """A city or region an article names: where something happens, not an actor."""

    name: str
    aliases: tuple[str, ...] = ()


@_record
class Actor:
    """A person, state or organisation in the news, with the names it goes by."""

    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None
    role: str | None = None


@_record
class Quote:
    """Direct speech with its speaker (canonical actor name) when known."""

    text: str
    speaker: str | None
    start: int
    end: int
    article_id: str = ""
    # How sure the attribution is, 0..1; a speaker below the attributor's threshold is not
    # given at all, so a quote built with a speaker is taken as sure.
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class ActorNews:
    """What is new about an actor since the days before, read from the actor ledger."""

    # Mentions per day over the last seven days, today last; None for a day no briefing
    # was composed (unknown, not zero).
    trend: tuple[int | None, ...]
    mean: float = 0.0  # mean mentions per recorded day of the seven days before today
    jump: bool = False  # today's mentions jumped (see brief/briefing/actor_news.py)
    first_this_week: bool = False  # no mention in the seven days before today
    new_quotes: tuple[tuple[str, str, str | None], ...] = ()  # (quote, story title, url)
    new_company: tuple[str, ...] = ()  # named with it today, not in the week before


@dataclass(frozen=True, slots=True)
class ActorBrief:
    """What one actor did and said today, and with whom."""

    actor: Actor
    article_count: int
    source_count: int
    mention_count: int
    sentences: tuple[str, ...] = ()
    quotes: tuple[tuple[Quote, str], ...] = ()  # (quote, source name)
    co_actors: tuple[tuple[str, int], ...] = ()
    article_ids: tuple[str, ...] = ()
    news: ActorNews | None = None  # None when the ledger has no earlier day to compare with


@dataclass(frozen=True, slots=True)
class Continuity:
    """How a story stands against the briefings already written (brief/briefing/memory.py).

    ``state`` is "new" (never shown), "developing" (shown before, without a gap of
    two days or more) or "back" (shown before, then not for two days or more);
    ``day`` counts the days the story has been shown, today included.
    """

    state: Literal["new", "developing", "back"]
    day: int = 1
    first_shown: date | None = None
    last_shown: date | None = None
    thread: str = ""


@dataclass(frozen=True, slots=True)
class QuietStory:
    """A story shown before with no new reporting today: listed in one line."""

    title: str
    url: str | None
    last_shown: date


@dataclass(frozen=True, slots=True)
class Story:
    """One news story: one or more articles about the same event, one summary."""

    id: str
    title: str
    articles: tuple[Article, ...]
    summary: tuple[str, ...]
    # Quotes in the story whose speaker could not be told for sure: shown as such, not dropped.
    unattributed: tuple[Quote, ...] = ()
    # The clustering's heaviest terms for the story (stem, weight): its signature across days.
    terms: tuple[tuple[str, float], ...] = ()
    continuity: Continuity | None = None

    @property
    def lead(self) -> Article:
        """The article that represents the story (the first one)."""
        return self.articles[0]


@dataclass(frozen=True, slots=True)
class Briefing:
    """The day's briefing, ready to render."""

    title: str
    day: date
    generated_at: datetime
    stories: tuple[Story, ...]
    sources: tuple[SourceHealth, ...]
    actor_briefs: tuple[ActorBrief, ...] = ()
    sections: tuple[str, ...] = ("stories", "actors", "sources")
    article_count: int = 0
    quiet: tuple[QuietStory, ...] = ()  # shown before, nothing new today
    # Sections of the top stories by feed tag, in order: (name, how many stories); the
    # stories are in that order.  Empty: one list.
    story_sections: tuple[tuple[str, int], ...] = ()
    tags: tuple[str, ...] = ()  # the tags of the briefing's sources and sections
    cited: tuple[Article, ...] = ()  # articles the actor briefs quote from, for provenance
    profile: str = ""  # the [[briefings]] profile it was composed for, if any
    words_per_minute: int = 230
    wikilinks: bool = False  # actor names written as [[wikilinks]]
    watched: tuple[str, ...] = ()  # actors on the watchlist who appear in the day's articles

    @property
    def failed_sources(self) -> tuple[SourceHealth, ...]:
        """Sources whose collection failed."""
        return tuple(h for h in self.sources if not h.ok)


@dataclass(frozen=True, slots=True)
class CollectResult:
    """Articles gathered from sources, with each source's health."""

    articles: tuple[Article, ...]
    health: tuple[SourceHealth, ...]

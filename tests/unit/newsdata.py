"""An invented multi-feed news day for profile, section and budget tests.

Each article is about its own place, person and project (ten projects a topic, so
articles ten apart share a project and may be one story); feeds carry topics as tags.
Deterministic: the same call gives the same text.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.httpserver import Item

PLACES = [
    "Arvensk",
    "Valdoria",
    "Pellinor",
    "Kastrava",
    "Merrowby",
    "Tullagh",
    "Ostervale",
    "Brennick",
    "Quorlan",
    "Saffendal",
    "Lunmere",
    "Hadrovia",
    "Corvatz",
    "Imberley",
    "Zelthorn",
    "Ruskavel",
    "Pennemoor",
    "Dravik",
    "Ellistane",
    "Voronel",
    "Galtmere",
    "Hestwick",
    "Morvaine",
    "Sablecourt",
    "Tindrel",
    "Ulvastad",
    "Wrenholt",
    "Yarrowgate",
    "Kelmira",
    "Fostrel",
]
PEOPLE = [
    "Amara Solt",
    "Bertil Varga",
    "Celia Moran",
    "Dmitri Halloway",
    "Esme Quist",
    "Faisal Brand",
    "Greta Lune",
    "Hugo Marsh",
    "Ines Okafor",
    "Jonas Trell",
    "Kira Vance",
    "Luca Ferro",
    "Mina Castell",
    "Nils Arden",
    "Olga Reyes",
    "Pavel Stroud",
    "Quinn Adair",
    "Rosa Delmar",
    "Silas Kerr",
    "Tessa Vail",
    "Umar Lindqvist",
    "Vera Holm",
    "Wim Sato",
    "Xenia Ploom",
    "Yusuf Carrow",
    "Zara Pike",
    "Anton Bly",
    "Bea Norcross",
    "Cyrus Fenn",
    "Dalia Frost",
]
TOPICS = {
    "world": (
        "ceasefire talks",
        "border crossing",
        "election commission",
        "peace envoy",
        "refugee camp",
        "embassy reopening",
        "trade embargo",
        "naval patrol",
        "census count",
        "flood relief",
    ),
    "tech": (
        "chip factory",
        "software update",
        "satellite network",
        "data centre",
        "robot taxi",
        "fibre cable",
        "battery plant",
        "quantum laboratory",
        "drone delivery",
        "solar farm",
    ),
    "business": (
        "bond auction",
        "retail chain",
        "shipping line",
        "pension fund",
        "steel mill",
        "coffee exporter",
        "airline merger",
        "toll road",
        "grain terminal",
        "insurance group",
    ),
}


def article_text(number: int, topic: str) -> str:
    """Eight sentences about one invented event, each naming its place or person."""
    place, person = PLACES[number % len(PLACES)], PEOPLE[number % len(PEOPLE)]
    thing = TOPICS[topic][number % len(TOPICS[topic])]
    sentences = [
        f"Officials in {place} said on Friday that the {thing} would open next month.",
        f"{person}, who leads the {place} council, said the plan had broad support.",
        f"The {thing} in {place} has been debated for more than two years.",
        f"Critics in {place} argue the cost of the {thing} has doubled since it was proposed.",
        f"{person} told reporters that {place} would publish the full budget next week.",
        f"Residents of {place} gathered outside the town hall to ask about the {thing}.",
        f"A second vote on the {thing} is expected in {place} before the end of the year.",
        f"{person} said the {thing} would bring hundreds of jobs to {place}.",
    ]
    return " ".join(sentences)


def feed_items(topic: str, first: int, count: int, now: datetime, base: str) -> list[Item]:
    """``count`` items of one topic, numbered from ``first``, published in the hours before
    ``now``."""
    items = []
    for offset in range(count):
        number = first + offset
        place = PLACES[number % len(PLACES)]
        items.append(
            Item(
                title=f"{place} {TOPICS[topic][number % len(TOPICS[topic])]} moves ahead",
                body=article_text(number, topic),
                link=f"{base}/{topic}/{number}",
                guid=f"{topic}-{number}",
                published=(now - timedelta(hours=1 + offset)).astimezone(UTC),
            )
        )
    return items

"""Finding actors: cues, metonyms, merges, the watchlist, and what must not become an actor."""

from __future__ import annotations

from pathlib import Path

import pytest

from brief.actors.analysis import ArticleActors, analyse_text
from brief.actors.detect import detect, excluded_spans
from brief.config import WatchedActor

DATA = Path(__file__).resolve().parent.parent / "data" / "actors"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "globe-xi-russia-visit.txt"


def actors(text: str, **kwargs: object) -> dict[str, tuple[str, tuple[str, ...]]]:
    """name → (kind, names it went by)."""
    result = analyse_text(text, **kwargs)  # type: ignore[arg-type]
    return {
        a.name: (
            a.kind,
            tuple(sorted({*a.aliases, *(m.surface for m in result.mentions_of(a.name))})),
        )
        for a in result.actors
    }


# --- cues ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # titles and honorifics
        ("President Emmanuel Macron arrived late.", "Emmanuel Macron", "person"),
        ("The talks were hard, Mr. Okonkwo said.", "Okonkwo", "person"),
        ("Ms. Lindqvist declined to comment on the deal.", "Lindqvist", "person"),
        ("Gov. Gavin Newsom signed the bill.", "Gavin Newsom", "person"),
        # roles before and after the name
        ("The plan was backed by spokeswoman Ingrid Falk on Friday.", "Ingrid Falk", "person"),
        (
            "Tomas Ferreira, a senior fellow at the Hudson Institute, disagreed.",
            "Tomas Ferreira",
            "person",
        ),
        ("Keith Allen, 27, of Columbus pleaded not guilty.", "Keith Allen", "person"),
        ("Prosecutors charged Zhang Wei on Monday.", "Zhang Wei", "person"),
        ("Data from Patricia M. Kim show the gap.", "Patricia M. Kim", "person"),
        # organisation heads and cues
        ("He spoke at the Brookings Institution.", "Brookings Institution", "organisation"),
        ("The Bank of England raised rates.", "Bank of England", "organisation"),
        (
            "Analysts at the Center for Strategic and International Studies agreed.",
            "Center for Strategic and International Studies",
            "organisation",
        ),
        ("The Kommersant daily reported the story first.", "Kommersant", "organisation"),
        ("Arsenal manager Mikel Arteta was furious.", "Arsenal", "organisation"),
        ("China's state-run Xinhua news agency said so.", "Xinhua", "organisation"),
        # states by name, short form, metonym
        ("Talks in Beijing ended early.", "China", "state"),
        ("The Kremlin said nothing.", "Russia", "state"),
        ("Washington has sought to rebuild ties.", "United States", "state"),
        ("Kyiv urged its allies to act.", "Ukraine", "state"),
        ("Downing Street denied the report.", "United Kingdom", "state"),
        ("The U.S. imposed tariffs.", "United States", "state"),
        ("Chinese mercenaries fought there.", "China", "state"),
        ("Russian President Vladimir Putin spoke.", "Russia", "state"),
        ("Iran-backed militias attacked the base.", "Iran", "state"),
        ("The Israel-Hamas war went on.", "Israel", "state"),
        ("WASHINGTON — The Senate voted late.", "United States", "state"),
    ],
)
def test_cues_find_actors(text: str, name: str, kind: str) -> None:
    found = actors(text)
    assert name in found, found
    assert found[name][0] == kind


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # addresses and adjectives that do not make the state act
        ("Experts at the Washington-based Atlantic Council disagreed.", "United States"),
        ("Russia-watchers and Moscow-born writers met.", "Russia"),
        ("The Russian economy shrank, and Russian oil got cheaper.", "Russia"),
        ("Russian-Chinese relations were warm.", "China"),
        ("An expert on Chinese foreign policy spoke.", "China"),
        ("Pro-Russian bloggers claimed a victory.", "Russia"),
        ("The Washington Post reported it.", "United States"),
        # sentence-initial capitals are everyday words
        ("Despite the rain, the march went ahead.", "Despite"),
        ("Meanwhile the talks stalled.", "Meanwhile"),
        ("Writing this week, the board agreed.", "Writing"),
        ("Asked about it, the officials said nothing.", "Asked"),
        ("Critics said the plan was weak.", "Critics"),
        # names of no actor
        ("Troops marched on Red Square.", "Red Square"),
        ("The victory in World War II was marked.", "World War II"),
        ("Leaders across Europe and Asia reacted.", "Europe"),
        ("The Swedes tended to the injured man.", "Swedes"),
        ("He flew in on Tuesday, in October.", "Tuesday"),
        # capitalised runs with no sign of a person
        ("The car left the Motorsport Arena Oschersleben.", "Motorsport Arena Oschersleben"),
        ("He was in the ADAC Formula 4 series.", "ADAC Formula"),
    ],
)
def test_negative_cases(text: str, absent: str) -> None:
    found = actors(text)
    assert absent not in found, found
    assert not any(absent in names for _, names in found.values()), found


def test_a_quoted_title_names_no_actor() -> None:
    found = actors('He sang "American Pie" and "Bye, Bye, Miss American Pie" again.')
    assert "United States" not in found
    assert not found


def test_possessives_are_stripped_from_mentions() -> None:
    text = "Moscow’s position and Beijing's reply hardened Mr. Xi’s stance."
    result = analyse_text(text)
    surfaces = {m.surface for m in result.mentions}
    assert {"Moscow", "Beijing", "Xi"} <= surfaces
    for mention in result.mentions:
        assert text[mention.start : mention.end] == mention.surface
        assert not mention.surface.endswith(("’s", "'s"))


def test_state_bodies_fold_into_the_state() -> None:
    text = (
        "The Russian Foreign Ministry protested. Ukraine's Defence Ministry said it had "
        "shot down drones."
    )
    found = actors(text)
    assert set(found) == {"Russia", "Ukraine"}
    assert "Russian" in found["Russia"][1]


# --- merges, roles, affiliations ------------------------------------------------------------


def test_aliases_merge_within_an_article() -> None:
    text = (
        "Chinese President Xi Jinping arrived in Moscow. Mr. Xi met Russian President "
        "Vladimir Putin. Xi and Putin talked for hours, and Mr. Putin praised him.\n\n"
        "U.S. President Donald Trump was not invited. Mr. Trump said he did not mind."
    )
    result = analyse_text(text)
    by_name = {a.name: a for a in result.actors}
    xi = by_name["Xi Jinping"]
    assert {"Mr. Xi", "Xi", "Chinese President Xi Jinping"} <= set(xi.aliases)
    assert (xi.role, xi.affiliation) == ("President", "China")
    assert {"Mr. Putin", "Putin"} <= set(by_name["Vladimir Putin"].aliases)
    trump = by_name["Donald Trump"]
    assert "Mr. Trump" in trump.aliases and trump.affiliation == "United States"
    assert len([a for a in result.actors if a.kind == "person"]) == 3
    assert len(result.mentions_of("Xi Jinping")) == 3


def test_a_single_name_joins_the_nearest_fitting_full_name() -> None:
    text = (
        "Michael Schumacher won seven titles. His son Mick Schumacher races now. "
        "Schumacher finished fourth on Sunday."
    )
    result = analyse_text(text)
    assert len(result.mentions_of("Mick Schumacher")) == 2
    assert len(result.mentions_of("Michael Schumacher")) == 1


def test_spellings_with_and_without_accents_merge() -> None:
    found = actors("Erik Näslund held the man down. Erik Naslund, 31, said it was nothing.")
    people = [n for n, (kind, _) in found.items() if kind == "person"]
    assert len(people) == 1


def test_role_and_affiliation_from_an_apposition() -> None:
    result = analyse_text(
        "Joseph Webster, a senior fellow at the Washington-based Atlantic Council, said so."
    )
    webster = result.actor("Joseph Webster")
    assert webster is not None
    assert (webster.role, webster.affiliation) == ("senior fellow", "Atlantic Council")
    assert result.actor("United States") is None


def test_role_and_affiliation_from_the_words_before_the_name() -> None:
    result = analyse_text(
        "“No,” Russian Foreign Ministry spokeswoman Maria Zakharova told reporters."
    )
    zakharova = result.actor("Maria Zakharova")
    assert zakharova is not None
    assert zakharova.role == "Foreign Ministry spokeswoman"
    assert zakharova.affiliation == "Russia"
    assert "Russian Foreign Ministry spokeswoman Maria Zakharova" in zakharova.aliases
    assert result.genders[[a.name for a in result.actors].index("Maria Zakharova")] == "f"


def test_a_title_inside_a_run_splits_it() -> None:
    result = analyse_text("Franklin County Prosecutor Ron O'Brien filed charges. O'Brien said so.")
    obrien = result.actor("Ron O'Brien")
    assert obrien is not None and obrien.role == "Franklin County Prosecutor"
    assert "O'Brien" in obrien.aliases


# --- the watchlist ---------------------------------------------------------------------


def test_watched_actors_are_renamed_and_always_found() -> None:
    watch = (
        WatchedActor(name="Xi Jinping", kind="person", aliases=("Mr. Xi", "Xi")),
        WatchedActor(name="Federal Reserve", kind="organisation", aliases=("the Fed",)),
        WatchedActor(name="Acme Widgets", kind="organisation", aliases=("acme",)),
    )
    text = "Mr. Xi met bankers. The Fed held rates. acme shares rose; Acme Widgets said little."
    result = analyse_text(text, watch=watch)
    names = {a.name: a for a in result.actors}
    assert names["Xi Jinping"].kind == "person"
    assert names["Federal Reserve"].kind == "organisation"
    assert len(result.mentions_of("Acme Widgets")) == 2
    assert set(result.watched) == {"Xi Jinping", "Federal Reserve", "Acme Widgets"}


def test_watchlist_renames_a_detected_person_by_alias() -> None:
    watch = (WatchedActor(name="Lula", kind="person", aliases=("Luiz Inácio Lula da Silva",)),)
    result = analyse_text("President Luiz Inácio Lula da Silva spoke in Brasilia.", watch=watch)
    assert result.actor("Lula") is not None
    assert result.actor("Brazil") is not None


# --- what is not body ------------------------------------------------------------------


def test_furniture_captions_and_credits_are_not_read() -> None:
    text = (
        "Skip to main content\n"
        "Open this photo in gallery:\n\n"
        "Leaders pose at the summit, in Kazan, Russia.Maxim Shipenkov/The Canadian Press\n\n"
        "BERLIN (Reuters) - Chancellor Olaf Scholz met his cabinet.\n\n"
        "Follow related authors and topics\n"
        "With reports from Reuters\n"
        "Interact with The Globe\n"
    )
    found = actors(text)
    assert set(found) == {"Olaf Scholz"}, found
    spans = excluded_spans(text)
    excluded_text = " ".join(text[a:b] for a, b in spans)
    assert "Shipenkov" in excluded_text and "Reuters" in excluded_text


def test_the_seed_article_has_no_furniture_actor() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = actors(text)
    for bad in ("Skip", "Globe", "The Globe", "Follow", "Following", "Maxim Shipenkov", "Reuters"):
        assert bad not in found
        assert not any(bad in names for _, names in found.values())


# --- invariants over every annotated article ----------------------------------------


@pytest.mark.parametrize("path", sorted(DATA.glob("*.txt")), ids=lambda p: p.stem)
def test_mentions_point_into_the_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8").partition("\n---\n")[2]
    result: ArticleActors = analyse_text(text)
    names = {a.name for a in result.actors}
    for mention in result.mentions:
        assert text[mention.start : mention.end] == mention.surface
        assert mention.actor in names
    starts = [m.start for m in result.mentions]
    assert starts == sorted(starts)
    for quote in result.quotes:
        assert text[quote.start : quote.end] == quote.text
        assert quote.speaker is None or quote.speaker in names


def test_empty_and_odd_texts() -> None:
    for text in ("", "   \n\n", "...", "“", "'", "A", "U.S.", "— – -"):
        result = detect(text)
        assert result.text == text
    assert analyse_text("").actors == ()


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # a known name run into a person's by a careless extractor
        (
            "Striker Bafetimbi Gomis was hurt. He recovered in France Gomis is back now.",
            "Bafetimbi Gomis",
            "France Gomis",
        ),
        # a team or place before a full name that also appears alone
        (
            "McLaren Fernando Alonso retired. McLaren said the car failed.",
            "Fernando Alonso",
            "McLaren Fernando Alonso",
        ),
        # a repeated name and a trailing everyday word
        (
            "Sebastian Vettel Vettel won. The defenders were Hugo Lloris Defenders.",
            "Sebastian Vettel",
            "Sebastian Vettel Vettel",
        ),
        # a capitalised role opening the sentence is a title
        (
            "Veterinarian Lucyna Kuziel-Zawalich treated the cat.",
            "Lucyna Kuziel-Zawalich",
            "Veterinarian Lucyna Kuziel-Zawalich",
        ),
        # a first name alone joins the one person who has it
        (
            "Brazilian forward Vinícius Júnior scored. Vinícius said it was easy.",
            "Vinícius Júnior",
            "Vinícius",
        ),
    ],
)
def test_names_run_together_are_told_apart(text: str, present: str, absent: str) -> None:
    found = actors(text)
    assert present in found, found
    assert absent not in found, found


def test_clubs_and_places_are_not_people() -> None:
    found = actors(
        "The New York Yankees beat the Boston Red Sox. Later the Red Sox, who lost, flew to "
        "Chicago. Utah photographer Alan Lawrence took pictures."
    )
    assert {name for name, (kind, _) in found.items() if kind == "person"} == {"Alan Lawrence"}
    assert "Utah" not in found

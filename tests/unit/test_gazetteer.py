"""The actor layer's data: the tokenizer, the gazetteer of states and organisations, word lists."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from brief.actors.gazetteer import (
    SPACED_TOKEN_RE,
    TOKEN_RE,
    load_gazetteer,
    load_lexicon,
    phrase_tokens,
    tokenize,
)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("U.S. President", ["U.S.", "President"]),
        ("the U.S.-Europe rifts", ["the", "U.S.", "-", "Europe", "rifts"]),
        ("Mr. Xi’s visit", ["Mr.", "Xi’s", "visit"]),
        ("Patricia M. Kim said.", ["Patricia", "M.", "Kim", "said", "."]),
        ("Washington-based Atlantic Council", ["Washington-based", "Atlantic", "Council"]),
        ("Trump 2.0 in the 1960s.", ["Trump", "2.0", "in", "the", "1960s", "."]),
        ("O'Brien won't go", ["O'Brien", "won't", "go"]),
        ("Washington, D.C.", ["Washington", ",", "D.C."]),
        ("“No,” she said", ["“", "No", ",", "”", "she", "said"]),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == tokens


def test_token_offsets_point_into_the_text() -> None:
    text = "Gen. Smith met U.S. envoys in Port-au-Prince on Oct. 24."
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
    assert phrase_tokens("Port-au-Prince") == ("Port-au-Prince",)


@pytest.mark.parametrize(
    "text",
    [
        "i.e. the U.S. and e.g. Mr. Xi",  # initialisms, lower and upper case
        "McDonald O'Brien O’Neill Port-au-Prince a\u2011b x-y",  # longer words
        "Ab_c A1 ab1 École naïve Zoë  end ,",  # no plain ASCII word: the general expression
        "words, then more; said: “No” 2.0 1960s\n\nNew line  ",
        "Bank said. bank said.Next",
    ],
)
def test_the_scanners_expression_splits_as_tokenize(text: str) -> None:
    """The scanner's expression (shortcuts, possessive quantifiers) finds TOKEN_RE's tokens."""
    spaced = [
        word
        for _, plain, single in SPACED_TOKEN_RE.findall(text)
        for word in (plain.split(" ")[:-1] if plain else [single])
    ]
    assert spaced == TOKEN_RE.findall(text)


@pytest.mark.parametrize(
    ("surface", "name", "relation"),
    [
        ("China", "China", "name"),
        ("Beijing", "China", "metonym"),
        ("Chinese", "China", "demonym"),
        ("Moscow", "Russia", "metonym"),
        ("the Kremlin", "Russia", "metonym"),
        ("Kremlin", "Russia", "metonym"),
        ("Russian", "Russia", "demonym"),
        ("Washington", "United States", "metonym"),
        ("U.S.", "United States", "alias"),
        ("US", "United States", "alias"),
        ("the White House", "United States", "metonym"),
        ("Kyiv", "Ukraine", "metonym"),
        ("Kiev", "Ukraine", "metonym"),
        ("UK", "United Kingdom", "alias"),
        ("Britain", "United Kingdom", "alias"),
        ("Downing Street", "United Kingdom", "metonym"),
        ("Burma", "Myanmar", "alias"),
        ("Türkiye", "Turkey", "alias"),
        ("People's Republic of China", "China", "alias"),
        ("Soviet Union", "Soviet Union", "name"),
    ],
)
def test_states_and_their_names(surface: str, name: str, relation: str) -> None:
    entry = load_gazetteer().lookup(surface)
    assert entry is not None, surface
    assert (entry.name, entry.kind, entry.relation) == (name, "state", relation)


@pytest.mark.parametrize(
    ("surface", "name", "affiliation"),
    [
        ("Xinhua", "Xinhua", "China"),
        ("Xinhua news agency", "Xinhua", "China"),
        ("NATO", "NATO", None),
        ("North Atlantic Treaty Organization", "NATO", None),
        ("EU", "European Union", None),
        ("the Pentagon", "Pentagon", "United States"),
        ("Reuters", "Reuters", None),
    ],
)
def test_known_organisations(surface: str, name: str, affiliation: str | None) -> None:
    entry = load_gazetteer().lookup(surface)
    assert entry is not None
    assert (entry.name, entry.kind, entry.affiliation) == (name, "organisation", affiliation)


@pytest.mark.parametrize(
    "surface", ["Europe", "Asia", "Western", "Monday", "October", "World War II", "Swedes"]
)
def test_names_of_no_actor(surface: str) -> None:
    entry = load_gazetteer().lookup(surface)
    assert entry is not None and entry.kind is None


def test_unknown_names_are_not_in_the_gazetteer() -> None:
    assert load_gazetteer().lookup("Atlantis") is None


def test_the_data_file_is_consistent() -> None:
    raw = json.loads(
        resources.files("brief.actors").joinpath("data", "gazetteer.json").read_text("utf-8")
    )
    names = [s["name"] for s in raw["states"]]
    assert len(names) == len(set(names)) and len(names) > 190
    codes = [s["code"] for s in raw["states"] if s.get("code")]
    assert len(codes) == len(set(codes))
    for state in raw["states"]:
        assert set(state) >= {"name", "aliases", "demonyms", "metonyms"}
    gazetteer = load_gazetteer()
    # Every state name resolves to itself: no alias or demonym of another state shadows it.
    for name in names:
        entry = gazetteer.lookup(name)
        assert entry is not None and entry.name == name, name


# Dependent territories and uninhabited places the gazetteer leaves out on purpose: news
# names them as places, rarely as actors.
TERRITORIES = set(
    re.findall(
        r"\w+",
        "AI AQ AS AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GP GS GU HM IM IO JE KY MF MP "
        "MQ MS NC NF NU PF PM PN RE SH SJ SX TC TF TK UM VG VI WF YT",
    )
)


def test_every_country_in_iso_3166_is_covered() -> None:
    pycountry = pytest.importorskip("pycountry")
    codes = {
        s["code"]
        for s in json.loads(
            resources.files("brief.actors").joinpath("data", "gazetteer.json").read_text("utf-8")
        )["states"]
    }
    missing = {c.alpha_2 for c in pycountry.countries} - codes
    assert missing <= TERRITORIES, sorted(missing - TERRITORIES)


def test_lexicon_titles_and_genders() -> None:
    lexicon = load_lexicon()
    assert lexicon.title_at(["Foreign", "Minister", "Wang", "Yi"], 0) == 2
    assert lexicon.title_at(["Mr.", "Xi"], 0) == 1
    assert lexicon.title_at(["Xi"], 0) == 0
    assert lexicon.honorific_gender["Ms."] == "f"
    assert lexicon.honorific_gender["Mr."] == "m"
    assert lexicon.role_gender["spokeswoman"] == "f"
    assert lexicon.given_names["Patricia"] == "f"
    assert "Xi" in lexicon.family_names_first
    assert lexicon.is_body(("Foreign", "Ministry"))
    assert not lexicon.is_body(("Atlantic", "Council"))

"""Entity classes on invented text: demonyms, places, capitals, datelines, tables, credits."""

from __future__ import annotations

from typing import Any

from brief.actors.analysis import ArticleActors, analyse_text, from_json, to_json, to_jsonable
from brief.actors.casing import recase_shouting
from brief.actors.gazetteer import load_gazetteer, load_lexicon


def _json(text: str) -> dict[str, Any]:
    return to_jsonable(analyse_text(text))


def _actors(text: str) -> dict[str, str]:
    """Actor name → kind."""
    return {a["name"]: a["kind"] for a in _json(text)["actors"]}


def _places(text: str) -> dict[str, list[str]]:
    return {p["name"]: [m["text"] for m in p["mentions"]] for p in _json(text)["places"]}


# --- demonyms ---------------------------------------------------------------------


def test_a_demonym_is_its_own_kind_of_mention_not_the_states_name() -> None:
    text = "Russian troops crossed the border on Monday. Russia denied it."
    result = analyse_text(text)
    kinds = {(m.surface, m.kind) for m in result.mentions}
    assert kinds == {("Russian", "demonym"), ("Russia", "name")}
    data = to_jsonable(result)
    russia = next(a for a in data["actors"] if a["name"] == "Russia")
    assert [m["text"] for m in russia["mentions"]] == ["Russia"]
    assert data["demonyms"] == [{"actor": "Russia", "text": "Russian", "start": 0, "end": 7}]
    # The cache keeps the kind.
    assert {(m.surface, m.kind) for m in from_json(to_json(result)).mentions} == kinds


def test_a_state_named_by_name_is_no_demonym() -> None:
    result = analyse_text("Officials in Moscow said Russia would respond.")
    assert {m.kind for m in result.mentions} == {"name"}


# --- places -----------------------------------------------------------------------


def test_a_region_is_a_place_kept_apart_from_the_actors() -> None:
    text = "The storm hit Texas on Monday, and Governor Ann Bowe said help was coming."
    assert _places(text) == {"Texas": ["Texas"]}
    assert "Texas" not in _actors(text)
    assert _actors(text)["Ann Bowe"] == "person"
    result = analyse_text(text)
    assert all(m.kind == "place" for m in result.place_mentions)
    assert from_json(to_json(result)).places == result.places


def test_a_place_that_opens_a_teams_name_is_no_place() -> None:
    assert _places("The Chicago Bulls won again on Sunday.") == {}


def test_former_country_names_are_states() -> None:
    text = "The Soviet Union collapsed. Troops left Yugoslavia and Czechoslovakia."
    assert {"Soviet Union", "Yugoslavia", "Czechoslovakia"} <= {
        name for name, kind in _actors(text).items() if kind == "state"
    }


def test_west_and_east_stay_part_of_the_name() -> None:
    mentions = {m.surface for m in analyse_text("West Germany beat East Germany.").mentions}
    assert mentions == {"West Germany", "East Germany"}


# --- lines in capitals -----------------------------------------------------------


def test_capitals_are_recased_with_the_same_length() -> None:
    gaz, lex = load_gazetteer(), load_lexicon()
    text = "SOCCER - JAPAN WIN AS NATO WATCHES\nThe win came late.\n"
    recased = recase_shouting(text, gaz, lex)
    assert len(recased) == len(text)
    assert recased.startswith("Soccer - Japan win as NATO")
    assert recased.endswith("The win came late.\n")  # lines in lower case are untouched
    assert recase_shouting("Plain text.", gaz, lex) == "Plain text."


def test_a_name_in_a_headline_in_capitals_joins_the_person() -> None:
    text = "SOCCER - SMITH SCORED TWICE\n\nJohn Smith scored twice on Sunday."
    result = analyse_text(text)
    smith = [m for m in result.mentions if m.actor == "John Smith"]
    assert {m.surface for m in smith} == {"SMITH", "John Smith"}  # offsets into the original
    assert all(text[m.start : m.end] == m.surface for m in result.mentions)
    assert "Scored" not in _actors(text) and "SCORED" not in _actors(text)


# --- datelines -------------------------------------------------------------------


def test_a_datelines_city_is_a_place() -> None:
    text = "PORTVILLE , Ruritania 2024-05-01\n\nThe mayor of the town spoke on Friday."
    assert _places(text) == {"Portville": ["PORTVILLE"]}
    assert _places("KESTON, Ruritania, May 1\n\nThe mayor spoke.") == {"Keston": ["KESTON"]}


def test_a_name_before_a_comma_without_a_date_is_no_dateline() -> None:
    assert _places("Bowe, a farmer, said the harvest was poor.") == {}


# --- results tables --------------------------------------------------------------


def test_teams_in_a_results_table_are_organisations() -> None:
    text = "Bramford 2 Lowtown 1\nKestrel Rovers 0 Bramford 3\nPostponed : Oxley v Dunmore"
    actors = _actors(text)
    assert {
        actors.get(n) for n in ("Bramford", "Lowtown", "Kestrel Rovers", "Oxley", "Dunmore")
    } == {"organisation"}


def test_a_sentence_with_numbers_is_no_results_table() -> None:
    assert _actors("Bramford scored 2 goals in the match.").get("Bramford") != "organisation"


def test_a_player_with_an_initial_is_a_person_even_in_a_scorecard() -> None:
    actors = _actors("At Dunmore : R. Kettlewell 108 , G. Hamblin 61 .")
    assert actors.get("R. Kettlewell") == "person" and actors.get("G. Hamblin") == "person"


def test_an_athlete_is_known_by_their_country_in_brackets() -> None:
    actors = _actors("1. Jon Velder ( Norway ) 20.37\n2. Kari Smeds ( Sweden ) 20.41")
    assert actors.get("Jon Velder") == "person" and actors.get("Kari Smeds") == "person"
    assert actors.get("Norway") == "state"


# --- credits and things that are no actors --------------------------------------


def test_bylines_and_contributor_credits_are_not_read() -> None:
    text = (
        "By Jane Doe, Daily Planet\n\nSenator Ada Brisk said the bill would pass.\n\n"
        "Daily Planet's John Roe contributed to this report."
    )
    actors = _actors(text)
    assert "Jane Doe" not in actors and "John Roe" not in actors
    assert "Daily Planet" not in actors
    assert actors.get("Ada Brisk") == "person"


def test_a_byline_word_inside_a_sentence_is_read() -> None:
    actors = _actors("By Tuesday, Senator Ada Brisk said, the bill would pass.")
    assert actors.get("Ada Brisk") == "person"


def test_an_offer_code_is_no_name() -> None:
    assert "BRIEFLY" not in _actors("Listeners save 20 percent: use code BRIEFLY at checkout.")


def _not_actors(text: str) -> dict[str, str]:
    result: ArticleActors = analyse_text(text)
    return dict(result.not_actors)


def test_products_and_technologies_are_flagged_not_actors() -> None:
    text = "The new Apple Watch tracks sleep, and GPS maps runs. Apple said GPS sales rose."
    flags = _not_actors(text)
    assert flags.get("Apple Watch") == "product" and flags.get("GPS") == "product"
    assert "Apple" not in flags  # the company is an actor
    data = _json(text)
    assert {a["name"]: a["not_actor"] for a in data["actors"]}["Apple"] is None


def test_a_person_named_only_as_history_is_flagged() -> None:
    text = (
        "In a mirror of President Harold Grantham's embrace of tariffs, Senator Ada Brisk "
        "said she would vote for the bill. Brisk spoke on Monday."
    )
    flags = _not_actors(text)
    assert flags.get("Harold Grantham") == "history" and "Ada Brisk" not in flags


def test_a_person_in_the_news_as_well_as_in_history_is_an_actor() -> None:
    text = (
        "In a mirror of President Harold Grantham's embrace of tariffs, the bill passed. "
        "Grantham said on Monday that he welcomed it."
    )
    assert "Harold Grantham" not in _not_actors(text)

"""People in sports copy and lists, on invented text: line-ups, players' scores, bowling."""

from __future__ import annotations

import pytest

from brief.actors.analysis import analyse_text


def _kinds(text: str) -> dict[str, str]:
    """Actor name → kind."""
    return {a.name: a.kind for a in analyse_text(text).actors}


def test_a_line_up_with_two_known_people_is_a_list_of_people() -> None:
    text = (
        "The selectors named their squad on Monday.\n"
        "Borland : John Smith , Mary Jones , Tarik Osmanov , Quill Ferrow , Zanno Prest .\n"
    )
    kinds = _kinds(text)
    for name in ("Tarik Osmanov", "Quill Ferrow", "Zanno Prest"):
        assert kinds.get(name) == "person", kinds


def test_a_list_with_no_person_known_in_it_stays_unknown() -> None:
    text = (
        "The fund sold its stakes on Monday.\nSold : Quill Ferrow , Zanno Prest , Tarik Osmanov .\n"
    )
    kinds = _kinds(text)
    assert all(kinds.get(n) != "person" for n in ("Quill Ferrow", "Zanno Prest")), kinds


@pytest.mark.parametrize(
    ("line", "name", "kind"),
    [
        # a player's rounds beside a full name with a first name: a person
        ("287 Ian Quorley 70 76 71 70", "Ian Quorley", "person"),
        # a club beside its score stays a team, though its first word is a first name
        ("Charlton Athletic 2 Quorley Town 1", "Charlton Athletic", "organisation"),
    ],
)
def test_results_lines_keep_players_people_and_teams_organisations(
    line: str, name: str, kind: str
) -> None:
    text = f"Leading scores after the final round on Sunday:\n{line}\n{line}\n"
    assert _kinds(text).get(name) == kind


def test_a_bowlers_figures_make_a_person() -> None:
    text = "Bowling for the visitors on Sunday:\nQuorlitharan 10-0-41-2 , Smith 9-0-44-1 .\n"
    assert _kinds(text).get("Quorlitharan") == "person"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # a city that beat a club is its team
        ("Leeds beat Chelsea 2-1 on Saturday.", {"Leeds": "organisation"}),
        ("Karlsruhe drew with Bayern Munich on Saturday.", {"Karlsruhe": "organisation"}),
        # states stay states, players stay people, two unknown surnames are no teams
        ("Russia lost to China in the vote.", {"Russia": "state", "China": "state"}),
        ("Andre Agassi beat Pete Sampras in the final.", {"Andre Agassi": "person"}),
        ("Sampras beat Ivanisevic in the final.", {"Sampras": None}),
    ],
)
def test_the_sides_of_a_match_are_teams(text: str, kinds: dict[str, str | None]) -> None:
    found = _kinds(text)
    for name, kind in kinds.items():
        assert found.get(name) == kind, found

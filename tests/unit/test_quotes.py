"""Direct quotes and their speakers: every attribution pattern, and what is not speech."""

from __future__ import annotations

import pytest

from brief.actors.analysis import analyse_text
from brief.actors.detect import detect
from brief.actors.quotes import find_quotes, title_spans


def quotes(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in analyse_text(text).quotes]


def speaker_of(text: str, opening: str) -> str | None:
    for quote_text, speaker in quotes(text):
        if quote_text.startswith(opening):
            return speaker
    raise AssertionError(f"no quote starting {opening!r} in {quotes(text)}")


@pytest.mark.parametrize(
    ("text", "opening", "speaker"),
    [
        # “...,” X said / said X / X told ...
        ("“We will not back down,” Senator Ana Ruiz said.", "We will not", "Ana Ruiz"),
        ("“We will not back down,” said Senator Ana Ruiz.", "We will not", "Ana Ruiz"),
        (
            "“Prices will rise again,” Bank of Japan Governor Kazuo Ueda told reporters on Friday.",
            "Prices will",
            "Kazuo Ueda",
        ),
        # X said: “...” / X said (that) ... “...”
        ("Lauda said: “The public will be watching him closely.”", "The public", "Lauda"),
        (
            "Mayor Anne Hidalgo said the city would “never accept a plan like this one.”",
            "never accept",
            "Anne Hidalgo",
        ),
        # an organisation or a state speaks
        ("“The strikes will continue,” the Kremlin said.", "The strikes", "Russia"),
        (
            "“The decision ignores the facts,” Ukraine’s Foreign Ministry said on Tuesday.",
            "The decision",
            "Ukraine",
        ),
        (
            "On Tuesday, China’s state-run Xinhua news agency said the visit would "
            "“inject new momentum into the partnership.”",
            "inject new",
            "Xinhua",
        ),
        # according to X
        (
            "According to NATO, the alliance “remains fully committed” to its members.",
            "remains",
            "NATO",
        ),
        (
            "The army “has lost the initiative,” according to analyst Omar Haddad.",
            "has lost",
            "Omar Haddad",
        ),
        # a relative clause and a participle carry the subject
        (
            "Mr. Xi, who has told Mr. Putin that the two can drive “changes the world has not "
            "seen in a century,” will attend.",
            "changes the world",
            "Xi",
        ),
        (
            "Kyiv has urged leaders to stay away, saying Moscow wants to “whitewash” its war.",
            "whitewash",
            "Ukraine",
        ),
        (
            "Mr. Putin framed the war as a fight against fascism, repeatedly calling the "
            "government a “neo-Nazi regime.”",
            "neo-Nazi",
            "Putin",
        ),
        # single quotation marks, and apostrophes that are not quotes
        (
            "'We didn't deserve to lose,' O'Connor said after Arsenal's defeat.",
            "We didn't",
            "O'Connor",
        ),
        # straight double quotes
        ('"The talks were useful," Chancellor Olaf Scholz said.', "The talks", "Olaf Scholz"),
    ],
)
def test_attribution_patterns(text: str, opening: str, speaker: str) -> None:
    assert speaker_of(text, opening) == speaker


def test_pronouns_go_back_to_the_last_fitting_person() -> None:
    text = (
        "Joseph Webster, a senior fellow at the Atlantic Council, spoke to Maria Lopez.\n\n"
        "“They will coordinate,” he told The Globe and Mail.\n\n"
        "Maria Lopez was less sure. “It is too early to say,” she said."
    )
    assert speaker_of(text, "They will") == "Joseph Webster"
    assert speaker_of(text, "It is too early") == "Maria Lopez"


def test_a_possessive_name_is_not_the_pronouns_antecedent() -> None:
    text = (
        "Coach Mikel Arteta was calm. Asked about winger Bukayo Saka's injury, he added: "
        "“He will be fine for Wednesday.”"
    )
    assert speaker_of(text, "He will be fine") == "Mikel Arteta"


def test_a_quote_continued_in_the_same_paragraph_keeps_its_speaker() -> None:
    text = (
        "“The visit is central,” spokeswoman Maria Zakharova told reporters. “It will send a "
        "signal to the world.”"
    )
    assert speaker_of(text, "It will send") == "Maria Zakharova"


def test_a_quote_that_runs_over_paragraphs_keeps_its_speaker() -> None:
    text = (
        "Patricia Kim, an expert at the Brookings Institution, said this week:\n\n"
        "“The image of Xi in Moscow shows the tension in China’s policy. It cannot last.\n\n"
        "“Beijing wants a Russia strong enough to resist the West, but weak enough to obey.”\n\n"
        "Others disagreed."
    )
    assert speaker_of(text, "The image") == "Patricia Kim"
    assert speaker_of(text, "Beijing wants") == "Patricia Kim"


def test_a_paragraph_of_quote_after_an_attributed_one_continues_it() -> None:
    text = (
        "“The image of Xi in Moscow underscores the tension,” Patricia Kim said.\n\n"
        "“Beijing’s ideal outcome is a Russia strong enough to push back.”"
    )
    assert speaker_of(text, "Beijing’s ideal") == "Patricia Kim"


def test_a_continuation_of_an_unattributed_quote_stays_unattributed() -> None:
    # "she" has no one to refer to, so neither the head nor the paragraph after it is credited.
    text = (
        "“The image of Xi in Moscow underscores the tension,” she said of the view.\n\n"
        "“Beijing’s ideal outcome is a Russia strong enough to push back.”"
    )
    assert speaker_of(text, "The image") is None
    assert speaker_of(text, "Beijing’s ideal") is None


def test_the_company_said_goes_to_the_organisation_in_the_story() -> None:
    text = (
        "Apple was fined by the European Commission on Tuesday.\n\n"
        "“We will appeal this decision, which ignores the market,” the company said."
    )
    assert speaker_of(text, "We will appeal") == "Apple"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # scare quotes: a modifier, a so-called, a repeat, a title
        ("Xi flew to Moscow to mark the “no limits” partnership with Russia.", "no limits"),
        ("Supporters backed a “reverse Nixon” approach to the two powers.", "reverse Nixon"),
        (
            "London wants a so-called “coalition of the willing” for Kyiv.",
            "coalition of the willing",
        ),
        (
            "Critics mocked the “reverse Nixon” idea. Webster said that for all the talk of a "
            "“reverse Nixon,” nothing has changed.",
            "reverse Nixon",
        ),
        ("Mr. Rubio said he had read “The Art of the Deal” twice.", "The Art of the Deal"),
        ("A troll called 'fatalsplash' then accused her of lying.", "fatalsplash"),
        ("He was calling out a hater who called her a 'gold digger' online.", "gold digger"),
    ],
)
def test_what_is_not_speech(text: str, phrase: str) -> None:
    assert all(not q.startswith(phrase) for q, _ in quotes(text)), quotes(text)


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "O'Brien's team won't say whether the Smiths' house was sold; it's Arsenal's call."
    assert quotes(text) == []


def test_an_unattributed_long_quote_is_kept_without_a_speaker() -> None:
    found = quotes("“Nobody saw this coming, and nobody knows what happens next.”\n\nIt rained.")
    assert found == [("Nobody saw this coming, and nobody knows what happens next.", None)]


def test_quote_offsets_and_trailing_commas() -> None:
    text = "“We will win,” Mr. Lee said. “Believe it.”"
    result = analyse_text(text)
    assert [(q.text, q.speaker) for q in result.quotes] == [
        ("We will win", "Lee"),
        ("Believe it.", "Lee"),
    ]
    for quote in result.quotes:
        assert text[quote.start : quote.end] == quote.text


def test_title_spans_are_found() -> None:
    text = 'He sang "American Pie" and said "we are fine now, thanks".'
    spans = title_spans(text)
    assert [text[a:b] for a, b in spans] == ["American Pie"]


def test_find_quotes_on_a_detection_sets_the_article_id() -> None:
    detection = detect("“Fine,” Ms. Ortiz said.")
    found = find_quotes(detection, article_id="a1")
    assert [(q.speaker, q.article_id) for q in found] == [("Ortiz", "a1")]


def test_a_quote_cut_by_its_attribution_is_one_speakers() -> None:
    text = (
        'Olivier Gerolami runs the network. "It is hard to tell how fast it will grow," he '
        'said, "but we are optimistic that it will work."'
    )
    assert speaker_of(text, "but we are") == "Olivier Gerolami"


def test_a_missing_closing_mark_does_not_turn_the_paragraph_inside_out() -> None:
    text = (
        'Olivier Gerolami was upbeat. "Everyone likes it now. "France is the poorest market '
        'in Europe," he said. The board met on Monday.'
    )
    found = dict(quotes(text))
    assert "Everyone likes it now." in found
    assert found["France is the poorest market in Europe"] == "Olivier Gerolami"
    assert all("The board met" not in q for q in found)


def test_an_anonymous_source_is_speech_without_a_speaker() -> None:
    assert quotes("“This is a disgrace,” one official told Reuters on Monday.") == [
        ("This is a disgrace", None)
    ]


def test_a_pronoun_tells_an_unknown_gender() -> None:
    result = analyse_text(
        "Yoon Seo-yeon, a researcher at the Asan Institute, met the envoy.\n\n"
        "“It is a test,” she said."
    )
    genders = dict(zip((a.name for a in result.actors), result.genders, strict=True))
    assert genders["Yoon Seo-yeon"] == "f"


def test_a_one_paragraph_story_between_a_dateline_and_a_credit_keeps_its_quotes() -> None:
    # Copy that arrives as one line: the "(CNN)" dateline opens it and the credit sentence
    # closes it, both excluded; the quotes between them are the story's, not furniture.
    text = (
        "(CNN)Harbour pilot Marta Kovic spent the night on the water. "
        "“We searched until the fog lifted,” Kovic said. "
        "The coast guard thanked the crew. "
        "CNN's Tomas Reyes contributed to this report."
    )
    assert quotes(text) == [("We searched until the fog lifted", "Marta Kovic")]


def test_a_line_that_is_furniture_from_end_to_end_gives_no_quote() -> None:
    # A credit line excluded from end to end: the quoted words in it are not the story's
    # speech, while the body line above it is still read.
    text = (
        "Marta Kovic said the harbour would stay open.\n"
        "Reporting by Tomas Reyes; “the fog was thick all night,” editing by Ana Ruiz\n"
    )
    assert [q for q, _ in quotes(text) if q.startswith("the fog")] == []

"""The cleaning pass: glued captions, inline furniture, datelines, joins; offsets stay right."""

from __future__ import annotations

import pytest

from brief.text.clean import (
    clean_lead,
    clean_paragraphs,
    clean_sentences,
    dateline_length,
    debris,
    is_furniture_sentence,
    is_time_stamp,
)
from brief.text.sentences import split_sentences


def _texts(text: str) -> list[str]:
    return [s.text for s in clean_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A caption glued to the next sentence: the caption goes, the sentence stays.
        (
            "The ferry sank in calm water. Rescuers search the harbour at dawn "
            "The coastguard said twelve people were missing.",
            ["The ferry sank in calm water.", "The coastguard said twelve people were missing."],
        ),
        (
            "Mayor Jane Doe, pictured Ms Doe said the budget was balanced.",
            ["Ms Doe said the budget was balanced."],
        ),
        (
            "The toll rose to 1.5 million Armenians And the envoy said it was genocide.",
            ["The toll rose to 1.5 million Armenians", "And the envoy said it was genocide."],
        ),
        # A title inside a sentence is no caption: the word after it is capitalised.
        (
            "She told The Daily Courier that she would run again.",
            ["She told The Daily Courier that she would run again."],
        ),
        # Inline furniture is cut out wherever it stands.
        (
            "The bridge reopened on Friday. Scroll down for video Drivers queued for an hour.",
            ["The bridge reopened on Friday.", "Drivers queued for an hour."],
        ),
        (
            "The vote passed. Share Tweet Pin Email The mayor thanked the council.",
            ["The vote passed.", "The mayor thanked the council."],
        ),
        (
            "The vote passed easily. Ann Lee and Bo Park contributed to this report.",
            ["The vote passed easily."],
        ),
        # A leading agency dateline is dropped from the sentence.
        ("(CNN)Rain fell all week. Rivers rose.", ["Rain fell all week.", "Rivers rose."]),
        ("LONDON (Reuters) - Prices rose in May.", ["Prices rose in May."]),
        ("PARIS — Talks resumed on Monday.", ["Talks resumed on Monday."]),
        # Nothing to clean: the plain split.
        ("Dr. Smith met the U.S. envoy. Growth was 3.5 percent.", None),
    ],
)
def test_cleaning_rules(text: str, expected: list[str] | None) -> None:
    want = expected if expected is not None else [s.text for s in split_sentences(text)]
    assert _texts(text) == want


# Invented Daily Mail-style pages: a caption glued before a sentence that opens with a name.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jane Roe waves to the crowd after the last lap on Sunday "
            "Roe said the team had earned the win.",
            ["Roe said the team had earned the win."],
        ),
        (
            "The race ended early. Greta Lund poses with her medal in the square of her home "
            "town Greta Lund has won three titles this year.",
            ["The race ended early.", "Greta Lund has won three titles this year."],
        ),
        (
            "Ivo Berg is pictured outside the court in the city centre on Friday "
            "Mr Berg denied all of the charges against him.",
            ["Mr Berg denied all of the charges against him."],
        ),
        # A caption before a lead that opens with "A".
        (
            "Ivo Berg plans to swim the strait, ten years after his father crossed its "
            "width A swimmer has set his sights on the crossing.",
            ["A swimmer has set his sights on the crossing."],
        ),
    ],
)
def test_a_caption_glued_before_a_name_is_cut_out(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


# Real sentences that have a name after a lower-case word: nothing is cut.
@pytest.mark.parametrize(
    "text",
    [
        # A role or relation before the name.
        "Harbour United defender Jane Roe said the team had earned the win.",
        "Police said on Tuesday that the arrested suspect John Smith was released.",
        "The film won praise from critics and the veteran novelist Ann Lee revealed her plans.",
        # A function word before the name.
        "The club confirmed on Monday morning that Jane Roe has signed a new deal.",
        "He thanked the fans who travelled to the final and Jane Roe said it meant a lot.",
        # Too short to be a caption of its own.
        "Speaking after the match Jane Roe said the team had earned the win.",
        # A clause still open before the name.
        "Tom Hale had his first chance of the night when midfield Jane Roe was fouled.",
        # A name the piece before does not show: an object clause, not a caption.
        "Tom Hale waves to the crowd after the last lap on Sunday Jane Roe said it was won.",
        "The deal spares the economy from the stringent tariffs Mr. Hale has threatened "
        "almost every other country with.",
        "Since U.S. President Tom Hale returned to power, the city has sought relief from the "
        "stringent tariffs Mr. Hale has threatened almost every other country with.",
        # "A" inside a noun phrase.
        "Doctors said many children in the region lack vitamin A and need more fruit.",
        "Doctors said the patient showed a classic type A personality in the tests.",
        # A possessive, a plural noun, a name with no verb after it.
        "The judge Kevin Hale dismissed in court today Roe's claims of sleepwalking.",
        "Tom Hale says schools across the city where radical Islamic views were taught.",
        "Tom Hale drove his car to the match against the champions Harbour United.",
    ],
)
def test_a_real_sentence_that_opens_a_name_is_kept_whole(text: str) -> None:
    assert _texts(text) == [text]


# Invented page headers: bylines and time stamps are furniture, whole sentences stay.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "By . Jane Roe and Tom Hale . PUBLISHED: . 08:37 EST, 23 October 2013 . | . "
            "UPDATED: . 12:33 EST, 23 October 2013 . A ferry ran aground near the harbour. "
            "Nobody was hurt.",
            ["A ferry ran aground near the harbour.", "Nobody was hurt."],
        ),
        (
            "By . Example News Reporter . Last updated at 4:12 PM on 5th January 2012 . "
            "A ferry ran aground near the harbour.",
            ["A ferry ran aground near the harbour."],
        ),
        ("By Jane Roe for Example News. A ferry ran aground.", ["A ferry ran aground."]),
        # Real sentences that look a little like them are kept.
        (
            "By the time the police arrived, the men had fled. Jane Roe and Tom Hale. "
            "On Monday 23 October the council met at 9.30 to vote.",
            None,
        ),
    ],
)
def test_bylines_and_time_stamps_are_dropped(text: str, expected: list[str] | None) -> None:
    want = expected if expected is not None else [s.text for s in split_sentences(text)]
    assert _texts(text) == want


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("PUBLISHED: .", True),
        ("08:37 EST, 23 October 2013 .", True),
        ("Last updated at 4:12 PM on 5th January 2012 .", True),
        ("Updated: Monday, March 3", True),
        ("The council met on 23 October 2013.", False),
        ("NATO EU UN.", False),  # no label, no number
        ("2013.", True),
    ],
)
def test_is_time_stamp(line: str, stamp: bool) -> None:
    assert is_time_stamp(line) is stamp


def test_offsets_point_into_the_original_text() -> None:
    text = (
        "(CNN)Rain fell all week. Scroll down for video Flooded streets in the old town "
        "The river rose two metres.\n\nLONDON (Reuters) - Trains stopped."
    )
    sentences = clean_sentences(text)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    assert [s.text for s in sentences] == [
        "Rain fell all week.",
        "The river rose two metres.",
        "Trains stopped.",
    ]
    assert len(clean_paragraphs(text)) == 2


def test_a_text_that_is_only_furniture_keeps_its_split() -> None:
    assert _texts("Scroll down for video") == ["Scroll down for video"]


@pytest.mark.parametrize(
    ("sentence", "length"),
    [
        ("(CNN)Rain fell.", 5),
        ("(AP) -- Rain fell.", 8),
        ("WASHINGTON — Rain fell.", 13),
        ("BEIJING, March 3 (Xinhua) -- Rain fell.", 29),
        ("Washington (CNN)This week it rained.", 16),
        ("New Delhi (CNN) -- Rain fell.", 19),
        ("NATO - the alliance met.", 0),  # lower case after the dash: no dateline
        ("US President Joe Biden spoke.", 0),
        ("(Laughter) It was fine.", 0),
    ],
)
def test_dateline_length(sentence: str, length: int) -> None:
    assert dateline_length(sentence) == length


@pytest.mark.parametrize(
    ("sentence", "furniture"),
    [
        ("Scroll down for video", True),
        ("Share this article", True),
        ("CNN's Ann Lee contributed to this report.", True),
        ("Reporting by Ann Lee; editing by Bo Park", True),
        ("The minister shared the video on Twitter.", False),
        ("Police asked people to share information.", False),
    ],
)
def test_is_furniture_sentence(sentence: str, furniture: bool) -> None:
    assert is_furniture_sentence(sentence) is furniture


@pytest.mark.parametrize(
    ("bullet", "kind"),
    [
        ("(CNN)Rain fell all week in the north.", "dateline"),
        ("Rain fell. Scroll down for video The river rose.", "furniture"),
        (
            "Rescuers search the harbour at dawn The coastguard said twelve were missing.",
            "glued caption",
        ),
        ("The talks ended.The ministers left.", "joined sentences"),
        ("The U.S. economy grew 3.5 percent, example.com said in file.txt.", None),
        ("Dr. Smith told The Times that he was fine.", None),
        (
            "Jane Roe waves to the crowd after the last lap on Sunday Roe said it was won.",
            "glued caption",
        ),
        ("United defender Jane Roe said the team had earned the win.", None),
    ],
)
def test_debris_detector(bullet: str, kind: str | None) -> None:
    assert debris(bullet) == kind


def test_clean_lead_reads_without_furniture() -> None:
    text = "(CNN)Rain fell. Scroll down for video The river rose. " + "More rain. " * 50
    lead = clean_lead(text, 40)
    assert lead.startswith("Rain fell. The river rose.")
    assert "Scroll" not in lead and "(CNN)" not in lead
    assert len(lead) <= 40

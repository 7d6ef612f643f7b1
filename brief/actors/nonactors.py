"""Patterns of names that are no actors: credits and datelines, products, media, history.

Plain tests on a mention's surroundings; :func:`brief.actors.briefs.non_actor_reason`
combines them over every mention of a day's actor.
"""

from __future__ import annotations

import re
from functools import lru_cache

from brief.text.folding import folded

_SPLIT = str.split
# A sentence crediting the reporting, not reporting the news.
_CREDIT = (
    r"contributed (?:to )?(?:this )?report|contributed reporting|additional reporting|"
    r"(?:reporting|editing|writing|compiled|produced) by|with (?:additional )?reports? from|"
    r"all rights reserved|copyright|©|^\W*by\b"
)
_CREDIT_RE = re.compile(_CREDIT, re.IGNORECASE)
# The same pattern (all lower case) without IGNORECASE, for the text folded first
# (brief/text/folding.py): the same matches, in about a third of the time.
_CREDIT_FOLDED_RE = re.compile(_CREDIT)
# The publisher as the one spoken to: "told CNN", "in an interview with the BBC".
_LISTENER_RE = re.compile(
    r"(?:\btold|\binterview with|\bspeaking to|\bspoke to|\btalking to|\btalked to|"
    r"\b(?:an? )?(?:e-?mail|statement|letter|message) to|\bwrote for|\bwriting (?:in|for))"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# The publisher's own people: "CNN's chief medical correspondent", "CNN affiliate WAVY".
_STAFF_AFTER_RE = re.compile(
    r"^(?:[’']s(?:\s+[\w-]+){0,3}?\s+(?:correspondent|reporter|anchor|host|producer|editor|"
    r"columnist|contributor|affiliate|analyst|journalist|writer|presenter|crew|team)s?\b"
    r"|\s+affiliates?\b)",
    re.IGNORECASE,
)
# A medium, not an agent: "posted on Twitter", "her Twitter followers".
_MEDIUM_BEFORE_RE = re.compile(r"\b(?:on|onto|to|via|through|with)\s+$", re.IGNORECASE)
_MEDIUM_AFTER_RE = re.compile(
    r"^(?:[’']s)?\s+(?:account|page|feed|follower|fan|audience|post|user|troll|profile|handle|"
    r"video|photo|message|app|channel|live|story|stories)",
    re.IGNORECASE,
)
_CREDIT_WORDS = 40  # a credit line is short
_DATELINE_CHARS = 120  # "(CNN)" and "LONDON (Reuters) -" open a paragraph
# Words that put a sentence in the past: decades, centuries, anniversaries, eras ("the
# Trump-era", its hyphen a word boundary too), wars.  In lower case, and compiled as
# _CREDIT is, twice: for any text ignoring case, and as it is for the text folded.
_HISTORY = (
    r"\b1[0-9]{2}0s\b|\b[0-9]{1,2}(?:st|nd|rd|th)[ -]century\b|\bcentur(?:y|ies) ago\b|"
    r"\banniversary\b|\bera\b|\blegacy\b|\bhistor(?:y|ic|ical|ically)\b|"
    r"\bmirror of\b|\breminiscent of\b|\bechoe?s? of\b|\bin the tradition of\b|"
    r"\bworld war (?:i{1,2}|one|two)\b|\bcold war\b|\bnazi\b|\bthe late\b|\bfounding father"
)
_HISTORY_RE = re.compile(_HISTORY, re.IGNORECASE)
_HISTORY_FOLDED_RE = re.compile(_HISTORY)
_YEAR_RE = re.compile(r"\b(1[5-9][0-9]{2}|20[0-9]{2})\b")
_PAST_YEARS = 10  # a year this long before the article puts its sentence in history
# Technology and format names, never actors whatever they do in a sentence.
_TECH_TERMS = frozenset(
    _SPLIT(
        "gps ai usb led lcd oled api vpn nfc hdmi wi-fi wifi bluetooth 5g 4g lte sim cpu gpu "
        "pdf html rss url sms qr ios android macos linux windows chatgpt"
    )
)
# Last words of product names ("Apple Watch", "Vision Pro", "Galaxy S24 Ultra").
_PRODUCT_HEADS = frozenset(
    _SPLIT(
        "Watch Phone iPhone iPad Pad Pro Max Mini Ultra Plus Pixel Galaxy Kindle Echo Console "
        "OS App Edition Series Buds AirPods Earbuds Tablet Laptop"
    )
)
# An object, not an agent: "your iPhone", "a Tesla", "promo code BRIEF20".
_OBJECT_BEFORE_RE = re.compile(
    r"(?:\b(?:your|my|our|his|her|their|its|a|an|new|latest|code|coupon)|promo code)\s+$",
    re.IGNORECASE,
)


def product_name(name: str) -> bool:
    """A technology, format or product name ("GPS", "Apple Watch", "iPhone", "BRIEF20")?"""
    words = name.split()
    if name.casefold() in _TECH_TERMS:
        return True
    if len(words) >= 2 and words[-1] in _PRODUCT_HEADS:
        return True
    # "iPhone", "S24", "BRIEF20": a brand spelling or a model number, not a name.
    # (each test maps a str method over the word's characters, in C)
    return any(
        (w[:1].islower() and any(map(str.isupper, w[1:])))
        or (any(map(str.isdigit, w)) and any(map(str.isalpha, w)))
        for w in words
    )


def inside_quote_marks(text: str, start: int) -> bool:
    """Is ``start`` inside curly quotation marks ("a “reverse Nixon” approach")?"""
    window = text[max(0, start - 300) : start]
    return window.rfind("“") > window.rfind("”")


def credited(
    text: str, start: int, end: int, surface: str, sentence: str, publishers: set[str]
) -> bool:
    """Is the mention ``text[start:end]`` (in ``sentence``) a dateline, byline, credit, the
    publisher's staff or the publisher as the one spoken to?
    """
    paragraph = text.rfind("\n", 0, start) + 1
    before = text[max(paragraph, start - 40) : start]
    if start - paragraph <= _DATELINE_CHARS and before.endswith("(") and text[end : end + 1] == ")":
        return True  # "(CNN)", "LONDON (Reuters) -"
    if _LISTENER_RE.search(before) or _STAFF_AFTER_RE.match(text[end : end + 60]):
        return True
    if credit_line(sentence):
        return True
    # The outlet named as the source of a story it published: "according to CNN".
    return surface.casefold() in publishers and before.rstrip().endswith("according to")


def _search(ignoring_case: re.Pattern[str], on_folded: re.Pattern[str], text: str) -> bool:
    """Does ``ignoring_case`` find something in ``text``?  Asked of ``on_folded``, its
    lower-case twin without IGNORECASE, on the folded text where there is one."""
    lowered = folded(text)
    if lowered is None:
        return ignoring_case.search(text) is not None
    return on_folded.search(lowered) is not None


@lru_cache(maxsize=4096)  # asked once per mention, of the same few sentences
def credit_line(sentence: str) -> bool:
    """A short sentence crediting the reporting ("CNN's Jane Doe contributed to this report")."""
    if len(sentence.split()) > _CREDIT_WORDS:
        return False
    return _search(_CREDIT_RE, _CREDIT_FOLDED_RE, sentence)


@lru_cache(maxsize=4096)
def historical(sentence: str, year: int | None = None) -> bool:
    """Does the sentence speak of the past (a decade, an era, a war; a year ten or more
    years before ``year``, the article's)?
    """
    if _search(_HISTORY_RE, _HISTORY_FOLDED_RE, sentence):
        return True
    return year is not None and any(
        int(y) <= year - _PAST_YEARS for y in _YEAR_RE.findall(sentence)
    )


def as_object(text: str, start: int) -> bool:
    """Is the mention at ``start`` an object ("your iPhone", "a Tesla", "promo code X")?"""
    return _OBJECT_BEFORE_RE.search(text[max(0, start - 20) : start]) is not None


def as_medium(text: str, start: int, end: int) -> bool:
    """Is the mention a medium ("posted on Twitter", "her Twitter followers")?"""
    return bool(
        _MEDIUM_BEFORE_RE.search(text[max(0, start - 12) : start])
        or _MEDIUM_AFTER_RE.match(text[end : end + 30])
    )

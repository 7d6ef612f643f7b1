"""Does a mention act? The actor named is the subject of a verb, or says something, in its sentence.

No parser: a mention acts when, after optional appositions ("Joseph Webster, a
senior fellow, said"), a coordinated name ("Mr. Xi and Mr. Putin have") or
adverbs ("Beijing has consistently denied"), a verb follows; a possessive or
adjective form followed by a body that speaks for it also acts ("Ukraine's
Foreign Ministry said", "Chinese officials said").  A mention after a
preposition ("to Russia"), before another name ("Chinese President Xi") or in
compound words ("Washington-based") does not.  Reporting inversions ("said
Mr. Trump", "according to the ministry") count as speech.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from brief.models import Mention

_TOKEN_RE = re.compile(r"[’']s\b|\w+(?:[’'-]\w+)*|[^\w\s]")

_WORDS = str.split

# Auxiliaries and the verbs news copy most often puts after a subject.
_VERBS = frozenset(
    _WORDS(
        "is was were are am be been has have had will would can could may might must should "
        "shall did does do said says say told tells added adds asked asks announced announces "
        "warned warns urged urges called calls accused accuses denied denies insisted insists "
        "argued argues claimed claims stressed stresses wrote writes signed signs met meets "
        "visited visits agreed agrees plans planned wants wanted made makes took takes gave "
        "gives won wins lost loses led leads got gets went goes came comes became becomes left "
        "launched launches ordered orders sent sends sold sells bought buys held holds ran runs "
        "spoke speaks sought seeks faces faced vowed vows promised promises threatened threatens "
        "rejected rejects refused refuses declined declines confirmed confirms expects expected "
        "hopes hoped needs needed tried tries began begins continues continued remains remained "
        "appears appeared seems seemed knew knows thinks thought believes believed admitted "
        "admits pleaded pleads filed files killed kills attacked attacks struck strikes fired "
        "fires raised raises cut cuts moved moves imposed imposes reported reports revealed "
        "reveals released releases received receives responded responds demanded demands "
        "pledged pledges suggested suggests criticised criticized criticises criticizes "
        "praised praises blamed blames condemned condemns welcomed welcomes approved approves "
        "voted votes passed passes arrested arrests charged charges sued sues paid pays "
        "lives lived died dies helped helps tweeted posted explained explains noted notes "
        "described describes acknowledged acknowledges set sets put puts let lets saw sees "
        "found finds showed shows played plays scored scores beat beats joined joins"
    )
)
# Words between a subject and its verb that do not break the link ("has consistently denied").
_ADVERBS = frozenset(
    _WORDS(
        "also now then still never already again once not too both all alone first later "
        "himself herself itself themselves just even soon yet ever often so"
    )
)
# A possessive or adjective form acts when one of these speaks or acts for it.
_VOICES = frozenset(
    _WORDS(
        "government ministry embassy military army navy officials official spokesman "
        "spokeswoman spokesperson authorities leaders leader leadership parliament cabinet "
        "regulators prosecutors police forces troops president minister ambassador envoy "
        "delegation negotiators administration department agency office media diplomats "
        "court judge lawyers board chief executive ceo"
    )
)
_PREPOSITIONS = frozenset(
    _WORDS(
        "in to from with of on at for by into against toward towards over about between "
        "across than like under after before during via amid among without within behind "
        "beyond through around near including upon onto unlike despite"
    )
)
_REPORTING = frozenset(_WORDS("said says added wrote asked told"))
_AFTER_VERB_S = frozenset(_WORDS("a an the to that his her its their no more this these those"))
_APPOSITION_WORDS = 40  # an apposition longer than this is not one
_QUOTE_MARKS = '“”"‘'


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


class _Tokens:
    """The tokens of a text, read only as far as a test looks (most look at two or three)."""

    __slots__ = ("_end", "_pos", "_read", "_text")

    def __init__(self, text: str, end: int | None = None) -> None:
        """The tokens of ``text[:end]``."""
        self._text = text
        self._pos = 0  # where the next token is searched for
        self._end = len(text) if end is None else end
        self._read: list[str] = []

    def at(self, index: int) -> str | None:
        """The token at ``index``, or None past the last one."""
        read = self._read
        while len(read) <= index:
            # (A search from the last token's end finds what finditer would next: one
            # search costs a fraction of a finditer's start.)
            found = _TOKEN_RE.search(self._text, self._pos, self._end)
            if found is None:
                return None
            read.append(found.group())
            self._pos = found.end()
        return read[index]

    def first(self, count: int) -> list[str]:
        """The first ``count`` tokens (all of them when there are fewer)."""
        self.at(count - 1)
        return self._read[:count]


def _last_tokens(before: str) -> list[str]:
    """The tokens of the last three words of ``before``, the text before a mention.

    A token holds no space, so the tokens after a space are those the whole
    text has there; three words hold the last three tokens or more.  A word
    of letters and digits alone is one token.
    """
    words = before.rsplit(None, 3)[-3:]
    if "".join(words).isalnum():
        return words
    return _tokens(" ".join(words))


def _is_verb(word: str, following: _Tokens | None = None, at: int = 0) -> bool:
    """A lower-case word that reads as a finite verb after a subject.

    ``following.at(at)`` is the token after it (read only when an -s form needs it).
    """
    if not word.islower():
        return False
    if word in _VERBS:
        return True
    if len(word) >= 5 and word.endswith("ed"):
        return True
    # "Beijing wants a deal": an -s form only when an object or infinitive follows it.
    return (
        len(word) >= 4
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and following is not None
        and following.at(at) in _AFTER_VERB_S
    )


def _skip_apposition(tokens: _Tokens, at: int) -> int | None:
    """After ", <apposition>," the index of the next token; None when there is none."""
    for index in range(at + 1, at + 1 + _APPOSITION_WORDS):
        token = tokens.at(index)
        if token is None:
            return None
        if token in _QUOTE_MARKS or token in ".;:?!":
            return None
        if token == ",":
            return index + 1
    return None


_BODY_WORDS = _VOICES | frozenset(
    _WORDS("foreign defence defense interior finance state top senior")
)
_GAP_WORDS = 5  # a name this close after another, with no break between, is modified by it


def verb_follows(after: str, next_mention_at: int | None = None) -> bool:
    """Does a verb follow a mention?  ``after`` is the sentence's text after it.

    ``next_mention_at`` is where the next other actor's mention starts in
    ``after``: coordinated with a lone "and" the two share the verb that follows
    the other name; close behind with no break between, this mention only
    modifies it ("Chinese President Xi Jinping").
    """
    if after[:1] in ("-", "–", "/"):
        return False  # "Washington-based", "U.S.-Europe": part of a compound word
    if next_mention_at is not None:
        # (One token more than a close gap holds is enough to tell it is not close.)
        gap = _Tokens(after, next_mention_at).first(_GAP_WORDS + 1)
        if gap == ["and"]:
            return _coordinated(_Tokens(after[next_mention_at:]))
        if len(gap) <= _GAP_WORDS and not any(
            t in _QUOTE_MARKS or (not t[0].isalnum() and t not in ("’s", "'s")) or _is_verb(t)
            for t in gap
        ):
            return False
    tokens = _Tokens(after)
    first = tokens.at(0)
    if first in ("’s", "'s"):
        # "Ukraine's Foreign Ministry said": a body that speaks for the actor.
        index = 1
        while (token := tokens.at(index)) is not None and (
            token[:1].isupper() or token.lower() in _BODY_WORDS
        ):
            index += 1
        return index > 1 and _verb_at(tokens, index)
    if first is not None and first.lower() in _VOICES:
        return _verb_at(tokens, 1)  # "Chinese officials said"
    if first == "," and tokens.at(1) in ("who", "which"):
        return True
    index = 0
    if first == ",":
        skipped = _skip_apposition(tokens, 0)
        if skipped is None:
            return False
        index = skipped
    return _verb_at(tokens, index)


def _coordinated(tokens: _Tokens) -> bool:
    """After "X and Y": the verb past Y's own (capitalised) words."""
    index = 0
    while (
        index < _GAP_WORDS
        and (token := tokens.at(index)) is not None
        and (token[:1].isupper() or token == ".")  # "Ms. Lind"
    ):
        index += 1
    return _verb_at(tokens, index)


def _verb_at(tokens: _Tokens, index: int) -> bool:
    """Is the token at ``index``, past any adverbs, a verb?"""
    while (token := tokens.at(index)) is not None and (
        token in _ADVERBS or (token.endswith("ly") and token.islower())
    ):
        index += 1
    if token is None:
        return False
    return _is_verb(token, tokens, index + 1)


def reported_by(before: str) -> bool:
    """Is a mention the speaker of an inverted report ("…, said Mr. Trump", "according to X")?"""
    return _reported(_last_tokens(before))


def _reported(tokens: list[str]) -> bool:
    """:func:`reported_by` of the text whose last tokens are ``tokens``."""
    words = tokens[-3:]
    if not words:
        return False
    if words[-2:] == ["according", "to"]:
        return True
    return words[-1] in _REPORTING and len(words) >= 2 and words[-2] in ',”"’'


def after_preposition(before: str) -> bool:
    """Does the mention follow a preposition ("to Russia", "with Washington")?"""
    return _follows_preposition(_last_tokens(before))


def _follows_preposition(words: list[str]) -> bool:
    """:func:`after_preposition` of the text whose last tokens are ``words``."""
    return bool(words) and words[-1].lower() in _PREPOSITIONS and words[-2:] != ["according", "to"]


def mention_acts(
    text: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    others: Sequence[int] = (),
) -> bool:
    """Does the mention at ``text[start:end]`` act in ``sentence`` (its (start, end))?

    ``others`` are the starts of the other actors' mentions in the sentence.
    """
    before = text[sentence[0] : start]
    after = text[end : sentence[1]]
    last = _last_tokens(before)
    if _reported(last):
        return True
    if _follows_preposition(last):
        return False
    following = [o - end for o in others if o >= end]
    return verb_follows(after, min(following) if following else None)


def mentions_acting(
    text: str, mentions: Sequence[Mention], sentences: Sequence[tuple[int, int]]
) -> tuple[bool, ...]:
    """For each of ``mentions`` (in their order): does it act in its sentence of ``sentences``?

    ``sentences`` are (start, end) in order, not overlapping; a mention outside
    every sentence (a caption cut out, a dateline) does not act.  The other
    actors' mentions in the same sentence are the ``others`` of :func:`mention_acts`.
    """
    starts = [start for start, _ in sentences]
    inside: dict[int, list[int]] = {}  # sentence number → its mentions (by number)
    for number, mention in enumerate(mentions):
        at = bisect_right(starts, mention.start) - 1
        if at >= 0 and mention.end <= sentences[at][1]:
            inside.setdefault(at, []).append(number)
    acting = [False] * len(mentions)
    for at, numbers in inside.items():
        for number in numbers:
            mention = mentions[number]
            others = [mentions[o].start for o in numbers if mentions[o].actor != mention.actor]
            acting[number] = mention_acts(text, mention.start, mention.end, sentences[at], others)
    return tuple(acting)

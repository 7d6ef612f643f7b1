"""The words of a whole day's texts, read at once: what ``brief.text.news._TOKEN`` finds.

The story clusterer (brief/text/stories.py) reads every article's title and lead: a big
day is millions of tokens and few distinct words, so the ASCII texts are read with numpy
rather than the regex, and each token is kept as a number (its word's place in a list of
the day's words), never as a Python string.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

# The words of brief.text.news._TOKEN, read without the regex where a text allows it.
_WORD_PATTERN = r"[^\W_]+(?:['’][^\W_]+)*"  # (must be _TOKEN's: a test checks it)
# Characters outside ASCII that news texts carry often and that are in no word: they
# separate words as a space does (a test checks that _TOKEN reads none of them).
_WIDE_SEPARATORS = ("£", "\xa0", "‘", "“", "”", "–", "—", "…", "€", "°", "•", "·")
# Bytes to themselves where ASCII letters, digits and the apostrophe, else to a space.
_SEPARATE = bytes(c if chr(c).isalnum() or c == ord("'") else ord(" ") for c in range(128))
_SEPARATE += b" " * 128


# A word's first eight bytes as one number, the rest masked off (little-endian: the first
# byte is the lowest): _KEEP_BYTES[k] keeps k bytes.
_KEEP_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
_FOLD = np.uint64(0x9E3779B97F4A7C15)  # folds a long word's further eight bytes into its key
_SPREAD = np.uint64(0xD6E8FEB86659FD93)  # spreads keys over the slots of a table
_CHUNK = 1 << 18  # bytes of text read at a time (small arrays: in cache, their memory reused)


def _day_words(texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``_TOKEN.findall`` of every text, read for the whole day at once: each token's text
    number and its word's place in a list of the day's words, and the list (each text's
    tokens in its order, the texts not always in theirs; a word may stand in the list
    more than once).

    A big day has millions of tokens and few distinct words: a text that is ASCII but for
    separators is read without the regex, and its tokens without a Python object each.
    The day's ASCII texts become one string of bytes in which a word is a run of ASCII
    letters and digits, joined by apostrophes that stand between two of them: everything
    else is a space (``_SEPARATE``).  Each token's key is its bytes (a word of eight bytes
    at most: its key is the word itself, no byte being 0) or, for a longer word, its
    first eight bytes with every further eight folded in.  The distinct keys are kept in
    a table as they are met, each with the first token of it, its example; a token is its
    key's word once its length and bytes are checked against the example, and the rare
    token that differs (two long words of one key) is looked up by its text.

    The numbers are 32-bit (a day has far fewer texts and words than 2**31): the token
    arrays are a big day's largest, and are made in parts and joined.
    """
    from brief.text.news import _TOKEN

    numbers: list[int] = []
    separated: list[bytes] = []  # (the ASCII texts through _SEPARATE)
    others: list[tuple[int, str]] = []
    regex = _TOKEN.pattern != _WORD_PATTERN  # (the reading below is written for this one)
    for number, text in enumerate(texts):
        if not text.isascii():
            for separator in _WIDE_SEPARATORS:
                if separator in text:
                    text = text.replace(separator, " ")
        if regex or not text.isascii():
            others.append((number, text))
        else:
            numbers.append(number)
            separated.append(text.encode("ascii").translate(_SEPARATE))
    # A space stands between two texts (a text's words never run into the next's), and
    # eight follow the last (a word's last eight bytes are read as one number).
    raw = b" ".join([*separated, b" " * 7])
    bounds = np.cumsum([0, *(len(text) + 1 for text in separated)])  # (each text's start)
    del separated
    blocks = np.ndarray((len(raw) - 7,), dtype="<u8", buffer=raw, strides=(1,))
    table = _KeyTable(10)
    example_starts = example_lengths = np.zeros(0, dtype=np.int64)
    odd: defaultdict[str, int] = defaultdict(itertools.count().__next__)  # (by their text)
    rows_parts, places_parts = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int32)]
    first = 0
    while first < len(numbers):  # (texts a _CHUNK of bytes at a time, or one longer text)
        last = max(first + 1, int(np.searchsorted(bounds, bounds[first] + _CHUNK)))
        last = min(last, len(numbers))
        starts, ends = _word_spans(raw, int(bounds[first]), int(bounds[last]))
        counts = np.diff(np.searchsorted(starts, bounds[first : last + 1]))
        rows_parts.append(np.repeat(np.array(numbers[first:last], dtype=np.int32), counts))
        first = last
        lengths = ends - starts
        keys = _word_keys(blocks, starts, lengths)
        places = table.find(keys)
        new = np.flatnonzero(places < 0)
        if new.size:
            added, where = np.unique(keys[new], return_inverse=True)
            places[new] = len(example_starts) + where
            examples = np.empty(len(added), dtype=np.int64)
            examples[where] = new  # (of a new key's tokens, one stays: the example)
            example_starts = np.concatenate((example_starts, starts[examples]))
            example_lengths = np.concatenate((example_lengths, lengths[examples]))
            table = table.add(
                added, np.arange(len(example_starts) - len(added), len(example_starts))
            )
        # A key's tokens are its word where they match its example (a short word's key is
        # its bytes: the same length suffices; a long word's bytes are compared).
        same = example_lengths[places] == lengths
        check = np.flatnonzero(same & (lengths > 8))
        against = example_starts[places[check]]
        offset = 0
        while check.size:
            keep = _KEEP_BYTES[np.minimum(lengths[check] - offset, 8)]
            equal = (blocks[starts[check] + offset] ^ blocks[against + offset]) & keep == 0
            same[check[~equal]] = False
            offset += 8
            further = equal & (lengths[check] > offset)
            check, against = check[further], against[further]
        differ = np.flatnonzero(~same)
        if differ.size:  # (places counted from the end: the keys' words come first)
            spans = zip(starts[differ].tolist(), ends[differ].tolist(), strict=True)
            places[differ] = [-1 - odd[raw[s:e].decode("ascii")] for s, e in spans]
        places_parts.append(places)
    del blocks
    spans = zip(example_starts.tolist(), (example_starts + example_lengths).tolist(), strict=True)
    words = [raw[s:e].decode("ascii") for s, e in spans]
    del raw
    for number, text in others:
        found = _TOKEN.findall(text)
        rows_parts.append(np.full(len(found), number, dtype=np.int32))
        places_parts.append(np.fromiter((-1 - odd[w] for w in found), np.int32, len(found)))
    # (each list of parts goes as soon as it is joined: two copies of both would be the
    # clustering's largest moment)
    rows = np.concatenate(rows_parts)
    del rows_parts
    places = np.concatenate(places_parts)
    del places_parts
    looked_up = places < 0
    places[looked_up] = len(words) - 1 - places[looked_up]
    return rows, places, [*words, *odd]


def _word_spans(raw: bytes, low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the words of ``raw[low:high]`` (ASCII through ``_SEPARATE``, a space after
    and before it) start and end."""
    chars = np.frombuffer(raw, dtype=np.uint8, count=high - low, offset=low)
    word = chars > ord("'")  # (ASCII letters and digits; the rest is ' or a space)
    inner = np.flatnonzero(chars == ord("'"))  # (few: each looked at)
    inner = inner[(inner > 0) & (inner < len(chars) - 1)]
    word[inner[word[inner - 1] & word[inner + 1]]] = True
    # (No word ends at the last byte, a space, so the changes pair up.)
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1
    if len(word) and word[0]:
        edges = np.concatenate(([0], edges))
    return edges[0::2] + low, edges[1::2] + low


def _word_keys(blocks: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each word's key: its bytes as a number (eight at most), further eights folded in."""
    keys: np.ndarray = blocks[starts] & _KEEP_BYTES[np.minimum(lengths, 8)]
    longer = np.flatnonzero(lengths > 8)
    offset = 8
    while longer.size:
        more = (
            blocks[starts[longer] + offset] & _KEEP_BYTES[np.minimum(lengths[longer] - offset, 8)]
        )
        keys[longer] = keys[longer] * _FOLD + more
        offset += 8
        longer = longer[lengths[longer] > offset]
    return keys


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array (``np.unique`` without its sort)."""
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))[: len(ordered)]]


class _KeyTable:
    """An open-addressing table of 64-bit keys and their places (linear probing)."""

    def __init__(self, bits: int) -> None:
        self.size = 1 << bits
        self._shift = np.uint64(64 - bits)
        self._places = np.full(self.size, -1, dtype=np.int32)  # (-1: an empty slot)
        self._keys = np.zeros(self.size, dtype=np.uint64)
        self._count = 0

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _SPREAD) >> self._shift).astype(np.int64)

    def add(self, keys: np.ndarray, places: np.ndarray) -> _KeyTable:
        """The table with these keys (none there yet) added: this one, or a larger one when
        it would be more than half full."""
        self._count += len(keys)
        if 2 * self._count <= self.size:
            self._put(keys, places)
            return self
        larger = _KeyTable((2 * self._count).bit_length())
        filled = self._places >= 0
        return larger.add(
            np.concatenate((self._keys[filled], keys)),
            np.concatenate((self._places[filled], places)),
        )

    def _put(self, keys: np.ndarray, places: np.ndarray) -> None:
        """Put each key in the first empty slot from its own."""
        slots = self._slots(keys)
        pending = np.arange(len(keys))
        while pending.size:
            tried = pending[self._places[slots[pending]] < 0]
            self._places[slots[tried]] = places[tried]  # (of keys tried at one slot, one stays)
            stayed = tried[self._places[slots[tried]] == places[tried]]
            self._keys[slots[stayed]] = keys[stayed]
            left = np.ones(len(keys), dtype=bool)
            left[stayed] = False
            pending = pending[left[pending]]
            slots[pending] = (slots[pending] + 1) & (self.size - 1)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Each key's place, -1 where it is not in the table (its probe met an empty slot).

        (A key's slot and the ones it passed on the way there were full when it was
        added, and stay so: no key is taken out.)
        """
        slots = self._slots(keys)
        places: np.ndarray = self._places[slots]
        pending = np.flatnonzero((places >= 0) & (self._keys[slots] != keys))
        slots = slots[pending]
        while pending.size:
            slots = (slots + 1) & (self.size - 1)
            here = self._places[slots]
            places[pending] = here
            further = (here >= 0) & (self._keys[slots] != keys[pending])
            pending, slots = pending[further], slots[further]
        return places

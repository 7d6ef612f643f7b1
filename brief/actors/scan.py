"""Read a text once: its tokens, vocabulary, capitalised words and the known phrases in it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import accumulate
from operator import add
from typing import cast

from brief.actors.casing import recase_shouting
from brief.actors.furniture import excluded_spans
from brief.actors.gazetteer import (
    ABBREVIATIONS,
    SPACED_TOKEN_RE,
    Entry,
    Gazetteer,
    Lexicon,
    load_gazetteer,
    load_lexicon,
    phrase_tokens,
    prefixes_of,
)
from brief.actors.tokens import _opens, _shape, _shapes, _Tok
from brief.actors.words import (
    _OPENING_QUOTES,
)
from brief.config import WatchedActor
from brief.models import ActorKind


class _Scanner:
    """Tokenizes one text once: tokens, word counts, and the known phrases each token starts."""

    def __init__(
        self, text: str, watch: Sequence[WatchedActor], ignore: Sequence[tuple[int, int]]
    ) -> None:
        self.lex: Lexicon = load_lexicon()
        self.gaz: Gazetteer = load_gazetteer()
        # Lines in capitals are read re-cased; furniture is found in the text as written.
        self.text = recase_shouting(text, self.gaz, self.lex)
        self.watch, self.watch_longest, self.watch_firsts, self.watch_prefixes = _watch_tables(
            tuple(watch)
        )
        self.excluded = excluded_spans(text)
        # The tokens, as parallel lists (one object per token would cost more than the
        # reading of most tokens does): token ``k`` is ``words[k]``, ``starts[k]``, ...
        # (:attr:`toks` gives them as :class:`_Tok` objects, for whoever wants one).
        self.words: list[str] = []  # without a possessive ending (a slice: a span's words)
        self.raws: list[str] = []  # as written
        self.starts: list[int] = []
        self.ends: list[int] = []  # the end of ``words[k]``
        self.is_word: list[bool] = []
        self.caps: list[bool] = []
        self.poss: list[bool] = []
        self.initials: list[bool] = []  # first word of a sentence
        self.lines: list[int] = []
        self.lower_vocab: set[str] = set()
        self.cap_inside: Counter[str] = Counter()  # capitalised words not opening a sentence
        self.cap_words: Counter[str] = Counter()
        # How often each pair of capitalised words occurs together ("McLaren Fernando" once,
        # but "McLaren" on its own too: two names run together).
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.known: list[tuple[int, Entry] | None] = []
        self.visits: list[int] = []  # the tokens pass 1 must look at (see :meth:`run`)
        self._scan([*self.excluded, *ignore])

    @property
    def toks(self) -> list[_Tok]:
        """The tokens as :class:`_Tok` objects (made when asked for: the scan keeps lists)."""
        return list(
            map(
                _Tok,
                self.words,
                self.raws,
                self.starts,
                self.ends,
                self.is_word,
                self.caps,
                self.poss,
                self.initials,
                self.lines,
            )
        )

    # -- known phrases

    def known_at(self, i: int) -> tuple[int, Entry] | None:
        """The longest known phrase at token ``i``, watchlist first: (size in tokens, entry)."""
        return self.known[i]

    def _scan(self, skip: Sequence[tuple[int, int]]) -> None:
        """Tokenize the text outside the ``skip`` spans, count its words, find known phrases.

        The detector's hot loop, so everything that needs one look at each token
        happens here, once: the tokens themselves (those of :func:`tokenize`, a
        possessive ending split off, sentence starts marked), the vocabulary and
        capitalised words and pairs, and the tokens that may start a known phrase
        (a few set look-ups), which :meth:`_known` then reads.
        """
        text = self.text
        words, raws, starts = self.words, self.raws, self.starts
        is_word, caps, poss, initials, lines = (
            self.is_word,
            self.caps,
            self.poss,
            self.initials,
            self.lines,
        )
        add_word, add_raw, add_start = words.append, raws.append, starts.append
        add_is_word, add_cap, add_poss = is_word.append, caps.append, poss.append
        add_initial, add_line = initials.append, lines.append
        lower_vocab = self.lower_vocab
        add_lower = lower_vocab.add
        cap_inside, cap_words, pairs = self.cap_inside, self.cap_words, self.pairs
        firsts, watch_firsts = self.gaz.firsts, self.watch_firsts
        watching = bool(watch_firsts)
        shapes = _shapes()
        common = self.lex.common_words
        maybe_known: list[int] = []  # tokens that may start a known phrase
        visits: list[int] = []  # capitalised or hyphenated words
        size = len(text)
        # The spans to skip, in order; past the last one a span beyond the text.
        spans = iter(sorted(skip))
        span_start, span_end = next(spans, (size + 1, size + 1))
        line = 0
        newline = text.find("\n")  # the next line break not yet counted (-1: none left)
        # The first place where either of those needs a look: tokens before it skip both tests.
        event = min(newline + 1 if newline >= 0 else size + 1, span_start, span_end)
        boundary = True  # the next word starts a sentence
        taken = 0  # where the last token ended: a period an abbreviation took is no token
        previous: str | None = None  # the token before, when a capitalised word
        index = 0  # the number of the next token
        pos = 0  # where the last token the expression found ended
        pieces: Sequence[tuple[int, str]]
        for space, plain, single in SPACED_TOKEN_RE.findall(text):
            # Only spaces lie between tokens: each starts where the spaces after the last end.
            start = pos + len(space)
            if plain:
                pos = start + len(plain)
                if event >= pos:
                    # Plain lower-case words, each followed by a space (most of a text): no
                    # test above can apply to them, so they become tokens list by list, in C.
                    chunk = plain.split(" ")
                    chunk.pop()  # (after the space that ends the last word)
                    count = len(chunk)
                    words.extend(chunk)
                    raws.extend(chunk)
                    # Word k starts after the k words before it and a space after each.
                    starts.extend(
                        map(add, accumulate(map(len, chunk), initial=start), range(count))
                    )
                    falses = [False] * count
                    is_word.extend([True] * count)
                    caps.extend(falses)
                    poss.extend(falses)
                    initials.extend(falses)
                    if boundary:
                        initials[index] = True
                    lines.extend([line] * count)
                    lower_vocab.update(chunk)
                    if not firsts.isdisjoint(chunk) or (
                        watching and not watch_firsts.isdisjoint(chunk)
                    ):
                        maybe_known.extend(
                            index + k
                            for k, word in enumerate(chunk)
                            if word in firsts or word in watch_firsts
                        )
                    index += count
                    boundary = False
                    previous = None
                    continue
                # A line break or a skipped span falls before or inside: word by word.
                pieces = []
                for word in plain.split(" ")[:-1]:
                    pieces.append((start, word))
                    start += len(word) + 1
            else:
                pos = start + len(single)
                pieces = ((start, single),)
            for start, raw in pieces:
                end = start + len(raw)
                if start < taken:
                    continue
                if (
                    end < size
                    and text[end] == "."
                    and raw[0].isalpha()
                    and (raw in ABBREVIATIONS or (len(raw) == 1 and raw.isupper()))
                ):
                    raw, end = raw + ".", end + 1
                    taken = end  # the period is no token of its own
                if event <= start:  # a line break or a skipped span comes before this token
                    if 0 <= newline < start:
                        # (none between the last token and ``newline``: count from there)
                        line += text.count("\n", newline, start)
                        newline = text.find("\n", start)
                        boundary = True
                    while span_end <= start:
                        span_start, span_end = next(spans, (size + 1, size + 1))
                    event = min(newline + 1 if newline >= 0 else size + 1, span_start, span_end)
                    if span_start <= start:
                        boundary = True
                        continue
                shape = shapes.get(raw)
                if shape is None:
                    shape = _shape(raw)
                is_a_word, cap, word, stemmed, lower, hyphen, first_of_known, plural = shape
                if not is_a_word:
                    if first_of_known or (watching and raw in watch_firsts):
                        maybe_known.append(index)
                    add_word(raw)
                    add_raw(raw)
                    add_start(start)
                    add_line(line)
                    add_is_word(False)
                    add_cap(False)
                    add_poss(False)
                    add_initial(False)
                    index += 1
                    previous = None
                    if raw in ".!?:" or (raw in _OPENING_QUOTES and _opens(text, start)):
                        boundary = True
                    continue
                if stemmed:
                    add_poss(True)  # "Moscow’s" is Moscow
                else:
                    # A plural possessive ("the Nations’ plan"): the apostrophe alone after -s.
                    add_poss(
                        plural
                        and end < size
                        and text[end] in "'’"
                        and (end + 1 >= size or not text[end + 1].isalnum())
                    )
                initial = boundary
                if cap:
                    # "... with the U.S. Most analysts ...": an abbreviation may end a sentence too.
                    if (
                        not initial
                        and index
                        and is_word[-1]
                        and raws[-1][-1] == "."
                        and word.lower() in common
                    ):
                        initial = True
                    cap_words[word] = cap_words.get(word, 0) + 1
                    if not initial:
                        cap_inside[word] = cap_inside.get(word, 0) + 1
                    if previous is not None:
                        pairs[(previous, word)] = pairs.get((previous, word), 0) + 1
                    previous = word
                    visits.append(index)
                else:
                    previous = None
                    if lower:
                        add_lower(word)
                    if hyphen:
                        visits.append(index)
                if first_of_known or (watching and (raw in watch_firsts or word in watch_firsts)):
                    maybe_known.append(index)
                add_word(word)
                add_raw(raw)
                add_start(start)
                add_line(line)
                add_is_word(True)
                add_cap(cap)
                add_initial(initial)
                index += 1
                boundary = False
        # Every token ends where its word does ("Moscow’s": after "Moscow").
        self.ends = list(map(add, starts, map(len, words)))
        known: list[tuple[int, Entry] | None] = [None] * len(words)
        watch, watch_prefixes, watch_longest = self.watch, self.watch_prefixes, self.watch_longest
        entries, prefixes, longest = self.gaz.entries, self.gaz.prefixes, self.gaz.longest
        for i in maybe_known:
            found = None
            if watching:
                found = self._known(watch, watch_firsts, watch_prefixes, watch_longest, i)
            if found is None:
                found = self._known(entries, firsts, prefixes, longest, i)
            if found is not None:
                known[i] = found
                # A lower-case known phrase is read in pass 1 if it names an actor, or
                # skipped as a whole if it is longer than a word.
                if is_word[i] and (found[1].kind is not None or found[0] > 1):
                    visits.append(i)
        self.known = known
        self.visits = sorted(set(visits))

    def _known(
        self,
        table: Mapping[tuple[str, ...], Entry],
        firsts: frozenset[str],
        prefixes: frozenset[tuple[str, ...]],
        longest: int,
        i: int,
    ) -> tuple[int, Entry] | None:
        words, raws, lines = self.words, self.raws, self.lines
        text = words[i]
        shout = text.isupper() and len(text) > 3  # a dateline's "WASHINGTON"
        if raws[i] not in firsts and text not in firsts and not (shout and text.title() in firsts):
            return None
        # A phrase of n tokens starts with n - 1 raw words that begin some phrase: look no
        # further than those reach (nor past the line or the text).
        limit = min(longest, len(words) - i)
        line = lines[i]
        widest = 1
        inner: tuple[str, ...] = (raws[i],)
        while widest < limit and lines[i + widest] == line and inner in prefixes:
            inner = (*inner, raws[i + widest])
            widest += 1
        found = inner  # the raw words of the ``widest`` tokens from ``i`` on
        for size in range(widest, 0, -1):
            # Inner words keep their apostrophes ("People's Republic of China"); the last
            # one loses a possessive ("Moscow’s" is Moscow).
            inner = found[: size - 1]
            last = i + size - 1
            entry = table.get((*inner, words[last]))
            if entry is None and self.poss[last] and raws[last] != words[last]:
                entry = table.get((*inner, raws[last]))
            if entry is None and size == 1 and shout:
                entry = table.get((text.title(),))
            if entry is not None:
                return size, entry
        return None


@lru_cache(maxsize=8)  # (every article of a run reads the same watchlist)
def _watch_tables(
    watch: tuple[WatchedActor, ...],
) -> tuple[Mapping[tuple[str, ...], Entry], int, frozenset[str], frozenset[tuple[str, ...]]]:
    """The watchlist's known phrases, the longest one's size, their first words and beginnings."""
    entries = _watch_entries(watch)
    return (
        entries,
        max((len(k) for k in entries), default=0),
        frozenset(key[0] for key in entries),
        prefixes_of(entries),
    )


def _watch_entries(watch: Sequence[WatchedActor]) -> dict[tuple[str, ...], Entry]:
    """The watchlist's names and aliases as known phrases."""
    table: dict[tuple[str, ...], Entry] = {}
    for actor in watch:
        kind = cast(ActorKind, actor.kind if actor.kind in ("state", "organisation") else "person")
        for phrase in (actor.name, *actor.aliases):
            tokens = phrase_tokens(phrase)
            if len(tokens) > 1 and tokens[0].lower() == "the":
                tokens = tokens[1:]
            if tokens:
                table.setdefault(tokens, Entry(actor.name, kind, "watched"))
    return table

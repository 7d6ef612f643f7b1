"""Read a text once: its tokens, vocabulary, capitalised words and the known phrases in it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
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
        self.watch = _watch_entries(watch)
        self.watch_longest = max((len(k) for k in self.watch), default=0)
        self.watch_firsts = frozenset(key[0] for key in self.watch)
        self.watch_prefixes = prefixes_of(self.watch)
        self.excluded = excluded_spans(text)
        self.toks: list[_Tok] = []
        # Each token's text (``words[k] == toks[k].text``: a slice is the words of a span).
        self.words: list[str] = []
        self.lower_vocab: set[str] = set()
        self.cap_inside: Counter[str] = Counter()  # capitalised words not opening a sentence
        self.cap_words: Counter[str] = Counter()
        # How often each pair of capitalised words occurs together ("McLaren Fernando" once,
        # but "McLaren" on its own too: two names run together).
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.known: list[tuple[int, Entry] | None] = []
        self.visits: list[int] = []  # the tokens pass 1 must look at (see :meth:`run`)
        self._scan([*self.excluded, *ignore])

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
        toks, words = self.toks, self.words
        add_tok, add_word = toks.append, words.append
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
                    # test above can apply to them, so they become tokens in a tight loop.
                    chunk = plain.split(" ")
                    chunk.pop()  # (after the space that ends the last word)
                    first = chunk[0]
                    after = start + len(first)
                    add_tok(_Tok(first, first, start, after, True, False, False, boundary, line))
                    for word in chunk[1:]:
                        start = after + 1
                        after = start + len(word)
                        add_tok(_Tok(word, word, start, after, True, False, False, False, line))
                    words.extend(chunk)
                    lower_vocab.update(chunk)
                    if not firsts.isdisjoint(chunk) or (
                        watching and not watch_firsts.isdisjoint(chunk)
                    ):
                        maybe_known.extend(
                            index + k
                            for k, word in enumerate(chunk)
                            if word in firsts or word in watch_firsts
                        )
                    index += len(chunk)
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
                is_word, cap, word, stemmed, lower, hyphen, first_of_known, plural = shape
                if not is_word:
                    if first_of_known or (watching and raw in watch_firsts):
                        maybe_known.append(index)
                    add_tok(_Tok(raw, raw, start, end, False, False, False, False, line))
                    add_word(raw)
                    index += 1
                    previous = None
                    if raw in ".!?:" or (raw in _OPENING_QUOTES and _opens(text, start)):
                        boundary = True
                    continue
                if stemmed:
                    word_end = start + len(word)  # "Moscow’s" is Moscow
                    poss = True
                else:
                    word_end = end
                    # A plural possessive ("the Nations’ plan"): the apostrophe alone after -s.
                    poss = (
                        plural
                        and end < size
                        and text[end] in "'’"
                        and (end + 1 >= size or not text[end + 1].isalnum())
                    )
                initial = boundary
                if cap:
                    # "... with the U.S. Most analysts ...": an abbreviation may end a sentence too.
                    if not initial and index:
                        last = toks[-1]
                        if last.word and last.raw[-1] == "." and word.lower() in common:
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
                add_tok(_Tok(word, raw, start, word_end, True, cap, poss, initial, line))
                add_word(word)
                index += 1
                boundary = False
        known: list[tuple[int, Entry] | None] = [None] * len(toks)
        watch, watch_prefixes, watch_longest = self.watch, self.watch_prefixes, self.watch_longest
        entries, prefixes, longest = self.gaz.entries, self.gaz.prefixes, self.gaz.longest
        for i in maybe_known:
            found = self._known(watch, watch_firsts, watch_prefixes, watch_longest, i)
            if found is None:
                found = self._known(entries, firsts, prefixes, longest, i)
            if found is not None:
                known[i] = found
                # A lower-case known phrase is read in pass 1 if it names an actor, or
                # skipped as a whole if it is longer than a word.
                if toks[i].word and (found[1].kind is not None or found[0] > 1):
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
        toks = self.toks
        first = toks[i]
        shout = first.text.isupper() and len(first.text) > 3  # a dateline's "WASHINGTON"
        if (
            first.raw not in firsts
            and first.text not in firsts
            and not (shout and first.text.title() in firsts)
        ):
            return None
        # A phrase of n tokens starts with n - 1 raw words that begin some phrase: look no
        # further than those reach (nor past the line or the text).
        limit = min(longest, len(toks) - i)
        widest = 1
        inner: tuple[str, ...] = (first.raw,)
        while widest < limit and toks[i + widest].line == first.line and inner in prefixes:
            inner = (*inner, toks[i + widest].raw)
            widest += 1
        raws = inner  # the raw words of the ``widest`` tokens from ``i`` on
        for size in range(widest, 0, -1):
            # Inner words keep their apostrophes ("People's Republic of China"); the last
            # one loses a possessive ("Moscow’s" is Moscow).
            inner = raws[: size - 1]
            last = toks[i + size - 1]
            entry = table.get((*inner, last.text))
            if entry is None and last.poss and last.raw != last.text:
                entry = table.get((*inner, last.raw))
            if entry is None and size == 1 and shout:
                entry = table.get((first.text.title(),))
            if entry is not None:
                return size, entry
        return None


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

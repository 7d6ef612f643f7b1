"""What is not article body: page furniture, photo captions and credits, agency datelines."""

from __future__ import annotations

import re

# Whole lines of web-page furniture, matched at the start of a line in any case.
_FURNITURE_RE = re.compile(
    r"^\W*(?:skip to (?:main )?content|open this (?:photo|image) in gallery|"
    r"follow related (?:authors|topics)|authors and topics you follow|interact with the|"
    r"sign up (?:for|to)|subscribe (?:to|now|for)|(?:share|email|print) this (?:article|story)|"
    r"share on (?:facebook|twitter|x|whatsapp|linkedin)|read more\b|"
    r"related (?:stories|articles|coverage)|click here|listen to this article|"
    r"report an? (?:error|typo)|editorial standards|leave a comment|show comments|"
    r"you may also like|most popular|recommended for you|"
    r"this article (?:was|is|has been) (?:updated|published|corrected)|copyright\b|©|"
    r"all rights reserved|(?:photo|photograph|image|picture|illustration|video) (?:credit|by)?\s*:|"
    r"credit\s*:|(?:additional )?reporting by\b|editing by\b|compiled by\b|written by\b|"
    r"with (?:files|reports?|reporting) from\b|advertisement\s*$|story continues below|"
    r"get the latest)",
    re.IGNORECASE,
)
# A by-line on a line of its own: "By Jane Doe, CNN", "By JANE DOE and JOHN ROE": the
# writers and their publisher are credited, not in the news.
_NAME = r"[A-Z][\w'’.-]*(?:[^\S\n]+[A-Z][\w'’.-]*){0,3}"
_BYLINE_RE = re.compile(
    r"^\W*B[yY][^\S\n]+" + _NAME + r"(?:[^\S\n]*(?:,|and|&)[^\S\n]*" + _NAME + r")*"
    r"(?:[^\S\n]*[,|•-][^\S\n]*[\w .'’&-]{0,40})?\W*$"
)
# "CNN's Jane Doe contributed to this report.": a credit sentence, however it is set.
_CONTRIBUTED_RE = re.compile(
    r"[^.!?\n]*\bcontributed(?: reporting)?(?: to (?:this|the) (?:report|story|article))?"
    r"(?=[^\w\n]*$| (?:from|in) )"
    r"[^.!?\n]*[.!?]?",
    re.MULTILINE,
)
# A sponsor's offer code ("use code BRIEF at checkout", "promo code SAVE20"): no name.
_OFFER_CODE_RE = re.compile(r"\b(?:[Cc]ode|CODE)[^\S\n]+[\"“']?[A-Z][A-Z0-9]{2,}\b")
# A photo credit: "Maxim Shipenkov/The Canadian Press", "Jane Doe/AP".
_CREDIT = (
    r"(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*\s*/\s*(?:(?:The|AFP|AP|via)\s+)?"
    r"(?:[A-Z][\w'’.&-]*)(?:\s+[A-Z][\w'’.&-]*){0,3}"
)
# A line ending in a credit is a caption: it repeats the story and credits people not in it.
_CAPTION_RE = re.compile(
    r"(?:" + _CREDIT + r"|\(?(?:[A-Z][\w.-]*\s+)*(?:via\s+)?Getty Images\)?|"
    r"\((?:Photo|Image|Picture)s?(?::| by)[^)]*\))\s*$"
)
_CREDIT_RE = re.compile(r"(?<![\w/])" + _CREDIT + r"(?![\w/])")
# The caption's three endings apart, each tried only where its fixed part is in the line.
_CAPTION_CREDIT_RE = re.compile("(?:" + _CREDIT + r")\s*$")
_GETTY_END_RE = re.compile(r"Getty Images\)?\s*$")  # (the words before it may be none)
_PHOTO_END_RE = re.compile(r"\((?:Photo|Image|Picture)s?(?::| by)[^)]*\)\s*$")
_CAPITAL_RE = re.compile("[A-Z]")
# "WASHINGTON (Reuters) -" and "(CNN)" at the head of a story: the agency wrote it.
_DATELINE_RE = re.compile(
    r"^[^\S\n]*(?:[A-Z][A-Z.'’ -]+,?(?:\s+\w+\.?\s+\d{1,2})?\s*)?"
    r"\((?:Reuters|AP|AFP|CNN|Bloomberg|UPI|Xinhua|dpa|DPA|EFE|ANSA|PA)\)\s*[-—–:]*",
    re.MULTILINE,
)


_NEWLINE_RE = re.compile("\n")


def _is_caption(line: str) -> bool:
    """Does ``line`` end in a credit (what ``_CAPTION_RE.search(line)`` says)?

    Each kind of credit has a fixed part ("/", "Getty Images", "(Photo"): a line
    without it is not searched for that kind (a regular expression tried at every
    position of a long paragraph is most of the cost here), and "Name/Agency" is
    tried only just before the line's last "/" (see :func:`_slash_starts`).
    """
    slash = line.rfind("/")
    if slash >= 0 and any(
        _CAPTION_CREDIT_RE.match(line, start) for start in _slash_starts(line, slash, 0)
    ):
        return True
    if "Getty Images" in line and _GETTY_END_RE.search(line):
        return True
    return ("(Photo" in line or "(Image" in line or "(Picture" in line) and bool(
        _PHOTO_END_RE.search(line)
    )


def _slash_starts(line: str, slash: int, lowest: int) -> list[int]:
    """Where a credit ("Jane Doe/AP") whose "/" is at ``slash`` may start, from ``lowest`` on.

    Before its "/" a credit has up to four capitalised words (no "/", at most four
    runs of spaces: three between the words, one before the "/"), so it starts
    after the "/" before and after the fifth run of spaces back, on a capital.
    """
    lowest = max(lowest, line.rfind("/", 0, slash) + 1)
    parts = line[lowest:slash].rsplit(None, 5)
    if len(parts) == 6:
        lowest += len(parts[0])  # (where the fifth run of spaces but the last starts)
    return [match.start() for match in _CAPITAL_RE.finditer(line, lowest, slash)]


def _credits(line: str) -> list[tuple[int, int]]:
    """The spans ``_CREDIT_RE.finditer(line)`` gives, each looked for just before a "/".

    A credit holds one "/", so the credits come in the order of their slashes:
    for each "/" in turn, the first place before it where a credit starts.
    """
    spans: list[tuple[int, int]] = []
    taken = 0  # where the last credit ended
    slash = line.find("/")
    while slash >= 0:
        after = slash + 1
        for start in _slash_starts(line, slash, taken):
            match = _CREDIT_RE.match(line, start)
            if match is not None:
                spans.append(match.span())
                taken = after = match.end()
                break
        slash = line.find("/", after)
    return spans


def _credit_sentences(text: str) -> list[tuple[int, int]]:
    """The spans ``_CONTRIBUTED_RE.finditer(text)`` gives, read from each "contributed".

    Tried at every position, the expression runs to the end of the sentence
    and back from each one (quadratic in a long line).  A match is a whole
    sentence (text between stops and line ends) from its start: it can start
    nowhere else, and if it fails there it fails everywhere in the sentence
    (a later start reaches fewer of its words).  So it is tried once, at the
    start of each sentence holding the word.
    """
    spans: list[tuple[int, int]] = []
    tried = -1  # the start of the last sentence tried
    done = 0  # where the last match ended
    at = text.find("contributed")
    while at >= 0:
        start = max(text.rfind(stop, 0, at) for stop in ".!?\n") + 1
        if start != tried and start >= done:
            tried = start
            match = _CONTRIBUTED_RE.match(text, start)
            if match is not None:
                spans.append(match.span())
                done = match.end()
        at = text.find("contributed", at + 1)
    return spans


def excluded_spans(text: str) -> list[tuple[int, int]]:
    """Character spans that are not article body: furniture lines, captions, credits, datelines."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip() and (
            _FURNITURE_RE.match(body)
            or _is_caption(body)
            or (body.lstrip()[:3] in ("By ", "BY ") and _BYLINE_RE.match(body))
        ):
            spans.append((offset, offset + len(body)))
        elif "/" in body:
            for start, end in _credits(body):
                spans.append((offset + start, offset + end))
        offset += len(line)
    if "ode " in text or "ODE " in text:
        spans.extend(match.span() for match in _OFFER_CODE_RE.finditer(text))
    if "contributed" in text:
        spans.extend(_credit_sentences(text))
    if "(" in text:  # every dateline names its agency in brackets
        # A dateline starts a line: try the expression there only, not at every position
        # (what finditer does; a match may run over a line end, so skip what it took).
        taken = 0
        for start in [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]:
            if start < taken:
                continue
            dateline = _DATELINE_RE.match(text, start)
            if dateline is not None:
                if dateline.group().strip():
                    spans.append((dateline.start(), dateline.end()))
                taken = dateline.end()
    spans.sort()
    return spans

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
# "WASHINGTON (Reuters) -" and "(CNN)" at the head of a story: the agency wrote it.
_DATELINE_RE = re.compile(
    r"^[^\S\n]*(?:[A-Z][A-Z.'’ -]+,?(?:\s+\w+\.?\s+\d{1,2})?\s*)?"
    r"\((?:Reuters|AP|AFP|CNN|Bloomberg|UPI|Xinhua|dpa|DPA|EFE|ANSA|PA)\)\s*[-—–:]*",
    re.MULTILINE,
)


_NEWLINE_RE = re.compile("\n")


def _may_credit(line: str) -> bool:
    """Could ``line`` end in a credit?  Each kind has a fixed part ("/", "Getty Images",
    "(Photo"): a line without one is not searched (a regular expression tried at every
    position of a long paragraph is most of the cost here)."""
    return (
        "/" in line
        or "Getty Images" in line
        or "(Photo" in line
        or "(Image" in line
        or "(Picture" in line
    )


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
            or (_may_credit(body) and _CAPTION_RE.search(body))
            or (body.lstrip()[:3] in ("By ", "BY ") and _BYLINE_RE.match(body))
        ):
            spans.append((offset, offset + len(body)))
        elif "/" in body:
            for match in _CREDIT_RE.finditer(body):
                spans.append((offset + match.start(), offset + match.end()))
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

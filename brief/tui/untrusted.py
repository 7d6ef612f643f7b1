"""Make untrusted text (feed titles, article bodies, error messages) safe to display.

Everything that reaches the screen from a feed or a file goes through here:
terminal control characters become visible symbols and Rich/Textual markup is
never parsed, so ``[bold red]`` or ``\\x1b]52;...`` show up as the literal text
they are.  Replacements are one character for one, so character offsets into
the original text (summary sentences, actor mentions) stay valid.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

# C0 controls (except newline and tab), DEL and C1 controls are what terminals
# interpret; each becomes a visible stand-in of the same length.
_CONTROL_PICTURES: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_CONTROL_PICTURES[0x7F] = "\u2421"  # ␡
_TRANSLATE: dict[int, str] = {
    code: picture for code, picture in _CONTROL_PICTURES.items() if code not in (0x09, 0x0A)
}
_TRANSLATE[0x0D] = " "  # a stray CR (Windows line ends) is noise, not an attack
for _code in range(0x80, 0xA0):
    _TRANSLATE[_code] = "\ufffd"
# Bidirectional embeddings/overrides/isolates can make text read differently
# from what it is ("Trojan Source"); show a replacement mark instead.
for _code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)):
    _TRANSLATE[_code] = "\ufffd"


def printable(text: str) -> str:
    """``text`` with every terminal control character replaced by a visible symbol."""
    return text.translate(_TRANSLATE)


def one_line(text: str) -> str:
    """``text`` made printable and folded onto one line (for titles and table cells)."""
    return " ".join(printable(text).split())


def plain(text: str, style: str = "") -> Content:
    """Untrusted ``text`` as Textual content: printable, styled, never parsed as markup."""
    content = Content(printable(text), strip_control_codes=False)
    return content.stylize(style) if style else content


def plain_line(text: str, style: str = "") -> Content:
    """Untrusted ``text`` on one line as Textual content (see :func:`one_line`)."""
    content = Content(one_line(text), strip_control_codes=False)
    return content.stylize(style) if style else content


def rich_line(text: str, style: str = "") -> Text:
    """Untrusted ``text`` on one line as a Rich ``Text`` (for DataTable cells), never markup."""
    return Text(one_line(text), style=style, no_wrap=True, overflow="ellipsis", end="")


def safe_link(url: str) -> str | None:
    """``url`` when it is an http(s) link fit to hand to a program, else None.

    Feeds carry ``file:``, ``data:`` and ``javascript:`` links too; none of those
    (nor anything with control characters or spaces) leaves the app.
    """
    from urllib.parse import urlsplit

    url = url.strip()
    if not url or any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def browser_command(template: str, url: str) -> list[str]:
    """The argv of the configured browser for ``url`` (``w3m %u``; no ``%u``: URL appended)."""
    import shlex

    words = shlex.split(template)
    if not any("%u" in word for word in words):
        return [*words, url]
    # Substituted word by word after splitting: the URL can never become shell syntax.
    return [word.replace("%u", url) for word in words]

"""Text that is safe to print to a terminal: no escape sequences from content or file names.

Anything brief prints that came from outside (a file name, an article title, a
feed's error text, a summary sentence) goes through :func:`safe_line` or
:func:`safe_text`.  Control characters become visible backslash escapes
(``\\x1b``, ``\\n``), so a file named ``"\\x1b]52;..."`` shows up as that text
and cannot set the clipboard, retitle the window or move the cursor.
"""

from __future__ import annotations

# C0 controls, DEL, C1 controls, and the bidirectional overrides/isolates that
# can make a line read differently from what it is ("Trojan Source").
_CODES = (
    *range(0x00, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x2028,
    0x2029,
)
_ESCAPES: dict[int, str] = {
    code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}") for code in _CODES
}
_ESCAPES.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})
_KEEP_LINES = {code: text for code, text in _ESCAPES.items() if code not in (0x09, 0x0A)}


def safe_line(text: object) -> str:
    """``text`` as one printable line: every control character (newlines too) escaped."""
    return str(text).translate(_ESCAPES)


def safe_text(text: object) -> str:
    """``text`` printable, keeping its newlines and tabs (for multi-line output)."""
    return str(text).translate(_KEEP_LINES)

"""Every bundled theme stays legible at truecolor, 256 and 16 colours (WCAG 2.x contrast).

The pairs below are the foreground/background combinations the app draws (read
from ``app.tcss``, the screens' ``.tcss`` and the widgets' ``DEFAULT_CSS``).  Each
colour is resolved the way Textual does (theme variables from
``Theme.to_color_system().generate()`` plus the theme's own variables, alpha
blended over what lies beneath, ``auto`` as contrast text), then reduced the way
Rich does for the terminal's depth (``Color.downgrade``) and drawn with the
palette the terminal would use for that colour number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.color_triplet import ColorTriplet
from rich.terminal_theme import DEFAULT_TERMINAL_THEME, TerminalTheme
from textual.color import Color
from textual.theme import Theme

from brief.tui.themes import brief_variables, load_themes

THEMES_DIR = Path(__file__).resolve().parents[2] / "themes"
TEXT = 4.5  # WCAG AA for body text
ACCENT = 3.0  # WCAG AA for large/bold text and user-interface marks

# xterm's default 16 colours: what TERM=xterm over ssh usually shows.
XTERM = TerminalTheme(
    (0, 0, 0),
    (229, 229, 229),
    [
        *((0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0)),
        *((0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229)),
    ],
    [
        *((127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0)),
        *((92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)),
    ],
)

# (name, colour system, palette for 16-colour numbers)
DEPTHS: list[tuple[str, ColorSystem, TerminalTheme]] = [
    ("truecolor", ColorSystem.TRUECOLOR, DEFAULT_TERMINAL_THEME),
    ("256", ColorSystem.EIGHT_BIT, DEFAULT_TERMINAL_THEME),
    ("16 xterm", ColorSystem.STANDARD, XTERM),
    ("16 rich", ColorSystem.STANDARD, DEFAULT_TERMINAL_THEME),
]


@dataclass(frozen=True)
class Pair:
    """Text drawn in ``fg`` over the layers ``under`` (bottom first), needing ``minimum``."""

    label: str
    fg: str
    under: tuple[str, ...]
    minimum: float


PAIRS = (
    # Body text: App's colour is $foreground over the screen and panes.
    Pair("text on background", "$foreground", ("$background",), TEXT),
    Pair("text on surface", "$foreground", ("$surface",), TEXT),
    Pair("text on panel (bars)", "$foreground", ("$panel",), TEXT),
    Pair("title $text on surface", "$text", ("$surface",), TEXT),
    Pair("muted on surface (meta, legend)", "$text-muted", ("$surface",), TEXT),
    Pair("muted on panel (status, headers)", "$text-muted", ("$panel",), TEXT),
    Pair("muted on background", "$text-muted", ("$background",), TEXT),
    # The search box: app.tcss draws Input placeholders in $text-muted, tinted when focused.
    Pair("search hint", "$text-muted", ("$surface", "$foreground 5%"), TEXT),
    Pair("typed search", "$foreground", ("$surface", "$foreground 5%"), TEXT),
    # The reader's summary sentences: "on $brief-summary" over the reader's surface.
    Pair("summary", "$foreground", ("$surface", "$brief-summary"), TEXT),
    Pair("mention in summary", "$brief-mention", ("$surface", "$brief-summary"), ACCENT),
    Pair("mention", "$brief-mention", ("$surface",), ACCENT),
    # Cursor rows in the article and source lists.
    Pair(
        "cursor row",
        "$block-cursor-foreground",
        ("$surface", "$block-cursor-background"),
        TEXT,
    ),
    Pair(
        "blurred cursor row",
        "$foreground",
        ("$surface", "$block-cursor-blurred-background"),
        TEXT,
    ),
    # Accents: unread dots and counts, keys, marks, nav bar.
    Pair("accent on surface", "$accent", ("$surface",), ACCENT),
    Pair("accent on panel (keys, nav)", "$accent", ("$panel",), ACCENT),
    Pair("footer key on panel", "$footer-key-foreground", ("$panel",), ACCENT),
    Pair("primary on panel (nav)", "$primary", ("$panel",), ACCENT),
    Pair("primary on surface", "$primary", ("$surface",), ACCENT),
    Pair("primary on background", "$primary", ("$background",), ACCENT),
    Pair("success on surface", "$success", ("$surface",), ACCENT),
    Pair("warning on surface", "$warning", ("$surface",), ACCENT),
    Pair("error on surface", "$error", ("$surface",), ACCENT),
)


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2.x contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def theme_variables(theme: Theme) -> dict[str, str]:
    """The CSS variables the app would set for ``theme`` (Textual's, the theme's, brief's)."""
    return brief_variables({**theme.to_color_system().generate(), **theme.variables})


def layer(value: str, variables: dict[str, str], under: Color) -> Color:
    """A CSS colour value (``$var``, ``auto``, optional ``NN%``) drawn over ``under``."""
    alpha = 1.0
    words = value.split()
    while words and words[0].startswith("$"):
        words = variables[words[0][1:]].split() + words[1:]
    base, *rest = words
    for word in rest:
        assert word.endswith("%"), value
        alpha *= float(word[:-1]) / 100
    if base == "auto":
        color = under.get_contrast_text(alpha)
    else:
        color = Color.parse(base)
        color = color.with_alpha(color.a * alpha)
    return under + color


def on_terminal(color: Color, system: ColorSystem, palette: TerminalTheme) -> ColorTriplet:
    """The colour a terminal of ``system`` depth shows for ``color`` (Rich's reduction)."""
    rich = RichColor.from_rgb(color.r, color.g, color.b).downgrade(system)
    return rich.get_truecolor(palette)


def pair_contrast(pair: Pair, variables: dict[str, str], depth: int) -> float:
    """The contrast of one pair at one depth."""
    _, system, palette = DEPTHS[depth]
    under = Color(0, 0, 0)
    for value in pair.under:
        under = layer(value, variables, under)
    fg = layer(pair.fg, variables, under)
    return contrast(on_terminal(fg, system, palette), on_terminal(under, system, palette))


def bundled() -> list[Theme]:
    """Every theme shipped in ``themes/``."""
    loaded = load_themes([THEMES_DIR])
    assert not loaded.errors, loaded.errors
    return list(loaded.themes)


def test_contrast_formula_matches_wcag_examples() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    # The measurement: xterm's white on its yellow.
    assert contrast((255, 255, 255), (205, 205, 0)) == pytest.approx(1.70, abs=0.01)


def test_downgrade_reaches_the_terminal_palette() -> None:
    # Guards the Rich behaviour the test leans on: truecolor reduced to a 16-colour number.
    yellow = on_terminal(Color(255, 255, 0), ColorSystem.STANDARD, XTERM)
    assert tuple(yellow) in ((205, 205, 0), (255, 255, 0))
    grey = on_terminal(Color(0x30, 0x30, 0x30), ColorSystem.EIGHT_BIT, DEFAULT_TERMINAL_THEME)
    assert tuple(grey) == (0x30, 0x30, 0x30)


def test_placeholders_use_the_checked_colour() -> None:
    # The "search hint" pair assumes app.tcss overrides Textual's $text-disabled placeholder.
    css = (Path(__file__).resolve().parents[2] / "brief" / "tui" / "app.tcss").read_text()
    rule = css.split("Input > .input--placeholder", 1)[1].split("}", 1)[0]
    assert "color: $text-muted;" in rule


def test_bundled_themes_exist() -> None:
    names = {theme.name for theme in bundled()}
    assert {"brief-dark", "brief-light", "brief-ssh"} <= names


@pytest.mark.parametrize("depth", range(len(DEPTHS)), ids=[d[0] for d in DEPTHS])
@pytest.mark.parametrize("theme", bundled(), ids=lambda t: t.name)
def test_theme_pairs_are_legible(theme: Theme, depth: int) -> None:
    variables = theme_variables(theme)
    failures = [
        f"{pair.label}: {ratio:.2f} < {pair.minimum}"
        for pair in PAIRS
        if (ratio := pair_contrast(pair, variables, depth)) < pair.minimum
    ]
    assert not failures, f"{theme.name} at {DEPTHS[depth][0]}: " + "; ".join(failures)


def main(argv: list[str]) -> None:
    """Print each theme's weakest pair per depth: ``python tests/tui/test_theme_contrast.py``."""
    folder = Path(argv[0]) if argv else THEMES_DIR
    print("theme".ljust(14) + "".join(name.ljust(40) for name, _, _ in DEPTHS))
    for theme in load_themes([folder]).themes:
        variables = theme_variables(theme)
        cells = []
        for depth in range(len(DEPTHS)):
            ratio, pair = min(
                ((pair_contrast(p, variables, depth), p) for p in PAIRS),
                key=lambda item: item[0] / item[1].minimum,
            )
            cells.append(f"{ratio:5.2f}/{pair.minimum} {pair.label}"[:38].ljust(40))
        print(theme.name.ljust(14) + "".join(cells))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])

"""Themes as data: ``themes/*.toml`` files holding Textual ``Theme`` fields.

brief's own themes ship in the ``themes/`` folder; the user's themes folder
(next to the config file) is read too and may override them by name.  A bad
file never stops the app: it is skipped and named in :attr:`ThemeLoad.errors`,
which the app shows in one notification.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from brief import paths

_COLOR_FIELDS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
_FLOAT_FIELDS = ("luminosity_spread", "text_alpha")
_BOOL_FIELDS = ("dark", "ansi")
_KNOWN = {"name", "variables", *_COLOR_FIELDS, *_FLOAT_FIELDS, *_BOOL_FIELDS}


@dataclass(frozen=True, slots=True)
class ThemeLoad:
    """Themes read from theme folders, and one line per file that could not be used."""

    themes: tuple[Theme, ...] = ()
    errors: tuple[str, ...] = ()
    files: dict[str, Path] = field(default_factory=dict)


def parse_theme(text: str, path: Path) -> Theme:
    """Parse one theme file's TOML into a Textual ``Theme``; ``ValueError`` names what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"TOML syntax error: {exc}") from None
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; expected Textual Theme fields")
    values: dict[str, Any] = {"name": data.get("name", path.stem)}
    if not isinstance(values["name"], str) or not values["name"].strip():
        raise ValueError("name: expected a non-empty string")
    if "primary" not in data:
        raise ValueError("primary: a theme needs at least a primary colour")
    for key in _COLOR_FIELDS:
        if key in data:
            values[key] = _color(key, data[key])
    for key in _FLOAT_FIELDS:
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{key}: expected a number")
            values[key] = float(value)
    for key in _BOOL_FIELDS:
        if key in data:
            if not isinstance(data[key], bool):
                raise ValueError(f"{key}: expected true or false")
            values[key] = data[key]
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise ValueError("variables: expected a table of strings")
    values["variables"] = dict(variables)
    theme = Theme(**values)
    try:
        # Deriving the full colour system catches values that parse but cannot be used.
        theme.to_color_system().generate()
    except (ColorParseError, ValueError) as exc:
        raise ValueError(f"unusable colours: {exc}") from None
    return theme


def _color(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{key}: expected a colour string like '#1e2a38'")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{key}: {value!r} is not a colour") from None
    return value


def load_themes(folders: list[Path]) -> ThemeLoad:
    """Read every ``*.toml`` theme in ``folders`` (later folders override earlier by name)."""
    themes: dict[str, Theme] = {}
    files: dict[str, Path] = {}
    errors: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = parse_theme(path.read_text(encoding="utf-8"), path)
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(f"{path}: cannot read theme: {exc}")
                continue
            except ValueError as exc:
                errors.append(f"{path}: {exc}")
                continue
            themes[theme.name] = theme
            files[theme.name] = path
    return ThemeLoad(tuple(themes.values()), tuple(errors), files)


def theme_folders() -> list[Path]:
    """brief's bundled themes folder, then the user's themes folder."""
    return [paths.bundled_dir("themes"), paths.user_themes_dir()]


def theme_to_toml(theme: Theme) -> str:
    """A theme as TOML text in the format :func:`parse_theme` reads (for exporting)."""
    import tomli_w

    data = {
        key: value
        for key, value in dataclasses.asdict(theme).items()
        if value is not None and not (key == "variables" and not value)
    }
    return tomli_w.dumps(data)


def brief_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """Textual's CSS variables plus brief's own, whose defaults derive from the theme's colours.

    Textual's built-in themes do not define brief's variables, so they get defaults here.
    """
    result = dict(variables)
    result.setdefault("brief-summary", result.get("warning-muted", "#4d4635"))
    result.setdefault("brief-mention", result.get("primary", "#5fa8d3"))
    return result


SSH_THEME = "brief-ssh"
# TERM values of terminals known to draw 24-bit colour without announcing it in COLORTERM.
_TRUECOLOR_TERMS = ("truecolor", "24bit", "direct", "xterm-kitty", "alacritty", "wezterm", "foot")


def terminal_lacks_truecolor(environ: Mapping[str, str]) -> bool:
    """True when neither COLORTERM nor TERM says the terminal draws 24-bit colour (as over ssh)."""
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return False
    term = environ.get("TERM", "").lower()
    return not any(name in term for name in _TRUECOLOR_TERMS)


def theme_set_in(config_file: Path | None) -> bool:
    """True when the user's config file chooses a theme itself (``[tui] theme``)."""
    if config_file is None:
        return False
    try:
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    tui = data.get("tui")
    return isinstance(tui, dict) and "theme" in tui


def starting_theme(configured: str, explicit: bool, environ: Mapping[str, str]) -> str:
    """The theme to start in: an explicit choice always, else brief-ssh without truecolor."""
    if not explicit and terminal_lacks_truecolor(environ):
        return SSH_THEME
    return configured

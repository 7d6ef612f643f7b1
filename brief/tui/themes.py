"""Themes as data: ``themes/*.toml`` files holding Textual ``Theme`` fields.

brief's own themes ship in the ``themes/`` folder; the user's themes folder
(next to the config file) is read too and may override them by name.  A bad
file never stops the app: it is skipped and named in :attr:`ThemeLoad.errors`,
which the app shows in one notification.
"""

from __future__ import annotations

import dataclasses
import tomllib
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

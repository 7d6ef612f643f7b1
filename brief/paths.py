"""Where brief keeps its files: config, store, briefings, bundled data.

Every location can be overridden (command-line flag, environment variable or
config key) so tests and unusual set-ups never touch the real home folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "brief"
SEEDS_MARKER = "@seeds"


def config_file(override: str | os.PathLike[str] | None = None) -> Path:
    """The user's config file: ``--config``, then ``$BRIEF_CONFIG``, then the platform dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("BRIEF_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir() -> Path:
    """Folder for the store and caches: ``$BRIEF_DATA_DIR`` or the platform data dir."""
    env = os.environ.get("BRIEF_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_output_dir() -> Path:
    """Where briefings go when the config does not say: ``~/Documents/brief`` or similar."""
    env = os.environ.get("BRIEF_OUTPUT_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_documents_dir()) / APP_NAME


def user_themes_dir() -> Path:
    """Folder for the user's own theme files."""
    return config_file().parent / "themes"


def bundled_dir(name: str) -> Path:
    """A folder shipped with brief (``seeds``, ``config``, ``themes``).

    In a wheel they are package data under ``brief/_data``; in a source
    checkout (editable install) they sit at the repository's top level.
    """
    package = Path(__file__).resolve().parent
    packaged = package / "_data" / name
    if packaged.is_dir():
        return packaged
    return package.parent / name


def resolve_local(entry: str, base: Path | None = None) -> Path:
    """Turn a ``sources.local`` entry into a path (``@seeds`` is the bundled folder)."""
    if entry == SEEDS_MARKER:
        return bundled_dir("seeds")
    path = Path(entry).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path

"""brief's settings: typed dataclasses, loaded with tomllib, validated, saved atomically.

A bad file never gets past :func:`load_config`: every problem becomes one
:class:`~brief.errors.ConfigError` line naming the file, the key (or the line,
for TOML syntax) and what was expected.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import math
import os
import re
import string
import threading
import time
import tomllib
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import tomli_w

from brief import paths
from brief.algorithms import SUMMARY_ALGORITHMS
from brief.errors import ConfigError
from brief.files import atomic_write, backup_path

SECTIONS = ("stories", "actors", "sources")
# Beyond these a date computed from them leaves datetime's range (year 1 to 9999).
MAX_WINDOW_HOURS = 87_600
MAX_RETENTION_DAYS = 36_500
ACTOR_KINDS = ("person", "state", "organisation")
FILENAME_FIELDS = ("date", "title")
PROFILE_FILENAME_FIELDS = ("date", "title", "name")
# A profile name becomes part of a file name: letters, digits, "-" and "_", nothing else.
PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# Adult silent reading of English non-fiction: about 238 words per minute (Brysbaert 2019,
# "How many words do we read per minute? A review and meta-analysis of reading rate",
# Journal of Memory and Language 109).  230 rounds it down: a briefing is read, not skimmed.
DEFAULT_WORDS_PER_MINUTE = 230


def _positive(value: Any) -> bool:
    return bool(value > 0)


def _non_negative(value: Any) -> bool:
    return bool(value >= 0)


def _between(low: float, high: float) -> Callable[[Any], bool]:
    """A range test: ``low <= value <= high`` and finite (NaN and infinity fail)."""

    def test(value: Any) -> bool:
        return bool(low <= value <= high) and math.isfinite(value)

    return test


def _no_controls(value: Any) -> bool:
    """No NUL or other control characters (they cannot be in a path, a header or a URL)."""
    return not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in str(value))


def _path_text(value: Any) -> bool:
    return _no_controls(value)


def _paths_text(value: Any) -> bool:
    return all(_no_controls(item) and str(item).strip() for item in value)


def _paths_text_one(value: Any) -> bool:
    return _paths_text((value,))


def _header_text(value: Any) -> bool:
    return _non_empty(value) and _no_controls(value) and len(value) <= 1000


def _ratio(value: Any) -> bool:
    return bool(0.0 <= value < 1.0)


def _command(value: Any) -> bool:
    import shlex

    try:
        return isinstance(value, str) and (not value.strip() or bool(shlex.split(value)))
    except ValueError:  # unbalanced quotes
        return False


def _non_empty(value: Any) -> bool:
    return bool(str(value).strip())


def _http_url(value: Any) -> bool:
    return bool(re.match(r"^https?://[^\s/]+", value)) and _no_controls(value)


def _sections(value: Any) -> bool:
    return all(item in SECTIONS for item in value) and len(set(value)) == len(value)


def _actor_kind(value: Any) -> bool:
    return value in ACTOR_KINDS


def _filename_pattern(value: Any, fields_allowed: tuple[str, ...] = FILENAME_FIELDS) -> bool:
    if not value.strip() or "/" in value or "\\" in value or value in (".", ".."):
        return False
    if not _no_controls(value) or len(value) > 200:
        return False
    try:
        fields = list(string.Formatter().parse(value))
    except ValueError:
        return False
    # Only plain {date} and {title}: a format spec like {date:>999999999} would
    # build a gigabyte-long name (and attribute access reaches into objects).
    for _, name, spec, conversion in fields:
        if name is not None and (name not in fields_allowed or spec or conversion):
            return False
    return "{date}" in value


def _profile_filename(value: Any) -> bool:
    return _filename_pattern(value, PROFILE_FILENAME_FIELDS)


def _profile_name(value: Any) -> bool:
    return PROFILE_NAME.fullmatch(value) is not None


def _labels(value: Any) -> bool:
    return all(_non_empty(item) and _no_controls(item) and len(item) <= 200 for item in value)


def _label(value: Any) -> bool:
    return _non_empty(value) and _no_controls(value) and len(value) <= 200


def _algorithm(value: Any) -> bool:
    return value in SUMMARY_ALGORITHMS


def _algorithm_expect() -> str:
    return "one of " + ", ".join(SUMMARY_ALGORITHMS)


WINDOWS = ("hours", "since-last")


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], bool]:
    """A membership test: the value is one of ``choices``."""

    def test(value: Any) -> bool:
        return value in choices

    return test


def _check(test: Callable[[Any], bool], expect: str | Callable[[], str]) -> dict[str, Any]:
    """Field metadata: a validity test and what to say when it fails."""
    return {"check": test, "expect": expect}


@dataclass(frozen=True, slots=True)
class BriefingConfig:
    """What the briefing contains, and where and how it is saved."""

    title: str = field(
        default="Morning briefing", metadata=_check(_non_empty, "a non-empty string")
    )
    output_dir: str = field(
        default="", metadata=_check(_path_text, "a folder path without control characters")
    )
    filename: str = field(
        default="{date}.md",
        metadata=_check(
            _filename_pattern,
            "a file name containing {date} (and optionally {title}), no folders",
        ),
    )
    sections: tuple[str, ...] = field(
        default=SECTIONS,
        metadata=_check(_sections, "a list drawn from " + ", ".join(SECTIONS)),
    )
    window_hours: int = field(
        default=24,
        metadata=_check(
            _between(1, MAX_WINDOW_HOURS), "an integer from 1 to 87600 hours (ten years)"
        ),
    )
    max_stories: int = field(
        default=30, metadata=_check(_between(1, 10_000), "an integer from 1 to 10000")
    )
    # "hours": the last window_hours; "since-last": since the last briefing was written.
    window: str = field(
        default="hours", metadata=_check(_one_of(WINDOWS), '"hours" or "since-last"')
    )
    memory_days: int = field(
        default=14,
        metadata=_check(_between(0, 365), "an integer from 0 (no memory) to 365 days"),
    )
    # Which sources go in: feeds or local sources carrying one of these tags, or named
    # here (feed name or URL, local path).  Both empty: every source.
    tags: tuple[str, ...] = field(default=(), metadata=_check(_labels, "a list of tag names"))
    feeds: tuple[str, ...] = field(
        default=(), metadata=_check(_labels, "a list of feed names, URLs or local paths")
    )
    default_section: str = field(
        default="More news", metadata=_check(_label, "a non-empty line of text")
    )
    minutes: float = field(
        default=0.0,
        metadata=_check(_between(0, 600), "a number of minutes from 0 (no budget) to 600"),
    )
    words_per_minute: int = field(
        default=DEFAULT_WORDS_PER_MINUTE,
        metadata=_check(_between(50, 2000), "an integer from 50 to 2000 words a minute"),
    )
    wikilinks: bool = False
    # The [[briefings]] profile this briefing is for (set by brief, not read from the file).
    profile: str = field(default="", metadata={"internal": True})


@dataclass(frozen=True, slots=True)
class SectionConfig:
    """One section of the top stories: the stories whose leading source carries its tags."""

    name: str = field(default="", metadata=_check(_label, "a non-empty line of text"))
    tags: tuple[str, ...] = field(default=(), metadata=_check(_labels, "a list of tag names"))
    max_stories: int = field(
        default=10, metadata=_check(_between(1, 10_000), "an integer from 1 to 10000")
    )


@dataclass(frozen=True, slots=True)
class ProfileConfig:
    """One named briefing (``[[briefings]]``); 0 and empty values fall back to ``[briefing]``."""

    name: str = field(
        default="",
        metadata=_check(
            _profile_name, "letters, digits, - and _ (up to 64, a letter or digit first)"
        ),
    )
    title: str = field(default="", metadata=_check(_no_controls, "a line of text"))
    tags: tuple[str, ...] = field(default=(), metadata=_check(_labels, "a list of tag names"))
    feeds: tuple[str, ...] = field(
        default=(), metadata=_check(_labels, "a list of feed names, URLs or local paths")
    )
    sections: tuple[str, ...] = field(
        default=(), metadata=_check(_labels, "a list of [[sections]] names")
    )
    window_hours: int = field(
        default=0,
        metadata=_check(_between(0, MAX_WINDOW_HOURS), "an integer from 0 ([briefing]'s) to 87600"),
    )
    max_stories: int = field(
        default=0, metadata=_check(_between(0, 10_000), "an integer from 0 ([briefing]'s) to 10000")
    )
    minutes: float = field(
        default=0.0,
        metadata=_check(_between(0, 600), "a number of minutes from 0 ([briefing]'s) to 600"),
    )
    output_dir: str = field(
        default="", metadata=_check(_path_text, "a folder path without control characters")
    )
    filename: str = field(
        default="{date}-{name}.md",
        metadata=_check(
            _profile_filename,
            "a file name containing {date} (and optionally {name}, {title}), no folders",
        ),
    )


@dataclass(frozen=True, slots=True)
class SummaryConfig:
    """Which summarizer runs and how long its summaries are."""

    algorithm: str = field(default="news", metadata=_check(_algorithm, _algorithm_expect))
    sentences: int = field(
        default=3, metadata=_check(_between(1, 1000), "an integer from 1 to 1000")
    )
    ratio: float = field(
        default=0.0,
        metadata=_check(
            _ratio, "a fraction from 0.0 (off: use sentences) up to, not including, 1.0"
        ),
    )
    max_input_sentences: int = field(
        default=400, metadata=_check(_between(1, 100_000), "an integer from 1 to 100000")
    )
    words: int = field(
        # 90: what bench/rouge.py --nested picks on all of cnndm-dev, in every fold (the
        # shortest budget within one standard error of the best); summaries of about 70 words.
        default=90,
        metadata=_check(_non_negative, "a whole number of words (0: no budget)"),
    )


@dataclass(frozen=True, slots=True)
class LocalFolderConfig:
    """A local folder or file of articles with tags (``[[sources.folders]]``)."""

    path: str = field(
        default="", metadata=_check(_paths_text_one, "a non-empty path without control characters")
    )
    tags: tuple[str, ...] = field(default=(), metadata=_check(_labels, "a list of tag names"))


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    """Local article folders and files."""

    local: tuple[str, ...] = field(
        default=(paths.SEEDS_MARKER,),
        metadata=_check(_paths_text, "a list of non-empty paths without control characters"),
    )
    folders: tuple[LocalFolderConfig, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One subscribed feed."""

    url: str = field(default="", metadata=_check(_http_url, "an http:// or https:// URL"))
    name: str = ""
    tags: tuple[str, ...] = ()
    full_text: bool = False


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How feeds are fetched over HTTP."""

    user_agent: str = field(
        default="brief/0.1 (+https://github.com/brief-news/brief)",
        metadata=_check(_header_text, "a non-empty line of text"),
    )
    timeout_seconds: float = field(
        default=20.0, metadata=_check(_between(0.1, 3600), "a number of seconds from 0.1 to 3600")
    )
    concurrency: int = field(
        default=16, metadata=_check(_between(1, 256), "an integer from 1 to 256")
    )
    per_host: int = field(default=4, metadata=_check(_between(1, 64), "an integer from 1 to 64"))
    max_bytes: int = field(
        default=10_000_000,
        metadata=_check(_between(1000, 1_000_000_000), "an integer from 1000 to 1000000000 bytes"),
    )
    max_redirects: int = field(
        default=5, metadata=_check(_between(0, 30), "an integer from 0 to 30")
    )
    min_interval_minutes: int = field(
        default=15,
        metadata=_check(_between(0, 525_600), "an integer from 0 to 525600 minutes (a year)"),
    )
    run_deadline_seconds: float = field(
        default=300.0,
        metadata=_check(_between(0, 86_400), "a number of seconds from 0 (no deadline) to 86400"),
    )


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """The local article store."""

    path: str = field(
        default="", metadata=_check(_path_text, "a file path without control characters")
    )
    retention_days: int = field(
        default=30,
        metadata=_check(_between(1, MAX_RETENTION_DAYS), "an integer from 1 to 36500 days"),
    )


@dataclass(frozen=True, slots=True)
class WatchedActor:
    """An actor the reader always wants tracked."""

    name: str = field(default="", metadata=_check(_non_empty, "a non-empty name"))
    kind: str = field(
        default="person", metadata=_check(_actor_kind, "one of " + ", ".join(ACTOR_KINDS))
    )
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ActorsConfig:
    """The per-actor part of the briefing."""

    max_actors: int = field(
        default=12, metadata=_check(_between(0, 10_000), "an integer from 0 to 10000")
    )
    sentences: int = field(default=2, metadata=_check(_between(0, 100), "an integer from 0 to 100"))
    quotes: int = field(default=3, metadata=_check(_between(0, 100), "an integer from 0 to 100"))
    min_mentions: int = field(
        default=2, metadata=_check(_between(1, 10_000), "an integer from 1 to 10000")
    )
    min_salience: float = field(
        default=2.0, metadata=_check(_between(0, 1e6), "a number from 0 (no minimum) to 1000000")
    )
    length_ratio: float = field(
        default=2.0, metadata=_check(_between(0, 1e6), "a number from 0 (no limit) to 1000000")
    )
    mute: tuple[str, ...] = ()
    watch: tuple[WatchedActor, ...] = ()


@dataclass(frozen=True, slots=True)
class TuiConfig:
    """The interactive interface."""

    theme: str = field(default="brief-dark", metadata=_check(_non_empty, "a theme name"))
    auto_refresh_minutes: int = field(
        default=0, metadata=_check(_non_negative, "zero (off) or a positive number of minutes")
    )
    browser: str = field(default="", metadata=_check(_command, 'a command such as "w3m %u"'))


def _key_spec(value: Any) -> bool:
    tokens = value.split(",") if isinstance(value, str) else []
    return bool(tokens) and all(
        re.fullmatch(r"[A-Za-z0-9_+-]+|[^\sA-Za-z0-9]", t.strip()) for t in tokens
    )


_KEY = _check(_key_spec, 'keys such as "n", "ctrl+n" or "n,down" (comma-separated)')


@dataclass(frozen=True, slots=True)
class KeysConfig:
    """Keys of the TUI's actions (newsboat's by default), each one or more comma-separated keys."""

    refresh: str = field(default="r", metadata=_KEY)
    next_unread: str = field(default="n", metadata=_KEY)
    previous_unread: str = field(default="p", metadata=_KEY)
    toggle_read: str = field(default="N", metadata=_KEY)
    mark_source_read: str = field(default="A", metadata=_KEY)
    mark_all_read: str = field(default="C", metadata=_KEY)
    undo_marks: str = field(default="U", metadata=_KEY)
    unread_only: str = field(default="u", metadata=_KEY)
    full_screen: str = field(default="z", metadata=_KEY)
    search: str = field(default="/", metadata=_KEY)
    sort: str = field(default="s", metadata=_KEY)
    open_link: str = field(default="o", metadata=_KEY)
    links: str = field(default="L", metadata=_KEY)
    help: str = field(default="?,f1", metadata=_KEY)
    quit: str = field(default="q", metadata=_KEY)


@dataclass(frozen=True, slots=True)
class Config:
    """All of brief's settings.  ``path`` is where they were loaded from (not saved)."""

    briefing: BriefingConfig = BriefingConfig()
    summary: SummaryConfig = SummaryConfig()
    sources: SourcesConfig = SourcesConfig()
    feeds: tuple[FeedConfig, ...] = ()
    fetch: FetchConfig = FetchConfig()
    store: StoreConfig = StoreConfig()
    actors: ActorsConfig = ActorsConfig()
    tui: TuiConfig = TuiConfig()
    keys: KeysConfig = KeysConfig()
    sections: tuple[SectionConfig, ...] = ()
    briefings: tuple[ProfileConfig, ...] = ()
    path: Path | None = field(default=None, compare=False, metadata={"internal": True})

    def output_dir(self) -> Path:
        """The folder briefings are written to."""
        if self.briefing.output_dir:
            return _relative_to_config(self.briefing.output_dir, self.path)
        return paths.default_output_dir()

    def store_path(self) -> Path:
        """The SQLite file of the article store."""
        if self.store.path:
            return _relative_to_config(self.store.path, self.path)
        return paths.data_dir() / "brief.sqlite3"

    def local_paths(self) -> list[Path]:
        """The local sources as paths (relative ones are taken from the config's folder)."""
        base = self.path.parent if self.path else None
        entries = list(dict.fromkeys([*self.sources.local, *self.local_tags()]))
        return [paths.resolve_local(entry, base) for entry in entries]

    def local_tags(self) -> dict[str, tuple[str, ...]]:
        """The tags of each ``[[sources.folders]]`` entry, by its path as written."""
        tags: dict[str, tuple[str, ...]] = {}
        for folder in self.sources.folders:
            tags[folder.path] = (*tags.get(folder.path, ()), *folder.tags)
        return tags

    def resolve_local(self, entry: str) -> Path:
        """One local source entry as a path (relative ones from the config's folder)."""
        return paths.resolve_local(entry, self.path.parent if self.path else None)


def _relative_to_config(value: str, config_path: Path | None) -> Path:
    path = Path(value).expanduser()
    if not path.is_absolute() and config_path is not None:
        path = config_path.parent / path
    return path


# --- loading -----------------------------------------------------------------

T = TypeVar("T")

_TYPE_WORDS = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        shown = repr(value)
        return f"the array {shown}" if len(shown) <= 60 else "an array"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"{type(value).__name__} {value!r}"


def _key_label(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _build(cls: type[T], data: Any, where: str, file: Path) -> T:
    """Build dataclass ``cls`` from TOML ``data``, checking every key and value."""
    label = where or "the top level"
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: {where}: expected a table, got {_type_name(data)}")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}  # type: ignore[arg-type]
    for key in data:
        if key not in known:
            raise ConfigError(
                f"{file}: unknown key {_key_label(where, key)!r} in {label}; "
                f"expected one of: {', '.join(known)}"
            )
    values: dict[str, Any] = {}
    for name, spec in known.items():
        if name not in data:
            continue
        key = _key_label(where, name)
        value = _convert(hints[name], data[name], key, file)
        check = spec.metadata.get("check")
        if check is not None and not check(value):
            expect = spec.metadata["expect"]
            expect = expect() if callable(expect) else expect
            raise ConfigError(f"{file}: {key}: expected {expect}, got {_type_name(data[name])}")
        values[name] = value
    return cls(**values)


def _convert(hint: Any, value: Any, key: str, file: Path) -> Any:
    """Check ``value`` against the field type ``hint`` and convert lists to tuples."""
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, key, file)  # type: ignore[arg-type]
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ConfigError(f"{file}: {key}: expected an array, got {_type_name(value)}")
        return tuple(_convert(item_hint, item, f"{key}[{i}]", file) for i, item in enumerate(value))
    if origin in (types.UnionType, typing.Union):
        raise TypeError(f"unsupported config type {hint}")  # pragma: no cover
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool):
        raise ConfigError(f"{file}: {key}: expected {_TYPE_WORDS[int]}, got {_type_name(value)}")
    if not isinstance(value, hint):
        raise ConfigError(f"{file}: {key}: expected {_TYPE_WORDS[hint]}, got {_type_name(value)}")
    return value


_LINE_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_config(text: str, file: Path) -> Config:
    """Parse and validate TOML text as brief's config (``file`` is only for messages)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        match = _LINE_RE.search(msg)
        reason = _LINE_RE.sub("", msg).strip()
        where = f" line {match.group(1)}" if match else ""
        raise ConfigError(f"{file}{where}: TOML syntax error: {reason}") from None
    config = _build(Config, data, "", file)
    _check_cross_references(config, file)
    return dataclasses.replace(config, path=file)


def _check_cross_references(config: Config, file: Path) -> None:
    """What one table cannot check alone: unique names, sections a profile names exist."""
    for list_name, items, key in (
        ("sections", config.sections, "name"),
        ("briefings", config.briefings, "name"),
        ("sources.folders", config.sources.folders, "path"),
    ):
        for index, item in enumerate(items):
            if not getattr(item, key):
                raise ConfigError(f"{file}: {list_name}[{index}]: {key} is required")
    section_names = [s.name for s in config.sections]
    for index, name in enumerate(section_names):
        if name.casefold() in (n.casefold() for n in section_names[:index]):
            raise ConfigError(f"{file}: sections[{index}].name: {name!r} is used twice")
        if name.casefold() == config.briefing.default_section.casefold():
            raise ConfigError(
                f"{file}: sections[{index}].name: {name!r} is also briefing.default_section"
            )
    known = {n.casefold() for n in section_names}
    seen: set[str] = set()
    for index, profile in enumerate(config.briefings):
        if profile.name.casefold() in seen:
            raise ConfigError(f"{file}: briefings[{index}].name: {profile.name!r} is used twice")
        seen.add(profile.name.casefold())
        for wanted in profile.sections:
            if wanted.casefold() not in known:
                raise ConfigError(
                    f"{file}: briefings[{index}].sections: {wanted!r} is not a [[sections]] name; "
                    f"expected one of: {', '.join(section_names) or '(none defined)'}"
                )


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load the user's config (:func:`brief.paths.config_file`); no file means defaults.

    A file that is gone while its ``.bak`` is still there is an error, not
    defaults: it existed, and running without the reader's feeds would look
    like success.
    """
    file = paths.config_file(path)
    if not file.exists():
        bak = backup_path(file)
        if bak.exists():
            raise ConfigError(
                f"{file}: config file is missing but its backup {bak.name} exists",
                f"restore it with `mv {bak} {file}`",
            )
        if path is not None:
            raise ConfigError(
                f"{file}: config file not found", "run `brief config init` to create one"
            )
        return Config(path=file)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read config file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: config file is not valid UTF-8") from None
    return parse_config(text, file)


# --- saving ------------------------------------------------------------------


def config_to_dict(config: Config) -> dict[str, Any]:
    """The config as plain TOML-ready data (tuples become lists; ``path`` left out)."""

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {
                f.name: plain(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if not f.metadata.get("internal")
            }
        if isinstance(value, tuple):
            return [plain(item) for item in value]
        return value

    result: dict[str, Any] = plain(config)
    return result


@contextlib.contextmanager
def config_lock(path: Path, *, timeout: float = 30.0) -> Iterator[None]:
    """Hold the config's lock (``.<name>.lock`` beside it) for one read-modify-write.

    Several ``brief feeds add`` at once, or the TUI saving while a command
    does, then each see the others' changes instead of overwriting them.
    Re-entrant within one process.
    """
    key = str(path.resolve())
    held: set[str] = _held_locks.__dict__.setdefault("paths", set())
    if key in held:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _acquire(fd, lock, timeout)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# The config files this thread holds the lock of (flock is per open file, so a
# nested save in the same thread would otherwise wait for itself).
_held_locks = threading.local()


def _acquire(fd: int, lock: Path, timeout: float) -> None:
    """Take an exclusive lock on ``fd``, waiting up to ``timeout`` seconds."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; save still atomic
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return  # a file system without locks: the save is still atomic
            if time.monotonic() > deadline:
                raise ConfigError(
                    f"{lock}: another brief is changing the config",
                    "wait for it to finish, or remove the lock file if none is running",
                ) from None
            time.sleep(0.02)


def update_config(
    change: Callable[[Config], tuple[Config, T]],
    path: str | os.PathLike[str] | None = None,
) -> tuple[T, Path]:
    """Read the config fresh under its lock, apply ``change``, save the config it returns.

    ``change`` gets the config as it is on disk now (not as it was when this
    process started) and returns the new config and a result for the caller;
    this returns that result and the path saved to.
    """
    file = paths.config_file(path)
    with config_lock(file):
        current = load_config(file) if file.exists() else Config(path=file)
        new, result = change(current)
        return result, save_config(new, file)


def save_config(
    config: Config, path: str | os.PathLike[str] | None = None, *, base: Config | None = None
) -> Path:
    """Save ``config`` atomically, keeping the old file as ``.bak``.

    An existing file is edited in place (:mod:`brief.config_write`): only the
    values that differ between ``base`` (what the caller loaded; by default
    the file as it is now) and ``config`` change, so comments, order, layout
    and edits made meanwhile stay.  A new file is written with tomli-w.
    """
    file = Path(path) if path is not None else (config.path or paths.config_file())
    with config_lock(file):
        data = _config_bytes(config, file, base)
        # Validate what we are about to write so a bad in-memory config never lands on disk.
        parse_config(data.decode("utf-8"), file)
        atomic_write(file, data, backup=True)
    return file


def _config_bytes(config: Config, file: Path, base: Config | None) -> bytes:
    """The TOML to save: the file on disk (read now, under the lock) with the change applied."""
    fresh = tomli_w.dumps(config_to_dict(config)).encode("utf-8")
    if not file.exists():
        if backup_path(file).exists():
            load_config(file)  # raises: a missing config beside its .bak is an error
        return fresh

    current = load_config(file)
    text = file.read_text(encoding="utf-8")  # valid UTF-8: load_config just checked
    wanted = config_to_dict(config)
    before = config_to_dict(base if base is not None else current)
    from brief import config_write  # tomlkit: only to edit a config file

    merged = config_write.merge_text(
        text,
        config_to_dict(current),
        before,
        wanted,
        _item_defaults(),
    )
    result = config_to_dict(parse_config(merged, file))
    if base is None and result != wanted:
        return fresh  # the edit did not give the wanted config: correct beats pretty
    if not config_write.has_changes(result, before, wanted):
        return fresh  # a value this save changed did not land: correct beats pretty
    return merged.encode("utf-8")


def _item_defaults() -> dict[str, dict[str, Any]]:
    """Per list of tables, the values a new item need not spell out in the file."""
    plain = config_to_dict(
        Config(feeds=(FeedConfig(),), sections=(SectionConfig(),), briefings=(ProfileConfig(),))
    )
    return {key: plain[key][0] for key in ("feeds", "sections", "briefings")}


def default_config_text() -> str:
    """The documented default config (``config/default.toml``)."""
    return (paths.bundled_dir("config") / "default.toml").read_text(encoding="utf-8")


def init_config(path: str | os.PathLike[str] | None = None) -> Path:
    """Write the commented starter config; refuse to overwrite an existing file."""
    file = paths.config_file(path)
    if file.exists():
        raise ConfigError(
            f"{file}: a config file already exists", "edit it, or remove it first to start over"
        )
    atomic_write(file, default_config_text().encode("utf-8"))
    return file


def replace_section(config: Config, section: str, **changes: Any) -> Config:
    """A copy of ``config`` with fields of one section changed (used by the TUI's settings)."""
    current = getattr(config, section)
    return dataclasses.replace(config, **{section: dataclasses.replace(current, **changes)})

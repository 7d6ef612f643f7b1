"""brief's one error family.

BriefError              anything a user caused and can fix: one line + hint
 ├── ConfigError        a bad config file or value (exit code 2)
 ├── SourceError        one source could not be collected (the run goes on)
 └── BriefingExistsError  the day's file exists and --force was not given
"""

from __future__ import annotations


class BriefError(Exception):
    """An error shown to the user as one readable line, never a traceback."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class ConfigError(BriefError):
    """The configuration file or a value in it is invalid."""


class SourceError(BriefError):
    """A source (feed, folder, file) could not be read."""


class BriefingExistsError(BriefError):
    """A briefing file for that date already exists."""

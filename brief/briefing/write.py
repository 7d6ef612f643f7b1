"""Save a rendered briefing: dated file name, atomic write, never a silent overwrite.

When the day's file already exists and ``force`` is off, the briefing goes to
the first free numbered sibling (``2026-11-28-2.md``, ``-3``, ...), so a second
run the same morning keeps both.  With ``force`` the file is replaced
atomically.  Either way a crash leaves the old file or the new one, never half.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from brief.config import atomic_write, write_temp
from brief.errors import BriefError

MAX_SIBLINGS = 999


def slugify(text: str) -> str:
    """A file-name-safe form of a title: lowercase words joined by hyphens."""
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-_")
    return slug[:60] or "briefing"


def briefing_filename(pattern: str, day: date, title: str) -> str:
    """The file name for a briefing from the config pattern (``{date}``, ``{title}``)."""
    return pattern.format(date=day.isoformat(), title=slugify(title))


def _sibling(path: Path, number: int) -> Path:
    return path.with_name(f"{path.stem}-{number}{path.suffix}")


def write_briefing(text: str, path: Path, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically and return the path actually written.

    Without ``force`` an existing file is kept and a numbered sibling is used.
    """
    data = text.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefError(
            f"{path.parent}: cannot create the output folder: {exc.strerror}",
            "set [briefing] output_dir or pass --output",
        ) from None
    if force:
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise BriefError(f"{path}: cannot write the briefing: {exc.strerror}") from None
        return path
    # Write once to a temp file, then hard-link it to the first free name:
    # os.link never replaces an existing file, so two runs cannot clobber each other.
    try:
        tmp = write_temp(path, data)
    except OSError as exc:
        raise BriefError(f"{path}: cannot write the briefing: {exc.strerror}") from None
    try:
        for number in range(1, MAX_SIBLINGS + 1):
            candidate = path if number == 1 else _sibling(path, number)
            try:
                os.link(tmp, candidate)
            except FileExistsError:
                continue
            except OSError:
                # Filesystems without hard links: exclusive create is still no-clobber.
                if not _write_exclusive(candidate, data):
                    continue
            return candidate
        raise BriefError(
            f"{path}: {MAX_SIBLINGS} briefings for this day already exist",
            "use --force to replace the first one",
        )
    except OSError as exc:
        raise BriefError(f"{path}: cannot write the briefing: {exc.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)


def _write_exclusive(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` only if it does not exist; False if it does."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return True

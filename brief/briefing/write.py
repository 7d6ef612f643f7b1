"""Save a rendered briefing: dated file name, atomic write, never a silent overwrite.

When the day's file already exists and ``force`` is off, the briefing goes to
the first free numbered sibling (``2026-11-28-2.md``, ``-3``, ...), so a second
run the same morning keeps both.  With ``force`` the file is replaced
atomically.  Either way a crash leaves the old file or the new one, never half.

Writing is the one step that must not give up easily: a failed write is
retried in the same folder (a short wait, then a direct exclusive create when
no temp file fits), and when it still cannot be written the error says which
folder, why, and what to do.
"""

from __future__ import annotations

import errno
import os
import re
import time
from datetime import date
from pathlib import Path

from brief.errors import BriefError
from brief.files import atomic_write, write_temp

MAX_SIBLINGS = 999
ATTEMPTS = 3  # a full disk or a busy network share often frees up within a second
RETRY_PAUSE_SECONDS = 0.3
_TRANSIENT = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EAGAIN, errno.EINTR, errno.EBUSY, errno.EIO}
)


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
    A write that fails for a reason that may pass (full disk, quota, I/O) is
    retried; a :class:`BriefError` naming the folder and the reason says when
    it cannot be done.
    """
    data = text.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefError(
            f"{path.parent}: cannot create the output folder: {exc.strerror}",
            "set [briefing] output_dir or pass --output",
        ) from None
    last: OSError | None = None
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(RETRY_PAUSE_SECONDS * attempt)
        try:
            if force:
                atomic_write(path, data)
                return path
            return _write_new(path, data, direct=attempt == ATTEMPTS - 1)
        except OSError as exc:
            last = exc
            if exc.errno not in _TRANSIENT:
                break
    assert last is not None
    raise BriefError(
        f"{path}: cannot write the briefing: {last.strerror or last}", _write_hint(last)
    ) from None


def _write_hint(exc: OSError) -> str:
    """What the reader can do about a failed write."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "the disk is full: free some space, or write elsewhere with --output DIR"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the folder is not writable: set [briefing] output_dir or pass --output DIR"
    return "set [briefing] output_dir or pass --output DIR"


def _write_new(path: Path, data: bytes, *, direct: bool) -> Path:
    """Write ``data`` to ``path`` or its first free numbered sibling, never replacing a file.

    ``direct`` skips the temp file (one copy on disk instead of two, for the
    last try on a nearly full disk).
    """
    if direct:
        for number in range(1, MAX_SIBLINGS + 1):
            candidate = path if number == 1 else _sibling(path, number)
            if _write_exclusive(candidate, data):
                return candidate
        raise _too_many(path)
    # Write once to a temp file, then hard-link it to the first free name:
    # os.link never replaces an existing file, so two runs cannot clobber each other.
    tmp = write_temp(path, data)
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
        raise _too_many(path)
    finally:
        tmp.unlink(missing_ok=True)


def _too_many(path: Path) -> BriefError:
    return BriefError(
        f"{path}: {MAX_SIBLINGS} briefings for this day already exist",
        "use --force to replace the first one",
    )


def _write_exclusive(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` only if it does not exist; False if it does."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        # A half-written briefing is worse than none: it would hold the day's name.
        path.unlink(missing_ok=True)
        raise
    return True

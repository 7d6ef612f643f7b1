"""Atomic file writes: a temp file in the same folder, fsync, ``os.replace``; the previous
file optionally kept as ``.bak``.  Used for the config, briefings and OPML exports."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a durable temp file beside ``path`` (same folder, same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, file_mode(path))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept (``<name>.bak``)."""
    return path.with_name(path.name + ".bak")


def atomic_write(path: Path, data: bytes, *, backup: bool = False) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder and ``os.replace``.

    With ``backup`` the previous file, if any, is kept as ``<name>.bak``: it
    is linked (or copied) there first, so ``path`` itself is only ever
    replaced in one step.  A crash at any point leaves either the old file or
    the new one at ``path``, never half and never none.
    """
    tmp = write_temp(path, data)
    try:
        if backup and path.exists():
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _keep_backup(path: Path) -> None:
    """Make ``<name>.bak`` a copy of ``path`` without ever moving ``path`` away."""
    bak = backup_path(path)
    staged = bak.with_name(f".{bak.name}.{os.getpid()}.tmp")
    staged.unlink(missing_ok=True)
    try:
        os.link(path, staged)  # the same bytes under a second name, no copy
    except OSError:
        staged.unlink(missing_ok=True)
        staged = write_temp(bak, path.read_bytes())
    try:
        os.replace(staged, bak)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def file_mode(path: Path) -> int:
    """Keep an existing file's permissions; new files get the usual umask-based mode."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

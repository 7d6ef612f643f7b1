"""Compiling :data:`brief.native.MODULES` with mypyc into this environment's build folder."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from brief.native import (
    GROUP,
    MANIFEST,
    MODULES,
    PACKAGE,
    built_files,
    native_root,
    source_key,
    source_path,
)


class NativeUnavailable(RuntimeError):
    """The compiled copy cannot be built here (no mypyc, no C compiler): brief runs as Python."""


def build(*, quiet: bool = False, jobs: int = 2, force: bool = False) -> Path:
    """Compile :data:`MODULES` for the current sources (nothing to do if built already).

    The C is generated and compiled in a temporary folder beside the builds, which
    becomes ``<root>/<key>`` in one rename when complete (a build cut off midway is
    never used); older builds are removed after.  ``force`` builds again over a finished
    build (one that does not load).  Raises :class:`NativeUnavailable` when mypyc or a
    C compiler is missing.
    """
    key = source_key()
    root = native_root()
    folder = root / key
    if built_files(folder) is not None:
        if not force:
            return folder
        shutil.rmtree(folder)  # (a build that does not load: made again)
    try:
        from mypyc.build import mypycify
        from setuptools import setup
    except ImportError as error:
        raise NativeUnavailable(
            f"{error.name} is not installed (it comes with the dev extras: pip install -e '.[dev]')"
        ) from error
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
    here = Path.cwd()
    try:
        # mypyc type-checks the modules as the project does (pyproject.toml's mypy settings,
        # read from the checkout's root) and writes C into ``work``.
        os.chdir(PACKAGE.parent)
        paths = [str(source_path(module).relative_to(PACKAGE.parent)) for module in MODULES]
        with _quiet(quiet):
            extensions = mypycify(
                paths,
                opt_level="3",
                debug_level="0",
                group_name=GROUP,
                target_dir=str(work / "c"),
                multi_file=True,  # several C files, compiled in parallel
            )
            # setuptools compiles it; run from ``work`` so it reads no pyproject.toml.
            os.chdir(work)
            arguments = ["build_ext", "--build-lib", "lib", "--build-temp", "tmp"]
            setup(
                name="brief-native",
                ext_modules=extensions,
                packages=[],
                py_modules=[],
                script_args=(["-q"] if quiet else []) + arguments + ["--parallel", str(jobs)],
            )
    except (SystemExit, Exception) as error:  # (setuptools exits when the compiler fails)
        shutil.rmtree(work, ignore_errors=True)
        what = "the C compiler failed" if isinstance(error, SystemExit) else "mypyc failed"
        raise NativeUnavailable(f"{what} ({error})") from error
    finally:
        os.chdir(here)
    lib = work / "lib"
    manifest = {"key": key, "modules": list(MODULES), "python": sys.version.split()[0]}
    (lib / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    try:
        os.replace(lib, folder)
    except OSError:  # built meanwhile by another process: keep that one
        if built_files(folder) is None:
            raise
    shutil.rmtree(work, ignore_errors=True)
    for old in root.iterdir():
        if old.name != key:
            shutil.rmtree(old, ignore_errors=True)
    return folder


class _quiet:
    """Silence mypyc's and the compiler's chatter (their stdout and stderr) when asked."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.saved: list[int] = []

    def __enter__(self) -> None:
        if self.quiet:
            sys.stdout.flush()
            sys.stderr.flush()
            null = os.open(os.devnull, os.O_WRONLY)
            self.saved = [os.dup(1), os.dup(2)]
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.close(null)

    def __exit__(self, *exc: object) -> None:
        if self.saved:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(self.saved[0], 1)
            os.dup2(self.saved[1], 2)
            for fd in self.saved:
                os.close(fd)
            self.saved = []

"""The actor analysis compiled with mypyc: built once per environment, used only while it
matches the sources.

Reading a day's articles for their actors is most of a morning run's CPU, and that code
is plain typed Python (``mypy --strict``).  mypyc compiles the same modules to C
extensions, about 1.4x faster in the benchmarks (``bench/briefing.py``) with the same
output.  The compiled copy never stands in the source tree: it is built into
``<environment>/share/brief/native/<key>/``, where ``key`` hashes the sources of
:data:`MODULES` and the interpreter's ABI, and the finder :func:`install` puts on
``sys.meta_path`` when ``brief`` is imported loads it in place of the sources only when
a build for the current key exists.
A source edited since the build changes the key, so the plain Python runs until
``python -m brief.native build`` (``make`` does it) compiles it again: a stale extension
can never shadow a newer source.  Without a build, without mypyc or a C compiler, or
with ``BRIEF_NATIVE=0``, brief is the same program in plain Python; a build that does
not load (a damaged file) says so in one line on stderr, and the plain Python runs.

    python -m brief.native build     # compile (a no-op when the build is current)
    python -m brief.native status    # which copy this environment runs

The compiling itself is :mod:`brief.native.build`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader, ModuleSpec
from pathlib import Path
from types import ModuleType

# The modules compiled: the per-article analysis the pool's workers run, and the day's
# merge, briefs and ledger rows.  Not the orchestrators (analysis.py runs the pool,
# briefs.py the day: tests patch them, and bench/briefing.py times phases by wrapping
# their functions), and not the numpy-based text modules, where the work is in C already.
MODULES: tuple[str, ...] = (
    "brief.actors.acting",
    "brief.actors.candidates",
    "brief.actors.casing",
    "brief.actors.cues",
    "brief.actors.dayactors",
    "brief.actors.daylines",
    "brief.actors.detect",
    "brief.actors.furniture",
    "brief.actors.gazetteer",
    "brief.actors.ledgerrows",
    "brief.actors.marks",
    "brief.actors.merge",
    "brief.actors.nonactors",
    "brief.actors.quotes",
    "brief.actors.scan",
    "brief.actors.speakers",
    "brief.actors.tokens",
    "brief.actors.words",
    "brief.text.clean",
    "brief.text.folding",
    "brief.text.sentences",
)
GROUP = "brief_native"  # mypyc's shared library for the group: ``brief_native__mypyc``
MANIFEST = "build.json"  # written last into a finished build
PACKAGE = Path(__file__).resolve().parent.parent  # the ``brief`` package's sources

# What the finder found (see _current_build), for ``python -m brief.native status``.
state: dict[str, str] = {}


def source_path(module: str, package: Path = PACKAGE) -> Path:
    """Where a module of :data:`MODULES` has its source."""
    return package.joinpath(*module.split(".")[1:]).with_suffix(".py")


def source_key(package: Path = PACKAGE) -> str:
    """A digest of the compiled modules' sources and the interpreter's extension ABI."""
    import hashlib  # (here: ``brief --help`` never needs it)

    digest = hashlib.sha256()
    digest.update(f"{sys.implementation.cache_tag} {EXTENSION_SUFFIXES[0]}\n".encode())
    for module in MODULES:
        digest.update(f"{module}\n".encode())
        digest.update(source_path(module, package).read_bytes())
    return digest.hexdigest()[:20]


def native_root() -> Path:
    """The folder that holds this environment's builds (``BRIEF_NATIVE_DIR`` overrides it)."""
    override = os.environ.get("BRIEF_NATIVE_DIR")
    return Path(override) if override else Path(sys.prefix) / "share" / "brief" / "native"


def extension_path(folder: Path, module: str) -> Path:
    """Where a build in ``folder`` has the extension of ``module``."""
    return folder.joinpath(*module.split(".")).with_name(
        module.rsplit(".", 1)[-1] + EXTENSION_SUFFIXES[0]
    )


def built_files(folder: Path) -> dict[str, Path] | None:
    """Module name → extension file of a finished build in ``folder``, None if there is none."""
    if not (folder / MANIFEST).is_file():
        return None
    files = {module: extension_path(folder, module) for module in (*MODULES, GROUP + "__mypyc")}
    return files if all(path.is_file() for path in files.values()) else None


class _Finder:
    """Finds the compiled modules of the current build, ahead of the sources.

    On ``sys.meta_path`` from the moment ``brief`` is imported, but it decides only
    when one of :data:`MODULES` is first imported (hashing the sources then, so a run
    that never analyses, such as ``brief --help``, pays nothing); any other import
    costs it one set look-up.
    """

    def __init__(self) -> None:
        self.names = frozenset((*MODULES, GROUP + "__mypyc"))
        self.files: dict[str, Path] | None = None
        self.decided = False

    def decide(self) -> dict[str, Path] | None:
        """The build to use (once per process): None for the plain sources."""
        if not self.decided:
            self.decided = True
            self.files = _current_build()
        return self.files

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        files = self.decide()
        if files is None:
            return None
        file = str(files[fullname])
        spec = ModuleSpec(fullname, ExtensionFileLoader(fullname, file), origin=file)
        spec.has_location = True
        return spec


def _current_build() -> dict[str, Path] | None:
    """The finished build of the current sources, noting in :data:`state` what was found."""
    if os.environ.get("BRIEF_NATIVE", "1") == "0":
        state["status"] = "plain Python (BRIEF_NATIVE=0)"
        return None
    try:
        key = source_key()
    except OSError:  # installed without the sources: nothing to match a build to
        state["status"] = "plain Python (sources not found)"
        return None
    folder = native_root() / key
    files = built_files(folder)
    if files is None:
        state["status"] = "plain Python (not compiled for these sources: make native)"
        return None
    # The group's shared library holds all the compiled code: loaded now, so a build that
    # does not load here (another mypyc's runtime, a damaged file) costs only the speed.
    group = GROUP + "__mypyc"
    try:
        _load(group, files[group])
    except (ImportError, OSError) as error:
        state["status"] = f"plain Python (the build in {folder} does not load)"
        state["broken"] = str(folder)
        print(
            f"brief: the compiled analysis in {folder} does not load ({error}); running it as"
            " plain Python. To rebuild: python -m brief.native build",
            file=sys.stderr,
        )
        return None
    state["status"] = "compiled (mypyc)"
    state["folder"] = str(folder)
    return files


def _load(name: str, file: Path) -> None:
    """Load one extension module into ``sys.modules``."""
    loader = ExtensionFileLoader(name, str(file))
    spec = ModuleSpec(name, loader, origin=str(file))
    module = loader.create_module(spec)
    if module is None:  # (an extension module always makes its own)
        raise ImportError(f"{file} made no module")
    sys.modules[name] = module
    try:
        loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise


_finder = _Finder()


def install() -> None:
    """Put the finder of compiled modules first on ``sys.meta_path`` (``brief`` does, once)."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def active() -> bool:
    """Whether the analysis runs compiled in this process (decides now if not yet)."""
    return _finder in sys.meta_path and _finder.decide() is not None

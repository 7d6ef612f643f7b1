"""docs/ARCHITECTURE.md stays true: its layout, its commands and its layers match the code.

The map's layout is the block between ``<!-- layout:begin -->`` and ``<!-- layout:end -->``:
a name, two or more spaces, what it holds; two spaces of indent per folder; folders end
in ``/``. To update the map after moving modules, edit that block (and the layers table).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from brief.cli_args import build_parser
from tests.unit.test_imports import brief_modules, import_graph

REPO = Path(__file__).resolve().parents[2]
MAP = REPO / "docs" / "ARCHITECTURE.md"
# What a source tree holds that is not the product: caches, virtual environments, builds.
IGNORED_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def _block(name: str, text: str | None = None) -> str:
    text = MAP.read_text(encoding="utf-8") if text is None else text
    match = re.search(rf"<!-- {name}:begin -->\s*```\n(.*?)```\s*<!-- {name}:end -->", text, re.S)
    assert match, f"{MAP.name}: no {name} block between <!-- {name}:begin/end --> markers"
    return match.group(1)


def parse_layout(block: str) -> dict[str, str]:
    """The layout block as ``{path relative to the repo: description}``."""
    entries: dict[str, str] = {}
    folders: list[str] = []
    for number, line in enumerate(block.splitlines(), 1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, f"layout line {number}: indent by two spaces per level"
        depth = indent // 2
        assert depth <= len(folders), f"layout line {number}: indented under no folder"
        del folders[depth:]
        name, _, description = re.split(r"( {2,}|$)", line.strip(), maxsplit=1)
        path = "".join(folders) + name
        entries[path.rstrip("/")] = description.strip()
        if name.endswith("/"):
            folders.append(name)
    return entries


def test_the_layout_parser_reads_nesting_and_descriptions() -> None:
    block = "a.txt     one\nsrc/      two\n  m.py    three\n  sub/\n    n.py  four\nz/  five\n"
    assert parse_layout(block) == {
        "a.txt": "one",
        "src": "two",
        "src/m.py": "three",
        "src/sub": "",
        "src/sub/n.py": "four",
        "z": "five",
    }
    with pytest.raises(AssertionError, match="line 2"):
        parse_layout("a/\n   b.py  odd indent\n")


def test_every_path_on_the_map_exists() -> None:
    missing = [p for p in parse_layout(_block("layout")) if not (REPO / p).exists()]
    assert not missing, f"on the map but not in the repo (fix docs/ARCHITECTURE.md): {missing}"


def test_every_module_and_package_of_brief_is_on_the_map() -> None:
    mapped = set(parse_layout(_block("layout")))
    package = REPO / "brief"
    wanted = set()
    for path in package.rglob("*"):
        relative = path.relative_to(REPO)
        if IGNORED_PARTS & set(relative.parts) or path.name.startswith("."):
            continue
        if path.is_dir() or path.suffix == ".py":
            # A subpackage's __init__ is stood for by its folder's line.
            if path.name == "__init__.py" and path.parent != package:
                continue
            wanted.add(relative.as_posix())
    absent = sorted(wanted - mapped)
    assert not absent, f"in brief/ but not on the map (add to docs/ARCHITECTURE.md): {absent}"


def test_every_command_is_in_the_command_line_contract() -> None:
    block = _block("commands")
    documented = {m.group(1) for m in re.finditer(r"^brief ([a-z]+)", block, re.M)}
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert documented == set(commands.choices)


def _layers() -> list[set[str]]:
    """The layers table (top first): each row's names before the description."""
    text = MAP.read_text(encoding="utf-8")
    match = re.search(
        r"The\s+layers, each importing only from those below it:\s*```\n(.*?)```", text, re.S
    )
    assert match, "docs/ARCHITECTURE.md: no layers table"
    rows = []
    for line in match.group(1).splitlines():
        names = re.split(r" {2,}", line.strip())[0]
        rows.append({n.strip() for n in names.split(",") if n.strip()})
    return rows


def test_imports_only_run_down_the_layers_on_the_map() -> None:
    layers = _layers()
    level = {name: i for i, row in enumerate(layers) for name in row}

    def room(module: str) -> str:
        return module.split(".")[1] if "." in module else module

    rooms = {room(m) for m in brief_modules()} - {"brief", "__main__"}
    assert rooms <= set(level), f"not in the layers table: {sorted(rooms - set(level))}"
    upward = sorted(
        f"{a} → {b}"
        for a, targets in import_graph().items()
        for b in targets
        if room(a) in level and room(b) in level and level[room(b)] < level[room(a)]
    )
    assert not upward, f"imports that run up the layers: {upward}"

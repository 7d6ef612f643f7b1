"""No import circles inside brief/: every module's imports, walked with ast, form no cycle.

What counts as an import: every ``import``/``from ... import`` of a ``brief`` module anywhere
in a file -- at module level, inside functions (a deferred import is still a dependency, it
only moves the failure to run time) and under ``if TYPE_CHECKING:`` (a type-only import that
runs upward is still an arrow against the layering). ``from brief.x import y`` is an arrow to
``brief.x.y`` when that is a module, else to ``brief.x``. Importing a submodule is not counted
as importing its parent package (that is how Python packages work, and would make every
package a circle with its own ``__init__``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "brief"

# Circles that exist today and that another branch removes; each entry is the set of modules
# in one strongly connected component. When the branch is merged, delete its entry: the test
# fails on an entry that no longer matches a circle, so the list cannot go stale.
KNOWN_CYCLES: dict[str, frozenset[str]] = {
    # Branch `reader` (issue 14): screens depend on a small protocol instead of tui/app.py.
    "reader": frozenset(
        {
            "brief.tui.app",
            "brief.tui.screens.actors",
            "brief.tui.screens.base",
            "brief.tui.screens.briefing",
            "brief.tui.screens.help",
            "brief.tui.screens.settings",
            "brief.tui.screens.sources",
            "brief.tui.screens.today",
            "brief.tui.widgets.chrome",
        }
    ),
}


def module_name(path: Path) -> str:
    """``brief/collect/feeds.py`` → ``brief.collect.feeds``; a package's ``__init__`` → its name."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def brief_modules() -> dict[str, Path]:
    """Every module and package of brief, by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(name: str, path: Path, known: set[str] | dict[str, Path]) -> set[str]:
    """The brief modules that ``name`` imports anywhere in its file (see the module docstring)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    """brief's modules and the brief modules each one imports."""
    modules = brief_modules()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def strongly_connected(graph: dict[str, set[str]]) -> Iterator[frozenset[str]]:
    """Tarjan's algorithm, iterative: every component of more than one module (a circle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            step = next(successors, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    yield frozenset(component)


def test_no_import_cycles_in_brief() -> None:
    cycles = list(strongly_connected(import_graph()))
    unexpected = [c for c in cycles if not any(c <= known for known in KNOWN_CYCLES.values())]
    assert not unexpected, "import circles in brief/: " + "; ".join(
        " ↔ ".join(sorted(c)) for c in unexpected
    )
    stale = [b for b, known in KNOWN_CYCLES.items() if not any(c & known for c in cycles)]
    assert not stale, f"no longer circles, remove from KNOWN_CYCLES: {stale}"


def test_config_does_not_import_the_summarizers() -> None:
    """The one upward arrow that was: config validation reads the names from brief.algorithms."""
    graph = import_graph()
    assert "brief.text.summarize" not in graph["brief.config"]
    assert "brief.algorithms" in graph["brief.config"]


@pytest.mark.parametrize(
    ("graph", "circles"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [{"a", "b"}]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}}, [{"a", "b", "c"}, {"d"}]),
        ({"a": {"b", "c"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, [{"a", "b"}, {"c", "d"}]),
    ],
)
def test_strongly_connected_finds_every_circle(
    graph: dict[str, set[str]], circles: list[set[str]]
) -> None:
    found = sorted(sorted(c) for c in strongly_connected(graph))
    assert found == sorted(sorted(c) for c in circles)


def test_import_walker_sees_deferred_relative_and_type_only_imports(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "from . import models\n"
        "if TYPE_CHECKING:\n"
        "    from brief.config import Config\n"
        "def f() -> None:\n"
        "    import brief.store\n"
        "    from brief.text.summarize import summarize_text\n"
    )
    path = tmp_path / "x.py"
    path.write_text(source, encoding="utf-8")
    known = {"brief.models", "brief.config", "brief.store", "brief.text.summarize", "brief.x"}
    assert imported_modules("brief.x", path, known) == known - {"brief.x"}


def test_the_core_runs_without_the_dev_only_syntok() -> None:
    """syntok is in the dev extra: brief's own code may import it only when asked (the bench)."""
    import subprocess
    import sys

    code = (
        "import sys, brief.cli, brief.text.sentences, brief.text.summarize, brief.collect.local\n"
        "from brief.text.sentences import OfflineTokenizer, split_sentences\n"
        "split_sentences('One here. Two there.'); OfflineTokenizer().to_sentences('A. B.')\n"
        "print('syntok' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"

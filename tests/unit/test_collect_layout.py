"""The feed pipeline and the store import each other in one direction only (no import cycles)."""

from __future__ import annotations

import ast
from pathlib import Path

BRIEF = Path(__file__).resolve().parents[2] / "brief"
PACKAGES = ("brief.collect", "brief.store")


def _module_name(path: Path) -> str:
    parts = path.relative_to(BRIEF.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every module of ``modules`` that ``path`` imports, at top level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found.update(name for name in names if name in modules)
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in BRIEF.rglob("*.py")}
    modules = set(paths)
    return {
        name: _imports(path, modules) - {name}
        for name, path in paths.items()
        if name.startswith(PACKAGES)
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among the graph's modules, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_collect_and_store_have_no_import_cycles() -> None:
    graph = _graph()
    assert "brief.collect.fetch" in graph and "brief.store.articles" in graph
    assert "brief.collect.http" in graph["brief.collect.extract"]
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_no_module_of_collect_or_store_is_over_800_lines() -> None:
    long = {}
    for path in [*(BRIEF / "collect").glob("*.py"), *(BRIEF / "store").glob("*.py")]:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > 800:
            long[path.name] = lines
    assert not long, long

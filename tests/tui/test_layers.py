"""The TUI's own layering: screens and widgets use the app through a protocol, never its module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from brief.config import Config
from brief.tui.app import BriefApp
from brief.tui.protocol import DeskApp

TUI = Path(__file__).resolve().parents[2] / "brief" / "tui"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize(
    "path",
    sorted([*TUI.glob("screens/*.py"), *TUI.glob("widgets/*.py")]),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_screens_and_widgets_never_import_the_app_module(path: Path) -> None:
    # Also under TYPE_CHECKING: a circle is a circle for a reader and for tools.
    assert "brief.tui.app" not in _imports(path)


def test_the_app_is_what_the_screens_expect(config: Config) -> None:
    assert isinstance(BriefApp(config=config), DeskApp)

"""Help (``?``): every key binding of every screen, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

# Keys Textual itself provides, which no BINDINGS list of ours names.
BUILTIN_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: every action by name, and themes"),
    ("tab / shift+tab", "Move between panes and fields"),
    ("ctrl+q", "Quit from anywhere (also while typing)"),
)
_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "space": "space",
    "escape": "esc",
    "plus": "+",
    "minus": "-",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
}


def key_label(keys: str) -> str:
    """A binding's keys as a reader would type them (``question_mark,f1`` → ``? / f1``)."""
    return " / ".join(_KEY_NAMES.get(key, key) for key in keys.split(","))


def binding_rows(
    bindings: Iterable[BindingType], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(keys, description) for each binding that has a description.

    ``keymap`` (binding id → keys, as given to ``App.set_keymap``) replaces a
    binding's own keys, so the help shows what the reader's ``[keys]`` made them.
    """
    rows: list[tuple[str, str]] = []
    for item in bindings:
        binding = item if isinstance(item, Binding) else Binding(*item)
        text = binding.tooltip or binding.description
        if text:
            keys = (keymap or {}).get(binding.id or "", binding.key)
            rows.append((key_label(keys), text))
    return rows


def help_sections(
    keymap: Mapping[str, str] | None = None,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every screen's bindings, grouped, in the order a newcomer meets them, keys as rebound."""
    from brief.tui.protocol import APP_BINDINGS
    from brief.tui.screens.actors import ActorsScreen
    from brief.tui.screens.briefing import BriefingScreen
    from brief.tui.screens.settings import SettingsScreen
    from brief.tui.screens.sources import SourcesScreen
    from brief.tui.screens.today import TodayScreen
    from brief.tui.widgets.article_list import ArticleList

    everywhere = binding_rows(APP_BINDINGS, keymap) + list(BUILTIN_KEYS)
    article_keys = [
        ("↑ ↓ / j k", "Move through the articles (the reader follows)"),
        ("pgup pgdn / space", "Page through the list"),
        ("home end / g G", "First / last article"),
        *[row for row in binding_rows(ArticleList.BINDINGS, keymap) if row[0] == "enter"],
        ("click a column", "Sort by it (again: reverse)"),
    ]
    reader_keys = [
        ("enter / z", "Read full screen (again: back to the list)"),
        ("↑ ↓ / j k", "Scroll the article (or any reading pane)"),
        ("space / b", "Page down / up"),
        ("g G", "Top / bottom"),
    ]
    return [
        ("Everywhere", everywhere),
        ("Today", binding_rows(TodayScreen.BINDINGS, keymap)),
        ("Article list", article_keys),
        ("Reader", reader_keys),
        (
            "Link picker",
            [
                ("0-9", "Type a link's number (1 then 2: link 12)"),
                ("enter / o", "Open it (the configured browser; only http(s))"),
                ("y / c", "Copy it (OSC 52, works over ssh)"),
            ],
        ),
        ("Actors", binding_rows(ActorsScreen.BINDINGS, keymap)),
        ("Briefing", binding_rows(BriefingScreen.BINDINGS, keymap)),
        ("Sources", binding_rows(SourcesScreen.BINDINGS, keymap)),
        ("Settings", binding_rows(SettingsScreen.BINDINGS, keymap)),
        ("Dialogs", [("enter", "Accept"), ("esc", "Cancel")]),
    ]


def help_content(keymap: Mapping[str, str] | None = None) -> Content:
    """The help text: one block per screen, keys (as rebound by ``keymap``) in a column."""
    lines: list[Content] = []
    for title, rows in help_sections(keymap):
        if not rows:
            continue
        lines.append(Content.assemble((title, "bold $accent")))
        for keys, text in rows:
            lines.append(Content.assemble("  ", (f"{keys:<20}", "bold"), " ", text))
        lines.append(Content(""))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Every key binding; Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
        Binding("j,down", "scroll('down')", "Down", show=False),
        Binding("k,up", "scroll('up')", "Up", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
    }
    HelpScreen > Vertical {
        width: 84;
        max-width: 100%;
        height: 90%;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
    }
    HelpScreen VerticalScroll {
        padding: 0 1;
    }
    HelpScreen #help-footer {
        color: $text-muted;
        padding: 0 1;
        height: 1;
    }
    """

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Keys"
            with VerticalScroll(id="help-scroll"):
                yield Static(help_content(self.keymap), id="help-text")
            yield Static(
                Content(
                    "esc / q / ? close · ctrl+p finds any action by name · the mouse works too"
                ),
                id="help-footer",
            )

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        if direction == "down":
            scroll.scroll_down()
        else:
            scroll.scroll_up()

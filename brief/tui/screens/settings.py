"""Settings: summary, briefing, actors and theme, saved to the user's config file."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from brief.config import ACTOR_KINDS, SECTIONS, Config, WatchedActor, replace_section
from brief.errors import ConfigError
from brief.tui.screens.base import DeskScreen
from brief.tui.untrusted import one_line

WATCH_HELP = "one actor a line:  Name | kind | alias, alias   (kind: person, state or organisation)"


def format_watchlist(watch: tuple[WatchedActor, ...]) -> str:
    """The watchlist as editable lines (see :func:`parse_watchlist`)."""
    return "\n".join(
        " | ".join([w.name, w.kind] + ([", ".join(w.aliases)] if w.aliases else [])) for w in watch
    )


def parse_watchlist(text: str) -> tuple[WatchedActor, ...]:
    """Parse ``Name | kind | alias, alias`` lines; ``ConfigError`` names the bad line."""
    watch: list[WatchedActor] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 3:
            raise ConfigError(f"watchlist line {number}: expected Name | kind | aliases")
        name = parts[0]
        kind = parts[1].lower() if len(parts) > 1 and parts[1] else "person"
        if kind == "org":
            kind = "organisation"
        if not name:
            raise ConfigError(f"watchlist line {number}: the name is missing")
        if kind not in ACTOR_KINDS:
            raise ConfigError(
                f"watchlist line {number}: kind {kind!r} is not one of {', '.join(ACTOR_KINDS)}"
            )
        aliases = (
            tuple(a.strip() for a in parts[2].split(",") if a.strip()) if len(parts) > 2 else ()
        )
        watch.append(WatchedActor(name=name, kind=kind, aliases=aliases))
    return tuple(watch)


def parse_list(text: str) -> tuple[str, ...]:
    """Comma-separated names, blanks dropped."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _int(value: str, label: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ConfigError(f"{label}: expected a whole number, got {value.strip()!r}") from None


def _float(value: str, label: str) -> float:
    try:
        return float(value.strip() or "0")
    except ValueError:
        raise ConfigError(f"{label}: expected a number, got {value.strip()!r}") from None


class SettingsScreen(DeskScreen):
    """Edit the settings and save them (ctrl+s); the file keeps a .bak of the previous one."""

    MODE = "settings"
    CSS_PATH = "settings.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+r", "revert", "Revert", priority=True),
        # Out of the field, so the next keys are commands again (5, 1, q...), not text.
        Binding("escape", "leave_field", "Leave field", show=False, priority=True),
    ]

    def compose_body(self) -> ComposeResult:
        from brief.text.summarize import algorithm_names

        with VerticalScroll(id="settings-form"):
            yield Static(Content(""), id="settings-path")
            yield Label(Content("Summary"), classes="settings-heading")
            with Horizontal(classes="settings-row"):
                yield Label(Content("Algorithm"), classes="settings-label")
                yield Select(
                    [(n, n) for n in algorithm_names()],
                    allow_blank=False,
                    id="set-algorithm",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Label(Content("Sentences"), classes="settings-label")
                yield Input(type="integer", id="set-sentences", compact=True)
            with Horizontal(classes="settings-row"):
                yield Label(Content("or ratio (0-1)"), classes="settings-label")
                yield Input(type="number", id="set-ratio", compact=True, tooltip="0 uses Sentences")
            with Horizontal(classes="settings-row"):
                yield Label(Content("Words (0: none)"), classes="settings-label")
                yield Input(
                    type="integer",
                    id="set-words",
                    compact=True,
                    tooltip="at most this many words per story; the first sentence always stays",
                )
            yield Label(Content("Briefing"), classes="settings-heading")
            with Horizontal(classes="settings-row"):
                yield Label(Content("Title"), classes="settings-label")
                yield Input(id="set-title", compact=True)
            with Horizontal(classes="settings-row"):
                yield Label(Content("Output folder"), classes="settings-label")
                yield Input(id="set-output", compact=True)
            with Horizontal(classes="settings-row"):
                yield Label(Content("File name"), classes="settings-label")
                yield Input(
                    id="set-filename", compact=True, tooltip="{date} is required; {title} optional"
                )
            with Horizontal(classes="settings-row"):
                yield Label(Content("Max stories"), classes="settings-label")
                yield Input(type="integer", id="set-max-stories", compact=True)
            with Horizontal(classes="settings-row settings-tall"):
                yield Label(Content("Sections"), classes="settings-label")
                yield SelectionList[str](
                    *[Selection(s, s) for s in SECTIONS], id="set-sections", compact=True
                )
            yield Label(Content("Actors"), classes="settings-heading")
            with Horizontal(classes="settings-row settings-tall"):
                yield Label(Content("Watchlist"), classes="settings-label")
                yield TextArea(
                    id="set-watch", soft_wrap=False, show_line_numbers=False, compact=True
                )
            yield Label(Content(WATCH_HELP), classes="settings-hint")
            with Horizontal(classes="settings-row"):
                yield Label(Content("Muted"), classes="settings-label")
                yield Input(id="set-mute", compact=True, placeholder="names, comma-separated")
            yield Label(Content("Look"), classes="settings-heading")
            with Horizontal(classes="settings-row"):
                yield Label(Content("Theme"), classes="settings-label")
                themes = sorted(self.app.available_themes)
                yield Select(
                    [(n, n) for n in themes],
                    value=self.app.theme,
                    allow_blank=False,
                    id="set-theme",
                    compact=True,
                )
            with Horizontal(id="settings-buttons"):
                yield Button(
                    Content("Save  ctrl+s"), id="settings-save", variant="primary", compact=True
                )
                yield Button(Content("Revert  ctrl+r"), id="settings-revert", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#set-algorithm", Select).focus()

    def desk_versions(self) -> tuple[int, ...]:
        return ()  # the form shows settings, not the day's data; it is filled on mount and revert

    def refresh_from_desk(self) -> None:
        self.fill(self.desk.config)

    def fill(self, config: Config) -> None:
        """Put ``config`` into the form."""
        self.query_one("#set-algorithm", Select).value = config.summary.algorithm
        self.query_one("#set-sentences", Input).value = str(config.summary.sentences)
        self.query_one("#set-ratio", Input).value = str(config.summary.ratio)
        self.query_one("#set-words", Input).value = str(config.summary.words)
        self.query_one("#set-title", Input).value = config.briefing.title
        output = self.query_one("#set-output", Input)
        output.value = config.briefing.output_dir
        output.placeholder = f"default: {config.output_dir()}"
        self.query_one("#set-filename", Input).value = config.briefing.filename
        self.query_one("#set-max-stories", Input).value = str(config.briefing.max_stories)
        sections: SelectionList[str] = self.query_one("#set-sections", SelectionList)
        sections.deselect_all()
        for section in config.briefing.sections:
            sections.select(section)
        self.query_one("#set-watch", TextArea).text = format_watchlist(config.actors.watch)
        self.query_one("#set-mute", Input).value = ", ".join(config.actors.mute)
        theme = self.query_one("#set-theme", Select)
        names = sorted(self.app.available_themes)
        with self.prevent(Select.Changed):
            theme.set_options([(n, n) for n in names])
            theme.value = self.app.theme if self.app.theme in names else names[0]
        self._show_path(config)

    def _show_path(self, config: Config) -> None:
        from brief import paths

        target = config.path or paths.config_file()
        exists = "" if target.exists() else " (not created yet: Save creates it)"
        self.query_one("#settings-path", Static).update(
            Content.assemble(
                ("Settings file ", "bold"), one_line(str(target)), (exists, "$text-muted")
            )
        )

    def read_form(self) -> Config:
        """The settings as the form has them; ``ConfigError`` names the first bad field."""
        config = self.desk.config
        algorithm = self.query_one("#set-algorithm", Select).value
        sentences = _int(self.query_one("#set-sentences", Input).value, "Sentences")
        ratio = _float(self.query_one("#set-ratio", Input).value, "Ratio")
        words = _int(self.query_one("#set-words", Input).value, "Words")
        if words < 0:
            raise ConfigError("Words: expected 0 (no budget) or a positive number of words")
        sections_list: SelectionList[str] = self.query_one("#set-sections", SelectionList)
        chosen = set(sections_list.selected)
        sections = tuple(s for s in SECTIONS if s in chosen)
        if not sections:
            raise ConfigError("Sections: choose at least one")
        config = dataclasses.replace(
            config,
            summary=dataclasses.replace(
                config.summary,
                algorithm=str(algorithm),
                sentences=sentences,
                ratio=ratio,
                words=words,
            ),
        )
        config = replace_section(
            config,
            "briefing",
            title=self.query_one("#set-title", Input).value.strip(),
            output_dir=self.query_one("#set-output", Input).value.strip(),
            filename=self.query_one("#set-filename", Input).value.strip(),
            max_stories=_int(self.query_one("#set-max-stories", Input).value, "Max stories"),
            sections=sections,
        )
        config = replace_section(
            config,
            "actors",
            watch=parse_watchlist(self.query_one("#set-watch", TextArea).text),
            mute=parse_list(self.query_one("#set-mute", Input).value),
        )
        theme = self.query_one("#set-theme", Select).value
        return replace_section(config, "tui", theme=str(theme))

    def action_save(self) -> None:
        """Check the form and save it to the config file."""
        try:
            config = self.read_form()
        except ConfigError as exc:
            self.brief_app.say(str(exc), severity="error", title="Not saved")
            return
        self.brief_app.save_settings(config)

    def action_leave_field(self) -> None:
        """Leave the field being edited (Esc); the form keeps what was typed."""
        if self.focused is not None:
            self.set_focus(None)
            self.brief_app.status = "Left the field: keys are commands again (ctrl+s saves)."

    def action_revert(self) -> None:
        """Put the saved settings back into the form, after asking (unsaved edits go)."""
        from brief.tui.screens.dialogs import ChoiceDialog

        def answered(answer: str | None) -> None:
            if answer == "revert":
                self.fill(self.desk.config)
                self.brief_app.status = "Settings reverted to the saved ones."

        self.app.push_screen(
            ChoiceDialog(
                "Revert the settings?",
                "Every change on this screen since the last save is lost.",
                [("revert", "Revert")],
            ),
            answered,
        )

    def saved(self, config: Config, path: object) -> None:
        """The settings were saved (called by the app)."""
        self._show_path(config)

    @on(Select.Changed, "#set-theme")
    def _theme_chosen(self, event: Select.Changed) -> None:
        # Preview at once; the app saves the choice in the config.
        if isinstance(event.value, str) and event.value != self.app.theme:
            self.app.theme = event.value

    @on(Button.Pressed, "#settings-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#settings-revert")
    def _revert_pressed(self) -> None:
        self.action_revert()

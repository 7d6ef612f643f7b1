"""Briefing: the day's briefing exactly as it will be written, and one key to save it."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Markdown, Static
from textual.worker import get_current_worker

from brief.briefing.profiles import find_profile, profile_config, profile_names
from brief.config import SECTIONS, Config, replace_section
from brief.errors import ConfigError
from brief.models import Briefing
from brief.tui import jobs
from brief.tui.messages import BriefingComposed, BriefingSaved
from brief.tui.screens.base import DeskScreen
from brief.tui.screens.dialogs import ChoiceDialog
from brief.tui.untrusted import one_line, printable
from brief.tui.widgets.pager import Pager
from brief.wording import plural

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
MAX_SUMMARY_SENTENCES = 10


def split_front_matter(markdown: str) -> tuple[str, str]:
    """The briefing's front matter block (without its ``---`` lines) and the Markdown body.

    Both are made printable; the file itself is not changed.  The Markdown
    widget would draw front matter as a rule and a heading, so the screen shows
    it on its own, compactly, above the rendered body.
    """
    text = printable(markdown)
    match = _FRONT_MATTER.match(text)
    if not match:
        return "", text
    return match.group(1), text[match.end() :]


def _compact_pair(line: str) -> str | None:
    """One front matter line for the screen: a list as its length (none when empty), the
    word count left to the file (the minutes say it)."""
    key, _, value = line.partition(":")
    value = value.strip()
    if key == "reading_words":
        return None
    if value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return line
        return f"{key}: {len(items)}" if items else None
    return line


def front_matter_content(front: str) -> Content:
    """Front matter as one dim line of ``key: value`` pairs (lists counted)."""
    pairs = [
        pair
        for line in front.splitlines()
        if line.strip() and (pair := _compact_pair(line.strip())) is not None
    ]
    return Content.assemble(
        ("--- ", "$text-muted"), (" · ".join(pairs), "$text-muted"), (" ---", "$text-muted")
    )


def profile_content(config: Config, current: str | None) -> list[Content | str | tuple[str, str]]:
    """The profile part of the controls (only with ``[[briefings]]``): key, name, place."""
    names = profile_names(config)
    if not names:
        return []
    place = 1 + (names.index(current) + 1 if current in names else 0)
    label = one_line(current) if current else "default"
    return [
        ("Profile ", "bold"),
        ("p", "bold $accent"),
        " ",
        (label, "bold"),
        f" ({place}/{len(names) + 1})  ",
    ]


def controls_content(config: Config, profile: str | None = None) -> Content:
    """The controls: profile (when there are several), sections on/off and lengths, keys."""
    parts = profile_content(config, profile)
    parts.append(("Sections ", "bold"))
    for key, section in zip(("t", "a", "h"), SECTIONS, strict=True):
        on_ = section in config.briefing.sections
        parts += [
            (key, "bold $accent"),
            " ",
            ("■ " if on_ else "□ ", "$success" if on_ else "$text-muted"),
        ]
        parts += [(section, "" if on_ else "$text-muted strike"), "  "]
    summary = config.summary
    length = (
        f"{summary.ratio:.0%} of each article"
        if summary.ratio > 0
        else plural(summary.sentences, "sentence")
    )
    parts += [("Summary ", "bold"), ("-/+", "bold $accent"), f" {length}  "]
    parts += [
        ("Stories ", "bold"),
        ("</>", "bold $accent"),
        f" up to {config.briefing.max_stories}",
    ]
    return Content.assemble(*parts)


class BriefingScreen(DeskScreen):
    """Preview of today's briefing file; choose sections and length; save with ``w``."""

    MODE = "briefing"
    CSS_PATH = "briefing.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w,ctrl+s", "save", "Save"),
        Binding("t", "toggle_section('stories')", "Stories on/off", show=False),
        Binding("a", "toggle_section('actors')", "Actors on/off", show=False),
        Binding("h", "toggle_section('sources')", "Source health on/off", show=False),
        Binding("plus,equals_sign", "length(1)", "Longer summaries", show=False),
        Binding("minus", "length(-1)", "Shorter summaries", show=False),
        Binding("greater_than_sign,right_square_bracket", "stories(5)", "More stories", show=False),
        Binding("less_than_sign,left_square_bracket", "stories(-5)", "Fewer stories", show=False),
        Binding("r", "recompose", "Recompose"),
        Binding("p", "next_profile", "Next profile", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.options: Config | None = (
            None  # the settings this preview uses (may differ from saved ones)
        )
        self.composed_for: tuple[int, Config] | None = None
        self.last_saved: Path | None = None
        self.profile: str | None = None  # the [[briefings]] profile shown; None: [briefing]

    def compose_body(self) -> ComposeResult:
        yield Static(Content(""), id="briefing-controls")
        yield Static(Content(""), id="briefing-path")
        with Pager(id="briefing-scroll", can_focus=True):
            yield Static(Content(""), id="briefing-front")
            yield Markdown("", id="briefing-preview", open_links=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#briefing-scroll").focus()

    @property
    def effective_config(self) -> Config:
        """The settings the preview (and a save from here) uses."""
        return self.options or self._profile_config()

    def _profile_config(self) -> Config:
        """The saved settings, as the chosen profile composes with them."""
        config = self.desk.config
        if self.profile is None:
            return config
        try:
            return profile_config(config, find_profile(config, self.profile))
        except ConfigError:  # the profile is gone from the config
            self.profile = None
            return config

    def action_next_profile(self) -> None:
        """Show the next [[briefings]] profile (after the last: the default briefing)."""
        names = profile_names(self.desk.config)
        if not names:
            self.brief_app.say(
                "No briefing profiles: add [[briefings]] tables to the config.",
                severity="warning",
            )
            return
        order: list[str | None] = [None, *names]
        at = order.index(self.profile) if self.profile in order else 0
        self.profile = order[(at + 1) % len(order)]
        self.options = None
        self.last_saved = None
        self.refresh_from_desk()

    def settings_changed(self) -> None:
        """The saved settings changed: start over from them."""
        self.options = None
        self.sync(force=True)

    def desk_versions(self) -> tuple[int, ...]:
        return (self.desk.version, self.desk.briefing_version)

    def refresh_from_desk(self) -> None:
        config = self.effective_config
        controls = controls_content(config, self.profile)
        self.query_one("#briefing-controls", Static).update(controls)
        wanted = (self.desk.version, config)
        if self.composed_for != wanted and self.desk.version > 0:
            self.compose_now()
        self._show()

    def _show(self) -> None:
        desk = self.desk
        path_line = self.query_one("#briefing-path", Static)
        if desk.briefing is None:
            path_line.update(
                Content("Composing the briefing…" if desk.version else "Waiting for sources…")
            )
            return
        target = jobs.briefing_path(self.effective_config, desk.briefing)
        exists = target.exists()
        saved: list[str | tuple[str, str]] = []
        if self.last_saved is not None:
            saved = [("  ✓ saved ", "$success"), (one_line(self.last_saved.name), "$success")]
        path_line.update(
            Content.assemble(
                ("w", "bold $accent"),
                " saves to ",
                (one_line(str(target)), "bold"),
                ("  (exists: you will be asked)" if exists else "", "$warning"),
                *saved,
            )
        )

    def compose_now(self) -> None:
        """Compose the briefing again from the day's articles and these settings."""
        config = self.effective_config
        self.composed_for = (self.desk.version, config)
        count = min(len(self.desk.articles), config.briefing.max_stories)
        self.brief_app.progress = (0, 0)
        self.brief_app.status = (
            f"Composing the briefing: summarizing {plural(count, 'article')}…  (x to cancel)"
        )
        self._compose_briefing(config, self.desk.version)

    @work(thread=True, exclusive=True, group="briefing", exit_on_error=False)
    def _compose_briefing(self, config: Config, version: int) -> None:
        desk = self.desk
        collection = jobs.Collection(desk.articles, desk.sources)
        briefing, markdown = jobs.compose(config, collection, self.brief_app.now())
        if not get_current_worker().is_cancelled:
            self.post_message(BriefingComposed(briefing, markdown, version))

    def on_briefing_composed(self, message: BriefingComposed) -> None:
        if message.version != self.desk.version:
            return
        self.desk.set_briefing(message.briefing, message.markdown)
        self._seen_versions = self.desk_versions()
        self.brief_app.progress = None
        briefing = message.briefing
        stories = len(briefing.stories)
        self.brief_app.status = (
            f"Briefing: {stories} {'story' if stories == 1 else 'stories'}, "
            f"{plural(len(briefing.actor_briefs), 'actor')}, "
            f"{plural(len(briefing.sources), 'source')}"
        )
        front, body = split_front_matter(message.markdown)
        self.query_one("#briefing-front", Static).update(
            front_matter_content(front) if front else Content("")
        )
        self.query_one("#briefing-preview", Markdown).update(body)
        self._show()

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        self.brief_app.open_link(event.href)

    # -- choices --

    def _set_options(self, config: Config) -> None:
        self.options = config
        self.refresh_from_desk()

    def action_toggle_section(self, section: str) -> None:
        """Turn one section of the briefing on or off."""
        config = self.effective_config
        sections = list(config.briefing.sections)
        if section in sections:
            if len(sections) == 1:
                self.brief_app.say("A briefing needs at least one section.", severity="warning")
                return
            sections.remove(section)
        else:
            sections = [s for s in SECTIONS if s in sections or s == section]
        self._set_options(replace_section(config, "briefing", sections=tuple(sections)))

    def action_length(self, step: int) -> None:
        """Make each story's summary longer or shorter by one sentence."""
        config = self.effective_config
        current = config.summary.sentences
        wanted = max(1, min(MAX_SUMMARY_SENTENCES, current + step))
        if wanted == current and config.summary.ratio == 0:
            return
        self._set_options(
            replace(config, summary=replace(config.summary, sentences=wanted, ratio=0.0))
        )

    def action_stories(self, step: int) -> None:
        """Allow more or fewer stories."""
        config = self.effective_config
        wanted = max(1, config.briefing.max_stories + step)
        if config.briefing.max_stories == 1 and step > 0:
            wanted = 5
        self._set_options(replace_section(config, "briefing", max_stories=wanted))

    def action_recompose(self) -> None:
        """Collect again and compose the briefing from the new articles."""
        self.brief_app.refresh_sources()

    # -- saving --

    def action_save(self) -> None:
        """Save the briefing (asks before replacing an existing file)."""
        briefing = self.desk.briefing
        if briefing is None or self.composed_for != (self.desk.version, self.effective_config):
            self.brief_app.say(
                "The briefing is still being composed; try again in a moment.", severity="warning"
            )
            return
        markdown = self.desk.markdown
        target = jobs.briefing_path(self.effective_config, briefing)
        remember = (self.effective_config, briefing, self.brief_app.now())
        if not target.exists():
            self._save(markdown, target, False, remember)
            return

        def answered(answer: str | None) -> None:
            if answer == "overwrite":
                self._save(markdown, target, True, remember)
            elif answer == "keep":
                self._save(markdown, target, False, remember)

        self.app.push_screen(
            ChoiceDialog(
                "Replace the existing briefing?",
                f"{target} already exists.",
                # Keeping both loses nothing, so it is what Enter does.
                [("keep", "Keep both"), ("overwrite", "Overwrite")],
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save(
        self, markdown: str, target: Path, force: bool, remember: tuple[Config, Briefing, datetime]
    ) -> None:
        path, problem = jobs.save_briefing(markdown, target, force=force, remember=remember)
        self.post_message(BriefingSaved(path, problem))

    def on_briefing_saved(self, message: BriefingSaved) -> None:
        self.last_saved = message.path
        self.brief_app.say(f"Saved the briefing to {message.path}", title="Briefing saved")
        if message.problem:
            self.brief_app.say(
                f"Not remembered for the next briefing: {message.problem}", severity="warning"
            )
        self.brief_app.status = f"Saved {message.path}"
        self._show()

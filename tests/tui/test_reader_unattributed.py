"""The reader lists the article's quotes no one could be credited with, as unattributed."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from brief.models import Article, Quote
from brief.tui.widgets.reader import UNATTRIBUTED_SHOWN, Reader
from tests.tui.conftest import content_of

pytestmark = pytest.mark.asyncio

TEXT = "Body of the article, with its quotes."
ARTICLE = Article(id="a1", source_id="s", source_name="Leeds Post", title="Budget row", text=TEXT)


DISTINCT = (
    "the bridge will close in May for repairs",
    "nobody told the shop owners about the plan",
    "our children deserve better schools than these",
    "the police arrived two hours after the call",
    "we cannot pay for the new library roof",
)


class ReaderApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Reader(id="reader")


def _quote(text: str, speaker: str | None) -> Quote:
    return Quote(text, speaker, 0, 4, "a1", confidence=0.95 if speaker else 0.3)


async def test_the_reader_lists_unattributed_quotes_capped_and_counts_the_rest() -> None:
    quotes = [
        _quote("We have done everything we can to keep the libraries open.", "Tom Barker"),
        *(_quote(f"Quote number {n}: {words}.", None) for n, words in enumerate(DISTINCT)),
        _quote("Quote number 0: the bridge will close in May for repairs.", None),  # a repeat
        _quote("a disgrace", None),  # a phrase, not a sentence: not listed
    ]
    app = ReaderApp()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.query_one(Reader)
        reader.show(ARTICLE)
        await pilot.pause()
        assert content_of(reader.query_one("#reader-unattributed")).plain == ""
        reader.highlight("a1", [], [], quotes)
        await pilot.pause()
        shown = content_of(reader.query_one("#reader-unattributed")).plain
        assert shown.startswith("Unattributed quotes (speaker not certain)")
        assert shown.count("Quote number") == UNATTRIBUTED_SHOWN
        assert f"and {5 - UNATTRIBUTED_SHOWN} more in the article" in shown
        assert "libraries" not in shown and "disgrace" not in shown
        # another article shown: the list goes with it
        reader.show(ARTICLE)
        await pilot.pause()
        assert content_of(reader.query_one("#reader-unattributed")).plain == ""


async def test_the_reader_shows_no_list_when_every_quote_has_its_speaker() -> None:
    app = ReaderApp()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.query_one(Reader)
        reader.show(ARTICLE)
        reader.highlight("a1", [], [], [_quote("We will keep the libraries open all year.", "Tom")])
        await pilot.pause()
        assert content_of(reader.query_one("#reader-unattributed")).plain == ""

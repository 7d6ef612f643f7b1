"""Quotes no one could be credited with for sure are shown as unattributed, never dropped.

The briefing lists a few under their story (the rest counted); the TUI's reader
lists them under the article.  Right or silent: a guess is never shown instead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from brief.briefing.compose import compose_briefing
from brief.briefing.render import UNATTRIBUTED_SHOWN, render_markdown
from brief.config import Config
from brief.models import Article, Briefing, CollectResult, Quote, Story

NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)

# Tom Barker's quote is his for sure; the second quote's "he" could be either man, so it
# stays unattributed; the third is a short phrase, no sentence to show.
TEXT = (
    "Council leader Tom Barker spoke to reporters in Leeds on Monday about the budget. "
    "'We have done everything we can to keep the libraries open this year,' Tom Barker said.\n"
    "Jim Moss and Sam Reed left the council meeting early. "
    "'The town will need to find the money for the repairs somewhere else,' he said.\n"
    "Residents called the plan 'a disgrace' at the meeting."
)


def _article(**changes: object) -> Article:
    values: dict[str, object] = {
        "id": "a1",
        "source_id": "feed:x",
        "source_name": "Leeds Post",
        "title": "Council budget vote ends in a row over libraries",
        "text": TEXT,
        "url": "https://example.com/budget",
        "published": datetime(2026, 11, 28, 6, 0, tzinfo=UTC),
    }
    values.update(changes)
    return Article(**values)  # type: ignore[arg-type]


def _briefing(story: Story) -> Briefing:
    return Briefing(
        title="Morning",
        day=date(2026, 11, 28),
        generated_at=NOW,
        stories=(story,),
        sources=(),
        article_count=len(story.articles),
    )


def _quote(text: str, article_id: str = "a1") -> Quote:
    return Quote(text, None, 0, len(text), article_id, confidence=0.3)


def test_a_story_lists_its_unattributed_quotes_capped_with_the_rest_counted() -> None:
    quotes = tuple(_quote(f"Quote number {n} is a whole sentence of words.") for n in range(5))
    story = Story("s", "Budget row", (_article(),), ("Lead.",), unattributed=quotes)
    text = render_markdown(_briefing(story))
    assert "*Unattributed quotes* (speaker not certain):" in text
    listed = [line for line in text.splitlines() if line.startswith("- “Quote number")]
    assert len(listed) == UNATTRIBUTED_SHOWN
    assert f"- and {5 - UNATTRIBUTED_SHOWN} more in the article" in text
    # like every bullet, each names its outlet and links to the quote on the page
    assert listed[0] == (
        "- “Quote number 0 is a whole sentence of words.” — [Leeds Post]"
        "(https://example.com/budget#:~:text=Quote%20number%200%20is%20a%20whole%20sentence%20of%20words.)"
    )


def test_unattributed_quotes_are_escaped_and_link_their_outlet() -> None:
    other = _article(id="a2", source_name="York <b>Times</b>")
    quote = _quote("**Bold** claims [click](javascript:x) are # not ours.", "a2")
    story = Story("s", "Budget row", (_article(), other), ("Lead.",), unattributed=(quote,))
    text = render_markdown(_briefing(story))
    line = next(line for line in text.splitlines() if "Bold" in line)
    assert line.startswith(
        "- “\\*\\*Bold\\*\\* claims \\[click\\](javascript:x) are # not ours.” — "
        "[York \\<b\\>Times\\</b\\>](https://example.com/budget#:~:text="
    )
    assert "more in the" not in text


def test_a_story_with_no_unattributed_quote_has_no_such_list() -> None:
    story = Story("s", "Budget row", (_article(),), ("Lead.",))
    assert "Unattributed" not in render_markdown(_briefing(story))


def test_the_composed_briefing_shows_the_unsure_quote_as_unattributed_not_guessed() -> None:
    briefing = compose_briefing(Config(), CollectResult(articles=(_article(),), health=()), now=NOW)
    (story,) = briefing.stories
    texts = [q.text for q in story.unattributed]
    assert any(t.startswith("The town will need to find the money") for t in texts)
    # the sure quote has its speaker (it is no one's only when unsure); the phrase is no sentence
    assert not any(t.startswith("We have done everything") for t in texts)
    assert not any("disgrace" in t for t in texts)
    assert all(q.speaker is None for q in story.unattributed)
    text = render_markdown(briefing)
    assert "- “The town will need to find the money for the repairs somewhere else" in text
    # the unsure quote is in no actor's brief either
    assert all(
        not q.text.startswith("The town will need")
        for b in briefing.actor_briefs
        for q, _ in b.quotes
    )

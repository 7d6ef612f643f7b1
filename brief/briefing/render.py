"""Render a Briefing as Markdown with YAML front matter.

Everything that came from a source (titles, names, sentences, quotes, URLs,
error messages) is untrusted: it goes through :func:`md_text` or
:func:`md_link`, so it cannot inject HTML, Markdown structure, terminal
escape sequences or non-http(s) links into the file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from urllib.parse import quote, urlsplit

from brief.briefing import provenance
from brief.briefing.reading import reading_minutes, reading_words
from brief.models import (
    ActorBrief,
    ActorNews,
    Article,
    Briefing,
    QuietStory,
    Quote,
    SourceHealth,
    Story,
)
from brief.store.ledger import quote_words
from brief.wording import plural

DIGEST_LINES = 3  # the digest names this many leading stories
DIGEST_WORDS = 16  # and each in at most this many words
NEW_QUOTES = 3  # an actor's "new since yesterday" lists at most this many new quotes
UNATTRIBUTED_SHOWN = 3  # a story lists at most this many quotes no one could be credited with

# Characters that start inline Markdown/HTML constructs anywhere in a line
# (emphasis, code, links, raw HTML, entities, tables, strikethrough, math).
# Backslash-escaping ASCII punctuation is always valid CommonMark.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~$])")
# At the start of a block, these would open a heading, list, quote or rule.
_MD_BLOCK_START = re.compile(r"^(?:([#+=-])|(\d{1,9})([.)]))")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def plain_text(text: str) -> str:
    """Untrusted text as one clean line: escape sequences and control characters removed."""
    text = _ANSI.sub("", text)
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Cs", "Co") or ch in "\u200d"
    )
    return " ".join(cleaned.split())


def md_text(text: str) -> str:
    """Untrusted text escaped for Markdown inline content (no HTML, links or structure)."""
    escaped = _MD_INLINE.sub(r"\\\1", plain_text(text))
    return _MD_BLOCK_START.sub(_escape_block_start, escaped, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) with a host, percent-encoded for a Markdown link target."""
    if not url:
        return None
    url = plain_text(url)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    encoded = quote(url, safe=":/?#@!$&'*+,;=%~-._")
    return encoded.replace("(", "%28").replace(")", "%29")


def md_link(label: str, url: str | None) -> str:
    """``[label](url)`` when the URL is safe, else the escaped label alone."""
    target = safe_url(url)
    text = md_text(label)
    return f"[{text}]({target})" if target else text


def _cite(sentence: str, candidates: tuple[Article, ...] | list[Article]) -> str:
    """`` — Source`` after a bullet: linked to the sentence on its web page, or named only."""
    article = provenance.source_article(sentence, candidates)
    if article is None:
        return ""
    label = plain_text(article.source_name) or "source"
    return " — " + md_link(label, provenance.sentence_url(article.url, sentence))


def _name(name: str, wikilinks: bool) -> str:
    """An actor's name in the body: escaped text, or a ``[[wikilink]]`` with nothing unsafe."""
    link = provenance.wikilink(plain_text(name)) if wikilinks else None
    return link or md_text(name)


def _yaml_list(items: list[str]) -> str:
    # A JSON array of strings is a valid YAML flow sequence.
    return json.dumps(list(dict.fromkeys(i for i in items if i)), ensure_ascii=False)


def _front_matter(briefing: Briefing, body: str) -> str:
    # JSON strings are valid YAML double-quoted scalars, escapes and all.
    actors = [plain_text(b.actor.name) for b in briefing.actor_briefs if b.sentences or b.quotes]
    words = reading_words(body)
    extra = {
        "tags": _yaml_list([provenance.note_tag(plain_text(t)) for t in briefing.tags]),
        "actors": _yaml_list(actors),
        "reading_minutes": str(reading_minutes(words, briefing.words_per_minute)),
        "reading_words": str(words),
    }
    if briefing.profile:
        extra["profile"] = json.dumps(plain_text(briefing.profile), ensure_ascii=False)
    fields = {
        "title": json.dumps(plain_text(briefing.title), ensure_ascii=False),
        "date": briefing.day.isoformat(),
        "generated_at": briefing.generated_at.isoformat(timespec="seconds"),
        "articles": str(briefing.article_count),
        "stories": str(len(briefing.stories)),
        "sources": str(len(briefing.sources)),
        "failed_sources": str(len(briefing.failed_sources)),
        **extra,
    }
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\n"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M")


def _article_line(article: Article) -> str:
    parts = [md_text(article.source_name)]
    when = _when(article.published)
    if when and not article.evergreen:
        parts.append(when)
    if article.author:
        parts.append(md_text(article.author))
    return " · ".join(parts)


def story_mark(story: Story) -> str:
    """The story's mark against earlier briefings: "New", "Developing · day 2", "Back"
    (empty for a story without memory, e.g. the bundled samples)."""
    mark = story.continuity
    if mark is None:
        return ""
    if mark.state == "developing":
        return f"Developing · day {mark.day}"
    return "Back" if mark.state == "back" else "New"


def _mark_line(story: Story) -> str:
    mark = story.continuity
    if mark is None:
        return ""
    if mark.state == "back" and mark.last_shown is not None:
        return f"**Back** · last shown {mark.last_shown.isoformat()} · "
    if mark.state == "developing" and mark.first_shown is not None:
        return f"**{story_mark(story)}** · since {mark.first_shown.isoformat()} · "
    return f"**{story_mark(story)}** · "


def _quiet(stories: tuple[QuietStory, ...]) -> list[str]:
    """Stories shown before with nothing new today, one line each."""
    if not stories:
        return []
    lines = [
        f"- {md_link(s.title, s.url)} — no new reporting since {s.last_shown.isoformat()}"
        for s in stories
    ]
    return ["**No new reporting**", "", *lines, ""]


def _story(number: int, story: Story, level: str = "###") -> list[str]:
    lead = story.lead
    heading = f"{level} {number}. {md_link(story.title, lead.url)}"
    lines = [heading, "", f"{_mark_line(story)}*{_article_line(lead)}*", ""]
    lines += [f"- {md_text(s)}{_cite(s, story.articles)}" for s in story.summary]
    others = story.articles[1:]
    if others:
        covered = ", ".join(md_link(a.source_name, a.url) for a in others)
        lines += ["", f"Also covered by: {covered}"]
    lines += _unattributed(story)
    lines.append("")
    return lines


def _unattributed(story: Story) -> list[str]:
    """The story's quotes whose speaker could not be told for sure, a few, the rest counted:
    shown as no one's rather than guessed or dropped."""
    quotes = story.unattributed
    if not quotes:
        return []
    several = len(story.articles) > 1
    sources = {a.id: a for a in story.articles}
    lines = ["", "*Unattributed quotes* (speaker not certain):", ""]
    lines += [_unattributed_line(q, sources) for q in quotes[:UNATTRIBUTED_SHOWN]]
    hidden = len(quotes) - UNATTRIBUTED_SHOWN
    if hidden > 0:
        lines.append(f"- and {hidden} more in the {'articles' if several else 'article'}")
    return lines


def _unattributed_line(quote_: Quote, sources: dict[str, Article]) -> str:
    """ "- “…” — Source", linked to the quote on its web page like every bullet."""
    article = sources.get(quote_.article_id)
    if article is None:
        return f"- “{md_text(quote_.text)}”"
    label = plain_text(article.source_name) or "source"
    link = md_link(label, provenance.sentence_url(article.url, quote_.text))
    return f"- “{md_text(quote_.text)}” — {link}"


def _actor(brief: ActorBrief, links: dict[str, Article], wikilinks: bool = False) -> list[str]:
    actor = brief.actor
    facts: list[str] = [actor.kind]
    if actor.role:
        facts.append(md_text(actor.role))
    if actor.affiliation:
        facts.append(md_text(actor.affiliation))
    facts.append(_counts(brief))
    lines = [f"### {_name(actor.name, wikilinks)}", "", f"*{' · '.join(facts)}*", ""]
    lines += _actor_news(brief.news)
    cited = [links[i] for i in brief.article_ids if i in links]
    lines += [f"- {md_text(s)}{_cite(s, cited)}" for s in brief.sentences]
    quotes = _not_new(brief)
    if quotes:
        if brief.sentences:
            lines.append("")
        for quote_, label in quotes:
            said = _said_by(brief, quote_, label, links, wikilinks)
            lines.append(f"> “{md_text(quote_.text)}” — {said}")
            lines.append(">")
        lines.pop()
    if brief.co_actors:
        names = ", ".join(f"{_name(name, wikilinks)} ({count})" for name, count in brief.co_actors)
        lines += ["", f"With (sentences naming both): {names}"]
    lines.append("")
    while lines[-2:] == ["", ""]:  # a brief of news alone ends on its trend's blank line
        lines.pop()
    return lines


def _actor_news(news: ActorNews | None) -> list[str]:
    """What is new about the actor since the days before, then its 7-day mention trend."""
    if news is None:
        return []
    items = [
        f"- New quote: “{md_text(text)}” — {md_link(_shorten(title, DIGEST_WORDS), url)}"
        for text, title, url in news.new_quotes[:NEW_QUOTES]
    ]
    more = len(news.new_quotes) - NEW_QUOTES
    if more > 0:
        items.append(f"- and {more} more new quote" + ("s" if more > 1 else ""))
    items += [f"- First seen with {md_text(name)} this week" for name in news.new_company[:3]]
    today = news.trend[-1] if news.trend else None
    if news.jump:
        items.append(f"- Mentions jumped: {today} today, 7-day mean {news.mean:.1f}")
    elif news.first_this_week:
        items.append("- First mentioned this week")
    lines = ["*New since yesterday:*", "", *items, ""] if items else []
    trend = " ".join("-" if count is None else str(count) for count in news.trend)
    return [*lines, f"Mentions, last {len(news.trend)} days: {trend}", ""]


def _not_new(brief: ActorBrief) -> tuple[tuple[Quote, str], ...]:
    """The brief's quotes less those its news already lists as new."""
    if brief.news is None or not brief.news.new_quotes:
        return brief.quotes
    new = {quote_words(text) for text, _, _ in brief.news.new_quotes[:NEW_QUOTES]}
    return tuple((q, label) for q, label in brief.quotes if quote_words(q.text) not in new)


def _has_news(brief: ActorBrief) -> bool:
    news = brief.news
    return news is not None and bool(news.new_quotes or news.new_company or news.jump)


def _watchlist(briefing: Briefing) -> list[str]:
    """Watched actors who appear today, flagged at the top of the briefing."""
    if not briefing.watched:
        return []
    briefs = {b.actor.name: b for b in briefing.actor_briefs}
    names = []
    for name in briefing.watched:
        brief = briefs.get(name)
        names.append(f"{md_text(name)} ({_articles(brief)})" if brief else md_text(name))
    return [f"**Watchlist:** {', '.join(names)}", ""]


def _articles(brief: ActorBrief) -> str:
    return f"{brief.article_count} article" + ("" if brief.article_count == 1 else "s")


def _counts(brief: ActorBrief) -> str:
    sources = "source" if brief.source_count == 1 else "sources"
    return f"{_articles(brief)}, {brief.source_count} {sources}"


def _said_by(
    brief: ActorBrief, quote_: Quote, label: str, links: dict[str, Article], wikilinks: bool
) -> str:
    """Who said it, in what role, in which story: "Jane Doe, minister, in [Title](url)"."""
    who = [_name(brief.actor.name, wikilinks)]
    if brief.actor.role:
        who.append(md_text(brief.actor.role))
    article = links.get(quote_.article_id)
    url = provenance.sentence_url(article.url, quote_.text) if article is not None else None
    story = md_link(_shorten(label, DIGEST_WORDS), url)
    return f"{', '.join(who)}, in {story}"


def _also_named(briefs: list[ActorBrief], wikilinks: bool = False) -> list[str]:
    """Actors with nothing new to show (or no room left), on one line: who else is in the news."""
    if not briefs:
        return []
    names = ", ".join(
        f"{_name(b.actor.name, wikilinks)} ({b.actor.kind}, {_articles(b)})" for b in briefs
    )
    return [f"Also in the news: {names}", ""]


def _digest(stories: tuple[Story, ...]) -> list[str]:
    """The leading stories in one line each, to read the briefing in ten seconds."""
    lines = []
    for story in stories[:DIGEST_LINES]:
        headline = _headline(story)
        sources = len(
            {a.source_name for a in story.articles} | {s for a in story.articles for s in a.also_in}
        )
        carried = f" ({plural(sources, 'source')})" if sources > 1 else ""
        lead = story.lead
        lines.append(f"- {md_text(headline)}{carried} — {md_link(lead.source_name, lead.url)}")
    return ["**In brief**", "", *lines, ""] if lines else []


def _headline(story: Story) -> str:
    """The story's title when it reads as a headline, else its lead sentence cut short."""
    title = " ".join(story.title.split())
    if title and not title.endswith("…") and len(title.split()) <= DIGEST_WORDS:
        return title
    return _shorten(story.summary[0] if story.summary else title, DIGEST_WORDS)


def _shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` words with "…" when longer."""
    words = text.split()
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]).rstrip(",;:–-…") + "…"


def _source(health: SourceHealth) -> str:
    name = md_text(health.source.name)
    kind = "feed" if health.source.kind == "feed" else "local"
    if health.error:
        return f"- **{name}** ({kind}) — failed: {md_text(health.error)}"
    count = plural(health.article_count, "article")
    line = f"- **{name}** ({kind}) — {count}"
    if health.warnings:
        skipped = len(health.warnings)
        label = "skipped" if health.source.kind == "local" else "warnings"
        line += f"; {skipped} {label}: " + "; ".join(md_text(w) for w in health.warnings[:3])
        if skipped > 3:
            line += f"; and {skipped - 3} more"
    return line


def render_markdown(briefing: Briefing) -> str:
    """The briefing as a Markdown document (front matter, title, sections)."""
    day = briefing.day.strftime("%A %d %B %Y")
    out = [f"# {md_text(briefing.title)} — {day}", ""]
    out += _watchlist(briefing)
    if "stories" in briefing.sections:
        out += _digest(briefing.stories)
    links = {a.id: a for a in briefing.cited}
    links.update({a.id: a for story in briefing.stories for a in story.articles})
    for section in briefing.sections:
        if section == "stories":
            out += ["## Top stories", ""]
            if not briefing.stories:
                out += [
                    "Nothing new in this window."
                    if briefing.quiet
                    else "No stories in this window.",
                    "",
                ]
            out += _stories(briefing)
            out += _quiet(briefing.quiet)
        elif section == "actors" and briefing.actor_briefs:
            out += ["## Actors", ""]
            quiet = []
            for brief in briefing.actor_briefs:
                if brief.sentences or brief.quotes or _has_news(brief):
                    out += _actor(brief, links, briefing.wikilinks)
                else:
                    quiet.append(brief)
            out += _also_named(quiet, briefing.wikilinks)
        elif section == "sources":
            out += ["## Sources", ""]
            out += [_source(h) for h in briefing.sources] or ["No sources configured."]
            out.append("")
    body = "\n".join(out).rstrip("\n") + "\n"
    return _front_matter(briefing, body) + "\n" + body


def _stories(briefing: Briefing) -> list[str]:
    """The top stories: one numbered list, or under section headings when sections are set."""
    if not briefing.story_sections:
        return [line for n, story in enumerate(briefing.stories, 1) for line in _story(n, story)]
    out: list[str] = []
    number = 0
    for name, count in briefing.story_sections:
        out += [f"### {md_text(name)}", ""]
        for story in briefing.stories[number : number + count]:
            number += 1
            out += _story(number, story, "####")
    return out

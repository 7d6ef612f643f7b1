"""Entry text and article links as the plain, one-conversion-per-field reading gives them.

``_entry_from_feedparser`` converts each distinct fragment of an entry once
(the summary is often the content again; a summary no longer than the
content's text is not converted at all, as it cannot be chosen) and ``feedparser_entry_links`` reads
each distinct fragment's links once, with a shortcut for plain anchor texts.
Over every entry of every feed in ``../shared/data/feeds`` (read by feedparser
and, where it accepts the body, by the fast path) both must give exactly what
the reference below gives: every fragment converted and read on its own, the
way brief did before the shortcuts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brief.collect import links as links_module
from brief.collect.cleantext import clean_text, html_fragment_to_text, one_line
from brief.collect.fastparse import fast_parse
from brief.collect.parse import (  # private helpers: the test reads entries as parse does
    RAW_MAX_CHARS,
    TEXT_MAX_CHARS,
    _entry_from_feedparser,
    _feedparser_parse,
    _field,
    _str_field,
    cap_chars,
    load_feedparser,
)


def _reference_text(item: Any) -> str:
    best_html = ""
    best_text = ""
    for content in _field(item, "content") or ():
        value = _str_field(content, "value")[:RAW_MAX_CHARS]
        ctype = (_str_field(content, "type") or "text/html").lower()
        candidate = html_fragment_to_text(value) if "html" in ctype else clean_text(value)
        if len(candidate) > len(best_html):
            best_html = candidate
    summary = _str_field(item, "summary")[:RAW_MAX_CHARS]
    if summary:
        stype = (_str_field(_field(item, "summary_detail"), "type") or "text/html").lower()
        best_text = html_fragment_to_text(summary) if "html" in stype else clean_text(summary)
    return best_html if len(best_html) >= len(best_text) else best_text


def _reference_html_links(fragment: str, base: str | None) -> list[tuple[str, str]]:
    pairs = []
    for anchor in links_module._ANCHOR_RE.finditer(fragment):
        href = links_module._HREF_RE.search(anchor.group(1))
        if href is None:
            continue
        url = links_module.clean_url(next(g for g in href.groups() if g is not None), base)
        if not url:
            continue
        end = anchor.end()
        close = links_module._CLOSE_RE.search(fragment, end, end + 4000)
        text = fragment[end : close.start()] if close else ""
        label = one_line(html_fragment_to_text(text), links_module.LINK_TEXT_MAX_CHARS)
        pairs.append((url, label if close else ""))
    return pairs


def _reference_links(item: Any) -> links_module.ArticleLinks:
    base = _str_field(item, "link").strip() or None
    pairs: list[tuple[str, str]] = []
    for content in _field(item, "content") or ():
        if "html" in (_str_field(content, "type") or "text/html").lower():
            pairs += _reference_html_links(_str_field(content, "value"), base)
    summary_type = _str_field(_field(item, "summary_detail"), "type") or "text/html"
    if "html" in summary_type.lower():
        pairs += _reference_html_links(_str_field(item, "summary"), base)
    return links_module.links_from(pairs)


def _raw_results(body: bytes, url: str, feedparser: Any) -> list[Any]:
    headers = {"content-type": "application/xml", "content-location": url}
    results = [_feedparser_parse(body, headers)]
    fast = fast_parse(body, headers, feedparser)
    if fast is not None:
        results.append(fast)
    return results


def test_entries_convert_each_fragment_as_the_plain_reading_does(shared_data: Path) -> None:
    root = shared_data / "feeds"
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("LICENSE"))
    assert len(files) > 2000
    feedparser = load_feedparser()
    checked = repeated = linked = 0
    wrong: list[str] = []
    for path in files:
        body = path.read_bytes()
        if body.lstrip()[:1] != b"<":
            continue
        name = path.relative_to(root).as_posix()
        for result in _raw_results(body, "http://example.com/" + name, feedparser):
            for number, item in enumerate(result.get("entries") or ()):
                entry = _entry_from_feedparser(item)
                if entry is None:
                    continue
                checked += 1
                summary = _str_field(item, "summary")
                values = [_str_field(c, "value") for c in _field(item, "content") or ()]
                repeated += bool(summary) and summary in values
                expected = _reference_links(item)
                linked += bool(expected.links)
                ours = links_module.feedparser_entry_links(item)
                if (
                    entry.text != cap_chars(_reference_text(item), TEXT_MAX_CHARS)
                    or entry.links != expected.links
                    or ours.links != expected.links
                    or ours.cut != expected.cut + _enclosure_cut(item)
                ):
                    wrong.append(f"{name} entry {number}")
    # The corpus exercises both shortcuts: repeated fragments and entries with links.
    assert checked > 4000 and repeated > 500 and linked > 500, (checked, repeated, linked)
    assert wrong == []


def _enclosure_cut(item: Any) -> int:
    """How many of the entry's enclosures are beyond the cap (counted with the links' cut)."""
    raw = [
        (_str_field(e, "href"), _str_field(e, "type"), _field(e, "length"))
        for e in _field(item, "links") or ()
        if isinstance(e, dict) and _field(e, "rel") == "enclosure"
    ]
    base = _str_field(item, "link").strip() or None
    return links_module._enclosures(raw, base)[1]

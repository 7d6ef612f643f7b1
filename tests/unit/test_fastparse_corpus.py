"""The fast path against feedparser over every feed file in ../shared/data/feeds.

For each file, the entries ``parse_feed`` gives through the fast path
(``engine="auto"``) must equal those it gives through feedparser alone:
count, order, titles, links, GUIDs, dates, authors, text and teaser flag,
the article links and enclosures (brief.collect.links),
and the feed's version, title, warnings and error.  Each file is read twice:
with the HTTP headers its header comment declares (none, for most: feedparser
then warns of the missing Content-Type and reads undeclared bytes as
Latin-1), and as a server would usually send it (``Content-Type:
application/xml`` unless declared).
Every remaining difference is listed, with its argument, in
tests/data/fastparse_allowed.txt; a listed file that no longer differs fails
too, so the list stays true.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from brief.collect.fastparse import fast_parse
from brief.collect.parse import ParsedFeed, load_feedparser, parse_feed

ALLOWED = Path(__file__).resolve().parents[1] / "data" / "fastparse_allowed.txt"
FIELDS = (
    "title", "text", "url", "guid", "author", "published", "teaser", "links", "enclosures",
    "links_cut",
)  # fmt: skip
_HEADER_RE = re.compile(rb"^\s*Header:\s*([\w-]+):[ \t]*(.*?)\s*$", re.MULTILINE)


def _declared_headers(body: bytes) -> dict[str, str]:
    return {
        name.decode("ascii").lower(): value.decode("latin-1")
        for name, value in _HEADER_RE.findall(body[:3000])
    }


def _differences(fast: ParsedFeed, reference: ParsedFeed) -> set[str]:
    found = {
        name
        for name in ("version", "title", "warnings", "error")
        if getattr(fast, name) != getattr(reference, name)
    }
    if len(fast.entries) != len(reference.entries):
        found.add("count")
    for ours, theirs in zip(fast.entries, reference.entries, strict=False):
        found.update(f for f in FIELDS if getattr(ours, f) != getattr(theirs, f))
    return found


def _allowed() -> dict[str, set[str]]:
    allowed = {}
    for line in ALLOWED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        path, fields, argument = (part.strip() for part in line.split("|", 2))
        assert len(argument) > 40, f"{path}: say why the fast reading is an improvement"
        allowed[path] = set(fields.split(","))
    return allowed


def test_fast_path_reads_every_feed_as_feedparser_does(shared_data: Path) -> None:
    root = shared_data / "feeds"
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("LICENSE"))
    assert len(files) > 2000
    feedparser = load_feedparser()
    allowed = _allowed()
    unexpected: list[str] = []
    seen: dict[str, set[str]] = {}
    accepted = 0
    for path in files:
        body = path.read_bytes()
        name = path.relative_to(root).as_posix()
        url = "http://example.com/" + name
        declared = _declared_headers(body)
        for headers in (declared, {"content-type": "application/xml", **declared}):
            fast = parse_feed(body, url, headers, engine="auto")
            reference = parse_feed(body, url, headers, engine="feedparser")
            found = _differences(fast, reference)
            if found:
                seen.setdefault(name, set()).update(found)
                if not found <= allowed.get(name, set()):
                    unexpected.append(f"{name} ({headers}): {sorted(found)}")
            if fast_parse(body, {"content-location": url, **headers}, feedparser) is not None:
                accepted += 1
    assert not unexpected, "fast path differs from feedparser:\n" + "\n".join(unexpected)
    stale = sorted(set(allowed) - set(seen))
    assert not stale, f"listed in {ALLOWED.name} but no longer different: {stale}"
    # The comparison means something only if the fast path reads a good share itself.
    assert accepted >= 500, f"the fast path accepted only {accepted} of the readings"


def test_fast_path_counts_old_entries_as_the_cut_feedparser_path_does(shared_data: Path) -> None:
    """With a retention window: the same kept entries and the same count of old ones."""
    files = sorted(
        p
        for folder in ("real-rss-parser", "real-netnewswire")
        for p in (shared_data / "feeds" / folder).iterdir()
        if p.is_file() and not p.name.startswith("LICENSE")
    )
    assert len(files) > 60
    years = (2012, 2016, 2018, 2020, 2024)
    old = 0
    for i, path in enumerate(files):
        body = path.read_bytes()
        headers = {"content-type": "application/xml"}
        since = datetime(years[i % len(years)], 6, 1, tzinfo=UTC)
        fast = parse_feed(body, "https://n.test/feed", headers, since=since, engine="auto")
        reference = parse_feed(
            body, "https://n.test/feed", headers, since=since, engine="feedparser"
        )
        assert fast == reference, f"{path.name} since {since}: {_differences(fast, reference)}"
        old += fast.old_entries
    assert old > 500  # the window does leave entries out


_NESTED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>T</title><item><title>One</title><link>http://n.test/1</link>
<description>direct</description><og><description>nested</description></og></item>
<item><title>Two</title><link>http://n.test/2</link><content:encoded>body</content:encoded>
<description>direct two</description><og><description>deeper</description></og></item>
<item><title>Three</title><link>http://n.test/3</link><og><description>only nested</description>
</og>
</item></channel></rss>"""


def test_summary_nested_in_an_unhandled_element_is_read_as_feedparser_reads_it() -> None:
    """A summary inside an element feedparser has no handler for, and its depth rule."""
    body = _NESTED.encode()
    headers = {"content-type": "application/xml"}
    assert fast_parse(body, {"content-location": "http://n.test/", **headers}, load_feedparser())
    fast = parse_feed(body, "http://n.test/", headers, engine="auto")
    reference = parse_feed(body, "http://n.test/", headers, engine="feedparser")
    assert [e.text for e in fast.entries] == [e.text for e in reference.entries]
    assert fast == reference


def _item(link: str, inner: str) -> str:
    return f"<item><title>T {link}</title><link>http://n.test/{link}</link>{inner}</item>"


_AUTHORS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
    + _item("1", "<author><name>Ann</name><title>Editor</title><company/></author>")
    + _item("2", "<author><name>Ann</name></author><author><name>Bo</name></author>")
    + _item("3", "<author><name>Ann</name><email>a@n.test</email></author>")
    + _item("4", "<author><email>a@n.test</email></author><author><name>Bo</name></author>")
    + _item("5", "<dc:creator>Cy</dc:creator><author> <name>Ann</name> </author>")
    + "</channel></rss>"
)


def test_rss_authors_with_child_elements_are_read_as_feedparser_reads_them() -> None:
    """An RSS author with name and email children is a person; the last one counts."""
    body = _AUTHORS.encode()
    headers = {"content-type": "application/xml"}
    assert fast_parse(body, {"content-location": "http://n.test/", **headers}, load_feedparser())
    fast = parse_feed(body, "http://n.test/", headers, engine="auto")
    reference = parse_feed(body, "http://n.test/", headers, engine="feedparser")
    assert [e.author for e in fast.entries] == [e.author for e in reference.entries]
    assert [e.author for e in fast.entries][:2] == ["Ann", "Bo"]
    assert fast == reference


def test_authors_feedparser_reads_by_their_text_are_left_to_it() -> None:
    feedparser = load_feedparser()
    for inner in (
        "<author><name>Ann</name></author><dc:creator>Cy</dc:creator>",  # text after a person
        "<author>Ann <name>Bo</name></author>",  # own text beside elements
        "<author><uri>http://n.test/ann</uri></author>",  # neither name nor email
    ):
        body = _AUTHORS.replace(_item("1", ""), "").split("<item>")[0] + _item("1", inner)
        body += "</channel></rss>"
        assert fast_parse(body.encode(), {"content-type": "application/xml"}, feedparser) is None
        reference = parse_feed(body.encode(), "http://n.test/", {}, engine="feedparser")
        assert parse_feed(body.encode(), "http://n.test/", {}) == reference


_IMAGES = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
    "<item><title>A</title><link>http://n.test/1</link><image><url>http://n.test/i.png</url>"
    '<title type="html">Image &amp;lt;b&amp;gt;</title><link>http://n.test/image</link></image>'
    "</item>"
    "<item><link>http://n.test/2</link><image><title>only the image&apos;s</title></image></item>"
    "<item><title>A</title><link>http://n.test/3</link><image><url>u</url></image>"
    "<title>B after the image</title></item>"
    "</channel></rss>"
)


def test_an_entrys_image_is_read_as_feedparser_reads_it() -> None:
    """Its title by the depth rules (reset at the image), its link left out."""
    body = _IMAGES.encode()
    headers = {"content-type": "application/xml"}
    assert fast_parse(body, {"content-location": "http://n.test/", **headers}, load_feedparser())
    fast = parse_feed(body, "http://n.test/", headers, engine="auto")
    reference = parse_feed(body, "http://n.test/", headers, engine="feedparser")
    assert [e.title for e in fast.entries] == [e.title for e in reference.entries]
    assert [e.title for e in fast.entries][2] == "B after the image"
    assert fast == reference


_IDS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:s="http://s.test/">'
    "<channel><title>T</title>"
    + _item("1", "<guid>one</guid><s:variant><guid>deeper</guid></s:variant>")
    + _item("2", '<s:variant><guid isPermaLink="false">deeper</guid></s:variant><guid>two</guid>')
    + _item("3", '<s:v xml:base="http://b.test/x/"><guid>only-nested</guid></s:v>')
    + "</channel></rss>"
)


def test_an_id_nested_in_an_unhandled_element_is_read_as_feedparser_reads_it() -> None:
    """The shallowest id wins (feedparser's depth map), joined by its own base and flag."""
    body = _IDS.encode()
    headers = {"content-type": "application/xml"}
    assert fast_parse(body, {"content-location": "http://n.test/", **headers}, load_feedparser())
    fast = parse_feed(body, "http://n.test/", headers, engine="auto")
    reference = parse_feed(body, "http://n.test/", headers, engine="feedparser")
    assert [e.guid for e in fast.entries] == [e.guid for e in reference.entries]
    assert fast == reference


_DATES = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"'
    ' xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>T</title>'
    + _item("1", "<dcterms:issued>2024-05-01T10:00:00Z</dcterms:issued>")
    + _item("2", "<lastBuildDate>Wed, 01 May 2024 10:00:00 GMT</lastBuildDate>")
    + _item("3", "<modified>2024-05-02T10:00:00Z</modified>")
    + _item("4", "<pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate><issued>2024-06-01</issued>")
    + "</channel></rss>"
)


def test_every_date_element_feedparser_reads_is_read() -> None:
    body = _DATES.encode()
    headers = {"content-type": "application/xml"}
    assert fast_parse(body, {"content-location": "http://n.test/", **headers}, load_feedparser())
    fast = parse_feed(body, "http://n.test/", headers, engine="auto")
    reference = parse_feed(body, "http://n.test/", headers, engine="feedparser")
    assert all(e.published for e in fast.entries)
    assert fast == reference


def test_an_empty_atom_link_is_joined_to_the_base_as_feedparser_joins_it() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>T</title><entry><title>A</title><id>http://n.test/a</id>"
        b'<link rel="alternate" type="text/html" href=""/></entry></feed>'
    )
    headers = {"content-type": "application/atom+xml"}
    url = "http://n.test/feed.atom"
    assert fast_parse(body, {"content-location": url, **headers}, load_feedparser())
    fast = parse_feed(body, url, headers, engine="auto")
    assert fast == parse_feed(body, url, headers, engine="feedparser")
    assert [e.url for e in fast.entries] == [url]

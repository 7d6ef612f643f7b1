"""Converting entry text never lengthens it: ``_entry_from_feedparser`` relies on that.

A summary no longer than the content's plain text is not converted, since it
could not be chosen; that holds only while conversion never gives more
characters than it was given.
"""

from __future__ import annotations

import html.entities

from hypothesis import given
from hypothesis import strategies as st

from brief.collect.cleantext import clean_text, html_fragment_to_text

_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<br>", "<br/>", "<hr>", "<div class='a'>", "<script>x</script>",
        "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&lt;", "&#x1F600;", "&#0;", "&nbsp;",
        "&ThickSpace;", "&acE;", "&amp", "\r\n", "\r", "\n", "\n\n", " ", "\t", "\xa0",
        "\x00", "\x85", "\u2028", "\u3000", "\ufeff", "a", "é", "word",
    ]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_conversion_never_lengthens_a_text(text: str) -> None:
    assert len(html_fragment_to_text(text)) <= len(text)
    assert len(clean_text(text)) <= len(text)


def test_no_entity_is_longer_decoded() -> None:
    longer = [n for n in html.entities.html5 if len(html_fragment_to_text("&" + n)) > len(n) + 1]
    assert longer == []

"""Dedupe keys of an article: GUID, canonical URL (tracking parameters removed), content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from brief.models import Article, Source

_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_hsenc",
        "_hsmi",
        "ocid",
        "cmpid",
        "ncid",
        "ref_src",
        "at_medium",
        "at_campaign",
    }
)
_TRACKING_PREFIXES = ("utm_", "__twitter", "_ga")


# Most links are this simple: http(s), a plain host and port, a path with no query.  For
# them urlsplit/urlunsplit give back scheme, host and path as they were (only the case of
# scheme and host changes), so one match does their work; anything else (a query, user
# info, brackets, tabs or newlines that urlsplit removes) takes the general path.
# tests/unit/test_store.py checks the two agree on generated URLs.
_SIMPLE_URL = re.compile(
    r"(https?)://([a-z0-9.-]+(?::[0-9]*)?)(/[^?#\t\r\n]*)?(?:#[^\t\r\n]*)?",
    re.IGNORECASE | re.ASCII,
)


def canonical_url(url: str | None) -> str | None:
    """``url`` without tracking parameters (``utm_*``, ``fbclid``...), fragment or default port.

    Scheme and host are lower-cased and the remaining query parameters keep
    their order, so two links to the same page compare equal.
    """
    if not url:
        return None
    url = url.strip()
    simple = _SIMPLE_URL.fullmatch(url)
    if simple is None:
        return _general_canonical_url(url)
    scheme, host, path = simple.groups()
    scheme = scheme.lower()
    return f"{scheme}://{_without_default_port(scheme, host.lower())}{path or '/'}"


def _without_default_port(scheme: str, host: str) -> str:
    """``host`` with ``:80`` (http) or ``:443`` (https) dropped."""
    if (scheme == "http" and host.endswith(":80")) or (scheme == "https" and host.endswith(":443")):
        return host.rsplit(":", 1)[0]
    return host


def _general_canonical_url(url: str) -> str:
    """:func:`canonical_url` of any stripped, non-empty ``url``, by urlsplit and urlunsplit."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    scheme = parts.scheme.lower()
    host = _without_default_port(scheme, parts.netloc.lower())
    query = ""
    if parts.query:  # most links have none: no parsing and re-encoding of nothing
        kept = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
        ]
        query = urlencode(kept, doseq=True)
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, query, ""))


def _normalise(text: str) -> str:
    # split/join is re.sub(r"\s+", " ").strip() at a third of the cost: str.split and the
    # regex's \s are the same character class (tests/unit/test_store.py checks every one).
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


# Stories, actors and the store each need the hash of the same articles in one
# briefing; str objects cache their own hash, so a repeat lookup costs O(1)
# instead of normalising the whole text again.  The cache holds references to
# texts already in memory, not copies.
@lru_cache(maxsize=32_768)
def content_hash(title: str, text: str) -> str:
    """A stable hash of an article's title and text, blind to case, spacing and Unicode form.

    It is the article's dedupe key and the key of the analysis cache.
    """
    data = _normalise(title) + "\x00" + _normalise(text)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def article_hash(article: Article) -> str:
    """The content hash of ``article``: the one the store read with it, else computed."""
    return article.stored_hash or content_hash(article.title, article.text)


_GLOBAL_GUID = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _guid_is_global(guid: str) -> bool:
    # A URL, tag: or urn: GUID names the item world-wide; a bare "1234" only
    # means something inside its own feed, so it is scoped to the source.
    return bool(_GLOBAL_GUID.match(guid)) and len(guid) > 8


def _guid_key(guid: str, source_id: str) -> str:
    if _guid_is_global(guid):
        return "guid:" + guid
    return f"guid:{source_id}\x00{guid}"


def article_id_for(first_key: str) -> str:
    """The stable article id derived from its first dedupe key."""
    return "a" + hashlib.sha256(first_key.encode("utf-8")).hexdigest()[:20]


def dedupe_keys(source: Source, article: Article) -> tuple[str, str | None, list[str]]:
    """(content hash, canonical URL, dedupe keys in priority order) of an incoming article."""
    digest = content_hash(article.title, article.text)
    canon = canonical_url(article.url)
    keys: list[str] = []
    if article.guid:
        keys.append(_guid_key(article.guid, source.id))
    if canon:
        keys.append("url:" + canon)
    # Empty bodies would all collide on one hash; only real content dedupes by hash.
    if article.title.strip() or article.text.strip():
        keys.append("hash:" + digest)
    if not keys:
        keys.append(f"hash:{digest}\x00{source.id}")
    return digest, canon, keys

"""Collect articles from local files: plain text, Markdown and saved HTML pages.

Each configured entry (a folder or a single file) is one source.  A file that
cannot be read — missing, binary, empty, not UTF-8 or UTF-16, too large, not a
regular file (a FIFO, a device, a link to one) — is skipped with a one-line
warning in that source's health, and so is a subfolder that cannot be listed;
the rest of the run goes on.  Folders are walked following links, each real
folder once, so a symlink loop ends the walk instead of repeating it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from brief.collect.extract import extract_page, strip_furniture
from brief.collect.links import (
    LINKS_MAX,
    ArticleLinks,
    html_links,
    links_from,
    markdown_links,
)
from brief.models import Article, Source, SourceHealth
from brief.paths import bundled_dir

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES

# Files larger than this are not articles (logs, dumps); skip them rather than stall.
MAX_FILE_BYTES = 5_000_000
TITLE_MAX_CHARS = 110

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_MD_HEADING = re.compile(r"^#{1,2}\s+(.+?)\s*#*\s*$")

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LocalSkip:
    """A file that was not read, and why (one line)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def content_id(text: str) -> str:
    """Stable article id: a hash of the normalised body text."""
    normal = " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:20]


def local_source(path: Path) -> Source:
    """The Source for a configured folder or file (the bundled seeds get a friendly name)."""
    resolved = path.resolve() if path.exists() else path
    is_seeds = resolved == bundled_dir("seeds").resolve()
    name = "Sample articles" if is_seeds else (path.name or str(path))
    return Source(id=f"local:{resolved}", name=name, kind="local", location=str(resolved))


def _iter_files(root: Path, problems: list[str] | None = None) -> Iterator[Path]:
    """Article files under ``root`` in a stable order, skipping hidden files and folders.

    Linked folders are followed, but each real folder is walked once (a link
    back up the tree is a loop, not more articles).  A folder that cannot be
    listed is named in ``problems``.
    """

    def unreadable(exc: OSError) -> None:
        if problems is not None:
            where = exc.filename if exc.filename is not None else root
            problems.append(f"{where}: folder skipped: {exc.strerror or exc}")

    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            info = os.stat(dirpath)
        except OSError as exc:
            unreadable(exc)
            dirnames[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() in SUFFIXES:
                yield path


def _kind(mode: int) -> str:
    """What a non-regular file is, in a word or two (for the skip message)."""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_file_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``ValueError`` otherwise.

    Never blocks on a FIFO and never reads a device: the file is opened
    non-blocking and checked on the open descriptor (a file swapped for a FIFO
    between a check and the open cannot slip through), and at most ``limit``
    + 1 bytes are read even if the file grows.
    """
    try:
        before = os.stat(path)
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(before.st_mode):
        raise ValueError(f"{_kind(before.st_mode)}, not an article file")
    if before.st_size > limit:
        raise ValueError(f"larger than {_size_words(limit)}; not an article")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{_kind(info.st_mode)}, not an article file")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise ValueError(f"larger than {_size_words(limit)}; not an article")
    return b"".join(chunks)


def _size_words(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit} bytes"


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def _bomless_utf16(raw: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs sit in every other byte (plain text saved as UTF-16)."""
    sample = raw[:8192]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # Mostly-ASCII UTF-16 has a NUL in half of its bytes, all on one side.
    if odd.count(0) >= len(odd) * 0.3 and b"\x00" not in even:
        return "utf-16-le"
    if even.count(0) >= len(even) * 0.3 and b"\x00" not in odd:
        return "utf-16-be"
    return None


def decode_text(raw: bytes) -> str:
    """Text from UTF-8 (with or without BOM), UTF-16 or UTF-32; ``ValueError`` for binary."""
    if raw.startswith(_UTF32_BOMS):
        encoding = "utf-32"
    elif raw.startswith(_UTF16_BOMS):
        encoding = "utf-16"
    elif b"\x00" in raw[:8192]:
        found = _bomless_utf16(raw)
        if found is None:
            raise ValueError("binary file, not text")
        encoding = found
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "utf-8-sig":
            raise ValueError(
                f"not valid UTF-8 (byte {exc.start}); save it as UTF-8 to include it"
            ) from None
        raise ValueError(f"not valid {encoding.upper()} (byte {exc.start})") from None
    if "\x00" in text:
        raise ValueError("binary file, not text")
    return text


def _parse_front_matter(text: str, where: object = "") -> tuple[dict[str, str], str]:
    """Split YAML front matter (between ``---`` lines) from the body; values become strings.

    YAML as Obsidian, Hugo and Jekyll write it (lists, quoting, dates) is read with
    python-frontmatter's YAML handler: a list becomes ``"a, b"``, a date its ISO form. Front
    matter that is not a valid YAML mapping costs a warning, never the file: its plain
    ``key: value`` lines are still read, and a block with none of them stays in the body.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    from frontmatter.default_handlers import YAMLHandler
    from yaml import YAMLError

    block, body = match.group(1), text[match.end() :]
    try:
        loaded = YAMLHandler().load(block)
    except YAMLError as exc:
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        mark = getattr(exc, "problem_mark", None)
        problem += f" at line {mark.line + 2}" if mark is not None else ""
    else:
        if isinstance(loaded, dict):
            return {str(k).lower(): v for k, v in _front_values(loaded)}, body
        problem = f"a {type(loaded).__name__}, not key: value pairs"
    meta = _front_lines(block)
    _log.warning(
        f"{where or 'a file'}: front matter is not valid YAML ({problem}); read as plain text"
    )
    return (meta, body) if meta else ({}, text)


def _front_values(loaded: dict[object, object]) -> Iterator[tuple[object, str]]:
    """Each front-matter value as text: lists joined with commas, dates in ISO 8601."""
    for key, value in loaded.items():
        if isinstance(value, list | tuple):
            items = [_front_scalar(v) for v in value]
            text = ", ".join(i for i in items if i)
        else:
            text = _front_scalar(value)
        if text:
            yield key, text


def _front_scalar(value: object) -> str:
    if value is None or isinstance(value, dict):
        return ""  # empty, or nested tables brief has no use for
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return str(value).strip()


def _front_lines(block: str) -> dict[str, str]:
    """Plain ``key: value`` lines, the reading kept for front matter YAML rejects."""
    meta: dict[str, str] = {}
    for line in block.splitlines():
        key_match = _FRONT_KEY.match(line)
        if key_match:
            value = key_match.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[key_match.group(1).lower()] = value
    return meta


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # a bare date/time means the reader's local time
    return parsed.astimezone(UTC)


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 20 and not re.search(r"[.,;:]$", line)


def _title_from_body(body: str) -> str:
    """A title for an untitled article: its first sentence, shortened on a word boundary."""
    first = body.split("\n\n", 1)[0].strip()
    from brief.text.sentences import split_sentences

    sentences = split_sentences(first)
    title = sentences[0].text if sentences else first
    title = title.rstrip(".")
    if len(title) <= TITLE_MAX_CHARS:
        return title
    cut = title[:TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def _split_title(body: str) -> tuple[str | None, str]:
    """Take a title line off the top of a text body, if the first line is one."""
    stripped = body.lstrip("\n")
    first, sep, rest = stripped.partition("\n")
    heading = _MD_HEADING.match(first)
    if heading:
        return heading.group(1).strip(), rest
    # A plain-text title: a short line standing alone above the body.
    if sep and rest.startswith("\n") and _looks_like_title(first.strip()):
        from brief.collect.extract import is_furniture

        if not is_furniture(first):
            return first.strip(), rest
    return None, body


def read_article(path: Path, source: Source, *, evergreen: bool = False) -> Article:
    """Read one article file; raise ``ValueError`` with a one-line reason if it is not usable."""
    raw = read_file_bytes(path)
    if not raw.strip():
        raise ValueError("empty file")
    text = decode_text(raw)
    if not text.strip():
        raise ValueError("empty file")
    try:
        mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    meta, body = _parse_front_matter(text, path)
    title = meta.get("title") or None
    url = meta.get("url") or meta.get("link") or None
    author = meta.get("author") or None
    published = _parse_date(meta.get("date") or meta.get("published"))

    links: ArticleLinks
    if path.suffix.lower() in HTML_SUFFIXES:
        links = links_from(html_links(body, url))
        page = extract_page(body)
        body = page.text
        title = title or page.title
        published = published or page.published
        author = author or page.author
        url = url or page.url
    else:
        links = links_from(markdown_links(body))
        heading, rest = _split_title(body)
        # With a title from front matter, a first line is dropped only when it repeats it.
        if title is None or (heading is not None and heading.casefold() == title.casefold()):
            title = title or heading
            body = rest

    body = strip_furniture(body)
    if not body.strip():
        raise ValueError("no article text found")
    if url and not re.match(r"^https?://", url, re.IGNORECASE):
        url = None
    if links.cut:
        _log.warning("%s: %d links beyond the first %d not kept", path, links.cut, LINKS_MAX)
    return Article(
        id=content_id(body),
        source_id=source.id,
        source_name=meta.get("source") or source.name,
        title=" ".join((title or _title_from_body(body)).split()),
        text=body,
        url=url,
        published=published or mtime,
        fetched=mtime,
        author=author,
        evergreen=evergreen,
        links=links.links,
    )


def collect_local(entries: Iterable[Path]) -> tuple[list[Article], list[SourceHealth]]:
    """Read every configured folder or file; one SourceHealth per entry."""
    articles: list[Article] = []
    health: list[SourceHealth] = []
    seeds = bundled_dir("seeds").resolve()
    for entry in entries:
        source = local_source(entry)
        if not entry.exists():
            health.append(
                SourceHealth(
                    source=source,
                    error=f"{entry}: not found; fix or remove it in [sources] local",
                )
            )
            continue
        skipped: list[str] = []
        files = list(_iter_files(entry, skipped)) if entry.is_dir() else [entry]
        evergreen = entry.resolve() == seeds
        found: list[Article] = []
        for path in files:
            try:
                found.append(read_article(path, source, evergreen=evergreen))
            except ValueError as exc:
                skipped.append(str(LocalSkip(path, str(exc))))
        articles.extend(found)
        error = None
        if not found and skipped and not entry.is_dir():
            error = skipped[0]
        health.append(
            SourceHealth(
                source=source,
                article_count=len(found),
                error=error,
                warnings=tuple(skipped),
                last_success=datetime.now(UTC) if found else None,
            )
        )
    return articles, health

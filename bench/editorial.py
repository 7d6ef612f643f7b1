"""What an editor would check in a day's briefing over every article of CNN/DailyMail dev.

    .venv/bin/python bench/editorial.py            # the table on stdout
    .venv/bin/python bench/editorial.py --json     # the same figures as JSON
    .venv/bin/python bench/editorial.py --show     # also print each problem found

Every article of ``../shared/data/eval/cnndm-dev.jsonl`` is written as a
local ``.txt`` file with front matter (title from the URL slug, the URL, a
time on the briefing's day) into a temporary folder; ``brief run --offline``
then writes a real briefing over all of them with the default configuration
(that folder as the only source, a private store and output folder).  The
Markdown file is read back and checked:

- articles in → articles read → articles shown in the briefing's stories
  (the ``max_stories`` cap limits the last);
- story summaries over the ``[summary] words`` budget;
- bullets (story and actor) that carry page debris: a glued caption, inline
  furniture, a dateline, a credit line or a "word.Word" join
  (:func:`brief.text.clean.debris`);
- sentences shown more than once (under a story and an actor, or two actors);
- actors that are publishers or wire services, products, or datelines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "eval" / "cnndm-dev.jsonl"
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)

# Credited in datelines, bylines and "contributed to this report": not actors of the news.
PUBLISHER_NAMES = frozenset(
    {
        "cnn",
        "reuters",
        "ap",
        "afp",
        "bloomberg",
        "xinhua",
        "upi",
        "bbc",
        "associated press",
        "the associated press",
        "agence france-presse",
        "daily mail",
        "daily mail online",
        "mailonline",
        "cnn money",
        "cnnmoney",
        "hln",
    }
)
PRODUCT_NAMES = frozenset(
    {
        "gps",
        "apple watch",
        "iphone",
        "ipad",
        "ipod",
        "android",
        "windows",
        "bluetooth",
        "wi-fi",
        "playstation",
        "xbox",
        "kindle",
        "google maps",
        "siri",
        "alexa",
        "chatgpt",
    }
)


def slug_title(url: str, number: int) -> str:
    """A headline-like title from the article URL's last path part."""
    part = url.rstrip("/").rsplit("/", 1)[-1]
    part = re.sub(r"\.html?$|^index$", "", part)
    if not part or part == "index.html":
        part = url.rstrip("/").rsplit("/", 2)[-2]
    words = re.sub(r"^article-\d+-", "", part).replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else f"Article {number}"


def write_articles(records: Sequence[dict[str, Any]], folder: Path) -> None:
    """Each record as ``NNN.txt`` with front matter, published within the briefing's day."""
    for number, record in enumerate(records):
        when = NOW - timedelta(minutes=5 * (number + 1))
        title = json.dumps(slug_title(str(record.get("url") or ""), number))
        url = json.dumps(str(record.get("url") or f"https://example.com/{number}"))
        (folder / f"{number:03d}.txt").write_text(
            f"---\ntitle: {title}\nurl: {url}\ndate: {when.isoformat()}\n---\n"
            f"{record['article']}\n",
            encoding="utf-8",
        )


def run_briefing(folder: Path, home: Path) -> str:
    """Run ``brief run --offline`` over ``folder`` with the default config; the Markdown."""
    config = home / "config.toml"
    config.write_text(f"[sources]\nlocal = [{json.dumps(str(folder))}]\n", encoding="utf-8")
    env = {
        **os.environ,
        "BRIEF_CONFIG": str(config),
        "BRIEF_DATA_DIR": str(home / "data"),
        "BRIEF_OUTPUT_DIR": str(home / "out"),
        "BRIEF_NOW": NOW.isoformat(),
    }
    done = subprocess.run(
        [sys.executable, "-m", "brief", "run", "--offline", "--output", str(home / "out")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if done.returncode not in (0, 3):
        raise SystemExit(f"brief run failed ({done.returncode}): {done.stderr.strip()}")
    return Path(done.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")


def sections(markdown: str) -> dict[str, list[tuple[str, list[str]]]]:
    """``## Section`` → its ``### Item`` headings with their lines."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    current: list[tuple[str, list[str]]] | None = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = out.setdefault(line[3:].strip(), [])
        elif line.startswith("### ") and current is not None:
            current.append((line[4:].strip(), []))
        elif current:
            current[-1][1].append(line)
    return out


def plain(markdown_text: str) -> str:
    """Markdown-escaped text back to plain text (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown_text)


# Every bullet ends with its provenance: " — [Source](link)" or " — Source" (a local file).
_PROVENANCE = re.compile(r" — (?:\[[^\]]+\]\([^)\s]+\)|[^—]{1,80})$")


def bullet_text(line: str) -> str:
    """A bullet's sentence as the reader reads it: no "- ", no provenance, no escapes."""
    return plain(_PROVENANCE.sub("", line[2:]))


def story_bullets(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """A story's summary bullets and its unattributed-quote bullets (listed after their
    heading, with a "- and N more" line that is no bullet)."""
    summary: list[str] = []
    quotes: list[str] = []
    into = summary
    for line in lines:
        if line.startswith("*Unattributed quotes*"):
            into = quotes
        elif line.startswith("- ") and not re.match(r"- and \d+ more in the", line):
            into.append(bullet_text(line))
    return summary, quotes


def is_dateline_actor(name: str, texts: Sequence[str]) -> bool:
    """An actor whose name appears in the articles only as an opening dateline."""
    pattern = re.compile(r"(?<![\w])" + re.escape(name) + r"(?![\w])")
    seen = False
    for text in texts:
        for found in pattern.finditer(text):
            seen = True
            after = text[found.end() : found.end() + 30]
            if not re.match(r"\s*(?:,[^.]{0,20})?\s*(?:\([\w .]+\)\s*)?[-—–]{1,2}\s", after):
                return False
    return seen


def measure(records: Sequence[dict[str, Any]], markdown: str, words: int) -> dict[str, Any]:
    """The editorial figures of one briefing over ``records``."""
    from brief.text.clean import debris

    parts = sections(markdown)
    read = int(re.search(r"^articles: (\d+)$", markdown, re.MULTILINE).group(1))  # type: ignore[union-attr]
    stories = parts.get("Top stories", [])
    actors = parts.get("Actors", [])
    link = re.compile(r"\]\((https?://[^)\s]+)\)")
    shown: set[str] = set()
    places: Counter[str] = Counter()
    over_budget: list[str] = []
    dirty: list[tuple[str, str]] = []
    bullets = 0
    for heading, lines in stories:
        shown.update(link.findall(heading))
        for line in lines:
            if line.startswith("Also covered by:"):
                shown.update(link.findall(line))
        summary, quoted = story_bullets(lines)
        if sum(len(b.split()) for b in summary) > words:
            over_budget.append(heading)
        for bullet in summary:
            bullets += 1
            places[bullet] += 1
        for bullet in (*summary, *quoted):
            kind = debris(bullet)
            if kind:
                dirty.append((kind, bullet))
    actor_bullets = 0
    for _, lines in actors:
        for bullet in {bullet_text(line) for line in lines if line.startswith("- ")}:
            actor_bullets += 1
            places[bullet] += 1
            kind = debris(bullet)
            if kind:
                dirty.append((kind, bullet))
    repeated = [text for text, count in places.items() if count > 1]
    texts = [str(r["article"]) for r in records]
    names = [plain(heading) for heading, _ in actors]
    publishers = [n for n in names if n.casefold() in PUBLISHER_NAMES]
    products = [n for n in names if n.casefold() in PRODUCT_NAMES]
    datelines = [n for n in names if is_dateline_actor(n, texts)]
    return {
        "articles_in": len(records),
        "articles_read": read,
        "articles_in_stories": len(shown),
        "stories": len(stories),
        "story_bullets": bullets,
        "stories_over_word_budget": over_budget,
        "actors": len(actors),
        "actor_bullets": actor_bullets,
        "bullets_with_debris": dirty,
        "sentences_repeated": repeated,
        "publisher_actors": publishers,
        "product_actors": products,
        "dateline_actors": datelines,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Write the articles, run the briefing, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="JSON Lines with 'article'")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--show", action="store_true", help="print each problem found")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"data file not found: {args.data}", file=sys.stderr)
        return 2
    records = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line]
    from brief.config import BriefingConfig, SummaryConfig

    words = SummaryConfig().words
    with tempfile.TemporaryDirectory(prefix="brief-editorial-") as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        write_articles(records, folder)
        markdown = run_briefing(folder, Path(tmp))
    figures = measure(records, markdown, words)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return 0
    cap = BriefingConfig().max_stories
    rows = [
        (
            "articles in → read → in stories",
            f"{figures['articles_in']} → {figures['articles_read']} → "
            f"{figures['articles_in_stories']} ({figures['stories']} stories, cap {cap})",
        ),
        (
            f"stories over the {words}-word budget",
            f"{len(figures['stories_over_word_budget'])} of {figures['stories']}",
        ),
        (
            "bullets with furniture or a glued caption",
            f"{len(figures['bullets_with_debris'])} of "
            f"{figures['story_bullets'] + figures['actor_bullets']}",
        ),
        ("sentences repeated across sections", str(len(figures["sentences_repeated"]))),
        ("actors that are publishers", str(len(figures["publisher_actors"]))),
        ("actors that are products", str(len(figures["product_actors"]))),
        ("actors that are datelines", str(len(figures["dateline_actors"]))),
    ]
    print(f"{args.data.name}: one `brief run --offline` briefing, default configuration")
    for label, value in rows:
        print(f"{label:<44}{value}")
    if args.show:
        for key in ("stories_over_word_budget", "bullets_with_debris", "sentences_repeated"):
            for item in figures[key]:
                print(f"{key}: {item}")
        for key in ("publisher_actors", "product_actors", "dateline_actors"):
            if figures[key]:
                print(f"{key}: {', '.join(figures[key])}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())

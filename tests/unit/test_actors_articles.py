"""Annotated test articles: each file in tests/data/actors/ says what must (not) be found.

Header lines before ``---`` carry the expectations, one per line:

    # Expect-actor: NAME | KIND | ALIAS; ALIAS      an actor, of that kind, known by those names
    # Expect-no-actor: TEXT                          no actor is called or known by TEXT
    # Expect-role: NAME | ROLE                       the actor's role
    # Expect-affiliation: NAME | AFFILIATION         the actor's affiliation
    # Expect-gender: NAME | m or f                   the gender the text shows (for pronouns)
    # Expect-quote: SPEAKER | OPENING WORDS          a quote starting so, credited to SPEAKER
    # Expect-no-quote: OPENING WORDS                 no speech quote starts so (scare quote, title)
    # Expect-no-mention: NAME | PHRASE               PHRASE in the text is no mention of NAME
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from brief.actors.analysis import ArticleActors, analyse_text

DATA = Path(__file__).resolve().parent.parent / "data" / "actors"


@dataclass
class Expectations:
    """A test article: its text and what it expects."""

    text: str
    checks: list[tuple[str, list[str]]] = field(default_factory=list)


def load(path: Path) -> Expectations:
    head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    expect = Expectations(text=body)
    for line in head.splitlines():
        match = re.match(r"#\s*Expect-([\w-]+):\s*(.*)$", line)
        if match:
            expect.checks.append((match.group(1), [p.strip() for p in match.group(2).split("|")]))
    return expect


def norm(text: str) -> str:
    return re.sub(r"^the\s+", "", " ".join(text.split()).casefold())


def names_of(result: ArticleActors, name: str) -> set[str]:
    actor = result.actor(name)
    assert actor is not None
    return {norm(a) for a in (actor.name, *actor.aliases)} | {
        norm(m.surface) for m in result.mentions_of(name)
    }


ARTICLES = sorted(DATA.glob("*.txt"))


def test_there_are_annotated_articles() -> None:
    assert len(ARTICLES) >= 6


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_annotated_article(path: Path) -> None:
    expect = load(path)
    assert expect.checks, f"{path.name} has no expectations"
    result = analyse_text(expect.text, article_id=path.stem)
    genders = dict(zip((a.name for a in result.actors), result.genders, strict=True))
    failures: list[str] = []
    for kind, args in expect.checks:
        if kind == "actor":
            name, actor_kind = args[0], args[1]
            actor = result.actor(name)
            if actor is None:
                failures.append(f"missing actor {name!r} (found {[a.name for a in result.actors]})")
                continue
            if actor.kind != actor_kind:
                failures.append(f"{name}: kind {actor.kind}, expected {actor_kind}")
            known = names_of(result, name)
            for alias in filter(
                None, (a.strip() for a in (args[2] if len(args) > 2 else "").split(";"))
            ):
                if norm(alias) not in known:
                    failures.append(f"{name}: alias {alias!r} not merged (has {sorted(known)})")
        elif kind == "no-actor":
            bad = [a.name for a in result.actors if norm(args[0]) in names_of(result, a.name)]
            if bad:
                failures.append(f"{args[0]!r} became an actor: {bad}")
        elif kind in ("role", "affiliation"):
            actor = result.actor(args[0])
            value = getattr(actor, kind) if actor else None
            if value is None or norm(value) != norm(args[1]):
                failures.append(f"{args[0]}: {kind} {value!r}, expected {args[1]!r}")
        elif kind == "gender":
            if genders.get(args[0]) != args[1]:
                failures.append(f"{args[0]}: gender {genders.get(args[0])!r}, expected {args[1]!r}")
        elif kind == "quote":
            speaker, opening = args
            quote = next((q for q in result.quotes if q.text.startswith(opening)), None)
            if quote is None:
                failures.append(f"no quote starting {opening!r}")
            elif quote.speaker != speaker:
                failures.append(f"quote {opening!r} credited to {quote.speaker!r}, not {speaker!r}")
        elif kind == "no-quote":
            if any(q.text.startswith(args[0]) for q in result.quotes):
                failures.append(f"{args[0]!r} taken as speech")
        elif kind == "no-mention":
            name, phrase = args
            for match in re.finditer(re.escape(phrase), expect.text):
                if any(
                    m.start < match.end() and match.start() < m.end
                    for m in result.mentions_of(name)
                ):
                    failures.append(f"{phrase!r} counted as a mention of {name}")
        else:
            failures.append(f"unknown expectation {kind!r}")
    assert not failures, "\n".join(failures)

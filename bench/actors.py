"""Score brief's actor layer on the seed article's reference beside a naive baseline; time both.

    .venv/bin/python bench/actors.py            # table on stdout
    .venv/bin/python bench/actors.py --json     # the same figures as JSON
    .venv/bin/python bench/actors.py --details  # also list brief's ranked actors and quotes

The reference is ``../shared/data/actors/globe-xi-russia-visit.gold.json``: 16
actors with the aliases that must merge into each, and 13 attributed quotes.
The text is fed raw, page furniture and photo caption included, so the
furniture must not turn into actors.  Actors are ranked as the briefing ranks
them (``build_actor_briefs`` with no minimum and no cap).

Beside the seed, quote attribution on ``../shared/data/actors/quotes-dev.json``
(20 CNN/DailyMail articles, hand-annotated speakers), scored as
``score_quotes_dev.py`` scores it, on the 14 articles attribution was developed
on, the 6 kept back, and all 20 (``bench/quotes_dev.py`` has the split and runs
the scorer itself), at the shipped confidence threshold.

The baseline is what a quick script does without brief: every run of
capitalised words is a name (sentence-initial single words skipped), equal
strings merge, ranking by count; a quote goes to the name nearest to it in its
sentence.  Speed is analysis of the 100 CNN/DailyMail articles in
``../shared/data/eval/cnndm-dev.jsonl`` (warm, one process, one core): the
whole system (analysis and ranking, as above), and the analysis alone.  The
last rows analyse every article of both eval sets (2,325) with
``analyse_many`` and no cache, in one process and on all cores, to show what
the process pool earns on a briefing's volume.

The CoNLL table scores entity spans on ``../shared/data/ner/conll2003-dev.docs.jsonl``
(216 Reuters documents) with the shared ``score_conll.py``, on all documents and
on both halves of a fixed split (every document i with i % 10 >= 7 is held out,
never tuned on), with the documents analysed per second, and beside it each F1 with a
95% bootstrap interval (documents drawn with replacement, 1,000 times, fixed seed): the
held-out half has 63 documents, and a point or two of F1 there is within the noise.
Speed rows give wall-clock articles per second and, for cnndm-dev, articles per second
of the process's CPU time, the figure to compare on a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
GOLD = SHARED / "actors" / "globe-xi-russia-visit.gold.json"
CNNDM = SHARED / "eval" / "cnndm-dev.jsonl"
TOP = 15

sys.path.insert(0, str(REPO))


@dataclass
class Ranked:
    """An actor as a system found it: name, every name form, rank order given by list position."""

    name: str
    forms: set[str]


@dataclass
class Found:
    """A system's output on one text."""

    actors: list[Ranked]
    quotes: list[tuple[str, str | None]]  # (text, speaker)


@dataclass
class Score:
    """One system's figures."""

    system: str
    actors_found: str = ""
    aliases_merged: str = ""
    wrong_merges: int = 0
    split_actors: int = 0
    false_actors: int = 0
    false_in_top: int = 0
    furniture_actors: int = 0
    quotes_credited: str = ""
    scare_quotes_as_speech: int = 0
    articles_per_second: float = 0.0
    articles_per_cpu_second: float = 0.0  # the same run by this process's CPU time (load aside)
    analysis_per_second: float = 0.0
    many_one_process: float = 0.0  # articles/second
    many_all_cores: float = 0.0
    missed: list[str] = field(default_factory=list)
    false_top: list[str] = field(default_factory=list)
    wrong_quotes: list[str] = field(default_factory=list)


def norm(text: str) -> str:
    """Compare names loosely: case, a leading "the", possessive endings, spacing."""
    text = " ".join(text.split()).casefold()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"['’]s$", "", text)


# --- the systems -----------------------------------------------------------------


def brief_system(text: str) -> Found:
    """brief's analysis, ranked the way the briefing ranks actors."""
    from brief.actors.analysis import analyse_text
    from brief.actors.briefs import build_actor_briefs
    from brief.config import ActorsConfig, Config
    from brief.models import Article

    result = analyse_text(text, article_id="seed")
    article = Article(id="seed", source_id="s", source_name="seed", title="", text=text)
    config = Config(
        actors=ActorsConfig(
            max_actors=1000, min_mentions=1, min_salience=0.0, sentences=0, quotes=0
        )
    )
    briefs = build_actor_briefs([article], config, analyses=[result])
    surfaces: dict[str, set[str]] = {}
    for mention in result.mentions:
        surfaces.setdefault(mention.actor, set()).add(mention.surface)
    ranked = [
        Ranked(b.actor.name, {b.actor.name, *b.actor.aliases, *surfaces.get(b.actor.name, ())})
        for b in briefs
    ]
    return Found(ranked, [(q.text, q.speaker) for q in result.quotes])


_CAP_RUN = re.compile(r"(?:[A-Z][\w.'’-]*)(?:\s+(?:of\s+|the\s+)?[A-Z][\w.'’-]*)*")
_QUOTE = re.compile(r"[“\"]([^”\"]+)[”\"]")


def baseline_system(text: str) -> Found:
    """Capitalised runs as names (equal strings merged, ranked by count); nearest name speaks."""
    counts: Counter[str] = Counter()
    spans: list[tuple[int, int, str]] = []
    for match in _CAP_RUN.finditer(text):
        name = re.sub(r"['’]s$", "", match.group()).strip(" .")
        before = text[max(0, match.start() - 2) : match.start()]
        initial = match.start() == 0 or before.endswith(("\n", ". ", "“", '"'))
        if initial and " " not in name:
            continue
        counts[name] += 1
        spans.append((match.start(), match.end(), name))
    actors = [Ranked(name, {name}) for name, _ in counts.most_common()]
    quotes = []
    for match in _QUOTE.finditer(text):
        start, end = match.span()
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        near = [
            (min(abs(s - end), abs(start - e)), name)
            for s, e, name in spans
            if line_start <= s < line_end and not (start <= s < end)
        ]
        speaker = min(near)[1] if near else None
        quotes.append((match.group(1), speaker))
    return Found(actors, quotes)


# --- scoring ---------------------------------------------------------------------


def body_text(text: str, not_body: list[int]) -> str:
    lines = text.splitlines()
    return "\n".join(line for i, line in enumerate(lines, 1) if i not in not_body)


def score(system: str, found: Found, gold: dict[str, Any], text: str) -> Score:
    """Compare a system's actors and quotes with the reference."""
    result = Score(system)
    lookup: dict[str, str] = {}
    for actor in gold["actors"]:
        for name in (actor["name"], *actor["aliases"]):
            lookup.setdefault(norm(name), actor["name"])
    body = body_text(text, gold["not_body_lines"])
    furniture = [
        line
        for i, line in enumerate(text.splitlines(), 1)
        if i in gold["not_body_lines"] and line.strip()
    ]
    matched: dict[str, list[int]] = {}
    identity: list[str | None] = []
    for rank, actor in enumerate(found.actors):
        golds = {lookup[norm(f)] for f in actor.forms if norm(f) in lookup}
        own = lookup.get(norm(actor.name))
        if own is not None:
            golds.add(own)
        if len(golds) > 1:
            result.wrong_merges += 1
        who = own or (next(iter(golds)) if len(golds) == 1 else None)
        identity.append(who)
        if who is not None:
            matched.setdefault(who, []).append(rank)
        else:
            result.false_actors += 1
            if rank < TOP:
                result.false_in_top += 1
                result.false_top.append(actor.name)
            if any(norm(actor.name) in norm(line) for line in furniture) and norm(
                actor.name
            ) not in norm(body):
                result.furniture_actors += 1
    merged = 0
    for actor in gold["actors"]:
        ranks = matched.get(actor["name"], [])
        if not ranks:
            result.missed.append(actor["name"])
            continue
        if len(ranks) > 1:
            result.split_actors += 1
        forms = {norm(f) for r in ranks[:1] for f in found.actors[r].forms}
        needed = [a for a in actor["aliases"] if re.search(rf"\b{re.escape(a)}\b", body)]
        if all(norm(a) in forms for a in needed):
            merged += 1
    total = len(gold["actors"])
    result.actors_found = f"{total - len(result.missed)}/{total}"
    result.aliases_merged = f"{merged}/{total}"
    aliases = {norm(n): a["name"] for a in gold["actors"] for n in (a["name"], *a["aliases"])}
    aliases[norm("Ukraine's Foreign Ministry")] = "Ukraine"
    credited = 0
    for quote in gold["quotes"]:
        start = " ".join(quote["starts"].split())
        hit = next((q for q in found.quotes if " ".join(q[0].split()).startswith(start)), None)
        speaker = aliases.get(norm(hit[1])) if hit and hit[1] else None
        if hit is not None and speaker == quote["speaker"]:
            credited += 1
        else:
            said = hit[1] if hit else "(not found)"
            result.wrong_quotes.append(f"{quote['starts'][:40]}… → {said}")
    result.quotes_credited = f"{credited}/{len(gold['quotes'])}"
    scare = ("reverse Nixon", "no limits")
    result.scare_quotes_as_speech = sum(
        1 for text_, speaker in found.quotes if text_.strip(" ,.") in scare and speaker
    )
    return result


def speed(system: Callable[[str], object], texts: list[str]) -> float:
    """Texts per second of wall time (warm)."""
    return timed(system, texts)[0]


def timed(system: Callable[[str], object], texts: list[str]) -> tuple[float, float]:
    """Texts per second of wall time and per second of this process's CPU time (warm): on a
    loaded machine the second is the figure to compare."""
    system(texts[0])  # warm-up: imports, word lists
    began, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        system(text)
    return (
        len(texts) / (time.perf_counter() - began),
        len(texts) / max(time.process_time() - cpu, 1e-9),
    )


class _NoCache:
    """An analysis store that keeps nothing, so every article is analysed."""

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        return None

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        return None


def many_speed(texts: list[str], workers: int) -> float:
    """Articles/second of ``analyse_many`` over ``texts``, uncached, with ``workers`` processes."""
    from brief.actors.analysis import analyse_many
    from brief.models import Article

    articles = [
        Article(id=f"a{i}", source_id="s", source_name="s", title="", text=text)
        for i, text in enumerate(texts)
    ]
    began = time.perf_counter()
    analyse_many(articles, _NoCache(), workers=workers, parallel_min=1)
    return len(articles) / (time.perf_counter() - began)


def eval_texts() -> list[str]:
    """Every article of the two eval sets."""
    texts = []
    for name in ("cnndm-dev.jsonl", "bbc-news-summary.jsonl"):
        path = SHARED / "eval" / name
        if path.exists():
            texts += [json.loads(line)["article"] for line in path.read_text().splitlines() if line]
    return texts


# --- CoNLL-2003 dev: entity spans ----------------------------------------------

CONLL_DIR = SHARED / "ner"
# conll_actors_pred.py's map from an actor's kind to a CoNLL type (demonyms map to none).
CONLL_KIND = {"person": "PER", "organisation": "ORG", "state": "LOC", "place": "LOC"}


def conll_spans(data: dict[str, Any]) -> set[tuple[int, int, str]]:
    """(start, end, type) of every mention in ``brief actors --json`` output, as the shared
    ``conll_actors_pred.py`` reads it (an actor's or place's mentions, typed by its kind)."""
    spans = set()
    for item in [*data["actors"], *data.get("places", [])]:
        kind = CONLL_KIND.get(item["kind"])
        for mention in item["mentions"] if kind else ():
            spans.add((mention["start"], mention["end"], kind))
    return spans


def conll_scores() -> dict[str, Any] | None:
    """Exact-span P/R/F1 per type on CoNLL-2003 dev, on all 216 documents and on the two
    halves of a fixed split (document i is held out when i % 10 >= 7: never tuned on),
    scored by the shared ``score_conll.py``; and documents per second."""
    import importlib.util

    from brief.actors.analysis import analyse_text, to_jsonable

    docs_path = CONLL_DIR / "conll2003-dev.docs.jsonl"
    scorer_path = CONLL_DIR / "score_conll.py"
    if not docs_path.exists() or not scorer_path.exists():
        return None
    spec = importlib.util.spec_from_file_location("score_conll", scorer_path)
    assert spec is not None and spec.loader is not None
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    docs = [json.loads(line) for line in docs_path.read_text().splitlines() if line]
    began = time.perf_counter()
    predicted = {
        doc["id"]: [
            {"start_char": s, "end_char": e, "type": t}
            for s, e, t in sorted(conll_spans(to_jsonable(analyse_text(doc["text"]))))
        ]
        for doc in docs
    }
    seconds = time.perf_counter() - began
    result: dict[str, Any] = {"docs_per_second": round(len(docs) / seconds, 1)}
    halves = {
        "all": docs,
        "develop": [d for i, d in enumerate(docs) if i % 10 < 7],
        "held out": [d for i, d in enumerate(docs) if i % 10 >= 7],
    }
    # Each document's own counts, so that a resampled set of documents is scored by sums.
    counts = {
        d["id"]: _counts(scorer.score([d], {d["id"]: scorer.normalise(d, predicted[d["id"]])}))
        for d in docs
    }
    for name, part in halves.items():
        pred = {d["id"]: scorer.normalise(d, predicted[d["id"]]) for d in part}
        table = scorer.score(part, pred)
        result[name] = {
            key: {m: round(100 * table[key][m], 1) for m in ("p", "r", "f1")} for key in CONLL_KEYS
        }
        result[name]["docs"] = len(part)
        result[name]["f1_interval"] = conll_intervals([counts[d["id"]] for d in part])
    return result


CONLL_KEYS = ("PER", "ORG", "LOC", "untyped PER|ORG|LOC")
Counts = dict[str, tuple[int, int, int]]  # per key: (true positives, predicted, gold)


def _counts(table: dict[str, Any]) -> Counts:
    """One document's (true positives, predicted, gold) per key of the scorer's table."""
    return {k: (table[k]["tp"], table[k]["pred"], table[k]["gold"]) for k in CONLL_KEYS}


def _f1(tp: int, pred: int, gold: int) -> float:
    return 200 * tp / (pred + gold) if pred + gold else 0.0


def conll_intervals(
    docs: list[Counts], resamples: int = 1000, seed: int = 7
) -> dict[str, tuple[float, float]]:
    """The 95% bootstrap interval of each key's F1: documents (the unit that varies: one
    sports table holds dozens of names) drawn with replacement, ``resamples`` times."""
    rng = random.Random(seed)
    draws: dict[str, list[float]] = {k: [] for k in CONLL_KEYS}
    for _ in range(resamples):
        sample = [docs[rng.randrange(len(docs))] for _ in docs]
        for key in CONLL_KEYS:
            tp, pred, gold = (sum(c[key][i] for c in sample) for i in range(3))
            draws[key].append(_f1(tp, pred, gold))
    bounds = {}
    for key, values in draws.items():
        values.sort()
        low, high = values[int(0.025 * resamples)], values[int(0.975 * resamples) - 1]
        bounds[key] = (round(low, 1), round(high, 1))
    return bounds


def print_conll(result: dict[str, Any] | None) -> None:
    """The CoNLL table: P / R / F1 per type for each half of the split."""
    if result is None:
        print("\nCoNLL-2003 dev not found (../shared/data/ner)")
        return
    print("\nCoNLL-2003 dev, exact spans (P / R / F1)")
    print(f"{'':<14}" + "".join(f"{k:>20}" for k in ("PER", "ORG", "LOC", "untyped")))
    for name in ("all", "develop", "held out"):
        part = result[name]
        cells = [
            f"{part[k]['p']:.1f}/{part[k]['r']:.1f}/{part[k]['f1']:.1f}"
            for k in ("PER", "ORG", "LOC", "untyped PER|ORG|LOC")
        ]
        label = f"{name} ({part['docs']})"
        print(f"{label:<14}" + "".join(f"{c:>20}" for c in cells))
    print("F1, 95% bootstrap interval (documents resampled, 1,000 draws)")
    for name in ("all", "develop", "held out"):
        part = result[name]
        cells = [
            f"{part[k]['f1']:.1f} [{lo:.1f}, {hi:.1f}]"
            for k in CONLL_KEYS
            for lo, hi in [part["f1_interval"][k]]
        ]
        label = f"{name} ({part['docs']})"
        print(f"{label:<14}" + "".join(f"{c:>20}" for c in cells))
    print(f"documents/second (analysis): {result['docs_per_second']}")


def quotes_dev_scores() -> dict[str, Any]:
    """Recall, precision and wrong attributions on the quotes-dev halves (empty without data)."""
    from bench import quotes_dev
    from brief.actors.quotes import MIN_CONFIDENCE

    if not quotes_dev.GOLD.exists() or not quotes_dev.SCORER.exists():
        return {}
    rows: dict[str, Any] = {"_": {"threshold": MIN_CONFIDENCE}}
    for half, label in (("dev", "develop (14)"), ("check", "kept back (6)"), ("all", "all (20)")):
        rows[label] = quotes_dev.score(quotes_dev.analysed(half), MIN_CONFIDENCE)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--details", action="store_true", help="list brief's actors and quotes")
    args = parser.parse_args(argv)
    if not GOLD.exists():
        print(f"reference data not found: {GOLD} (see ../shared/data/README.md)", file=sys.stderr)
        return 1
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    text = (REPO / gold["article"]).read_text(encoding="utf-8")
    texts: list[str] = []
    if CNNDM.exists():
        texts = [json.loads(line)["article"] for line in CNNDM.read_text().splitlines() if line]
    scores = []
    for name, system in (("brief", brief_system), ("baseline", baseline_system)):
        found = system(text)
        result = score(name, found, gold, text)
        if texts:
            wall, cpu = timed(system, texts)
            result.articles_per_second = round(wall, 1)
            result.articles_per_cpu_second = round(cpu, 1)
        scores.append(result)
        if args.details and name == "brief":
            details = found
    if texts:
        from brief.actors.analysis import analyse_text

        scores[0].analysis_per_second = round(speed(analyse_text, texts), 1)
    many = eval_texts()
    if many:
        scores[0].many_one_process = round(many_speed(many, 1), 1)
        scores[0].many_all_cores = round(many_speed(many, os.cpu_count() or 1), 1)
    conll = conll_scores()
    quotes_dev = quotes_dev_scores()
    if args.json:
        figures: dict[str, Any] = {
            "seed": [asdict(s) for s in scores],
            "quotes_dev": quotes_dev,
            "conll_dev": conll or {},
        }
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return 0
    rows = [
        ("reference actors found", "actors_found"),
        ("... with all aliases merged", "aliases_merged"),
        ("wrong merges (2+ actors in one)", "wrong_merges"),
        ("split actors (one in 2+)", "split_actors"),
        ("false actors (all ranks)", "false_actors"),
        (f"false actors in top {TOP}", "false_in_top"),
        ("furniture/credit as actor", "furniture_actors"),
        ("quotes credited correctly", "quotes_credited"),
        ("scare quotes given a speaker", "scare_quotes_as_speech"),
        ("articles/second (cnndm-dev)", "articles_per_second"),
        ("... per CPU-second", "articles_per_cpu_second"),
        ("... analysis alone", "analysis_per_second"),
        (f"analyse_many, {len(eval_texts())} articles, 1 process", "many_one_process"),
        (f"... on {os.cpu_count() or 1} cores", "many_all_cores"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{'metric':<{width}}  {'brief':>10}  {'baseline':>10}")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 10}")
    for label, key in rows:
        # (the baseline has no analysis of its own, nor a process pool)
        values = [
            "-"
            if key in ("analysis_per_second", "many_one_process", "many_all_cores")
            and not getattr(s, key)
            else str(getattr(s, key))
            for s in scores
        ]
        print(f"{label:<{width}}  {values[0]:>10}  {values[1]:>10}")
    for s in scores:
        if s.missed or s.false_top or s.wrong_quotes:
            print(
                f"\n{s.system}: missed {s.missed or '-'}; false in top {TOP}: {s.false_top or '-'}"
            )
            for line in s.wrong_quotes[:13]:
                print(f"  quote {line}")
    print_conll(conll)
    if quotes_dev:
        print("\nquotes-dev (threshold {threshold}):".format(**quotes_dev.pop("_")))
        print(f"  {'half':<16}  {'gold':>4}  {'recall':>7}  {'precision':>9}  {'wrong':>5}")
        for half, row in quotes_dev.items():
            print(
                f"  {half:<16}  {row['gold']:>4}  {row['recall']:>6}%  {row['precision']:>8}%  "
                f"{row['wrong']:>5}"
            )
    if args.details:
        print("\nbrief's ranking:")
        for rank, actor in enumerate(details.actors, 1):
            print(f"  {rank:2}. {actor.name}  ({', '.join(sorted(actor.forms - {actor.name}))})")
        print("\nbrief's quotes:")
        for quote_text, speaker in details.quotes:
            print(f"  {speaker or '-':<18} {quote_text[:70]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

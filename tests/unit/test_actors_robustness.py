"""No article text can stop the actor analysis: bounded work, no deep recursion, errors degrade."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brief import cli
from brief.actors import analysis
from brief.actors.analysis import Budget, analyse_text, within_budget
from brief.actors.detect import detect

SMITHS = "Smith " * 1000  # the audit's 6 KB entry


def test_a_thousand_repeated_names_do_not_recurse() -> None:
    result = analyse_text(SMITHS)
    assert result.note is None  # analysed, not degraded
    detection = detect("Smith " * 5000)  # five times the default recursion limit
    assert detection.mentions == () or all(m.surface == "Smith" for m in detection.mentions)


def test_brief_actors_json_on_the_repeated_name_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "smith.txt"
    path.write_text(SMITHS, encoding="utf-8")
    assert cli.main(["actors", "--json", str(path)]) == 0
    assert "actors" in json.loads(capsys.readouterr().out)


def test_brief_run_writes_the_briefing_with_the_repeated_name_entry(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "smith.txt").write_text(f"Smith and Smith\n\n{SMITHS}\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[sources]\nlocal = ["{folder}"]\n', encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["--config", str(config), "run", "--output", str(out)]) in (0, 3)
    assert list(out.glob("*.md"))


def test_text_over_the_character_budget_is_read_from_its_start() -> None:
    text = "Angela Merkel met Emmanuel Macron in Paris. " * 100
    budget = Budget(max_chars=1_000, max_sentences=1_000)
    read, note = within_budget(text, budget)
    assert text.startswith(read) and len(read) <= 1_000 and not read.endswith(" Pa")
    assert note is not None and f"{len(text):,}" in note
    result = analyse_text(text, budget=budget)
    assert result.mentions and all(m.end <= len(read) for m in result.mentions)
    assert result.note == note


def test_text_over_the_sentence_budget_is_cut_after_the_last_sentence() -> None:
    text = "Angela Merkel spoke. " * 50
    read, note = within_budget(text, Budget(max_chars=100_000, max_sentences=10))
    assert read == "Angela Merkel spoke. " * 9 + "Angela Merkel spoke."
    assert note is not None
    assert within_budget("Angela Merkel spoke.", Budget(10_000, 10)) == (
        "Angela Merkel spoke.",
        None,
    )


def test_an_analysis_error_degrades_the_article_not_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(analysis, "detect", broken)
    result = analyse_text("Angela Merkel met Emmanuel Macron.")
    assert result.actors == () and result.mentions == () and result.quotes == ()
    assert result.note == "actor analysis failed: RecursionError"
    # The note survives the cache's JSON.
    assert analysis.from_json(analysis.to_json(result)).note == result.note


_NAMES = st.sampled_from(["Smith", "Xi", "Mr.", "U.S.", "President", "Bank", "of", "the", "New"])
_PATHOLOGICAL = st.one_of(
    st.builds(lambda w, n: (w + " ") * n, _NAMES, st.integers(1, 3000)),  # repeated names
    st.builds(lambda c, n: c * n, st.sampled_from("Aa.x-’'"), st.integers(1, 50_000)),  # no spaces
    st.builds(lambda n: '"' * n, st.integers(1, 100_000)),  # quote marks
    st.builds(lambda n: "“" * n + "”" * n, st.integers(1, 20_000)),
    st.builds(lambda n: "(" * n + "Smith" + ")" * n, st.integers(1, 20_000)),  # nested brackets
    st.builds(lambda n: "[Xi (Putin {Biden " * n, st.integers(1, 3_000)),
    st.builds(  # one huge line of sentences with quotes and names
        lambda n: 'Mr. Smith said "Yes, the U.S. Bank of China." ' * n, st.integers(1, 3_000)
    ),
    st.text(alphabet=st.sampled_from(list("AZaz .,\"“”‘’()-\n'MrDr")), max_size=3_000),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_PATHOLOGICAL)
def test_pathological_text_is_analysed_without_exception(text: str) -> None:
    # Time per megabyte is measured in bench/robustness.py, not asserted here.
    result = analysis._analysed(text, "a", ())
    assert result.note is None or not result.note.startswith("actor analysis failed")
    for mention in result.mentions:
        assert text[mention.start : mention.end] == mention.surface


def test_an_article_over_the_actor_budget_is_named_in_the_sources_section(tmp_path: Path) -> None:
    """The degraded article says so in one line of the briefing's Sources section."""
    folder = tmp_path / "articles"
    folder.mkdir()
    sentence = "Minister Ada Kestrel said the harbour would reopen on Monday after repairs. "
    body = sentence * (analysis.DEFAULT_BUDGET.max_chars // len(sentence) + 50)
    path = folder / "harbour.txt"
    path.write_text(f"Harbour to reopen\n\n{body}\n", encoding="utf-8")
    # Dated like the tests' pinned "now", so the article is in today's window.
    now = datetime.fromisoformat(os.environ["BRIEF_NOW"]).timestamp()
    os.utime(path, (now, now))
    config = tmp_path / "config.toml"
    config.write_text(f'[sources]\nlocal = ["{folder}"]\n', encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["--config", str(config), "run", "--offline", "--output", str(out)]) in (0, 3)
    (written,) = out.glob("*.md")
    sources = written.read_text(encoding="utf-8").partition("## Sources")[2]
    assert "actors of 'Harbour to reopen': actors read from the first" in sources

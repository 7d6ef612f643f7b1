"""`brief summarize`: files, stdin, lengths, algorithms and clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from brief import cli
from brief.paths import bundled_dir

SEED = bundled_dir("seeds") / "globe-xi-russia-visit.txt"


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.strip().splitlines()


def test_summarize_seed_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["summarize", str(SEED), "-n", "2", "-a", "lead"]) == 0
    lines = _lines(capsys)
    assert lines[0].startswith("Chinese President Xi Jinping is flying to Russia")
    assert len(lines) == 2
    assert all("Skip to main content" not in line for line in lines)


def test_summarize_each_line_is_a_sentence_of_the_input(capsys: pytest.CaptureFixture[str]) -> None:
    body = " ".join(SEED.read_text(encoding="utf-8").split())
    assert cli.main(["summarize", str(SEED), "-a", "lexrank", "-n", "3"]) == 0
    lines = _lines(capsys)
    assert len(lines) == 3
    for line in lines:
        assert line in body


def test_summarize_percentage(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["summarize", str(SEED), "-a", "luhn", "-n", "50%"]) == 0
    assert 6 <= len(_lines(capsys)) <= 14


def test_summarize_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "First point is here. Second point follows it. Third point ends the text."
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert cli.main(["summarize", "-", "-a", "lead", "-n", "1"]) == 0
    assert _lines(capsys) == ["First point is here."]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summarize", "/no/such/file.txt"], "no such file"),
    ],
)
def test_summarize_errors_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "options", [["-n", "0"], ["-n", "-2"], ["-n", "150%"], ["-n", "many"], ["-a", "gpt"]]
)
def test_summarize_bad_options_are_usage_errors(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["summarize", str(SEED), *options])
    assert exited.value.code == 2
    assert options[1] in capsys.readouterr().err


ARTICLE_PAGE = (
    b"<html><head><title>Harbour reopens after storm</title></head><body>"
    b"<nav>Home | World | Sport</nav><article><h1>Harbour reopens after storm</h1>"
    b"<p>The harbour reopened on Wednesday after a storm closed it for a week.</p>"
    b"<p>Ferries resumed their normal timetable, the port authority said in a statement.</p>"
    b"<p>Fishermen said the closure had cost them thousands of euros in lost catches.</p>"
    b"</article><footer>Copyright 2026 Example</footer></body></html>"
)


def test_summarize_url_from_a_local_server(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.httpserver import FeedServer, Reply

    with FeedServer() as server:
        url = server.add("/story", Reply(ARTICLE_PAGE, content_type="text/html; charset=utf-8"))
        missing = server.url("/gone")
        assert cli.main(["summarize", url, "-a", "lead", "-n", "2"]) == 0
        assert _lines(capsys) == [
            "The harbour reopened on Wednesday after a storm closed it for a week.",
            "Ferries resumed their normal timetable, the port authority said in a statement.",
        ]
        assert cli.main(["summarize", missing]) == 1
        err = capsys.readouterr().err
        assert "HTTP 404" in err and err.count("\n") == 1


# Invented text: three sentences of 9, 9 and 10 words.
BUDGET_TEXT = (
    "The council opened the new bridge on Monday morning. "
    "Traffic crossed it within minutes of the short ceremony. "
    "Engineers said the span would carry trucks from next spring."
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("words", "expected"),
    [("8", 1), ("17", 1), ("18", 2), ("27", 2), ("28", 3), ("0", 3)],
)
def test_summarize_words_is_a_word_budget(
    tmp_path: Path, words: str, expected: int, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path, "bridge.txt", BUDGET_TEXT)
    assert cli.main(["summarize", str(source), "-a", "lead", "-n", "3", "--words", words]) == 0
    lines = _lines(capsys)
    # Whole sentences in order; the first stays even over the budget.
    assert lines == [s.strip() + "." for s in BUDGET_TEXT.split(".")[:expected]]


def test_summarize_takes_the_word_budget_from_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path, "bridge.txt", BUDGET_TEXT)
    config = _write(tmp_path, "config.toml", '[summary]\nalgorithm = "lead"\nwords = 18\n')
    assert cli.main(["--config", str(config), "summarize", str(source)]) == 0
    assert len(_lines(capsys)) == 2
    # An explicit length is not cut by the config's budget; --words still applies.
    assert cli.main(["--config", str(config), "summarize", str(source), "-n", "3"]) == 0
    assert len(_lines(capsys)) == 3
    assert cli.main(["--config", str(config), "summarize", str(source), "--words", "8"]) == 0
    assert len(_lines(capsys)) == 1


@pytest.mark.parametrize("value", ["-1", "many", "7.5", ""])
def test_summarize_bad_words_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["summarize", str(SEED), "--words", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--words" in err and "whole number of words" in err

"""`brief summarize`: files, stdin, lengths, algorithms and clear errors."""

from __future__ import annotations

import io

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

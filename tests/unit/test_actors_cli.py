"""`brief actors`: the day's actors with counts, and `--json` for one text (scripts, scoring)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from brief import cli
from brief.paths import bundled_dir

SEED = bundled_dir("seeds") / "globe-xi-russia-visit.txt"


def test_actors_lists_the_days_actors_with_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["actors"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["mentions", "articles", "sources", "kind", "actor"]
    rows = {line.split(None, 4)[4]: line.split(None, 4)[:4] for line in out[1:]}
    names = {label.split(" (")[0] for label in rows}
    assert {"Xi Jinping", "Vladimir Putin", "China", "Russia", "Maria Zakharova"} <= names
    russia = next(v for k, v in rows.items() if k.startswith("Russia"))
    assert russia[3] == "state" and int(russia[0]) >= 20
    assert any(
        label.startswith("Joseph Webster (senior fellow, Atlantic Council)") for label in rows
    )


def test_actors_for_a_day_without_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[sources]\nlocal = ["{tmp_path / "empty"}"]\n', encoding="utf-8")
    (tmp_path / "empty").mkdir()
    assert cli.main(["--config", str(config), "actors", "--date", "2026-11-20"]) == 0
    assert "no actors" in capsys.readouterr().out


def test_actors_json_for_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["actors", "--json", str(SEED)]) == 0
    data = json.loads(capsys.readouterr().out)
    text = SEED.read_text(encoding="utf-8")
    actors = {a["name"]: a for a in data["actors"]}
    xi = actors["Xi Jinping"]
    assert xi["kind"] == "person" and "Mr. Xi" in xi["aliases"]
    assert actors["Russia"]["kind"] == "state"
    for actor in data["actors"]:
        for mention in actor["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    assert len(data["quotes"]) >= 13
    for quote in data["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]
    assert {"Maria Zakharova", "Joseph Webster", "Patricia M. Kim"} <= {
        q["speaker"] for q in data["quotes"]
    }


def test_actors_json_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("“We will win,” Ms. Ortiz said in Madrid."))
    assert cli.main(["actors", "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {a["name"] for a in data["actors"]} == {"Spain", "Ortiz"}
    assert data["quotes"] == [
        {"text": "We will win", "speaker": "Ortiz", "start": 1, "end": 12, "confidence": 0.95}
    ]


def test_actors_json_uses_the_watchlist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[[actors.watch]]\nname = "Xi Jinping"\nkind = "person"\naliases = ["Xi"]\n',
        encoding="utf-8",
    )
    text = tmp_path / "t.txt"
    text.write_text("Xi arrived late.", encoding="utf-8")
    assert cli.main(["--config", str(config), "actors", "--json", str(text)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["actors"][0]["name"] == "Xi Jinping" and data["actors"][0]["watched"] is True


def test_actors_json_missing_file_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["actors", "--json", "/no/such/file.txt"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such file" in err[0]

"""Config: defaults, validation messages (one line each), saving, and `brief config`."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from brief import cli
from brief.config import (
    Config,
    FeedConfig,
    WatchedActor,
    default_config_text,
    init_config,
    load_config,
    replace_section,
    save_config,
)
from brief.errors import ConfigError

BAD_CONFIGS = sorted((Path(__file__).parent.parent / "data" / "bad-configs").glob("*.toml"))


def _expectation(path: Path) -> tuple[str, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    kind, _, message = first.removeprefix("# ").partition(": ")
    return kind, message


@pytest.mark.parametrize("bad", BAD_CONFIGS, ids=[p.stem for p in BAD_CONFIGS])
def test_bad_config_gives_one_exact_line(bad: Path, tmp_path: Path) -> None:
    target = tmp_path / bad.name
    target.write_text(bad.read_text(encoding="utf-8"), encoding="utf-8")
    kind, message = _expectation(bad)
    with pytest.raises(ConfigError) as raised:
        load_config(target)
    text = str(raised.value)
    assert "\n" not in text
    expected = message.replace("{file}", str(target))
    if kind == "expect":
        assert text == expected
    else:
        assert text.startswith(expected)


@pytest.mark.parametrize("bad", BAD_CONFIGS[:4], ids=[p.stem for p in BAD_CONFIGS[:4]])
def test_bad_config_exits_2_and_writes_nothing(
    bad: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "config.toml"
    target.write_text(bad.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "briefings"
    code = cli.main(["--config", str(target), "run", "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and str(target) in err
    assert not out.exists()


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    config = load_config()
    assert config == Config()
    assert config.path is not None and not config.path.exists()


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_env_var_and_flag_choose_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / "env.toml"
    env_file.write_text('[briefing]\ntitle = "From env"\n', encoding="utf-8")
    flag_file = tmp_path / "flag.toml"
    flag_file.write_text('[briefing]\ntitle = "From flag"\n', encoding="utf-8")
    monkeypatch.setenv("BRIEF_CONFIG", str(env_file))
    assert load_config().briefing.title == "From env"
    assert load_config(flag_file).briefing.title == "From flag"


def test_default_toml_documents_exactly_the_defaults() -> None:
    text = default_config_text()
    parsed = load_config_text(text)
    assert parsed == Config()
    # Every key has a comment line directly above it or a section comment.
    data = tomllib.loads(text)
    for section, values in data.items():
        for key in values:
            assert f"{key} =" in text, (section, key)


def load_config_text(text: str) -> Config:
    from brief.config import parse_config

    return parse_config(text, Path("default.toml"))


def test_every_config_field_is_in_default_toml() -> None:
    data = tomllib.loads(default_config_text())

    def walk(cls: type, where: dict[str, object], prefix: str) -> None:
        for f in dataclasses.fields(cls):
            # Lists of tables are shown as commented examples: no default entry to find.
            tables = ("feeds", "watch", "folders") + (
                ("sections", "briefings") if cls is Config else ()
            )
            if f.metadata.get("internal") or f.name in tables:
                continue
            assert f.name in where, f"{prefix}{f.name} missing from config/default.toml"
            if dataclasses.is_dataclass(f.default):
                walk(type(f.default), where[f.name], f"{prefix}{f.name}.")  # type: ignore[arg-type]

    walk(Config, data, "")


def test_save_load_round_trip_and_bak(tmp_path: Path) -> None:
    file = tmp_path / "cfg" / "config.toml"
    config = Config(
        feeds=(FeedConfig(url="https://example.com/rss", name="Ex", tags=("world",)),),
    )
    config = replace_section(config, "summary", sentences=5, ratio=0.25)
    config = replace_section(
        config, "actors", watch=(WatchedActor(name="Xi Jinping", aliases=("Mr. Xi",)),)
    )
    save_config(config, file)
    assert load_config(file) == config
    assert not file.with_name("config.toml.bak").exists()
    changed = replace_section(config, "briefing", title="Evening briefing")
    save_config(changed, file)
    assert load_config(file).briefing.title == "Evening briefing"
    assert load_config(file.with_name("config.toml.bak")) == config
    leftovers = [p for p in file.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_save_refuses_an_invalid_config_and_keeps_the_file(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    save_config(Config(), file)
    before = file.read_bytes()
    bad = replace_section(Config(), "summary", sentences=0)
    with pytest.raises(ConfigError):
        save_config(bad, file)
    assert file.read_bytes() == before


def test_init_writes_commented_starter_and_refuses_overwrite(tmp_path: Path) -> None:
    file = tmp_path / "new" / "config.toml"
    assert init_config(file) == file
    text = file.read_text(encoding="utf-8")
    assert text == default_config_text() and text.count("#") > 20
    file.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="already exists"):
        init_config(file)
    assert file.read_text(encoding="utf-8") == "# mine\n"


def test_config_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "c.toml"
    assert cli.main(["--config", str(file), "config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(file)
    assert cli.main(["--config", str(file), "config", "init"]) == 0
    assert cli.main(["--config", str(file), "config", "check"]) == 0
    assert capsys.readouterr().out.strip().endswith(": ok")
    assert cli.main(["--config", str(file), "config", "show"]) == 0
    shown = tomllib.loads(capsys.readouterr().out)
    assert shown["summary"]["sentences"] == 3
    assert cli.main(["--config", str(file), "config", "init"]) == 2
    file.write_text("[summary]\nsentences = 0\n", encoding="utf-8")
    assert cli.main(["--config", str(file), "config", "check"]) == 2
    assert cli.main(["--config", str(file), "config", "path"]) == 0

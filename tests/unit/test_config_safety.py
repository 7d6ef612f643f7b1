"""Issue 12 items 6 and 8: config edits never lose data, and `config check` rejects what `run`
cannot honour."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import brief.config as config_module
from brief.cli import main
from brief.config import Config, FeedConfig, load_config, save_config
from brief.errors import ConfigError


def test_ten_concurrent_feed_adds_all_survive(tmp_path: Path) -> None:
    config = tmp_path / "config" / "config.toml"
    env = {**os.environ, "BRIEF_CONFIG": str(config)}
    urls = [f"https://example.com/feed-{n}.xml" for n in range(10)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "brief", "feeds", "add", "--no-check", url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for url in urls
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    saved = load_config(config)
    assert sorted(feed.url for feed in saved.feeds) == sorted(urls)


@pytest.mark.parametrize("crash_at", [0, 1])
def test_a_crash_during_save_always_leaves_a_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_at: int
) -> None:
    file = tmp_path / "config.toml"
    old = Config(feeds=(FeedConfig(url="https://example.com/old.xml"),))
    save_config(old, file)
    real_replace = os.replace
    calls = 0

    def dying_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        nonlocal calls
        calls += 1
        if calls - 1 == crash_at:
            raise KeyboardInterrupt  # the process dies here
        real_replace(src, dst)

    monkeypatch.setattr(config_module.os, "replace", dying_replace)
    new = Config(feeds=(FeedConfig(url="https://example.com/new.xml"),))
    with pytest.raises(KeyboardInterrupt):
        save_config(new, file)
    monkeypatch.setattr(config_module.os, "replace", real_replace)
    assert file.exists()
    assert load_config(file).feeds in (old.feeds, new.feeds)
    assert not list(tmp_path.glob(".config.toml.*.tmp"))  # no temp files left behind


def test_save_keeps_the_previous_file_as_bak(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    first = Config(feeds=(FeedConfig(url="https://example.com/1.xml"),))
    second = Config(feeds=(FeedConfig(url="https://example.com/2.xml"),))
    save_config(first, file)
    save_config(second, file)
    assert load_config(file).feeds == second.feeds
    assert load_config(tmp_path / "config.toml.bak").feeds == first.feeds


def test_a_missing_config_beside_its_bak_is_an_error_not_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = Path(os.environ["BRIEF_CONFIG"])
    save_config(Config(feeds=(FeedConfig(url="https://example.com/1.xml"),)), file)
    save_config(Config(feeds=(FeedConfig(url="https://example.com/2.xml"),)), file)
    file.unlink()  # what a crash between the old save's two renames left
    with pytest.raises(ConfigError, match=r"missing but its backup config\.toml\.bak exists"):
        load_config()
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "config.toml.bak" in err and "mv " in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("store", "retention_days", "36500"),
        ("briefing", "window_hours", "87600"),
        ("fetch", "concurrency", "256"),
        ("fetch", "min_interval_minutes", "525600"),
    ],
)
def test_the_largest_accepted_values_run(
    tmp_path: Path, section: str, key: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file = Path(os.environ["BRIEF_CONFIG"])
    file.parent.mkdir(parents=True, exist_ok=True)
    # A feed on a closed local port: the run fetches (retention purge, intervals) and goes on.
    file.write_text(
        f'[{section}]\n{key} = {value}\n\n[[feeds]]\nurl = "http://127.0.0.1:9/feed.xml"\n'
    )
    assert main(["config", "check"]) == 0
    capsys.readouterr()
    code = main(["run"])
    captured = capsys.readouterr()
    assert code in (0, 3), captured.err
    assert "internal error" not in captured.err
    assert Path(captured.out.strip()).is_file()

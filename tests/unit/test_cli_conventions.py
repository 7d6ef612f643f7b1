"""The CLI's conventions: --json reports, -v/-q, help on every argument, shell completion."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from brief import cli
from brief.cli_args import build_parser
from tests.httpserver import FeedServer, Reply, rss
from tests.unit.test_feeds_cli import stories, write_config

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def config_file(private_env: Path) -> Path:
    path = Path(os.environ["BRIEF_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_fetch_json_names_what_was_fetched_and_what_failed(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FeedServer() as server:
        url = server.add("/f.rss", Reply(rss("F", stories("f", 2))))
        write_config(config_file, [(url, "Feed F"), (server.url("/gone"), "Gone")])
        assert cli.main(["fetch", "--json"]) == 3
        report = json.loads(capsys.readouterr().out)
        assert cli.main(["fetch", "--json"]) == 3
        again = json.loads(capsys.readouterr().out)
    by_name = {f["name"]: f for f in report["feeds"]}
    assert by_name["Feed F"]["state"] == "fetched" and by_name["Feed F"]["added"] == 2
    assert by_name["Feed F"]["url"] == url and by_name["Feed F"]["error"] is None
    assert by_name["Gone"]["state"] == "failed" and "404" in by_name["Gone"]["error"]
    assert report["failed"] == ["Gone"] and report["added"] == 2
    # The second fetch adds nothing new (same entries, conditional GET or same GUIDs).
    assert again["added"] == 0


def test_feeds_list_json_has_every_feed_with_its_health(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FeedServer() as server:
        url = server.add("/f.rss", Reply(rss("F", stories("f", 1))))
        write_config(config_file, [(url, "Feed F"), (server.url("/gone"), "Gone")])
        assert cli.main(["feeds", "list", "--json"]) == 0
        before = json.loads(capsys.readouterr().out)
        cli.main(["fetch"])
        capsys.readouterr()
        assert cli.main(["feeds", "list", "--json"]) == 0
        after = json.loads(capsys.readouterr().out)
    assert [f["url"] for f in before] == [url, server.url("/gone")]
    assert all(f["last_success"] is None for f in before)
    feed, gone = after
    assert feed["ok"] and feed["last_success"] and feed["articles"] == 1 and feed["status"] == 200
    assert not gone["ok"] and "404" in gone["error"]


def test_run_json_reports_the_file_and_the_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "briefings"
    assert cli.main(["run", "--offline", "--json", "--output", str(out)]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    path = Path(report["path"])
    assert path.parent == out and path.is_file() and report["replaced_name"] is True
    assert report["articles"] > 0 and report["stories"] > 0 and report["failed"] == []
    assert [s["kind"] for s in report["sources"]] == ["local"]
    assert report["day"] == "2026-11-28"
    # A second run writes beside the first and says so.
    assert cli.main(["run", "--offline", "--json", "--output", str(out)]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["path"] != report["path"] and second["replaced_name"] is False


def test_quiet_hides_warnings_and_verbose_adds_debug(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.write_text("[sources]\nlocal = []\n", encoding="utf-8")
    assert cli.main(["fetch"]) == 0
    assert "warning: no feeds configured" in capsys.readouterr().err
    assert cli.main(["-q", "fetch"]) == 0
    assert "warning: no feeds configured" in capsys.readouterr().err
    assert cli.main(["-qq", "fetch"]) == 0
    assert capsys.readouterr().err == ""
    assert cli.main(["-v", "fetch"]) == 0
    err = capsys.readouterr().err
    assert f"brief: debug: config: {config_file}" in err and "no feeds configured" in err


def test_quiet_drops_the_summary_but_still_reports_errors(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FeedServer() as server:
        write_config(config_file, [(server.url("/gone"), "Gone")])
        assert cli.main(["fetch"]) == 3
        assert "brief: fetched 1 feed" in capsys.readouterr().err
        for quiet in ("-q", "-qq"):
            assert cli.main([quiet, "fetch", "--force"]) == 3
            err = capsys.readouterr().err
            assert err.strip() == "brief: feed failed: Gone: HTTP 404 Not Found"


def _every_parser(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:  # argparse has no public walk of its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.extend(_every_parser(child))
    return found


def test_every_argument_has_help_and_every_command_examples() -> None:
    parsers = _every_parser(build_parser())
    assert len(parsers) > 10
    for parser in parsers:
        for action in parser._actions:
            assert action.help, f"{parser.prog}: {action.option_strings or action.dest} has no help"
        has_subcommands = any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)
        if not has_subcommands or parser.prog == "brief":
            assert parser.epilog and "examples:" in parser.epilog, f"{parser.prog}: no examples"
            assert parser.prog.removeprefix("brief ") in parser.epilog or parser.prog == "brief"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_for_each_shell(
    shell: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "config").mkdir(exist_ok=True)
    # A broken config must not break completion.
    Path(os.environ["BRIEF_CONFIG"]).write_text("[broken", encoding="utf-8")
    assert cli.main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "_ARGCOMPLETE" in script and "brief" in script


def _bash_complete(line: str, tmp_path: Path) -> list[str]:
    """What bash offers for ``line`` after sourcing ``brief completion bash``."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    # The completion script calls `brief` by name: put this venv's brief first on PATH.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    launcher = bin_dir / "brief"
    launcher.write_text(f'#!/bin/sh\nexec {sys.executable} -m brief "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    words = line.split(" ")
    script = (
        'eval "$(brief completion bash)"\n'
        f"COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        f"_python_argcomplete brief {words[-1]!r} {words[-2]!r}\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [bash, "-c", script], capture_output=True, text=True, env=env, timeout=60, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    return sorted(w.strip() for w in done.stdout.splitlines() if w.strip())


def test_bash_completes_commands_and_their_arguments(tmp_path: Path) -> None:
    assert _bash_complete("brief fe", tmp_path) == ["feeds", "fetch"]
    assert _bash_complete("brief feeds l", tmp_path) == ["list"]
    assert _bash_complete("brief completion z", tmp_path) == ["zsh"]

"""`brief --help` and a command's --help load no config machinery: start-up is what users feel."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

# brief.config brings platformdirs and tomllib; json and dataclasses serve a few commands only.
NOT_FOR_HELP = ("brief.config", "platformdirs", "tomllib", "json", "dataclasses")


@pytest.mark.parametrize("argv", [["--help"], ["fetch", "--help"], ["run", "--help"]])
def test_help_loads_no_config_machinery(argv: list[str]) -> None:
    probe = (
        "import sys\n"
        "from brief.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        f"print(sorted(m for m in {NOT_FOR_HELP!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage: brief" in done.stdout
    assert ast.literal_eval(done.stderr.strip().splitlines()[-1]) == []


def test_a_command_still_reads_and_checks_its_config(tmp_path: Path) -> None:
    bad = tmp_path / "brief.toml"
    bad.write_text("[fetch\n")
    env = dict(os.environ, BRIEF_CONFIG=str(bad), BRIEF_DATA_DIR=str(tmp_path / "data"))
    probe = "from brief.cli import main\nraise SystemExit(main(['fetch']))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 2, done.stderr
    assert "config error" in done.stderr and "brief.toml" in done.stderr

"""The wheel is what a user installs: build it, install it into a fresh venv, run it there.

Offline: the wheel is built with the hatchling of this test environment (no build isolation,
no download) and installed with ``--no-deps``; the fresh venv sees this environment's
installed dependencies through a ``.pth`` line (not brief itself: this environment's
editable ``brief`` is a ``.pth`` file, and ``.pth`` files in a directory added that way are
not read). brief then runs from outside the source tree, so only the wheel can supply it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from brief import __version__

REPO = Path(__file__).resolve().parents[2]
DISTRIBUTION = "brief-news"
GOLDEN = REPO / "tests" / "data" / "golden" / "seed-briefing.md"

pytestmark = pytest.mark.slow


def _run(*argv: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    assert done.returncode == 0, f"{argv}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="hatchling (the dev extra) builds the wheel")
    dist = tmp_path_factory.mktemp("dist")
    _run(
        sys.executable,
        *("-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"),
        *("--wheel-dir", dist, REPO),
    )
    (built,) = dist.glob("*.whl")
    return built


def test_the_wheel_is_named_brief_news_and_carries_the_bundled_data(wheel: Path) -> None:
    assert wheel.name.startswith(f"brief_news-{__version__}-py3-none-any")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"brief_news-{__version__}.dist-info/METADATA").decode()
        entry_points = archive.read(f"brief_news-{__version__}.dist-info/entry_points.txt")
    assert f"Name: {DISTRIBUTION}\n" in metadata
    assert b"brief = brief.cli:main" in entry_points
    assert "brief/__main__.py" in names
    assert "brief/_data/config/default.toml" in names
    assert any(n.startswith("brief/_data/seeds/") and n.endswith(".txt") for n in names)
    assert any(n.startswith("brief/_data/themes/") for n in names)
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
    # syntok is for the benchmark and tests only: required by the dev extra, not by brief.
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert [r for r in requires if "syntok" in r] == ["Requires-Dist: syntok>=1.4; extra == 'dev'"]
    assert any(r.startswith("Requires-Dist: python-frontmatter") for r in requires)


def test_the_installed_wheel_writes_a_briefing_from_its_bundled_seed(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip()
    )
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    _run(
        sys.executable,
        *("-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index"),
        wheel,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["BRIEF_CONFIG"] = str(tmp_path / "no-config.toml")  # none: the defaults, @seeds
    where = _run(python, "-c", "import brief; print(brief.__file__)", cwd=elsewhere, env=env)
    assert Path(where.stdout.strip()).is_relative_to(site), "brief did not come from the wheel"

    done = _run(venv / "bin" / "brief", "run", "--offline", cwd=elsewhere, env=env)
    path = Path(done.stdout.strip())
    assert path.is_file() and path.is_relative_to(Path(env["BRIEF_OUTPUT_DIR"]))
    # The same briefing the source tree writes from the seed (the golden file).
    assert path.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")

    version = _run(python, "-m", "brief", "--version", cwd=elsewhere, env=env)
    assert version.stdout.strip() == f"brief {__version__}"

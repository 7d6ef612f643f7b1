"""Issue 12 items 4 and 10: what an articles folder may hold besides articles.

FIFOs, devices and links to them, oversized files, symlink loops, UTF-16 text,
folders that cannot be listed and file names carrying escape sequences: each is
read or skipped with one line, and the run always ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from brief.collect.local import MAX_FILE_BYTES, collect_local

ARTICLE = "Tram network grows\n\nThe council voted to expand the tram network. Twelve stops.\n"
REPO = Path(__file__).resolve().parents[2]


def _collect_in_subprocess(folder: Path) -> dict[str, object]:
    """collect_local in a child process, so a blocking read fails the test instead of hanging it."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from brief.collect.local import collect_local\n"
        "articles, health = collect_local([Path(sys.argv[1])])\n"
        "print(json.dumps({'titles': sorted(a.title for a in articles),"
        " 'warnings': list(health[0].warnings), 'error': health[0].error}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_special_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(folder / "x.txt")  # a FIFO nobody writes to: opening it blocks
    (folder / "zero.txt").symlink_to("/dev/zero")  # endless NUL bytes, size 0
    (folder / "random.md").symlink_to("/dev/urandom")
    (folder / "big.txt").write_bytes(b"word " * (MAX_FILE_BYTES // 5 + 1))
    (folder / "self.txt").symlink_to(folder / "self.txt")  # a link to itself
    (folder / "loop").symlink_to(folder)  # a folder link back up the tree
    result = _collect_in_subprocess(folder)
    assert result["titles"] == ["Tram network grows"]  # read once, not again via loop/
    warnings = "\n".join(result["warnings"])  # type: ignore[arg-type]
    assert "x.txt: a FIFO, not an article file" in warnings
    assert "zero.txt: a device, not an article file" in warnings
    assert "random.md: a device, not an article file" in warnings
    assert "big.txt: larger than 5 MB" in warnings
    assert "self.txt: cannot read" in warnings
    assert len(result["warnings"]) == 5  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_utf16_and_utf32_files_are_read_as_text(tmp_path: Path, encoding: str) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    text = ARTICLE.replace("Twelve", "Zwölf — twelve")
    (folder / "a.txt").write_bytes(text.encode(encoding))
    articles, health = collect_local([folder])
    assert health[0].warnings == ()
    assert [a.title for a in articles] == ["Tram network grows"]
    assert "Zwölf — twelve stops." in articles[0].text


def test_binary_files_are_still_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_bytes(bytes(range(256)) * 8)
    articles, health = collect_local([folder])
    assert articles == [] and health[0].warnings[0].endswith("binary file, not text")


def _unlistable_folder(base: Path) -> tuple[Path, str]:
    """A subfolder of ``base`` that cannot be listed, and the reason the walk will give.

    Unprivileged: a folder without read permission.  Root reads every folder,
    so there it is one whose full path is longer than the system allows
    (built with relative ``mkdir`` calls, which have no such limit).
    """
    if os.geteuid() != 0:
        locked = base / "locked"
        locked.mkdir()
        (locked / "hidden.txt").write_text(ARTICLE, encoding="utf-8")
        locked.chmod(0o000)
        return locked, "Permission denied"
    fd = os.open(base, os.O_RDONLY)
    try:
        for _ in range(30):  # 30 x 200 characters: past PATH_MAX (4096)
            os.mkdir("d" * 200, dir_fd=fd)
            child = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
    finally:
        os.close(fd)
    return base / ("d" * 200), "File name too long"


def test_an_unreadable_subfolder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    locked, reason = _unlistable_folder(folder)
    try:
        articles, health = collect_local([folder])
    finally:
        locked.chmod(0o755)
    assert [a.title for a in articles] == ["Tram network grows"]
    assert any(f"folder skipped: {reason}" in w for w in health[0].warnings), health[0].warnings


def test_escape_sequences_in_names_and_text_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from brief.cli import main

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "evil\x1b]0;pwned\x07.txt").write_bytes(b"")  # empty: skipped, named on stderr
    article = folder / "title.txt"
    article.write_text(
        "Headline \x1b[2J\x1b]52;c;ZXZpbA==\x07 here\n\nThe board met \x1b[31mtoday\x1b[0m. "
        "It agreed a plan.\n",
        encoding="utf-8",
    )
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[sources]\nlocal = ["{folder}"]\n')
    assert main(["run"]) in (0, 3)
    assert main(["summarize", str(article)]) == 0
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert "\x1b" not in stream and "\x07" not in stream
    assert "evil\\x1b]0;pwned\\x07.txt: empty file" in captured.err
    assert "\\x1b[31mtoday" in captured.out

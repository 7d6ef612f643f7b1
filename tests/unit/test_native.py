"""brief/native: the compiled analysis is used only for the sources it was built from, and
reads every text exactly as the plain Python does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from brief import native
from tests.conftest import REPO, SHARED_DATA


def _run(
    code: str, env: dict[str, str] | None = None, path: Path | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter (brief imported from ``path``, default the repo)."""
    full = {**os.environ, **(env or {})}
    full["PYTHONPATH"] = str(path or REPO)
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        env=full,
        cwd=path or REPO,
    )
    assert done.returncode == 0, done.stderr
    return done


def _python(code: str, env: dict[str, str] | None = None, path: Path | None = None) -> str:
    """What ``code`` prints, run as :func:`_run` runs it."""
    return _run(code, env, path).stdout


def _fake_build(folder: Path, content: bytes) -> list[str]:
    """A build's files in ``folder``, each holding ``content`` (no manifest); their modules."""
    names = [*native.MODULES, native.GROUP + "__mypyc"]
    for name in names:
        path = native.extension_path(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return names


_WHERE = (
    "import brief, brief.native as n, brief.actors.scan as s, brief.text.clean as c; "
    "n.active(); print(s.__file__); print(c.__file__); print(n.state['status'])"
)


def test_every_compiled_module_has_its_source() -> None:
    for module in native.MODULES:
        assert native.source_path(module).is_file(), module
    assert "brief.actors.analysis" not in native.MODULES  # the pool's orchestrator stays Python


def test_the_key_follows_every_byte_of_every_compiled_source(tmp_path: Path) -> None:
    copy = tmp_path / "brief"
    for module in native.MODULES:
        target = native.source_path(module, copy)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(native.source_path(module), target)
    key = native.source_key(copy)
    assert key == native.source_key()
    for module in (native.MODULES[0], native.MODULES[-1]):
        source = native.source_path(module, copy)
        text = source.read_bytes()
        source.write_bytes(text + b"\n")
        assert native.source_key(copy) != key, module
        source.write_bytes(text)
    assert native.source_key(copy) == key


def test_only_a_finished_build_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "build"
    names = _fake_build(folder, b"")
    assert native.built_files(folder) is None  # no manifest: cut off before the rename
    (folder / native.MANIFEST).write_text("{}", encoding="utf-8")
    files = native.built_files(folder)
    assert files is not None and set(files) == set(names)
    files["brief.actors.scan"].unlink()
    assert native.built_files(folder) is None


def test_the_finder_leaves_other_imports_alone() -> None:
    finder = native._Finder()
    assert finder.find_spec("json") is None
    assert finder.find_spec("brief.actors.briefs") is None
    assert not finder.decided  # nothing hashed for an import it does not serve


def test_plain_python_without_a_build_or_when_asked(tmp_path: Path) -> None:
    empty = _python(_WHERE, {"BRIEF_NATIVE_DIR": str(tmp_path)}).splitlines()
    assert empty[0].endswith("scan.py") and empty[1].endswith("clean.py")
    assert "not compiled" in empty[2]
    off = _python(_WHERE, {"BRIEF_NATIVE": "0"}).splitlines()
    assert off[0].endswith("scan.py") and "BRIEF_NATIVE=0" in off[2]


def test_a_build_that_does_not_load_costs_only_the_speed(tmp_path: Path) -> None:
    # A "build" of the current sources whose files are no extensions (a damaged copy).
    folder = tmp_path / native.source_key()
    _fake_build(folder, b"not an extension")
    (folder / native.MANIFEST).write_text("{}", encoding="utf-8")
    code = _WHERE + "; from brief.actors.analysis import analyse_text; "
    code += "text = 'Angela Merkel met Emmanuel Macron.'; "
    code += "print(sorted(a.name for a in analyse_text(text).actors))"
    done = _run(code, {"BRIEF_NATIVE_DIR": str(tmp_path)})
    lines = done.stdout.splitlines()
    assert lines[0].endswith("scan.py") and "does not load" in lines[2]
    assert lines[3] == str(["Angela Merkel", "Emmanuel Macron"])
    # One readable line: what, where, what to do.
    (warning,) = done.stderr.strip().splitlines()
    assert str(folder) in warning and "python -m brief.native build" in warning


def _built() -> Path:
    """This environment's build of the current sources; CI must have one (make test builds it)."""
    if native.active():
        return Path(native.state["folder"])
    if os.environ.get("CI"):
        pytest.fail(f"CI runs `make test`, which compiles brief/native: {native.state['status']}")
    pytest.skip(f"no compiled build here ({native.state['status']})")


def test_the_build_is_used_and_never_for_edited_sources(tmp_path: Path) -> None:
    folder = _built()
    assert native.source_path("brief.actors.scan").is_file()
    import brief.actors.scan

    assert Path(brief.actors.scan.__file__).is_relative_to(folder)
    # A copy of the package with the same sources runs the build; with one source edited,
    # its plain Python.
    env = {"BRIEF_NATIVE_DIR": str(folder.parent)}
    copy = tmp_path / "same"
    shutil.copytree(REPO / "brief", copy / "brief", ignore=shutil.ignore_patterns("__pycache__"))
    same = _python(_WHERE, env, copy).splitlines()
    assert same[0].startswith(str(folder)) and same[2] == "compiled (mypyc)"
    scan = copy / "brief" / "actors" / "scan.py"
    scan.write_text(scan.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = _python(_WHERE, env, copy).splitlines()
    assert edited[0] == str(scan) and "not compiled" in edited[2]


_ANALYSE = """
import json, sys
import brief
from brief.actors.analysis import _analyse_to_json, analyse_text, to_json
from brief.config import WatchedActor
texts = json.load(sys.stdin)
watch = (
    WatchedActor("Xi Jinping", "person", ("Xi",)),
    WatchedActor("Russia", "state", ("Moscow",)),
    WatchedActor("Atlantic Council", "organisation"),
)
for text in texts:
    plain = to_json(analyse_text(text, article_id="a"))
    print(json.dumps([plain, _analyse_to_json((text, watch))]))
"""

_INVENTED = [
    "WASHINGTON (Reuters) - Secretary of State Ana Ruiz met Chinese Premier Li Qiang on "
    'Tuesday. "We agreed on nothing," Ruiz told reporters. Li said talks would go on.',
    "THE MINISTER SPOKE AT LENGTH.\n\nMr. O'Neill, 54, of the Labour Party, said: "
    "\u201cWe will not back down.\u201d The European Union's Ursula von der Leyen disagreed.",
    "Photo: Getty Images\nBy Jane Doe, BBC News\n\nNato allies and the Kremlin traded "
    "accusations as Volodymyr Zelensky visited Kyiv's front line; Moscow denied it.",
    "",
    "a" * 50 + " \u00e9t\u00e9 \u4e60\u8fd1\u5e73 Xi Jinping \u2014 \u00ab\u00a0Nous "
    "verrons\u00a0\u00bb, a dit M. Macron.",
]


def _texts() -> list[str]:
    texts = list(_INVENTED)
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    eval_dir = SHARED_DATA / "eval"
    if eval_dir.is_dir():  # real news, where the reference data is at hand
        for path in sorted(eval_dir.glob("*.jsonl"))[:2]:
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines):
                    if number >= 120:
                        break
                    record = json.loads(line)
                    text = record.get("text") or record.get("article") or ""
                    if isinstance(text, str) and text:
                        texts.append(text)
    return texts


def _analyses(texts: list[str], env: dict[str, str]) -> list[str]:
    return _run(_ANALYSE, env, stdin=json.dumps(texts)).stdout.splitlines()


def test_compiled_and_plain_python_read_every_text_alike() -> None:
    _built()
    texts = _texts()
    compiled = _analyses(texts, {})
    plain = _analyses(texts, {"BRIEF_NATIVE": "0"})
    assert len(compiled) == len(texts)
    for text, a, b in zip(texts, compiled, plain, strict=True):
        assert a == b, text[:80]
    # (and the analyses are real ones: the invented wire copy has its actors and quote)
    first = json.loads(json.loads(compiled[0])[0])
    assert {"Ana Ruiz", "Li Qiang"} <= {actor["name"] for actor in first["actors"]}

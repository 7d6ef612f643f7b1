"""The briefing: Markdown rendering (escaping, golden file), atomic writes, `brief run`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from brief import cli
from brief.briefing.render import md_link, md_text, plain_text, render_markdown, safe_url
from brief.briefing.write import briefing_filename, write_briefing
from brief.models import Article, Briefing, Source, SourceHealth, Story

GOLDEN = Path(__file__).parent.parent / "data" / "golden" / "seed-briefing.md"
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


# --- escaping -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"),
        ("# Heading", "\\# Heading"),
        ("- item", "\\- item"),
        ("1. first", "1\\. first"),
        ("a | b ~~c~~", "a \\| b \\~\\~c\\~\\~"),
        ("Tom &amp; Jerry", "Tom \\&amp; Jerry"),
        ("line\nbreak\r\n## inject", "line break ## inject"),
        ("\x1b[2J\x1b]52;c;ZXZpbA==\x07clear", "clear"),
        ("bidi\u202eevil", "bidievil"),
        ("Mr. Xi’s “no limits” deal", "Mr. Xi’s “no limits” deal"),
    ],
)
def test_md_text_escapes_untrusted_text(raw: str, escaped: str) -> None:
    assert md_text(raw) == escaped


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("HTTP://example.com/x y", "HTTP://example.com/x%20y"),
        ("https://example.com/a)b(c", "https://example.com/a%29b%28c"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>", None),
        ("file:///etc/passwd", None),
        ("https:///nohost", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_links(url: str | None, safe: str | None) -> None:
    assert safe_url(url) == safe


def test_md_link_falls_back_to_text() -> None:
    assert md_link("Title", "javascript:x") == "Title"
    assert md_link("A [b]", "https://e.com/") == "[A \\[b\\]](https://e.com/)"


def test_plain_text_removes_controls() -> None:
    assert plain_text("a\x00b\tc\x07") == "a b c"


def _article(**changes: object) -> Article:
    values: dict[str, object] = {
        "id": "abc",
        "source_id": "feed:x",
        "source_name": "Example <b>News</b>",
        "title": "[Breaking] **Hello** <img src=x onerror=alert(1)>",
        "text": "Body.",
        "url": "https://example.com/story",
        "published": datetime(2026, 11, 28, 6, 0, tzinfo=UTC),
    }
    values.update(changes)
    return Article(**values)  # type: ignore[arg-type]


def test_rendered_briefing_has_no_raw_html_or_injected_structure() -> None:
    source = Source(id="feed:x", name="Evil ](javascript:x)", kind="feed", location="https://x")
    story = Story(
        id="abc",
        title=_article().title,
        articles=(_article(), _article(source_name="Other", url="javascript:alert(1)")),
        summary=("First <b>sentence</b>.", "## not a heading"),
    )
    briefing = Briefing(
        title="Brief\n# injected",
        day=date(2026, 11, 28),
        generated_at=NOW,
        stories=(story,),
        sources=(SourceHealth(source=source, error="HTTP 500 <html>"),),
        article_count=2,
    )
    text = render_markdown(briefing)
    assert re.search(r"(?<!\\)[<>]", text) is None  # every angle bracket is escaped
    assert "javascript:" not in text.replace("\\](javascript:x)", "")
    assert "\n# injected" not in text
    assert "- \\## not a heading" in text
    assert "### 1. [\\[Breaking\\] \\*\\*Hello\\*\\*" in text
    assert "Also covered by: Other" in text
    assert 'title: "Brief # injected"' in text
    assert "failed_sources: 1" in text


# --- writing ------------------------------------------------------------------


def test_filename_pattern() -> None:
    assert briefing_filename("{date}.md", date(2026, 1, 2), "T") == "2026-01-02.md"
    assert briefing_filename("{date}-{title}.md", date(2026, 1, 2), "Morning: news!") == (
        "2026-01-02-morning-news.md"
    )


def test_existing_briefing_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "out" / "2026-11-28.md"
    assert write_briefing("first\n", target) == target
    second = write_briefing("second\n", target)
    third = write_briefing("third\n", target)
    assert second == tmp_path / "out" / "2026-11-28-2.md"
    assert third == tmp_path / "out" / "2026-11-28-3.md"
    assert target.read_text() == "first\n" and second.read_text() == "second\n"
    assert write_briefing("forced\n", target, force=True) == target
    assert target.read_text() == "forced\n"
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "2026-11-28-2.md",
        "2026-11-28-3.md",
        "2026-11-28.md",
    ]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "2026-11-28.md"
    target.parent.mkdir()
    target.write_text("old\n")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(Exception, match="No space left on device"):
        write_briefing("new\n", target, force=True)
    assert target.read_text() == "old\n"
    assert [p.name for p in target.parent.iterdir()] == ["2026-11-28.md"]


def test_written_file_is_readable_by_others(tmp_path: Path) -> None:
    path = write_briefing("x\n", tmp_path / "b.md")
    assert path.stat().st_mode & 0o044 == 0o044 or (os.umask(0o022) & 0o044)


# --- brief run ----------------------------------------------------------------


def _seed_briefing(tmp_path: Path, *extra: str) -> tuple[int, Path]:
    """Run `brief run` into tmp_path/briefings; the exit code and the newest file written."""
    out = tmp_path / "briefings"
    code = cli.main(["run", "--output", str(out), *extra])
    files = sorted(out.glob("*.md"), key=lambda p: p.stat().st_mtime_ns)
    return code, files[-1] if files else out


def test_seed_briefing_matches_golden_file(tmp_path: Path) -> None:
    code, path = _seed_briefing(tmp_path)
    assert code == 0
    text = path.read_text(encoding="utf-8")
    if os.environ.get("BRIEF_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_seed_briefing_has_no_furniture(tmp_path: Path) -> None:
    _, path = _seed_briefing(tmp_path)
    text = path.read_text(encoding="utf-8")
    for junk in ("Skip to main content", "gallery", "Canadian Press", "Follow related", "Interact"):
        assert junk not in text
    assert path.name == "2026-11-28.md"


def test_run_prints_path_and_numbers_a_second_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, first = _seed_briefing(tmp_path)
    assert capsys.readouterr().out.strip() == str(first)
    code, second = _seed_briefing(tmp_path)
    captured = capsys.readouterr()
    assert code == 0 and second.name == "2026-11-28-2.md"
    assert "already exists" in captured.err
    code, forced = _seed_briefing(tmp_path, "--force")
    assert forced.name == "2026-11-28.md" and code == 0
    assert len(list((tmp_path / "briefings").glob("*.md"))) == 2


def test_failed_source_gives_exit_code_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[sources]\nlocal = ["@seeds", "{tmp_path / "gone"}"]\n', encoding="utf-8")
    code = cli.main(["--config", str(config), "run", "--output", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 3
    assert "source failed" in err and "gone" in err
    text = next((tmp_path / "o").glob("*.md")).read_text(encoding="utf-8")
    assert "failed:" in text and "Sample articles" in text


def test_unwritable_output_gives_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = cli.main(["run", "--output", str(blocker / "sub")])
    assert code == 1
    assert "cannot create the output folder" in capsys.readouterr().err


def test_date_option_names_the_file(tmp_path: Path) -> None:
    code, path = _seed_briefing(tmp_path, "--date", "2026-11-20")
    assert code == 0 and path.name == "2026-11-20.md"
    assert "Sample articles" in path.read_text(encoding="utf-8")  # evergreen seeds


def test_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["run", "--date", "yesterday"])
    assert exited.value.code == 2


def test_no_arguments_without_a_terminal_runs(tmp_path: Path) -> None:
    env = dict(os.environ, BRIEF_OUTPUT_DIR=str(tmp_path / "auto"))
    done = subprocess.run(
        [sys.executable, "-m", "brief"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "auto" / "2026-11-28.md")


def test_core_imports_no_textual() -> None:
    code = (
        "import sys, brief.cli, brief.config, brief.collect, brief.collect.local, "
        "brief.briefing.compose, brief.briefing.render, brief.briefing.write, "
        "brief.text.summarize, brief.text.sentences\n"
        "from brief import cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


# --- what the briefing shows and in which order (issue 9) --------------------------------------


def _story(number: int, title: str, sources: int = 1) -> Story:
    articles = tuple(
        _article(id=f"s{number}-{i}", title=title, source_name=f"Outlet {i}", source_id=f"o{i}")
        for i in range(sources)
    )
    return Story(id=f"s{number}", title=title, articles=articles, summary=(f"Lead of {title}.",))


def _briefing(*stories: Story, briefs: tuple[object, ...] = ()) -> Briefing:
    return Briefing(
        title="Morning",
        day=date(2026, 11, 28),
        generated_at=NOW,
        stories=stories,
        sources=(),
        actor_briefs=briefs,  # type: ignore[arg-type]
        article_count=len(stories),
    )


def test_the_digest_has_one_line_per_leading_story() -> None:
    stories = [_story(n, f"Headline number {n}", sources=3 if n == 1 else 1) for n in range(1, 6)]
    text = render_markdown(_briefing(*stories))
    head = text.split("## Top stories")[0]
    lines = [line for line in head.splitlines() if line.startswith("- ")]
    # Each digest line ends by naming the lead article's source, linked.
    assert [line.split(" — ")[0] for line in lines] == [
        "- Headline number 1 (3 sources)",
        "- Headline number 2",
        "- Headline number 3",
    ]
    assert lines[0].endswith(" — [Outlet 0](https://example.com/story)")
    assert "Headline number 4" not in head


def test_the_digest_shortens_a_title_that_is_a_whole_sentence() -> None:
    long = " ".join(["word"] * 30) + " and…"
    story = Story(id="x", title=long, articles=(_article(),), summary=(long,))
    head = render_markdown(_briefing(story)).split("## Top stories")[0]
    (line,) = [line.split(" — ")[0] for line in head.splitlines() if line.startswith("- ")]
    assert line.endswith("…") and len(line.split()) <= 18


def test_quotes_show_role_and_linked_story_and_with_says_what_it_counts() -> None:
    from brief.models import Actor, ActorBrief, Quote

    story = _story(1, "Farm talks collapse")
    lead = story.articles[0]
    quote = Quote("We will not sign.", "Eva Lind", 0, 10, lead.id)
    quiet = ActorBrief(Actor("Sweden", "state"), 1, 1, 3)
    brief = ActorBrief(
        actor=Actor("Eva Lind", "person", role="farm minister"),
        article_count=1,
        source_count=1,
        mention_count=2,
        sentences=("Lind left the talks early.",),
        quotes=((quote, lead.title),),
        co_actors=(("Sweden", 2),),
    )
    text = render_markdown(_briefing(story, briefs=(brief, quiet)))
    assert "> “We will not sign.” — Eva Lind, farm minister, in [Farm talks collapse](" in text
    assert "With (sentences naming both): Sweden (2)" in text
    assert "Also in the news: Sweden (state, 1 article)" in text
    assert "### Sweden" not in text


def test_the_sample_article_stands_in_only_when_nothing_else_is_in_the_window() -> None:
    from brief.briefing.compose import select_articles
    from brief.config import Config

    sample = _article(id="seed", evergreen=True, published=None)
    fresh = _article(id="today")
    stale = _article(id="old", published=datetime(2026, 11, 1, tzinfo=UTC))
    assert [a.id for a in select_articles([sample, fresh, stale], Config(), NOW)] == ["today"]
    assert [a.id for a in select_articles([sample, stale], Config(), NOW)] == ["seed"]


def test_no_sentence_is_repeated_across_the_briefing(tmp_path: Path) -> None:
    code, path = _seed_briefing(tmp_path)
    assert code == 0
    text = path.read_text(encoding="utf-8")
    bullets = [line[2:] for line in text.splitlines() if line.startswith("- ")]
    digest = text.split("## Top stories")[0].count("\n- ")
    body = bullets[digest:]
    assert body and len(body) == len(set(body)), [b for b in body if body.count(b) > 1]
    stories = text.split("## Top stories")[1].split("## Actors")[0]
    actors = text.split("## Actors")[1].split("## Sources")[0]
    # Proportionate: the Actors section is at most about twice the Top stories section.
    assert len(actors.split()) <= 3 * len(stories.split())

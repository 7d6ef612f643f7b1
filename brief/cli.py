"""brief's command line: parse arguments, load the config once, call the core or the TUI.

Exit codes (the contract in ARCHITECTURE.md): 0 ok; 2 usage or config error;
3 briefing written but some sources failed; 1 nothing could be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from brief import __version__
from brief.config import Config, load_config
from brief.errors import BriefError, ConfigError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3

Handler = Callable[[argparse.Namespace, Config], int]


def _err(message: str) -> None:
    print(f"brief: {message}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"brief: warning: {message}", file=sys.stderr)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD") from None


def _now() -> datetime:
    """The current time; ``BRIEF_NOW`` (ISO 8601) pins it, for tests and reproducible runs."""
    pinned = os.environ.get("BRIEF_NOW")
    if pinned:
        moment = datetime.fromisoformat(pinned)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


# --- brief run -----------------------------------------------------------------


def cmd_run(args: argparse.Namespace, config: Config) -> int:
    """Collect, compose and write the day's briefing; print its path."""
    from brief.briefing.compose import compose_briefing
    from brief.briefing.render import render_markdown
    from brief.briefing.write import briefing_filename, write_briefing
    from brief.collect import collect_sources

    now = _now()
    result = collect_sources(config, now=now)
    briefing = compose_briefing(config, result, now=now, day=args.date)
    text = render_markdown(briefing)
    out_dir = Path(args.output).expanduser() if args.output else config.output_dir()
    target = out_dir / briefing_filename(config.briefing.filename, briefing.day, briefing.title)
    path = write_briefing(text, target, force=args.force)
    if path != target:
        _warn(f"{target.name} already exists; wrote {path.name} beside it (--force replaces it)")
    for health in briefing.sources:
        for warning in health.warnings:
            _warn(warning)
        if health.error:
            _err(f"source failed: {health.source.name}: {health.error}")
    print(path)
    return EXIT_PARTIAL if briefing.failed_sources else EXIT_OK


# --- brief summarize -------------------------------------------------------------


def _length(value: str) -> tuple[int, float]:
    """``3`` → three sentences; ``20%`` → a fifth of the sentences."""
    try:
        if value.endswith("%"):
            ratio = float(value[:-1]) / 100
            if not 0 < ratio < 1:
                raise ValueError
            return 0, ratio
        count = int(value)
        if count <= 0:
            raise ValueError
        return count, 0.0
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r}: give a number of sentences (3) or a percentage (20%)"
        ) from None


def _read_input(source: str, config: Config) -> tuple[str, str | None]:
    """Text (and a title, if known) from a file path, ``-`` (stdin) or an http(s) URL."""
    from brief.collect.extract import extract_page, strip_furniture

    if source == "-":
        return strip_furniture(sys.stdin.read()), None
    if source.startswith(("http://", "https://")):
        from brief.collect.extract import fetch_page

        page = fetch_page(source, config.fetch)
        return page.text, page.title
    path = Path(source).expanduser()
    if not path.exists():
        raise BriefError(f"{path}: no such file", "give a file path, an http(s) URL or - for stdin")
    if path.suffix.lower() in (".html", ".htm"):
        page = extract_page(path.read_text(encoding="utf-8", errors="replace"))
        return strip_furniture(page.text), page.title
    from brief.collect.local import local_source, read_article

    try:
        article = read_article(path, local_source(path))
    except ValueError as exc:
        raise BriefError(f"{path}: {exc}") from None
    return article.text, article.title


def cmd_summarize(args: argparse.Namespace, config: Config) -> int:
    """Print an extractive summary of one text, one sentence per line."""
    from brief.text.summarize import summarize_text

    text, title = _read_input(args.source, config)
    if not text.strip():
        raise BriefError(f"{args.source}: no text to summarize")
    count, ratio = args.length if args.length else (config.summary.sentences, config.summary.ratio)
    sentences = summarize_text(
        text,
        algorithm=args.algorithm or config.summary.algorithm,
        sentences=count or config.summary.sentences,
        ratio=ratio,
        max_input_sentences=config.summary.max_input_sentences,
        title=title,
    )
    for sentence in sentences:
        print(" ".join(sentence.text.split()))
    return EXIT_OK


# --- brief config ------------------------------------------------------------------


def cmd_config(args: argparse.Namespace, config: Config) -> int:
    """``brief config path|show|check|init``."""
    import tomli_w

    from brief.config import config_to_dict, init_config
    from brief.paths import config_file

    action = args.action
    if action == "path":
        print(config_file(args.config))
    elif action == "show":
        sys.stdout.write(tomli_w.dumps(config_to_dict(config)))
    elif action == "check":
        where = config.path if config.path and config.path.exists() else None
        print(f"{where}: ok" if where else f"{config_file(args.config)}: not found; using defaults")
    elif action == "init":
        print(init_config(args.config))
    return EXIT_OK


# --- brief (no command) --------------------------------------------------------------


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def cmd_default(args: argparse.Namespace, config: Config) -> int:
    """No command: the TUI in a terminal, otherwise the same as ``brief run``."""
    if _interactive():
        from brief.tui.app import run_tui

        return run_tui(config)
    return cmd_run(args, config)


# --- parser --------------------------------------------------------------------------


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=_day, help="briefing for this day (YYYY-MM-DD)")
    parser.add_argument("--output", metavar="DIR", help="folder to write the briefing to")
    parser.add_argument("--force", action="store_true", help="replace an existing briefing file")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``brief`` command."""
    from brief.text.summarize import algorithm_names

    parser = argparse.ArgumentParser(
        prog="brief",
        description="Turn your feeds and local articles into a daily Markdown briefing.",
        epilog="With no command: the interactive interface in a terminal, else `brief run`.",
    )
    parser.add_argument("--version", action="version", version=f"brief {__version__}")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $BRIEF_CONFIG or `brief config path`)",
    )
    parser.set_defaults(handler=cmd_default, date=None, output=None, force=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="collect, compose and write today's briefing")
    _add_run_options(run)
    run.set_defaults(handler=cmd_run)

    summarize = sub.add_parser("summarize", help="print an extractive summary of a text")
    summarize.add_argument(
        "source", metavar="PATH|URL|-", help="a file, an http(s) URL or - (stdin)"
    )
    summarize.add_argument(
        "-a",
        "--algorithm",
        choices=algorithm_names(),
        metavar="NAME",
        help="summarizer: " + ", ".join(algorithm_names()) + " (default: from config)",
    )
    summarize.add_argument(
        "-n", "--length", type=_length, help="sentences (3) or a share of the text (20%%)"
    )
    summarize.set_defaults(handler=cmd_summarize)

    config = sub.add_parser("config", help="show, check or create the config file")
    config.add_argument("action", choices=("path", "show", "check", "init"))
    config.set_defaults(handler=cmd_config)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run brief with ``argv``; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # `config path` and `config init` must work even when the file is broken.
        needs_config = not (args.command == "config" and args.action in ("path", "init"))
        config = load_config(args.config) if needs_config else Config()
        handler: Handler = args.handler
        return handler(args, config)
    except ConfigError as exc:
        _err(f"config error: {exc}")
        return EXIT_USAGE
    except BriefError as exc:
        _err(f"error: {exc}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except Exception as exc:
        # A bug, not the user's doing: one line for cron logs, the traceback on request.
        if os.environ.get("BRIEF_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set BRIEF_DEBUG=1 for details)")
        return EXIT_FAILED

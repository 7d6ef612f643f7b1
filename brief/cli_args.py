"""brief's command-line grammar: every command, option, help text and example; no behaviour.

``brief.cli`` runs what is parsed here, by command name; keeping the grammar apart keeps
both files small and lets completion load the parser without the handlers.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from typing import Any

from brief import __version__
from brief.algorithms import SUMMARY_ALGORITHMS

MAX_DAYS = 36_500  # `brief actor --days`: as far back as the store may keep anything


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD") from None


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{value!r}: give a number of days from 1 to {MAX_DAYS}")
    return days


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


def _words(value: str) -> int:
    """``70`` → a budget of 70 words per summary; ``0`` → no budget."""
    try:
        words = int(value)
        if words < 0:
            raise ValueError
        return words
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r}: give a whole number of words (70), or 0 for no word budget"
        ) from None


# --- the parser --------------------------------------------------------------------------

_EXAMPLES = """\
examples:
  brief                          the interactive interface (in a terminal)
  brief run                      write today's briefing and print its path
  brief run --offline --json     today's briefing from stored articles; a JSON report
  brief feeds add https://example.org/feed.xml --tags world,politics
  brief -q fetch                 refresh every feed; only warnings and errors on stderr
  brief summarize -n 3 article.txt
  eval "$(brief completion bash)"   tab completion in this shell

exit codes: 0 ok; 1 nothing could be written; 2 usage or config error;
3 briefing written but some sources failed; 4 briefing written and a watched
actor appears (3 takes precedence over 4)."""


def _port(text: str) -> int:
    """A TCP port number (1-65535) for ``--port``."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {port}")
    return port


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _command(
    sub: Any, name: str, summary: str, *examples: str, **kwargs: Any
) -> argparse.ArgumentParser:
    """A subcommand whose help page opens with ``summary`` and ends with ``examples``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=summary[:1].upper() + summary[1:] + ".",
        epilog=_examples(*examples) if examples else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **kwargs,
    )
    return parser


def _add_json(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--json", action="store_true", help=f"print {what} as JSON on stdout (for scripts)"
    )


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=_day, help="briefing for this day (YYYY-MM-DD)")
    parser.add_argument("--output", metavar="DIR", help="folder to write the briefing to")
    parser.add_argument("--force", action="store_true", help="replace an existing briefing file")
    parser.add_argument(
        "--offline", action="store_true", help="do not fetch feeds; use what the store holds"
    )


def _add_profile_options(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--profile", metavar="NAME", help="write the [[briefings]] profile NAME instead"
    )
    which.add_argument(
        "--all-profiles",
        action="store_true",
        help="write every [[briefings]] profile (one failing does not stop the others)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``brief`` command."""
    parser = argparse.ArgumentParser(
        prog="brief",
        description="Turn your feeds and local articles into a daily Markdown briefing.\n"
        "With no command: the interactive interface in a terminal, else `brief run`.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"brief {__version__}")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $BRIEF_CONFIG or `brief config path`)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="more messages on stderr: -v adds progress and debug lines, -vv the libraries' too",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="count",
        default=0,
        help="fewer messages on stderr: -q warnings and errors only, -qq errors only",
    )
    parser.set_defaults(
        date=None, output=None, force=False, offline=False, json=False, profile=None
    )
    parser.set_defaults(all_profiles=False, notify=None)
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", help="`brief COMMAND --help` for its options"
    )

    run = _command(
        sub,
        "run",
        "collect, compose and write today's briefing; print its path",
        "brief run",
        "brief run --date 2026-11-27 --output ~/briefings",
        "brief run --offline --json | jq .path",
        "brief run --profile morning",
        "brief run --all-profiles --offline",
        "brief run --notify 'notify-send brief'   # exit 4: a watched actor appears",
    )
    _add_run_options(run)
    _add_profile_options(run)
    _add_json(run, "the file written, its sources and what failed")
    run.add_argument(
        "--notify",
        metavar="CMD",
        help="when a watched actor appears, run CMD (no shell) with the briefing's path "
        "and the watched names as arguments",
    )

    summarize = _command(
        sub,
        "summarize",
        "print an extractive summary of a text",
        "brief summarize article.txt",
        "brief summarize -a lexrank -n 20% https://example.org/story.html",
        "brief summarize --words 40 article.txt",
        "pbpaste | brief summarize -",
    )
    summarize.add_argument(
        "source", metavar="PATH|URL|-", help="a file, an http(s) URL or - (stdin)"
    )
    summarize.add_argument(
        "-a",
        "--algorithm",
        choices=SUMMARY_ALGORITHMS,
        metavar="NAME",
        help="summarizer: %(choices)s (default: from config)",
    )
    summarize.add_argument(
        "-n", "--length", type=_length, help="sentences (3) or a share of the text (20%%)"
    )
    summarize.add_argument(
        "--words",
        type=_words,
        metavar="N",
        help="at most N words (the first sentence always stays; 0: no budget; default: "
        "[summary] words from config, or no budget when -n is given)",
    )

    fetch = _command(
        sub,
        "fetch",
        "fetch every feed into the store",
        "brief fetch",
        "brief fetch --force -v",
        "brief fetch --json | jq '.failed'",
    )
    fetch.add_argument(
        "--force", action="store_true", help="fetch even feeds not yet due (interval, back-off)"
    )
    _add_json(fetch, "each feed's outcome and the totals")

    feeds = _command(
        sub,
        "feeds",
        "add, remove, list, import or export feeds",
        "brief feeds list",
        "brief feeds add https://example.org/ --name Example",
        "brief feeds export -o feeds.opml",
    )
    feeds_sub = feeds.add_subparsers(
        dest="feeds_action",
        metavar="ACTION",
        required=True,
        help="`brief feeds ACTION --help` for its options",
    )
    add = _command(
        feeds_sub,
        "add",
        "subscribe to a feed (a web page's feed link works too)",
        "brief feeds add https://example.org/feed.xml",
        "brief feeds add https://example.org/ --tags tech,science --full-text",
    )
    add.add_argument("url", metavar="URL", help="the feed's address, or a page that links to it")
    add.add_argument("--name", help="name shown in briefings (default: the feed's title)")
    add.add_argument(
        "--tags", metavar="A,B", help="comma-separated tags (the first is its OPML folder)"
    )
    add.add_argument(
        "--full-text", action="store_true", help="fetch article pages when the feed has teasers"
    )
    add.add_argument("--no-check", action="store_true", help="do not fetch the URL to check it")
    remove = _command(
        feeds_sub,
        "remove",
        "unsubscribe (by URL or name)",
        "brief feeds remove https://example.org/feed.xml",
        'brief feeds remove "Example News"',
    )
    remove.add_argument("feed", metavar="URL|NAME", help="the feed's URL or its name (any case)")
    feeds_list = _command(
        feeds_sub,
        "list",
        "your feeds with their health",
        "brief feeds list",
        "brief feeds list --json | jq '.[] | select(.ok | not) | .url'",
    )
    _add_json(feeds_list, "every feed with its health")
    import_ = _command(
        feeds_sub,
        "import",
        "subscribe to the feeds of an OPML file",
        "brief feeds import subscriptions.opml",
    )
    import_.add_argument(
        "file", metavar="FILE.opml", help="an OPML (or RDF/iGoogle) subscription list"
    )
    export = _command(
        feeds_sub,
        "export",
        "write your feeds as OPML 2.0 (folders by first tag)",
        "brief feeds export > feeds.opml",
        "brief feeds export -o feeds.opml",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")

    actors = _command(
        sub,
        "actors",
        "list the day's actors with counts",
        "brief actors",
        "brief actors --date 2026-11-27",
        "brief actors --json article.txt",
    )
    actors.add_argument("--date", type=_day, help="the day to list (YYYY-MM-DD; default today)")
    actors.add_argument(
        "--json",
        metavar="PATH|-",
        help="analyse one text file (or - for stdin): actors, mentions, quotes as JSON",
    )
    actors.set_defaults(json=None)

    actor = _command(
        sub,
        "actor",
        "one actor's timeline from the actor ledger: mentions, stories, quotes, company",
        'brief actor "Jane Doe"',
        "brief actor doe --days 30",
        "brief actor 'Acme Corp' --json | jq '.days[].quotes'",
    )
    actor.add_argument("name", metavar="NAME", help="the actor's name or a name they go by")
    actor.add_argument(
        "--days",
        type=_days,
        default=7,
        metavar="N",
        help="how many days back, today included (default 7)",
    )
    actor.add_argument("--date", type=_day, help="the last day shown (YYYY-MM-DD; default today)")
    _add_json(actor, "the timeline")

    config = _command(
        sub,
        "config",
        "show, check or create the config file",
        "brief config init",
        "brief config check",
        "brief --config ./brief.toml config show",
    )
    config.add_argument(
        "action",
        choices=("path", "show", "check", "init"),
        help="path: where it is; show: the settings in force; check: validate; "
        "init: write the documented default",
    )

    _command(
        sub,
        "tui",
        "open the interactive interface (needs a terminal)",
        "brief tui",
        "ssh -t server brief tui",
    )

    serve = _command(
        sub,
        "serve",
        "open the interactive interface in a web browser (textual-serve)",
        "brief serve                      # then open http://127.0.0.1:8000",
        "brief serve --port 8080",
        "ssh -L 8000:127.0.0.1:8000 server brief serve   # the server's reader, locally",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; there is no login)",
    )
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when it is not http://HOST:PORT (a proxy)",
    )

    completion = _command(
        sub,
        "completion",
        "print the shell code for tab completion",
        'eval "$(brief completion bash)"       # in ~/.bashrc',
        "brief completion zsh > ~/.zfunc/_brief",
        "brief completion fish > ~/.config/fish/completions/brief.fish",
    )
    completion.add_argument(
        "shell", choices=("bash", "zsh", "fish"), help="the shell to complete in"
    )

    return parser


def complete_if_asked(parser: argparse.ArgumentParser) -> None:
    """Answer a shell's completion request (the shell code sets ``_ARGCOMPLETE``) and exit."""
    if "_ARGCOMPLETE" in os.environ:
        # Imported only then: a normal run does not pay for it.
        import argcomplete

        argcomplete.autocomplete(parser)

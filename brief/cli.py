"""brief's command line: parse arguments, load the config once, call the core or the TUI.

Exit codes (the contract in ARCHITECTURE.md): 0 ok; 2 usage or config error;
3 briefing written but some sources failed; 4 briefing written and a watched actor
appears (3 takes precedence); 1 nothing could be written.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brief.cli_args import build_parser, complete_if_asked
from brief.errors import BriefError, ConfigError
from brief.terminal import safe_line, safe_text
from brief.wording import plural

if TYPE_CHECKING:
    # brief.config (platformdirs, tomllib) is nearly half of this module's import time:
    # main() imports it once the arguments are parsed, so `brief --help` never pays it.
    from brief.config import Config
    from brief.models import Briefing, SourceHealth

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_WATCHED = 4  # briefing written, a watched actor appears (a failed source, 3, comes first)

NOTIFY_TIMEOUT = 60  # seconds a --notify command may take

Handler = Callable[[argparse.Namespace, "Config"], int]

# Messages for people go to stderr through logging (-v/-q choose how many); results go to
# stdout (paths, listings, --json), so scripts can read them.
log = logging.getLogger("brief")


def _err(message: str) -> None:
    # Messages carry file names, titles and feed errors: escaped, so they cannot drive the terminal.
    log.error(safe_line(message))


def _warn(message: str) -> None:
    log.warning(safe_line(message))


class _MessageFormat(logging.Formatter):
    """``brief: message``, with ``warning:``/``debug:`` before the text at those levels."""

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "bare", False):  # progress lines: "[3/12] name: state"
            return record.getMessage()
        label = {logging.WARNING: "warning: ", logging.DEBUG: "debug: "}.get(record.levelno, "")
        origin = "" if record.name.startswith("brief") else f"{record.name}: "
        return f"brief: {label}{origin}{record.getMessage()}"


def _set_up_logging(verbosity: int) -> None:
    """Route messages to stderr: -q warnings and errors only, -qq errors only, -v debug too.

    With -vv the dependencies' own loggers (httpx, ...) are shown as well.
    """
    level = {-2: logging.ERROR, -1: logging.WARNING, 0: logging.INFO}.get(
        max(verbosity, -2), logging.DEBUG
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_MessageFormat())
    # brief's records reach the root logger too; with -vv the one handler sits there, so the
    # libraries' records show and brief's are not printed twice.
    root = logging.getLogger()
    for logger in (log, root):
        # main() may run many times in one process (tests): one handler, the current stderr.
        for old in [h for h in logger.handlers if isinstance(h.formatter, _MessageFormat)]:
            logger.removeHandler(old)
    log.setLevel(level)
    if verbosity >= 2:
        root.setLevel(logging.DEBUG)
        root.addHandler(handler)
    else:
        log.addHandler(handler)


def _print_json(value: Any) -> None:
    """One JSON document on stdout (``--json``), UTF-8 as it is."""
    import json  # here, not at the top: only --json needs it

    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _health_json(health: SourceHealth) -> dict[str, Any]:
    """A source's health for ``--json`` output."""
    return {
        "name": health.source.name,
        "kind": health.source.kind,
        "location": health.source.location,
        "ok": health.ok,
        "articles": health.article_count,
        "error": health.error,
        "warnings": list(health.warnings),
        "last_success": health.last_success.isoformat() if health.last_success else None,
        "status": health.status,
    }


def _now() -> datetime:
    """The current time; ``BRIEF_NOW`` (ISO 8601) pins it, for tests and reproducible runs."""
    pinned = os.environ.get("BRIEF_NOW")
    if pinned:
        moment = datetime.fromisoformat(pinned)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


# --- brief run -----------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a briefing is composed in one go.

    Composing builds hundreds of thousands of small objects that live until the briefing
    is written and form no cycles worth collecting: each collection pass only rescans
    them (a fifth of a warm run's CPU; peak memory is the same without).  Afterwards
    what was built is frozen (left out of later passes) and collection resumes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def cmd_run(args: argparse.Namespace, config: Config) -> int:
    """Collect, compose and write the day's briefing; print its path."""
    if args.profile or args.all_profiles:
        return _run_profiles(args, config)
    # Feeds are fetched into the store first (unless --offline), then read back from it.
    fetch = not getattr(args, "offline", False)
    if fetch:
        return _run(args, config, fetch=True)
    # Offline, what the run builds before composing (its modules, the day's articles)
    # makes no cycles worth collecting either (a fetch does: it keeps the collector).
    with collector_paused():
        return _run(args, config, fetch=False)


def _run(args: argparse.Namespace, config: Config, *, fetch: bool) -> int:
    from brief.briefing.compose import briefing_time, compose_briefing, history_name
    from brief.briefing.memory import remember_in_store, stored_window_start
    from brief.briefing.render import render_markdown
    from brief.briefing.write import briefing_filename, write_briefing

    now = _now()
    at = briefing_time(args.date, now)
    window = (stored_window_start(config, at, args.date, history_name(config)), at)
    result = collect_for_run(config, now=now, fetch=fetch, window=window)
    # The store caches summaries and actor analyses between runs; without it
    # (unwritable data folder, damaged file, full disk) the briefing is still written.
    from brief.store import open_store

    with collector_paused():
        try:
            store = open_store(config.store_path())
        except BriefError as exc:
            _warn(f"analysis cache unavailable, computing everything afresh: {exc}")
            briefing = compose_briefing(config, result, now=now, day=args.date)
        else:
            with store:
                cache = SafeCache(store)
                briefing = compose_briefing(
                    config, result, now=now, day=args.date, cache=cache, ledger=store, history=store
                )
            if cache.failure:
                _warn(f"analysis cache failed, composed without it: {cache.failure}")
        text = render_markdown(briefing)
    out_dir = Path(args.output).expanduser() if args.output else config.output_dir()
    target = out_dir / briefing_filename(config.briefing.filename, briefing.day, briefing.title)
    path = write_briefing(text, target, force=args.force)
    if path != target:
        _warn(f"{target.name} already exists; wrote {path.name} beside it (--force replaces it)")
    problem = remember_in_store(config, briefing, now, history_name(config))
    if problem:
        _warn(f"briefing written, but not remembered for the next one: {problem}")
    for health in briefing.sources:
        for warning in health.warnings:
            _warn(f"{health.source.name}: {warning}")
        if health.error:
            _err(f"source failed: {health.source.name}: {health.error}")
    if briefing.watched and args.notify:
        notify(args.notify, path, briefing.watched)
    if args.json:
        _print_json(_run_json(briefing, path, target))
    else:
        print(safe_line(path))
    return _run_exit(briefing)


def _run_exit(briefing: Briefing) -> int:
    """3 when a source failed, else 4 when a watched actor appears, else 0."""
    if briefing.failed_sources:
        return EXIT_PARTIAL
    return EXIT_WATCHED if briefing.watched else EXIT_OK


def notify(command: str, path: Path, watched: Sequence[str]) -> None:
    """Run ``command`` (split like a shell would, but run without one) with the briefing's
    path and the watched actors found as its last arguments; a failure is one warning."""
    import shlex
    import subprocess

    try:
        argv = [*shlex.split(command), str(path), *watched]
        # The names come from feeds: arguments, never a shell string.  Its output goes to
        # stderr, escaped: stdout is the briefing's path, for scripts.
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=NOTIFY_TIMEOUT,
            check=False,
        )
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        _warn(f"--notify {command!r} failed: {exc}")
        return
    output = (done.stdout or "") + (done.stderr or "")
    if output.strip():
        sys.stderr.write(safe_text(output.rstrip("\n")) + "\n")
    if done.returncode != 0:
        _warn(f"--notify {command!r} exited with {done.returncode}")


# How bad each exit code of one run is, for --all-profiles (the worst one is returned);
# a code not listed here ranks between "some sources failed" and "nothing written".
_EXIT_SEVERITY = {
    EXIT_OK: 0.0,
    EXIT_WATCHED: 0.5,
    EXIT_PARTIAL: 1.0,
    EXIT_FAILED: 2.0,
    EXIT_USAGE: 3.0,
}


def _severity(code: int) -> float:
    return _EXIT_SEVERITY.get(code, 1.5)


def _run_profiles(args: argparse.Namespace, config: Config) -> int:
    """``brief run --profile NAME`` / ``--all-profiles``: each profile's briefing written."""
    import contextlib
    import io
    import json

    from brief.briefing.profiles import find_profile, profile_config

    if args.all_profiles and not config.briefings:
        raise ConfigError(
            f"{config.path or 'config'}: --all-profiles: no [[briefings]] profiles configured"
        )
    chosen = [find_profile(config, args.profile)] if args.profile else list(config.briefings)
    one = argparse.Namespace(**{**vars(args), "profile": None, "all_profiles": False})
    worst, reports = EXIT_OK, []
    for profile in chosen:
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out) if args.json else contextlib.nullcontext():
                code = cmd_run(one, profile_config(config, profile))
            report: dict[str, Any] = json.loads(out.getvalue()) if args.json else {}
        except BriefError as exc:
            _err(f"profile {profile.name}: error: {exc}")
            code, report = EXIT_FAILED, {"error": str(exc)}
        reports.append({"profile": profile.name, "exit_code": code, **report})
        worst = max(worst, code, key=_severity)
    if args.json:
        _print_json({"profiles": reports})
    return worst


def _run_json(briefing: Briefing, path: Path, target: Path) -> dict[str, Any]:
    """What ``brief run --json`` prints: the file written, what went in, what failed."""
    return {
        "path": str(path),
        # False when a briefing of that name existed and this one was written beside it.
        "replaced_name": path == target,
        "day": briefing.day.isoformat(),
        "title": briefing.title,
        "articles": briefing.article_count,
        "stories": len(briefing.stories),
        "actors": len(briefing.actor_briefs),
        "sources": [_health_json(h) for h in briefing.sources],
        "failed": [h.source.name for h in briefing.failed_sources],
        "watched": list(briefing.watched),
    }


class SafeCache:
    """An analysis cache that survives store trouble: the first failure turns it off.

    A full disk, a read-only file or a damaged page must not stop the briefing;
    the analyses are then computed in memory and the failure is named once.
    """

    def __init__(self, inner: Any) -> None:
        import sqlite3  # here, not at the top: the TUI's first frame needs no SQLite

        self._inner = inner
        self._errors = (sqlite3.Error, OSError)
        self.failure: str | None = None

    def get_analysis(self, content_hash: str, analyser: str, key: str) -> str | None:
        """The cached value, or None (also once the store has failed)."""
        if self.failure is None:
            try:
                value: str | None = self._inner.get_analysis(content_hash, analyser, key)
                return value
            except self._errors as exc:
                self.failure = _store_problem(exc)
        return None

    def put_analysis(self, content_hash: str, analyser: str, key: str, value: str) -> None:
        """Remember a value while the store works; forget it quietly once it does not."""
        if self.failure is None:
            try:
                self._inner.put_analysis(content_hash, analyser, key, value)
            except self._errors as exc:
                self.failure = _store_problem(exc)

    def get_analyses(self, hashes: Sequence[str], analyser: str, key: str) -> dict[str, str]:
        """Many cached values by content hash (none once the store has failed)."""
        if self.failure is None:
            try:
                found: dict[str, str] = self._inner.get_analyses(hashes, analyser, key)
                return found
            except self._errors as exc:
                self.failure = _store_problem(exc)
        return {}

    def put_analyses(self, analyser: str, key: str, values: Sequence[tuple[str, str]]) -> None:
        """Remember many values in one transaction while the store works."""
        if self.failure is None:
            try:
                self._inner.put_analyses(analyser, key, values)
            except self._errors as exc:
                self.failure = _store_problem(exc)


def _store_problem(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def collect_for_run(
    config: Config, *, now: datetime, fetch: bool, window: tuple[datetime, datetime]
) -> Any:
    """Collect for ``brief run``, degrading instead of failing when the store is in trouble.

    A store that cannot be written (full disk, read-only) may still be read:
    the run then uses what is stored.  One that cannot be read (a damaged
    page) leaves the local sources and, unless offline, today's feeds fetched
    into memory; every feed names the failure.
    """
    import dataclasses
    import sqlite3

    from brief.collect import collect_sources
    from brief.collect.local import collect_local
    from brief.models import CollectResult, SourceHealth

    try:
        return collect_sources(config, now=now, fetch=fetch, window=window)
    except (sqlite3.Error, OSError) as exc:
        problem = _store_problem(exc)
    if fetch:
        try:
            stored = collect_sources(config, now=now, fetch=False, window=window)
        except (sqlite3.Error, OSError) as exc:
            problem = f"{problem}; reading it: {_store_problem(exc)}"
        else:
            note = f"not fetched: article store failed ({problem}); stored articles used"
            feed_ids = {h.source.id for h in stored.health if h.source.kind == "feed"}
            health = tuple(
                dataclasses.replace(h, error=h.error or note) if h.source.id in feed_ids else h
                for h in stored.health
            )
            return CollectResult(articles=stored.articles, health=health)
    from brief.collect.stored import feed_source

    articles, local_health = collect_local(config.local_paths())
    error = f"article store failed: {problem}"
    if fetch and config.feeds:
        from brief.collect.fetch import collect_feeds_in_memory

        # Nothing can be read from the store: what the feeds give today still makes a briefing.
        start, end = window
        feed_articles, feed_health = collect_feeds_in_memory(
            config, config.feeds, error, now=now, start=start, end=end + timedelta(minutes=1)
        )
        return CollectResult(
            articles=(*articles, *feed_articles), health=(*local_health, *feed_health)
        )
    feed_health = [SourceHealth(source=feed_source(f), error=error) for f in config.feeds]
    return CollectResult(articles=tuple(articles), health=(*local_health, *feed_health))


# --- brief fetch / brief feeds ------------------------------------------------------


def _fetch_state(outcome: Any) -> str:
    """One word for how a feed's fetch went: failed, not-due, unchanged or fetched."""
    if outcome.health.error:
        return "failed"
    if outcome.skipped:
        return "not-due"
    return "unchanged" if outcome.not_modified else "fetched"


def _fetch_progress(outcome: Any, done: int, total: int) -> None:
    """One stderr line per feed as it finishes (on a terminal, or with -v)."""
    health = outcome.health
    state = {
        "failed": f"failed: {health.error}",
        "not-due": f"not due ({outcome.skipped})",
        "unchanged": "unchanged",
        "fetched": f"{outcome.added} new",
    }[_fetch_state(outcome)]
    line = f"[{done:>{len(str(total))}}/{total}] {health.source.name}: {state}"
    log.info(safe_line(line), extra={"bare": True})


def _fetch_json(report: Any) -> dict[str, Any]:
    """What ``brief fetch --json`` prints: each feed's outcome and the totals."""
    return {
        "feeds": [
            {
                "name": o.health.source.name,
                "url": o.source.location,
                "state": _fetch_state(o),
                "added": o.added,
                "updated": o.updated,
                "not_due": o.skipped,
                "status": o.health.status,
                "error": o.health.error,
                "warnings": list(o.health.warnings),
            }
            for o in report.outcomes
        ],
        "added": report.added,
        "purged": report.purged,
        "failed": [o.health.source.name for o in report.failed],
    }


def cmd_fetch(args: argparse.Namespace, config: Config) -> int:
    """Fetch every feed into the store; progress on a terminal, else one summary line."""
    from brief.collect.fetch import fetch_feeds
    from brief.store import open_store

    if not config.feeds:
        _warn("no feeds configured; add one with `brief feeds add URL`")
        if args.json:
            _print_json({"feeds": [], "added": 0, "purged": 0, "failed": []})
        return EXIT_OK
    shown = log.isEnabledFor(logging.DEBUG) or (
        sys.stderr.isatty() and log.isEnabledFor(logging.INFO)
    )
    progress = _fetch_progress if shown else None
    with open_store(config.store_path()) as store:
        report = fetch_feeds(config, store, now=_now(), force=args.force, progress=progress)
    log.info(f"fetched {report.summary_line()}")
    if args.json:
        _print_json(_fetch_json(report))
    for outcome in report.failed:
        _err(f"feed failed: {outcome.health.source.name}: {outcome.health.error}")
    return EXIT_PARTIAL if report.failed else EXIT_OK


def _find_feed(config: Config, key: str) -> int:
    """Index of the feed named by URL or name (any case); BriefError when none or several."""
    key = key.strip()
    by_url = [i for i, f in enumerate(config.feeds) if f.url == key]
    if by_url:
        return by_url[0]
    by_name = [
        i for i, f in enumerate(config.feeds) if f.name and f.name.casefold() == key.casefold()
    ]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise BriefError(
            f"{key!r} names {plural(len(by_name), 'feed')}", "give the feed's URL instead"
        )
    raise BriefError(f"{key}: not one of your feeds", "`brief feeds list` shows them")


def _feeds_add(args: argparse.Namespace, config: Config) -> int:
    from brief.collect.subscriptions import add_feed, subscribe
    from brief.config import update_config

    tags = tuple(t.strip() for t in (args.tags or "").split(",") if t.strip())
    try:
        done = subscribe(
            config,
            args.url,
            now=_now(),
            name=args.name or "",
            tags=tags,
            full_text=args.full_text,
            check=not args.no_check,
        )
    except BriefError as exc:
        if exc.hint is None and "already subscribed" not in exc.message:
            exc.hint = "add it anyway with --no-check"
        raise
    if done.found_at:
        log.info(safe_line(f"{args.url} is a web page; subscribing to its feed {done.found_at}"))
    # The check above took network time; other `feeds add` may have saved since.
    _, path = update_config(lambda fresh: (add_feed(fresh, done.feed), None), config.path)
    url = done.feed.url
    print(safe_line(f"subscribed: {args.name or done.title or url} <{url}> (saved to {path})"))
    return EXIT_OK


def _feeds_remove(args: argparse.Namespace, config: Config) -> int:
    from brief.collect.subscriptions import unsubscribe
    from brief.config import update_config

    feed = config.feeds[_find_feed(config, args.feed)]
    removed, path = update_config(lambda fresh: unsubscribe(fresh, feed.url), config.path)
    print(
        f"unsubscribed: {feed.name or feed.url} "
        f"({plural(removed, 'stored article')} removed; saved to {path})"
    )
    return EXIT_OK


def _feeds_list(args: argparse.Namespace, config: Config) -> int:
    from brief.collect.stored import stored_feed_health
    from brief.store import open_store

    if not config.feeds:
        if args.json:
            _print_json([])
            return EXIT_OK
        print("no feeds; add one with `brief feeds add URL` or `brief feeds import FILE.opml`")
        return EXIT_OK
    if config.store_path().exists():
        with open_store(config.store_path()) as store:
            healths = stored_feed_health(config, store)
    else:
        from brief.collect.stored import feed_source, health_from_state

        healths = tuple(health_from_state(feed_source(f), None) for f in config.feeds)
    if args.json:
        _print_json(
            [
                {**_health_json(h), "url": f.url, "tags": list(f.tags), "full_text": f.full_text}
                for f, h in zip(config.feeds, healths, strict=True)
            ]
        )
        return EXIT_OK
    for feed, health in zip(config.feeds, healths, strict=True):
        status = "FAILED" if health.error else ("new" if health.last_success is None else "ok")
        when = f"{health.last_success:%Y-%m-%d %H:%M} UTC" if health.last_success else "never"
        http = f"HTTP {health.status}" if health.status else "-"
        tags = f"  [{', '.join(feed.tags)}]" if feed.tags else ""
        print(safe_line(f"{status:<6}  {health.source.name}{tags}"))
        print(f"        {feed.url}")
        print(
            f"        last success: {when}; last status: {http}; "
            f"{plural(health.article_count, 'entry', 'entries')}"
        )
        if health.error:
            print(f"        error: {safe_line(health.error)}")
        for warning in health.warnings:
            print(f"        warning: {safe_line(warning)}")
    return EXIT_OK


def _feeds_import(args: argparse.Namespace, config: Config) -> int:
    from brief.collect.subscriptions import Imported, import_opml, merge_imported
    from brief.config import update_config

    read = import_opml(config, Path(args.file))
    for note in read.notes:
        _warn(f"{args.file}: {note}")
    feeds = (*read.added, *read.already)

    def merge(fresh: Config) -> tuple[Config, Imported]:
        merged = merge_imported(fresh, feeds)
        return merged.config, merged

    done, saved = update_config(merge, config.path) if read.added else (read, None)
    where = f"; saved to {saved}" if done.added else ""
    print(
        f"imported {plural(len(done.added), 'feed')} "
        f"({len(done.already)} already subscribed){where}"
    )
    return EXIT_OK


def _feeds_export(args: argparse.Namespace, config: Config) -> int:
    from brief.collect.subscriptions import export_opml, opml_text

    if args.output:
        path = export_opml(config, Path(args.output), now=_now())
        log.info(f"exported {plural(len(config.feeds), 'feed')} to {path}")
    else:
        sys.stdout.write(opml_text(config, now=_now()))
    return EXIT_OK


def cmd_feeds(args: argparse.Namespace, config: Config) -> int:
    """``brief feeds add|remove|list|import|export``."""
    actions: dict[str, Handler] = {
        "add": _feeds_add,
        "remove": _feeds_remove,
        "list": _feeds_list,
        "import": _feeds_import,
        "export": _feeds_export,
    }
    return actions[args.feeds_action](args, config)


# --- brief summarize -------------------------------------------------------------


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
    # An explicit length is what the user asked for: the config's budget would cut it.
    words = args.words if args.words is not None else (0 if args.length else config.summary.words)
    sentences = summarize_text(
        text,
        algorithm=args.algorithm or config.summary.algorithm,
        sentences=count or config.summary.sentences,
        ratio=ratio,
        max_input_sentences=config.summary.max_input_sentences,
        title=title,
        words=words,
    )
    for sentence in sentences:
        print(safe_line(" ".join(sentence.text.split())))
    return EXIT_OK


# --- brief actors ------------------------------------------------------------------


def cmd_actors(args: argparse.Namespace, config: Config) -> int:
    """List the day's actors with counts, or (``--json``) analyse one text for scripts."""
    if args.json is not None:
        return _actors_json(args.json, config)
    import dataclasses

    from brief.actors.briefs import build_actor_briefs
    from brief.briefing.compose import briefing_time, select_articles

    now = _now()
    at = briefing_time(args.date, now)
    window = (at - timedelta(hours=config.briefing.window_hours), at)
    result = collect_for_run(config, now=now, fetch=False, window=window)
    articles = select_articles(result.articles, config, at)
    # The listing shows every actor that qualifies, not just the briefing's top few.
    listing = dataclasses.replace(
        config,
        actors=dataclasses.replace(config.actors, max_actors=10_000, sentences=0, quotes=0),
    )
    briefs = build_actor_briefs(articles, listing)
    if not briefs:
        print(f"no actors in {plural(len(articles), 'article')} for {at.astimezone().date()}")
        return EXIT_OK
    print(f"{'mentions':>8}  {'articles':>8}  {'sources':>7}  {'kind':<12}  actor")
    for brief in briefs:
        actor = brief.actor
        facts = ", ".join(f for f in (actor.role, actor.affiliation) if f)
        label = safe_line(f"{actor.name} ({facts})" if facts else actor.name)
        print(
            f"{brief.mention_count:>8}  {brief.article_count:>8}  {brief.source_count:>7}  "
            f"{actor.kind:<12}  {label}"
        )
    return EXIT_OK


def _actors_json(source: str, config: Config) -> int:
    """Print the actors, mentions and quotes of one text file (or stdin) as JSON.

    The text is read as it is (no HTML extraction, no furniture stripping) so the
    character offsets point into exactly what was given.
    """
    import json

    from brief.actors.analysis import analyse_text, to_jsonable

    if source == "-":
        text = sys.stdin.read()
    else:
        path = Path(source).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BriefError(f"{path}: no such file", "give a text file or - for stdin") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BriefError(f"{path}: cannot read it as UTF-8 text: {exc}") from None
    result = analyse_text(text, watch=config.actors.watch)
    print(json.dumps(to_jsonable(result), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_actor(args: argparse.Namespace, config: Config) -> int:
    """One actor's timeline from the actor ledger: mentions, stories, quotes, company."""
    from brief.briefing.compose import briefing_time
    from brief.briefing.timeline import read_timeline, timeline_json, timeline_lines
    from brief.store import open_store

    if not config.store_path().exists():
        raise BriefError("no article store yet, so no actor ledger", "run `brief run` first")
    end = briefing_time(args.date, _now()).astimezone().date()
    with open_store(config.store_path()) as store:
        watch = config.actors.watch
        timeline = read_timeline(store, args.name, end=end, days=args.days, watch=watch)
    if args.json:
        _print_json(timeline_json(timeline, end, args.days))
    else:
        for line in timeline_lines(timeline, end, args.days):
            print(safe_line(line))
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


def cmd_tui(args: argparse.Namespace, config: Config) -> int:
    """``brief tui``: the interactive interface, asked for by name (never falls back to run)."""
    from brief.tui.serve import served_by_textual_serve

    for name, stream in (("standard output", sys.stdout), ("standard input", sys.stdin)):
        # Under `brief serve` the "terminal" is a browser tab, reached through pipes.
        if not stream.isatty() and not served_by_textual_serve():
            _err(f"tui: {name} is not a terminal; run it in a terminal, or use `brief run`")
            return EXIT_USAGE
    from brief.tui.app import run_tui

    return run_tui(config)


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    """``brief serve``: the TUI in a browser, on 127.0.0.1 unless told otherwise."""
    from brief.tui.serve import exposure_warning, public_url, serve

    url = args.public_url or public_url(args.host, args.port)
    warning = exposure_warning(args.host, args.port)
    if warning:
        _warn(warning)
    log.info(f"serving the reader on {url} (ctrl+c stops)")
    return serve(Path(args.config) if args.config else None, args.host, args.port, url)


# --- brief completion ----------------------------------------------------------------


def cmd_completion(args: argparse.Namespace, config: Config) -> int:
    """Print the shell code that completes ``brief`` commands and options."""
    from argcomplete.shell_integration import shellcode

    sys.stdout.write(shellcode(["brief"], shell=args.shell))
    return EXIT_OK


HANDLERS: dict[str, Handler] = {
    "run": cmd_run,
    "summarize": cmd_summarize,
    "fetch": cmd_fetch,
    "feeds": cmd_feeds,
    "actors": cmd_actors,
    "actor": cmd_actor,
    "config": cmd_config,
    "tui": cmd_tui,
    "serve": cmd_serve,
    "completion": cmd_completion,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run brief with ``argv``; return the exit code."""
    parser = build_parser()
    complete_if_asked(parser)
    args = parser.parse_args(argv)
    _set_up_logging(args.verbose - args.quiet)
    from brief.config import Config, load_config  # not for --help (see the top)

    try:
        # `config path`, `config init` and completion must work even when the file is broken.
        needs_config = not (
            (args.command == "config" and args.action in ("path", "init"))
            or args.command == "completion"
        )
        config = load_config(args.config) if needs_config else Config()
        if needs_config:
            log.debug(f"config: {config.path or 'defaults (no file)'}")
        handler = HANDLERS[args.command] if args.command else cmd_default
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

"""Run ``parse_feed`` off the event loop: in one thread, or in one worker process.

Parsing holds the GIL, so in a thread it takes turns with the event loop
(downloads) and the store's thread (writes) on one core while the second
idles.  A first fetch of many feeds therefore parses in one worker process;
measured on the 200-feed bench first fetch (21.6 MB, every entry recent,
``resource.getrusage``, a loaded 2-core machine): brief's own CPU went from
3.5-4.3 s to 2.0-2.1 s, the worker's was 1.9-2.1 s, and the wall time of
the whole run from 6.1-7.4 s to 5.4-5.9 s.  Bodies go in as they arrive and
results come back pipelined (the receiving thread costs brief about 0.15 s
for the 10 MB of results; they travel as class and field values, a third
cheaper to unpickle than dataclass state).

How it starts: with ``os.fork`` while brief runs a single thread (``brief
fetch``/``brief run``: 45 ms of worker CPU until ready, 4 ms in brief),
else (the TUI fetches from a worker thread beside Textual's, and forking
beside threads is unsafe) as a fresh interpreter importing the parser
(about 170 ms of worker CPU, ready after about 160 ms).  No multiprocessing
pool: a forkserver or spawn context also starts the resource tracker (and
re-imports ``__main__``) for nothing, and plain pipes let the worker see
brief's end, even by ``kill -9``, as the end of its input.  Bodies that
arrive before the worker is ready are parsed in the thread.

Small runs never pay for a process: it starts from PROCESS_MIN_FEEDS
first-fetched feeds, where the parsing it takes over (about 6.5 ms of CPU a
feed on that bench, against about 1 ms a feed for the trip) passes what a
spawned worker costs to start.  Warm runs (304s, unchanged bodies) stay in
the thread.

Never a lost feed: when the worker cannot start, dies, or returns a result
that does not pickle, that body (and, once it is gone, every later one) is
parsed in the thread.  ``close`` ends it after its last reply, or at once
with SIGTERM when bodies are still out (a run deadline, Ctrl-C, which the
worker itself ignores), and always reaps it (SIGKILL past CLOSE_SECONDS).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import copyreg
import dataclasses
import gc
import importlib
import io
import itertools
import operator
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import IO, Literal

from brief.collect.parse import FeedEntry, ParsedFeed, load_feedparser, parse_feed
from brief.models import Enclosure, Link

# From this many first-fetched feeds on, warm the character-set detector up too.
WARM_DETECTOR_FEEDS = 8
# From this many first-fetched feeds on, parsing moves to a worker process (see above).
PROCESS_MIN_FEEDS = 24
# How long close() lets the worker finish before it is killed.
CLOSE_SECONDS = 2.0
# Pipe capacity asked for (Linux): a whole feed body or result fits, so neither
# side waits on the other mid-message.
PIPE_BYTES = 1 << 20
# The worker's young-generation threshold, as brief.collect.fetch.FETCH_GC_THRESHOLD.
WORKER_GC_THRESHOLD = 10_000

Job = Callable[[bytes, str, dict[str, str], "datetime | None"], ParsedFeed]
StartMethod = Literal["auto", "fork", "spawn", "thread"]
_JOB_NAME = f"{__name__}:_parse_job"


def _parse_job(
    body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
) -> ParsedFeed:
    return parse_feed(body, url, headers, since=since)


def _warm_parser(first_fetch: bool) -> None:
    """Import feedparser while the first responses are still on their way.

    On a first fetch of many feeds, also load the character-set detector
    feedparser falls back on for feeds that misdeclare their encoding: its
    first use costs about 80 ms, which would otherwise land mid-run.
    """
    feedparser = load_feedparser()
    detect = getattr(feedparser.encodings, "lazy_chardet_encoding", None)
    if first_fetch and callable(detect):
        detect("Últimas notícias".encode("latin-1"))


# --- the worker process ------------------------------------------------------------


def _resolve(name: str) -> Job:
    """The function ``module:name`` names (looked up now, so a test's patch applies)."""
    module, _, attribute = name.partition(":")
    job: Job = getattr(importlib.import_module(module), attribute)
    return job


def _by_fields(cls: type) -> Callable[[object], tuple[type, tuple[object, ...]]]:
    get = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))
    return lambda obj: (cls, get(obj))


_COMPACT = copyreg.dispatch_table.copy()
for _cls in (ParsedFeed, FeedEntry, Link, Enclosure):
    _COMPACT[_cls] = _by_fields(_cls)


def _dumps(obj: object) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _COMPACT
    pickler.dump(obj)
    return out.getvalue()


def _reply(results: IO[bytes], job_id: int, parsed: ParsedFeed | None) -> None:
    """Send one result back; one that cannot be pickled goes back as None (parse it at home)."""
    try:
        data = _dumps((job_id, parsed))
    except Exception:  # e.g. a field pickle cannot carry: the parent parses this body itself
        data = pickle.dumps((job_id, None), pickle.HIGHEST_PROTOCOL)
    results.write(data)
    results.flush()


def serve(requests_fd: int, results_fd: int, job_name: str) -> None:
    """The worker's loop: parse each body sent, send each result back, until brief goes.

    Its first message (id -1) says it is ready.  It ends when the request pipe
    closes, which also happens when brief dies, even by ``kill -9``, so it
    never outlives brief.  Ctrl-C is for brief, which stops the worker itself.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # after a fork: leave the objects brief had alone (fewer pages copied)
    gc.set_threshold(max(gc.get_threshold()[0], WORKER_GC_THRESHOLD))
    job = _resolve(job_name)
    with open(requests_fd, "rb") as requests, open(results_fd, "wb") as results:
        load_feedparser()  # then ready: bodies sent meanwhile are parsed in the thread
        _reply(results, -1, None)
        while True:
            try:
                job_id, body, url, headers, since = pickle.load(requests)
            except EOFError:
                return
            _reply(results, job_id, job(body, url, headers, since))


# --- starting and stopping it -------------------------------------------------------


class _Child:
    """A started worker process: its pid, and how to wait for it or stop it."""

    def __init__(self, pid: int, popen: subprocess.Popen[bytes] | None = None) -> None:
        self.pid = pid
        self._popen = popen
        self._reaped = False

    def terminate(self) -> None:
        """Ask it to stop now (SIGTERM); it has nothing to save."""
        if not self._reaped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)

    def reap(self, timeout: float) -> None:
        """Wait up to ``timeout`` for it to exit, then kill it: never a zombie, never a hang."""
        if self._reaped:
            return
        if self._popen is not None:
            try:
                self._popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._popen.kill()
                self._popen.wait()
        else:
            deadline = time.monotonic() + timeout
            while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                if time.monotonic() >= deadline:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.005)
        self._reaped = True


def _pipe() -> tuple[int, int]:
    """A pipe, as large as the system lets us make it (a feed body in one go)."""
    import fcntl  # POSIX only, as the worker is

    read, write = os.pipe()
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setsize is not None:
        with contextlib.suppress(OSError):  # above the system's limit: the default then
            fcntl.fcntl(write, setsize, PIPE_BYTES)
    return read, write


def _fork(child_fds: tuple[int, int], parent_fds: tuple[int, int], job: str) -> _Child:
    """Fork the worker (only while brief runs one thread): it starts in milliseconds."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
        if pid == 0:  # the worker: never returns into brief's code
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                for fd in parent_fds:
                    os.close(fd)
                serve(*child_fds, job)
                code = 0
            finally:
                os._exit(code)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return _Child(pid)


def _spawn(child_fds: tuple[int, int], job: str) -> _Child:
    """Start the worker as a fresh interpreter: safe beside any threads (the TUI's)."""
    code = (
        f"import sys; sys.path[:] = {sys.path!r}\n"
        f"from brief.collect.parsepool import serve; serve({child_fds[0]}, {child_fds[1]},"
        f" {job!r})"
    )
    popen = subprocess.Popen(
        [sys.executable, "-I", "-c", code],
        pass_fds=child_fds,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # never a traceback over the TUI; brief falls back instead
    )
    return _Child(popen.pid, popen)


class _Worker:
    """One parse process and the two pipes to it, with requests pipelined.

    Bodies are written from the parse thread (a full pipe waits there, not on
    the event loop); results are read and unpickled by a thread of their own,
    which settles each request's future.  A future settles with None when the
    worker cannot give a result (it died, or the result does not pickle): the
    caller then parses that body itself.
    """

    def __init__(self, method: Literal["fork", "spawn"], job: str) -> None:
        requests_r, requests_w = _pipe()
        results_r, results_w = _pipe()
        try:
            if method == "fork":
                self._child = _fork((requests_r, results_w), (requests_w, results_r), job)
            else:
                self._child = _spawn((requests_r, results_w), job)
        except BaseException:
            for fd in (requests_w, results_r):
                os.close(fd)
            raise
        finally:
            os.close(requests_r)
            os.close(results_w)
        self.pid = self._child.pid
        self._requests = open(requests_w, "wb")  # noqa: SIM115 (closed in close())
        self._pending: dict[int, concurrent.futures.Future[ParsedFeed | None]] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._broken = False
        self.ready = threading.Event()
        self._receiver = threading.Thread(
            target=self._receive, args=(results_r,), name="brief-parse-results", daemon=True
        )
        self._receiver.start()

    @property
    def usable(self) -> bool:
        """True while bodies sent would be parsed there (it is up and has not failed)."""
        return self.ready.is_set() and not self._broken

    def submit(
        self, sender: concurrent.futures.Executor, args: tuple[object, ...]
    ) -> concurrent.futures.Future[ParsedFeed | None]:
        """Send one body (through ``sender``); the future settles with its result or None."""
        future: concurrent.futures.Future[ParsedFeed | None] = concurrent.futures.Future()
        with self._lock:
            if self._broken:
                future.set_result(None)
                return future
            job_id = next(self._ids)
            self._pending[job_id] = future
        sender.submit(self._send, job_id, args)
        return future

    def _send(self, job_id: int, args: tuple[object, ...]) -> None:
        try:
            data = pickle.dumps((job_id, *args), pickle.HIGHEST_PROTOCOL)
        except Exception:  # this request does not pickle: parse it at home
            self._settle(job_id, None)
            return
        try:
            self._requests.write(data)
            self._requests.flush()
        except (OSError, ValueError):  # the worker is gone (or we are closing)
            self._fail()

    def _settle(self, job_id: int, parsed: ParsedFeed | None) -> None:
        with self._lock:
            future = self._pending.pop(job_id, None)
        if future is not None:
            with contextlib.suppress(concurrent.futures.InvalidStateError):  # cancelled
                future.set_result(parsed)

    def _receive(self, results_fd: int) -> None:
        """The result thread: read every reply until the worker's end closes."""
        try:
            with open(results_fd, "rb") as results:
                while True:
                    job_id, parsed = pickle.load(results)
                    if job_id == -1:
                        self.ready.set()
                    else:
                        self._settle(job_id, parsed)
        except Exception:  # EOF (it exited or died) or a garbled reply: no more results
            pass
        finally:
            self._fail()

    def _fail(self) -> None:
        """From now on nothing goes to the worker; what it still holds is parsed at home."""
        with self._lock:
            self._broken = True
            pending, self._pending = self._pending, {}
        for future in pending.values():
            with contextlib.suppress(concurrent.futures.InvalidStateError):
                future.set_result(None)

    def close(self) -> None:
        """Stop the worker and wait for it; at once if bodies are still out (a deadline)."""
        with self._lock:
            busy = bool(self._pending)
            self._broken = True
        if busy:
            self._child.terminate()  # nobody waits for those results any more
        with contextlib.suppress(OSError, ValueError):
            self._requests.close()  # end of input: an idle worker exits
        self._receiver.join(CLOSE_SECONDS)
        self._child.reap(CLOSE_SECONDS)
        self._receiver.join()  # the worker is gone, so its end of the pipe is closed


def _single_threaded() -> bool:
    """True when this process runs one thread, C libraries' threads included (Linux only).

    Elsewhere it is never sure (and macOS's system libraries do not survive a
    fork), so the worker is spawned there.
    """
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _start_worker(method: StartMethod, job: str) -> _Worker | None:
    """A started worker, or None when it cannot start (then parsing stays in the thread)."""
    if os.name != "posix":
        return None  # the worker's pipes are passed as POSIX file descriptors
    if method == "auto":
        method = "fork" if _single_threaded() else "spawn"
    if method == "thread":
        return None
    try:
        return _Worker(method, job)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


class Parsers:
    """Runs parse_feed off the event loop: in one thread, or in one worker process.

    ``start`` picks how a worker starts ("auto": fork while brief runs one
    thread, else spawn; "thread": never a worker).  ``job`` replaces
    ``_parse_job`` (a module-level function, so a spawned worker can import it).
    """

    def __init__(self, *, start: StartMethod = "auto", job: Job | None = None) -> None:
        self._thread = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="brief-parse"
        )
        self._start = start
        self._job = job
        self._worker: _Worker | None = None

    @property
    def worker_pid(self) -> int | None:
        """The worker process's id, if one was started."""
        return self._worker.pid if self._worker is not None else None

    def _job_name(self) -> str:
        if self._job is None:
            return _JOB_NAME
        return f"{self._job.__module__}:{self._job.__qualname__}"

    def prepare(self, likely: int, first_fetch: int) -> None:
        """Start the worker for a big first fetch, or warm the thread up when ``likely`` > 0."""
        warm = first_fetch >= WARM_DETECTOR_FEEDS
        if first_fetch >= PROCESS_MIN_FEEDS:
            self._worker = _start_worker(self._start, self._job_name())
        if likely and self._worker is None:
            self._thread.submit(_warm_parser, warm)

    async def parse(
        self, body: bytes, url: str, headers: dict[str, str], since: datetime | None = None
    ) -> ParsedFeed:
        """Parse one body in the worker, or in the parse thread; never raises for bad input."""
        worker = self._worker
        if worker is not None and worker.usable:
            parsed = await asyncio.wrap_future(
                worker.submit(self._thread, (body, url, headers, since))
            )
            if parsed is not None:
                return parsed
        job = self._job or _parse_job
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, job, body, url, headers, since)

    def close(self) -> None:
        """Stop the worker (if one was started) and the parse thread."""
        self._thread.shutdown(wait=False, cancel_futures=True)
        if self._worker is not None:
            self._worker.close()
        self._thread.shutdown(wait=True)

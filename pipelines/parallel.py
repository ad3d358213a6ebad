"""Extraction on every core: a pool of worker processes, each extracting one page at a time.

Extraction costs tens of milliseconds of CPU per portal page, far more than fetching it, so a
crawl (or a re-extraction of a whole archive) is as fast as the cores that extract. The pool:

- starts its workers with the ``forkserver`` method: a crawl's process runs the Twisted reactor,
  threads and open sockets, and forking that is unsafe; forkserver children are forked from a
  small clean process that has only imported the extraction library;
- hands each worker its next page while it still extracts the one before (when the page fits
  in the pipe's buffer, so that handing it over never waits for the worker): a worker goes
  from one page to the next without waiting for this process, whose threads share one GIL
  with the crawl (a worker waited ~9 % of its time for its next page, one GIL hand-over away);
- knows when each page started, so a page that runs longer than ``timeout`` seconds is ended
  by killing its worker (a fresh one takes its place, the page handed to it in advance goes to
  another) and comes back as ``NoArticle("error")``, as does a page whose worker died: one bad
  page never stops or hangs a crawl;
- returns ``concurrent.futures.Future`` objects, completed from one dispatcher thread, which
  callers bridge to their own event loop (the Scrapy pipeline) or simply wait on (reextract).

``workers=0`` extracts in the calling thread: the same results, for debugging and profiling.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import socket
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any, TypeVar

from lxml.html import HtmlElement

from archive.errors import ArchiveError, ExtractionError
from archive.warc import read_response
from pipelines.extract import Article, NoArticle, extract, parse_page
from pipelines.extract.decoding import DecodedPage
from pipelines.extract.engine import TreeHook
from pipelines.links import PageLinks, find_links, link_set_hash

__all__ = ["ExtractJob", "Extracted", "ExtractionPool", "PageWork", "StoredCapture",
           "default_workers", "run_job"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
# What a worker runs for each job (run_job, or a test's stand-in).
Target = Callable[["ExtractJob"], "Article | NoArticle | PageWork"]

_READY = "ready"  # a worker's first message: it started and can take pages
# Workers that die before they are ready, in a row, before the pool gives up: a worker that
# cannot start (a script without an ``if __name__ == "__main__"`` guard, a broken install)
# would otherwise be restarted forever while every page comes back as an error.
_MAX_FAILED_STARTS = 3
# Pages a worker holds at once: the one it extracts and the next one, already in its pipe.
_PAGES_PER_WORKER = 2
# The send buffer asked for on each worker's pipe (the kernel may grant less): a page handed
# over in advance must fit in it whole, or sending it would wait for a worker that may be
# stuck on the page before (the dispatcher must stay free to end that worker).
_PIPE_BUFFER = 1 << 20


@dataclass(frozen=True)
class StoredCapture:
    """Where a page's bytes are in the archive's WARC files: the worker reads them itself, so
    re-extraction's reading and decompressing run on every core too."""

    archive_folder: str
    file: str
    offset: int
    length: int


@dataclass(frozen=True)
class ExtractJob:
    """Everything one extraction needs, picklable: it travels to a worker process. The page is
    ``data`` (with ``headers``), or the WARC record ``stored`` points to."""

    data: bytes = field(repr=False)
    url: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    options: Mapping[str, Any] | None = None
    site_boilerplate: frozenset[str] = field(default=frozenset(), repr=False)
    timezone: str = "Asia/Ho_Chi_Minh"
    language: str | None = None
    stored: StoredCapture | None = None
    # Also find the page's links in the tree extraction parses (the crawl follows them), and
    # whether to extract at all: a listing page is parsed for its links only.
    links: bool = False
    article: bool = True


@dataclass(frozen=True)
class PageWork:
    """What a worker's target may return instead of a bare result: the result, and the page's
    links when the job asked for them (None when they could not be read)."""

    result: Article | NoArticle
    links: PageLinks | None = None


@dataclass(frozen=True)
class Extracted:
    result: Article | NoArticle
    seconds: float  # CPU time the extraction took in its worker (0 when it never finished)
    # The page's links, when the job asked for them and the worker could read them; None
    # otherwise (the crawl then finds them itself).
    links: PageLinks | None = None


# A job not extracted (``article=False``): its links were all that was asked for.
_NOT_EXTRACTED = NoArticle("not-extracted", "only the page's links were asked for")


def run_job(job: ExtractJob) -> Article | NoArticle | PageWork:
    """The pool's default work: the extraction library's ``extract``, and the page's links
    from the same parse when the job asks for them."""
    data, headers = job.data, job.headers
    if job.stored is not None:
        where = job.stored
        try:
            response = read_response(Path(where.archive_folder), where.file, where.offset,
                                     where.length)
        except ArchiveError as exc:
            return NoArticle("error", f"capture unreadable: {exc}")
        data, headers = response.body, dict(response.headers)
    if not job.links:
        return _extract(job, data, headers, None)
    found: list[PageLinks] = []

    def read_links(tree: HtmlElement, page: DecodedPage) -> None:
        try:
            found.append(find_links(tree, page.text, job.url, page.encoding))
        except Exception:  # a <base href> that is no URL: the crawl's own parse decides
            logger.debug("no links read for %s", job.url, exc_info=True)

    if job.article:
        result = _extract(job, data, headers, read_links)
    else:
        parsed = parse_page(data, headers)
        if isinstance(parsed, NoArticle):
            # Not a readable HTML page: there are no links to find either.
            return PageWork(parsed, PageLinks((), (), link_set_hash(())))
        read_links(*parsed)
        result = _NOT_EXTRACTED
    return PageWork(result, found[0] if found else None)


def _extract(job: ExtractJob, data: bytes, headers: Mapping[str, str],
             on_tree: TreeHook | None) -> Article | NoArticle:
    return extract(data, job.url, headers=headers,
                   options=dict(job.options) if job.options is not None else None,
                   site_boilerplate=job.site_boilerplate, timezone=job.timezone,
                   language=job.language, on_tree=on_tree)


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _timed(target: Target, job: ExtractJob) -> Extracted:
    started = time.process_time()
    try:
        done = target(job)
    except Exception as exc:  # a bug on one page is that page's problem, not the crawl's
        logger.exception("extraction failed for %s", job.url)
        done = NoArticle("error", f"{type(exc).__name__}: {exc}")
    seconds = time.process_time() - started
    if isinstance(done, PageWork):
        return Extracted(done.result, seconds, done.links)
    return Extracted(done, seconds)


def _worker_main(conn: Connection, target: Target) -> None:
    # As pipelines.worker_signals says, for workers started without the forkserver too: only
    # the parent ends a worker, by closing its pipe (the worker sees EOF) or by SIGKILL.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        conn.send(_READY)
        while True:
            job = conn.recv()
            if job is None:
                return
            conn.send(_timed(target, job))
    except (EOFError, OSError):  # the parent is gone
        return


class _Worker:
    def __init__(self, context: Any, target: Target):
        self.conn, child_conn = context.Pipe(duplex=True)
        self.process: BaseProcess = context.Process(
            target=_worker_main, args=(child_conn, target), daemon=True,
            name="muni-extract")
        self.process.start()
        child_conn.close()
        # The pages sent to the worker, the first one being extracted (since ``deadline``
        # less the timeout), the next one waiting in the pipe.
        self.jobs: deque[tuple[ExtractJob, Future[Extracted]]] = deque()
        self.deadline = 0.0
        self.send_buffer = _enlarge_send_buffer(self.conn)

    def stop(self, *, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(timeout=None if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        self.process.close()


class ExtractionPool:
    """``submit(job)`` → Future of ``Extracted``; never raises for a bad page.

    Pages wait in the pool's queue until a worker is free; callers bound how many they submit
    at once (the crawl's scraper slot does, ``imap`` does with its window). When workers
    cannot even start, ``broken`` says why, the waiting pages come back as errors and
    ``submit`` raises ExtractionError.
    """

    def __init__(self, workers: int | None = None, *, timeout: float = 60.0,
                 target: Target = run_job,
                 start_method: str = "forkserver"):
        self.workers = default_workers() if workers is None else max(0, workers)
        self.timeout = timeout
        self.target = target
        self.restarts = 0  # workers replaced after a crash or a timeout
        self.broken: str | None = None
        self._pending: queue.SimpleQueue[tuple[ExtractJob, Future[Extracted]] | None] = \
            queue.SimpleQueue()
        self._closing = False
        self._thread: threading.Thread | None = None
        if self.workers == 0:
            return
        self._context = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            # The forkserver imports the extraction library once (and what it loads lazily,
            # then freezes it: pipelines/worker_preload.py); each worker is a fork of it.
            self._context.set_forkserver_preload(
                ["pipelines.worker_signals", "pipelines.extract", "pipelines.parallel",
                 "pipelines.worker_preload"])
        self._wake_read, self._wake_write = os.pipe()
        # submit() runs on the crawl's event loop: it must never block on a full pipe (a
        # pipe that already holds a byte wakes the dispatcher anyway).
        os.set_blocking(self._wake_write, False)
        self._starting: list[_Worker] = []
        self._idle: list[_Worker] = []
        self._busy: list[_Worker] = []
        self._backlog: deque[tuple[ExtractJob, Future[Extracted]]] = deque()
        # Room for pages handed over in advance; read by submit() on the caller's thread as a
        # hint only (a missed wake-up hands the page over when the next result comes in).
        self._free_slots = 0
        self._failed_starts = 0
        for _ in range(self.workers):
            self._start_worker()
        self._thread = threading.Thread(target=self._dispatch, name="muni-extract-dispatch",
                                        daemon=True)
        self._thread.start()
        _LIVE_POOLS.add(self)

    # -- the caller's side ---------------------------------------------------------------------

    def submit(self, job: ExtractJob) -> Future[Extracted]:
        future: Future[Extracted] = Future()
        if self.workers == 0:
            future.set_running_or_notify_cancel()
            future.set_result(_timed(self.target, job))
            return future
        if self.broken:
            raise ExtractionError(self.broken)
        if self._closing:
            raise RuntimeError("the extraction pool is closed")
        self._pending.put((job, future))
        if self._free_slots:
            # Only a worker with room needs the dispatcher now; when none has, it picks the
            # page up as the next one finishes. Waking it for nothing costs the crawl's thread
            # a GIL hand-over per page.
            self._wake()
        return future

    def imap(self, jobs: Iterable[T], make_job: Callable[[T], ExtractJob], *,
             window: int | None = None) -> Iterator[tuple[T, Extracted]]:
        """Extract in parallel, yielding (input, result) in input order, with at most
        ``window`` pages read and in flight at once (memory stays flat whatever the count)."""
        window = window or max(4, 4 * max(self.workers, 1))
        in_flight: deque[tuple[T, Future[Extracted]]] = deque()
        for item in jobs:
            in_flight.append((item, self.submit(make_job(item))))
            if len(in_flight) >= window:
                first, future = in_flight.popleft()
                yield first, future.result()
        for item, future in in_flight:
            yield item, future.result()

    def close(self) -> None:
        """Finish the pages already submitted, then stop the workers."""
        if self._closing:
            return
        self._closing = True
        if self._thread is not None:
            self._pending.put(None)
            self._wake()
            self._thread.join()
            os.close(self._wake_read)
            os.close(self._wake_write)

    def kill(self) -> None:
        """End every worker now (at interpreter exit, for a pool nobody closed)."""
        self._closing = True
        for worker in list(self._starting + self._idle + self._busy):
            with contextlib.suppress(Exception):
                worker.process.kill()

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError):
            os.write(self._wake_write, b"!")

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the dispatcher thread -----------------------------------------------------------------

    def _start_worker(self) -> None:
        self._starting.append(_Worker(self._context, self.target))

    def _dispatch(self) -> None:
        draining = False
        backlog = self._backlog
        try:
            while True:
                while True:  # move newly submitted pages to the backlog
                    try:
                        entry = self._pending.get_nowait()
                    except queue.Empty:
                        break
                    if entry is None:
                        draining = True
                    else:
                        backlog.append(entry)
                if self.broken:
                    while backlog:
                        _fail(backlog.popleft()[1], self.broken)
                self._assign(backlog)
                if draining and not backlog and not self._busy:
                    break
                self._wait_and_collect()
        except BaseException:  # a bug here must not leave callers waiting forever
            logger.exception("extraction dispatcher failed")
            self.broken = "the extraction pool stopped on an internal error"
            raise
        finally:
            for _, future in backlog:
                _fail(future, "the extraction pool stopped")
            for worker in self._starting + self._idle + self._busy:
                for _, future in worker.jobs:
                    _fail(future, "the extraction pool stopped")
                worker.stop(kill=worker not in self._idle)
            self._starting.clear()
            self._idle.clear()
            self._busy.clear()

    def _assign(self, backlog: deque[tuple[ExtractJob, Future[Extracted]]]) -> None:
        while backlog:
            worker = self._idle[-1] if self._idle else self._room_ahead()
            if worker is None:
                break
            job, future = backlog.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            message = ForkingPickler.dumps(job)
            if worker.jobs and len(message) > worker.send_buffer // 2:
                # Too big to wait whole in the pipe: it goes to the next worker that is free.
                backlog.appendleft((job, _renewed(future)))
                break
            try:
                worker.conn.send_bytes(message)
            except OSError:  # died: replace it, the page goes to another worker
                backlog.appendleft((job, _renewed(future)))
                self._lost(worker, f"its worker died (exit code {_exit_code(worker)})")
                continue
            if not worker.jobs:
                self._idle.remove(worker)
                self._busy.append(worker)
                worker.deadline = time.monotonic() + self.timeout
            worker.jobs.append((job, future))
        self._count_free_slots()

    def _room_ahead(self) -> _Worker | None:
        """A busy worker that can take its next page now, the least loaded first."""
        room = [w for w in self._busy if len(w.jobs) < _PAGES_PER_WORKER]
        return min(room, key=lambda w: len(w.jobs)) if room else None

    def _count_free_slots(self) -> None:
        self._free_slots = sum(_PAGES_PER_WORKER - len(w.jobs)
                               for w in self._idle + self._busy)

    def _wait_and_collect(self) -> None:
        now = time.monotonic()
        timeout = min((w.deadline for w in self._busy), default=now + 60.0) - now
        # A worker's pipe is what is watched: it says EOF when the worker dies. (Not the
        # process sentinel: under forkserver it fires when the forkserver goes, and the
        # workers may well outlive it.)
        watched: list[Any] = [self._wake_read]
        watched += [worker.conn for worker in self._starting + self._busy]
        ready = set(wait(watched, timeout=max(0.0, timeout)))
        if self._wake_read in ready:
            os.read(self._wake_read, 4096)
        for worker in list(self._starting):
            if worker.conn in ready:
                self._started(worker)
        for worker in list(self._busy):
            if worker.conn in ready:
                try:
                    extracted = worker.conn.recv()
                except (EOFError, OSError):
                    self._lost(worker, f"its worker died (exit code {_exit_code(worker)})")
                    continue
                self._finish(worker, extracted)
            elif time.monotonic() >= worker.deadline:
                self._lost(worker, f"extraction took longer than {self.timeout:g} s")

    def _started(self, worker: _Worker) -> None:
        self._starting.remove(worker)
        try:
            ready = worker.conn.poll() and worker.conn.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if ready:
            self._failed_starts = 0
            self._idle.append(worker)
            return
        code = _exit_code(worker)
        worker.stop(kill=True)
        self._failed_starts += 1
        if self._failed_starts < _MAX_FAILED_STARTS:
            self.restarts += 1
            self._start_worker()
        elif not self._starting and not self._idle and not self._busy:
            self.broken = (f"extraction worker processes cannot start (exit code {code}, "
                           f"{self._failed_starts} times in a row); their error is above. "
                           "MUNI_EXTRACT_WORKERS=0 extracts in-process")
            logger.error("%s", self.broken)

    def _finish(self, worker: _Worker, extracted: Extracted) -> None:
        _, future = worker.jobs.popleft()
        if worker.jobs:  # the worker went on to the page it already holds
            worker.deadline = time.monotonic() + self.timeout
        else:
            self._busy.remove(worker)
            self._idle.append(worker)
        self._count_free_slots()
        future.set_result(extracted)

    def _lost(self, worker: _Worker, why: str) -> None:
        """The worker is gone or ended: the page it was extracting comes back as an error (it
        may be what killed it), the one it held in advance goes to another worker, first."""
        jobs = worker.jobs
        worker.jobs = deque()
        if worker in self._busy:
            self._busy.remove(worker)
        else:
            self._idle.remove(worker)
        self._replace(worker)
        if jobs:
            job, future = jobs.popleft()
            logger.warning("no extraction for %s: %s", job.url, why)
            future.set_result(Extracted(NoArticle("error", why), 0.0))
        for job, future in reversed(jobs):
            self._backlog.appendleft((job, _renewed(future)))
        self._count_free_slots()

    def _replace(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        self.restarts += 1
        self._start_worker()


# Workers ignore SIGTERM, which is how multiprocessing ends daemon processes at exit (and then
# waits for them): a pool still open at exit would hang it. Registered after multiprocessing's
# own exit hook, so it runs first.
_LIVE_POOLS: weakref.WeakSet[ExtractionPool] = weakref.WeakSet()


@atexit.register
def _kill_live_pools() -> None:
    for pool in list(_LIVE_POOLS):
        pool.kill()


def _renewed(future: Future[Extracted]) -> Future[Extracted]:
    """A running future cannot go back to pending; chain a fresh one to it."""
    fresh: Future[Extracted] = Future()

    def forward(done: Future[Extracted]) -> None:
        future.set_result(done.result())

    fresh.add_done_callback(forward)
    return fresh


def _enlarge_send_buffer(conn: Connection) -> int:
    """Ask for a larger send buffer on the worker's pipe (a Unix socket); the size granted, 0
    where the pipe is no socket (then no page is handed over in advance)."""
    try:
        sock = socket.socket(fileno=os.dup(conn.fileno()))
    except OSError:
        return 0
    try:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _PIPE_BUFFER)
        return int(sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF))
    except OSError:
        return 0
    finally:
        sock.close()


def _fail(future: Future[Extracted], why: str) -> None:
    if not future.done():
        future.set_result(Extracted(NoArticle("error", why), 0.0))


def _exit_code(worker: _Worker) -> int | None:
    worker.process.join(timeout=1)
    return worker.process.exitcode

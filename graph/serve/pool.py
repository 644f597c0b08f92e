"""The endpoint's query workers: processes that each hold the graph read-only and run one query at a time.

*Why processes*: a query cannot be cancelled from Python, and pyoxigraph runs it without the GIL, so
a query given up on in a thread would keep a core busy until it ends (the three-way cross join of
the bundled build would run on for about 160 s). A worker past the time limit is killed (SIGKILL)
and replaced; handing a query to a worker and back costs about a millisecond.

*Crashes and memory*: queries run on a deep-stack thread (``graph.store.guard``), and each
worker's data memory (``RLIMIT_DATA``: heap and private mappings, not shared libraries or the
mapped store files) is capped at what it holds when ready plus ``max_memory``; a query that needs
more makes the allocation fail, the worker abort, and the caller gets a 500 saying so. A worker
that dies for any reason is replaced in the background.

*Snapshots*: a worker sees the graph as it was when it opened it (a read-only store handle keeps
its snapshot; a ``graph.ttl`` is loaded into memory). All workers of the pool belong to one
*generation*, opened from one state of the served folder. A watcher thread polls the folder: when
a build has published a new ``graph.ttl`` (it does so after its last store write), a complete new
generation is started beside the old one, and once every new worker is ready, queries go to the
new generation only; old workers finish what they run and stop. A dead worker is replaced only
while the folder is unchanged, so a replacement never opens a newer (or half-written) state
than its generation's.
"""

from __future__ import annotations

import contextlib
import os
import queue
import resource
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from graph.serve.results import Job, Reply, execute
from graph.store.guard import DEEP_STACK_BYTES, start_deep_stack_thread
from graph.store.oxigraph import GRAPH_FILENAME, STORE_DIRNAME, GraphStore
from graph.store.source import locate_graph, open_graph_source

WORKER_START_SECONDS = 120.0
WATCH_SECONDS = 1.0
_STORE_NOISE = ("LOG", "LOCK")  # RocksDB's info log and lock file change without the data changing


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class ServerBusy(Exception):
    """No worker became free within the time limit."""


# -- the served folder ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What identifies one state of the served graph: the published ``graph.ttl`` and the store files."""

    published: tuple[str, int, int, int] | None
    store: tuple[tuple[str, int, int], ...]


def snapshot_of(graph: Path) -> Snapshot:
    """The current state of ``graph`` (a build folder or an RDF file), from file metadata only."""
    published_file = graph / GRAPH_FILENAME if graph.is_dir() else graph
    published = None
    with contextlib.suppress(OSError):
        real = published_file.resolve(strict=True)  # a build may publish graph.ttl through a link
        info = real.stat()
        published = (str(real), info.st_ino, info.st_mtime_ns, info.st_size)
    store: list[tuple[str, int, int]] = []
    store_dir = graph / STORE_DIRNAME
    if graph.is_dir() and store_dir.is_dir():
        for entry in os.scandir(store_dir):
            if entry.name.startswith(_STORE_NOISE):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat()
                store.append((entry.name, info.st_size, info.st_mtime_ns))
    return Snapshot(published, tuple(sorted(store)))


def graph_to_open(graph: Path) -> str:
    """What a worker opens: the store when the folder has one, else the real file behind ``graph.ttl``."""
    located = locate_graph(graph)
    return str(located.parent) if located.is_dir() else str(located.resolve())


# -- one worker process ---------------------------------------------------------------------------


def _worker_main(conn: Connection, graph: str, max_memory: int | None) -> None:
    """A worker process: open the graph read-only, cap its memory, then answer jobs until told to stop.

    The jobs are answered on one deep-stack thread (``graph.store.guard``) that lives as long as
    the worker: starting a thread with a 256 MB stack for every query cost up to a millisecond.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        store = open_graph_source(graph)
    except (OSError, ValueError, SyntaxError) as err:
        conn.send(("failed", str(err)))
        return
    if max_memory is not None:
        _cap_data_memory(max_memory)
    answering = start_deep_stack_thread(lambda: _answer_jobs(conn, store, max_memory), name="sparql-worker")
    conn.send(("ready", os.getpid()))
    answering.join()


def _answer_jobs(conn: Connection, store: GraphStore, max_memory: int | None) -> None:
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = execute(store, job)
        except MemoryError:
            reply = Reply.error(500, _memory_message(max_memory))
        except Exception as err:  # a bug must cost one answer, not the worker
            reply = Reply.error(500, f"the query failed: {type(err).__name__}: {err}")
        conn.send(reply)


def _cap_data_memory(max_memory: int) -> None:
    """Allow ``max_memory`` bytes of data beyond what the worker holds and its query thread's stack."""
    held = _data_bytes()
    limit = held + DEEP_STACK_BYTES + max_memory
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _data_bytes() -> int:
    """The process's data memory (``VmData``), as the kernel counts it against ``RLIMIT_DATA``."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024
    return 0


def _memory_message(max_memory: int | None) -> str:
    limit = f"the {max_memory // 2**20} MB a query may use (serve --max-memory)" if max_memory else "there is"
    return f"the query needed more memory than {limit}; narrow it down (LIMIT, more specific patterns)"


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    generation: int


@dataclass(eq=False)
class _Generation:
    number: int
    snapshot: Snapshot
    graph: str
    members: set[_Worker] = field(default_factory=set)


# -- the pool -------------------------------------------------------------------------------------


class WorkerPool:
    """``workers`` processes answering queries, all from one snapshot of ``graph`` (see the module doc)."""

    def __init__(
        self,
        graph: str | os.PathLike[str],
        workers: int,
        timeout: float,
        *,
        max_memory: int | None = None,
        watch_seconds: float = WATCH_SECONDS,
    ):
        self.graph = Path(graph)
        self.size = workers
        self.timeout = timeout
        self.max_memory = max_memory
        self._context = get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._generation = self._start_generation(0)  # fails loudly at start-up, e.g. a missing store
        for worker in self._generation.members:
            self._idle.put(worker)
        self._watcher = threading.Thread(target=self._watch, args=(watch_seconds,), name="graph-watcher")
        self._watcher.daemon = True
        self._watcher.start()

    # -- answering ----------------------------------------------------------------------------

    def run(self, job: Job) -> Reply:
        """Answer ``job`` in a free worker of the current generation.

        Raises ``ServerBusy`` (no worker free within the time limit) or ``QueryTimeout``."""
        worker = self._take(deadline=time.monotonic() + self.timeout)
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                reply: Reply = worker.conn.recv()
                self._give_back(worker)
                return reply
        except (EOFError, OSError):  # the worker died under the query
            return Reply.error(500, self._death_message(worker))
        self._replace(worker)
        raise QueryTimeout

    def pids(self) -> list[int]:
        """The process ids of the current generation's workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._generation.members if w.process.pid is not None)

    @property
    def generation(self) -> int:
        """How many times the pool has switched to a new state of the served folder."""
        return self._generation.number

    def close(self) -> None:
        """Stop every worker."""
        self._closed.set()
        with self._lock:
            workers = list(self._generation.members)
            self._generation.members.clear()
        while True:
            try:
                workers.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in dict.fromkeys(workers):
            self._stop(worker)

    # -- workers ------------------------------------------------------------------------------

    def _take(self, deadline: float) -> _Worker:
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise ServerBusy from None
            if worker.generation != self._generation.number:
                self._retire(worker)
            elif not worker.process.is_alive():  # died while idle (the system's out-of-memory killer)
                self._replace(worker)
            else:
                return worker

    def _give_back(self, worker: _Worker) -> None:
        if worker.generation == self._generation.number and not self._closed.is_set():
            self._idle.put(worker)
        else:
            self._retire(worker)

    def _start(self, graph: str, generation: int) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, graph, self.max_memory), name="sparql-worker", daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent, generation)

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(WORKER_START_SECONDS):
            raise RuntimeError("a query worker did not start in time")
        try:
            status, detail = worker.conn.recv()
        except (EOFError, OSError):
            reason = self._exit_reason(worker)
            raise RuntimeError(f"a query worker stopped while starting ({reason})") from None
        if status != "ready":
            raise RuntimeError(f"a query worker cannot open the graph: {detail}")

    def _start_generation(self, number: int) -> _Generation:
        snapshot = snapshot_of(self.graph)
        generation = _Generation(number, snapshot, graph_to_open(self.graph))
        started = [self._start(generation.graph, number) for _ in range(self.size)]
        try:
            for worker in started:
                self._await_ready(worker)
        except BaseException:
            for worker in started:
                self._stop(worker)
            raise
        generation.members.update(started)
        return generation

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` at once (freeing its core); start another of its generation in the background."""
        self._retire(worker)
        if not self._closed.is_set():
            threading.Thread(target=self._start_replacement, args=(worker.generation,), daemon=True).start()

    def _start_replacement(self, number: int) -> None:
        generation = self._generation
        if number != generation.number or snapshot_of(self.graph) != generation.snapshot:
            return  # the folder changed: a replacement would see another state; the watcher switches
        worker = self._start(generation.graph, number)
        try:
            self._await_ready(worker)
        except (RuntimeError, EOFError, OSError) as err:
            if not self._closed.is_set():  # a worker stopped by close() is no news
                print(f"serve: {err}", file=sys.stderr)
            self._stop(worker)
            return
        with self._lock:
            if number != self._generation.number or self._closed.is_set():
                current = False
            else:
                current = True
                self._generation.members.add(worker)
        if current:
            self._idle.put(worker)
        else:
            self._stop(worker)

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._generation.members.discard(worker)
        self._stop(worker)

    def _stop(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def _death_message(self, worker: _Worker) -> str:
        reason = self._exit_reason(worker)
        self._replace(worker)
        if reason == "SIGABRT" and self.max_memory is not None:
            return _memory_message(self.max_memory) + " (its worker stopped; a new one is starting)"
        return f"the query worker stopped while running this query ({reason}); a new one is starting"

    def _exit_reason(self, worker: _Worker) -> str:
        worker.process.join(timeout=2)
        code = worker.process.exitcode
        if code is None:
            return "no exit status"
        if code < 0:
            with contextlib.suppress(ValueError):
                return signal.Signals(-code).name
        return f"exit status {code}"

    # -- following rebuilds -------------------------------------------------------------------

    def _watch(self, every: float) -> None:
        last_error = ""
        while not self._closed.wait(every):
            current = self._generation
            if snapshot_of(self.graph).published == current.snapshot.published:
                continue
            try:
                fresh = self._start_generation(current.number + 1)
            except (RuntimeError, OSError) as err:
                if str(err) != last_error:  # said once, not every second while it lasts
                    message = f"serve: cannot open the changed graph, still serving the old one: {err}"
                    print(message, file=sys.stderr)
                last_error = str(err)
                continue
            last_error = ""
            if fresh.snapshot != snapshot_of(self.graph) or self._closed.is_set():
                for worker in fresh.members:  # written to again while opening: try again later
                    self._stop(worker)
                continue
            self._switch(fresh)

    def _switch(self, fresh: _Generation) -> None:
        """Make ``fresh`` the generation every query from now on goes to; retire the old idle workers."""
        with self._lock:
            old = self._generation
            self._generation = fresh
        for worker in fresh.members:
            self._idle.put(worker)
        stale = []
        with contextlib.suppress(queue.Empty):
            for _ in range(self._idle.qsize()):
                worker = self._idle.get_nowait()
                if worker.generation == fresh.number:
                    self._idle.put(worker)
                else:
                    stale.append(worker)
        for worker in stale:
            old.members.discard(worker)
            self._stop(worker)

"""A read-only SPARQL 1.1 Protocol endpoint and query page for a build: ``python -m graph serve``.

    python -m graph serve --graph out/ --port 7878      # http://127.0.0.1:7878/sparql and /

Routes: ``/sparql`` (GET ``?query=``, POST form ``query=`` or an ``application/sparql-query`` body),
``/`` (the query page: Yasgui, bundled in ``graph/static/``, preloaded with ``graph/queries/*.rq``),
``/queries.json`` (those ready queries), ``/graph.html`` (the ``python -m graph view`` page, when the
build folder holds one) and ``/static/...``. Nothing is fetched from elsewhere: the page works offline.

Queries see the union of the article graphs as their default graph, with the contract prefixes
predeclared (as ``graph.store.GraphStore.query`` does). ``default-graph-uri`` / ``named-graph-uri``
select a dataset instead. Results follow ``Accept`` (or ``?format=json|xml|csv|tsv|turtle|jsonld|nt``,
which wins): SELECT/ASK as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle
(default), JSON-LD, N-Triples or RDF/XML. All of it is written by pyoxigraph's own serializers.

Refusals: SPARQL Update (an ``update=`` field, an ``application/sparql-update`` body, or update
text in ``query=``) gets 403; a malformed query 400 with the parser's message; an unwanted format 406.

Design
------
*HTTP* is the standard library's ``ThreadingHTTPServer``: one thread per connection is plenty for a
research endpoint on a laptop, and the protocol is three routes; a framework would add a dependency
and nothing the tests need.

*Time limit* (``--timeout``, default 10 s): pyoxigraph releases the GIL while it evaluates, but a
query cannot be cancelled from Python, so a query given up on in a thread would keep a core busy
until it ends (measured on the bundled build, 1,174 quads: ``{?a ?b ?c . ?d ?e ?f}`` takes 0.13 s,
so the three-way cross join would hold a core for about 160 s after a thread gave up on it, while
other threads kept answering, GIL free, slower). Queries therefore run in
a pool of worker *processes* (``--workers``, started with ``spawn``), each with its own read-only
handle on the store (or its own in-memory copy of a ``graph.ttl``). The request thread hands a job to
an idle worker and waits on its pipe; when the limit passes it kills that worker (SIGKILL), answers
503 and starts a replacement in the background (ready in about 0.3 s), so a runaway query costs
nothing after the limit. Handing a query to a worker and back costs about 1 to 1.5 ms
(``bench/serve_bench.py``). A ``graph.ttl`` is loaded into memory once per worker. The
limit covers evaluation and serialization; waiting for a free worker is bounded by the same number of
seconds separately (503 "busy" when every worker stays occupied that long).

*Row cap* (``--max-rows``, default 10000): results are truncated, not refused. The first N rows (or
triples) are returned with the header ``X-Result-Truncated: true`` (and ``X-Result-Max-Rows: N``); the
query page shows a notice. A SELECT result is read row by row up to the cap and passed back through
pyoxigraph's TSV parser so that the same serializers write the truncated result.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import queue
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.store import GRAPH_FILENAME, PREFIXES, GraphStore, add_graph_argument, open_graph_source

STATIC_DIR = Path(__file__).parent / "static"
VIEW_FILENAME = "graph.html"
MAX_BODY_BYTES = 1_000_000
DEFAULT_PORT, DEFAULT_TIMEOUT, DEFAULT_MAX_ROWS = 7878, 10.0, 10_000
WORKER_START_SECONDS = 120.0

#: ``?format=`` names: the media types they stand for, for a SELECT/ASK and for a CONSTRUCT/DESCRIBE.
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "turtle": ("text/turtle",),
    "ttl": ("text/turtle",),
    "n3": ("text/n3",),
    "jsonld": ("application/ld+json",),
    "json-ld": ("application/ld+json",),
    "nt": ("application/n-triples",),
    "ntriples": ("application/n-triples",),
    "n-triples": ("application/n-triples",),
    "rdf": ("application/rdf+xml",),
    "rdf+xml": ("application/rdf+xml",),
    "rdfxml": ("application/rdf+xml",),
}
RESULT_FORMATS = (
    ox.QueryResultsFormat.JSON,
    ox.QueryResultsFormat.XML,
    ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV,
)
GRAPH_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML)
GRAPH_FORMATS_BY_TYPE = {"text/n3": ox.RdfFormat.TURTLE}  # Turtle is N3; pyoxigraph writes no N3

# Update operations, after an optional prologue (comments, BASE, PREFIX): what a read-only endpoint refuses.
_UPDATE = re.compile(
    r"^(?:\s+|\#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


class HttpError(Exception):
    """A request the endpoint answers with an error status and a plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# -- one query, as a worker runs it ---------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A query to run: its text, the media types the client accepts (best first), the dataset."""

    query: str
    accept: tuple[str, ...] = ()
    max_rows: int = DEFAULT_MAX_ROWS
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, media type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


@dataclass
class _Limited:
    """At most ``limit`` items of an iterator, and whether more were left."""

    items: list[Any] = field(default_factory=list)
    truncated: bool = False

    @classmethod
    def take(cls, items: Iterable[Any], limit: int) -> _Limited:
        taken = cls()
        for item in items:
            if len(taken.items) >= limit:
                taken.truncated = True
                break
            taken.items.append(item)
        return taken


def execute(store: GraphStore, job: Job) -> Reply:
    """Run ``job`` on ``store`` and serialize the result as the client asked."""
    try:
        result = store.oxigraph.query(job.query, prefixes=PREFIXES, **_dataset(job))
    except SyntaxError as err:
        if _UPDATE.match(job.query):
            return Reply.error(403, "SPARQL Update is not allowed: this endpoint is read-only.")
        return Reply.error(400, f"SPARQL syntax error: {err}")
    except (OSError, RuntimeError, ValueError) as err:
        return Reply.error(400, f"the query cannot run: {err}")
    if isinstance(result, ox.QueryTriples):
        return _graph_reply(result, job)
    if isinstance(result, ox.QueryBoolean):
        fmt = _choose(job.accept, RESULT_FORMATS, {})
        if fmt is None:
            return _not_acceptable(job.accept, RESULT_FORMATS)
        return _ok(fmt.media_type, result.serialize(format=fmt))
    return _solutions_reply(result, job)


def _dataset(job: Job) -> dict[str, Any]:
    options: dict[str, Any] = {}  # none: the store's default graph, which holds the merged graph
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs]
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs]
    return options


def _solutions_reply(solutions: ox.QuerySolutions, job: Job) -> Reply:
    fmt = _choose(job.accept, RESULT_FORMATS, {})
    if fmt is None:
        return _not_acceptable(job.accept, RESULT_FORMATS)
    variables = [v.value for v in solutions.variables]
    rows = _Limited.take(solutions, job.max_rows)
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(row[v]) for v in variables) for row in rows.items]
    limited = ox.parse_query_results("\n".join(lines).encode("utf-8") + b"\n", ox.QueryResultsFormat.TSV)
    assert isinstance(limited, ox.QuerySolutions)
    return _ok(fmt.media_type, limited.serialize(format=fmt), rows.truncated, job.max_rows)


def _graph_reply(triples: ox.QueryTriples, job: Job) -> Reply:
    fmt = _choose(job.accept, GRAPH_FORMATS, GRAPH_FORMATS_BY_TYPE)
    if fmt is None:
        return _not_acceptable(job.accept, GRAPH_FORMATS)
    limited = _Limited.take(triples, job.max_rows)
    body = ox.serialize(limited.items, format=fmt, prefixes=PREFIXES)
    return _ok(fmt.media_type, body, limited.truncated, job.max_rows)


def _tsv_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A term in the syntax of SPARQL TSV results (N-Triples, RDF 1.2 triple terms)."""
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return f"<<( {_tsv_term(term.subject)} {_tsv_term(term.predicate)} {_tsv_term(term.object)} )>>"
    return str(term)


def _ok(media_type: str, body: bytes, truncated: bool = False, max_rows: int = 0) -> Reply:
    headers = (("X-Result-Truncated", "true"), ("X-Result-Max-Rows", str(max_rows))) if truncated else ()
    return Reply(200, f"{media_type}; charset=utf-8", body, headers)


def _choose(
    accept: Sequence[str],
    formats: Sequence[ox.QueryResultsFormat] | Sequence[ox.RdfFormat],
    extra: dict[str, ox.RdfFormat],
) -> Any:
    """The first of ``formats`` that ``accept`` allows (the first format is the default)."""
    if not accept:
        return formats[0]
    for media_type in accept:
        if media_type == "*/*" or media_type == f"{formats[0].media_type.split('/')[0]}/*":
            return formats[0]
        fmt = extra.get(media_type) or _from_media_type(formats[0], media_type)
        if fmt in formats:
            return fmt
    return None


def _from_media_type(kind: ox.QueryResultsFormat | ox.RdfFormat, media_type: str) -> Any:
    if isinstance(kind, ox.QueryResultsFormat):
        return ox.QueryResultsFormat.from_media_type(media_type)
    return ox.RdfFormat.from_media_type(media_type)


def _not_acceptable(
    accept: Sequence[str], formats: Sequence[ox.QueryResultsFormat] | Sequence[ox.RdfFormat]
) -> Reply:
    offered = ", ".join(fmt.media_type for fmt in formats)
    return Reply.error(406, f"cannot answer this query as {', '.join(accept)}; it can be had as {offered}")


# -- worker processes -----------------------------------------------------------------------------


def _worker_main(conn: Connection, graph: str) -> None:
    """A worker process: open the graph read-only, then answer jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        store = open_graph_source(graph)
    except (OSError, ValueError, SyntaxError) as err:
        conn.send(("failed", str(err)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = execute(store, job)
        except Exception as err:  # a bug must cost one answer, not the worker
            reply = Reply.error(500, f"the query failed: {type(err).__name__}: {err}")
        conn.send(reply)


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class ServerBusy(Exception):
    """No worker became free within the time limit."""


class WorkerPool:
    """Worker processes that each hold the graph open read-only and run one query at a time."""

    def __init__(self, graph: str | os.PathLike[str], workers: int, timeout: float):
        self.graph = str(graph)
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        started = [self._start() for _ in range(workers)]
        for worker in started:  # fail loudly at start-up, e.g. when the store is missing
            self._await_ready(worker)
            self._idle.put(worker)

    def run(self, job: Job) -> Reply:
        """Answer ``job`` in a free worker; raises ``ServerBusy`` or ``QueryTimeout``."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise ServerBusy from None
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                reply: Reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError) as err:  # the worker died under the query (out of memory ...)
            self._replace(worker)
            return Reply.error(500, f"the query worker stopped while running this query: {err}")
        self._replace(worker)
        raise QueryTimeout

    def pids(self) -> list[int]:
        """The process ids of the current workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.pid is not None)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self.graph), name="sparql-worker", daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(WORKER_START_SECONDS):
            raise RuntimeError("a query worker did not start in time")
        status, detail = worker.conn.recv()
        if status != "ready":
            raise RuntimeError(f"a query worker cannot open the graph: {detail}")

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` at once (freeing its core) and start another in the background."""
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        with self._lock:
            self._all.discard(worker)
        if not self._closed:
            threading.Thread(target=self._start_replacement, daemon=True).start()

    def _start_replacement(self) -> None:
        worker = self._start()
        try:
            self._await_ready(worker)
        except (RuntimeError, EOFError, OSError) as err:
            print(f"serve: {err}", file=sys.stderr)
            with self._lock:
                self._all.discard(worker)
            return
        self._idle.put(worker)


# -- HTTP -----------------------------------------------------------------------------------------


def parse_accept(header: str | None) -> tuple[str, ...]:
    """The media types of an ``Accept`` header, by quality (stable), without q=0 and parameters."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        media_type, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                with contextlib.suppress(ValueError):
                    quality = float(value)
        if media_type and quality > 0:
            ranked.append((-quality, index, media_type.lower()))
    return tuple(media_type for _, _, media_type in sorted(ranked))


def format_override(values: Sequence[str]) -> tuple[str, ...]:
    """The media types that ``?format=`` values ask for (names or media types)."""
    wanted: list[str] = []
    for value in values:
        value = value.strip().lower()
        if value in FORMAT_NAMES:
            wanted += FORMAT_NAMES[value]
        elif "/" in value:
            wanted.append(value)
        elif value:
            names = ", ".join(FORMAT_NAMES)
            raise HttpError(400, f"unknown format {value!r}; use one of {names} or a media type")
    return tuple(wanted)


def sparql_job(method: str, url_query: str, headers: Any, body: bytes, max_rows: int) -> Job:
    """The query a protocol request asks for, or an ``HttpError`` saying why there is none."""
    params = urllib.parse.parse_qs(url_query, keep_blank_values=True)
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if method == "POST":
        text = _decode(body)
        if content_type == "application/x-www-form-urlencoded":
            for name, values in urllib.parse.parse_qs(text, keep_blank_values=True).items():
                params.setdefault(name, []).extend(values)
        elif content_type == "application/sparql-query":
            params.setdefault("query", []).append(text)
        elif content_type == "application/sparql-update":
            raise HttpError(403, "SPARQL Update is not allowed: this endpoint is read-only.")
        else:
            raise HttpError(
                415,
                "POST a query as application/x-www-form-urlencoded (query=...) "
                f"or as application/sparql-query, not {content_type or 'no Content-Type'}",
            )
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise HttpError(403, "SPARQL Update is not allowed: this endpoint is read-only.")
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise HttpError(400, "give exactly one SPARQL query: ?query=... (GET) or query=... (POST)")
    accept = format_override(params.get("format", [])) or parse_accept(headers.get("Accept"))
    return Job(
        query=queries[0],
        accept=accept,
        max_rows=max_rows,
        default_graphs=tuple(params.get("default-graph-uri", [])),
        named_graphs=tuple(params.get("named-graph-uri", [])),
    )


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HttpError(400, f"the request body is not UTF-8: {err}") from err


def ready_queries_json() -> bytes:
    """The ready queries of ``graph/queries`` for the query page: name, title, question, text."""
    from graph.query import list_ready_queries

    queries = [
        {"name": q.name, "title": q.title or q.name, "question": q.question, "query": q.text}
        for q in list_ready_queries()
    ]
    return json.dumps(queries, ensure_ascii=False).encode("utf-8")


STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: a worker pool, the build folder, and the limits."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        pool: WorkerPool,
        build_dir: Path,
        max_rows: int = DEFAULT_MAX_ROWS,
        quiet: bool = False,
    ):
        if ":" in address[0]:  # an IPv6 address such as ::1
            self.address_family = socket.AF_INET6
        super().__init__(address, SparqlHandler)
        self.pool = pool
        self.build_dir = build_dir
        self.max_rows = max_rows
        self.quiet = quiet

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


class SparqlHandler(BaseHTTPRequestHandler):
    """Routes: /sparql, /, /queries.json, /graph.html, /static/..."""

    server: SparqlServer
    server_version = "gonghui-kg"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self._answer("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._answer("POST")

    def _answer(self, method: str) -> None:
        path, _, url_query = self.path.partition("?")
        try:
            body = self._read_body() if method == "POST" else b""
            reply = self._route(method, urllib.parse.unquote(path), url_query, body)
        except HttpError as err:
            reply = Reply.error(err.status, err.message)
        self._send(reply, with_body=method != "HEAD")

    def _route(self, method: str, path: str, url_query: str, body: bytes) -> Reply:
        if path == "/sparql":
            job = sparql_job(method, url_query, self.headers, body, self.server.max_rows)
            return self._run(job)
        if method == "POST":
            raise HttpError(405, f"{path} only answers GET; POST queries to /sparql")
        if path in ("/", "/index.html"):
            return _static_file(STATIC_DIR / "index.html")
        if path == "/queries.json":
            return Reply(200, "application/json; charset=utf-8", ready_queries_json())
        if path == f"/{VIEW_FILENAME}":
            return self._view()
        if path.startswith("/static/"):
            return _static_file(_inside(STATIC_DIR, path.removeprefix("/static/")))
        raise HttpError(404, f"nothing at {path}; the SPARQL endpoint is /sparql and the query page is /")

    def _run(self, job: Job) -> Reply:
        pool = self.server.pool
        try:
            return pool.run(job)
        except QueryTimeout:
            return Reply.error(
                503,
                f"query stopped: it ran longer than the time limit of {pool.timeout:g} s (serve --timeout). "
                "Narrow it down (a LIMIT, more specific patterns) or ask the server's owner for more time.",
            )
        except ServerBusy:
            return Reply.error(
                503, f"every query worker stayed busy for {pool.timeout:g} s; try again in a moment."
            )

    def _view(self) -> Reply:
        view = self.server.build_dir / VIEW_FILENAME
        if not view.is_file():
            raise HttpError(
                404,
                f"no {VIEW_FILENAME} in {self.server.build_dir}; make it with: "
                f"python -m graph view --graph {self.server.build_dir} "
                f"--out {self.server.build_dir / VIEW_FILENAME}",
            )
        return _static_file(view)

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise HttpError(400, "Content-Length is not a number") from None
        if length > MAX_BODY_BYTES:
            raise HttpError(413, f"the request body is over {MAX_BODY_BYTES} bytes")
        return self.rfile.read(length)

    def _send(self, reply: Reply, with_body: bool) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if reply.status >= 400:  # a refused request may leave an unread body behind
            self.send_header("Connection", "close")
            self.close_connection = True
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        if not self.server.quiet:
            super().log_message(format, *args)


def _inside(root: Path, relative: str) -> Path:
    """``root/relative``, refusing anything that would leave ``root``."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise HttpError(404, "no such file")
    return path


def _static_file(path: Path) -> Reply:
    if not path.is_file():
        raise HttpError(404, f"no such file: {path.name}")
    content_type = STATIC_TYPES.get(path.suffix, "application/octet-stream")
    return Reply(200, content_type, path.read_bytes())


# -- starting and stopping ------------------------------------------------------------------------


def build_folder(graph: str | os.PathLike[str]) -> Path:
    """The folder that ``--graph`` names: the folder itself, or the folder of a ``graph.ttl``."""
    path = Path(graph)
    return path if path.is_dir() else path.parent


def make_server(
    graph: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int | None = None,
    quiet: bool = False,
) -> SparqlServer:
    """A server bound to ``host:port`` (0 picks a free port), its workers started; call ``serve_forever``.

    Raises ``FileNotFoundError`` when ``graph`` is not a build folder or an RDF file.
    """
    if not Path(graph).exists():
        raise FileNotFoundError(f"{graph}: no such graph folder or file")
    if Path(graph).is_dir() and not any((Path(graph) / n).exists() for n in ("store", GRAPH_FILENAME)):
        raise FileNotFoundError(f"{graph}: no store/ or {GRAPH_FILENAME} in this folder")
    pool = WorkerPool(graph, workers or default_workers(), timeout)
    try:
        return SparqlServer((host, port), pool, build_folder(graph), max_rows, quiet)
    except BaseException:
        pool.close()
        raise


def default_workers() -> int:
    """One worker per core, two at least (a slow query should not hold up the rest), four at most."""
    return max(2, min(4, os.cpu_count() or 2))


def run_serve(args: argparse.Namespace) -> int:
    """What ``python -m graph serve`` does: serve until Ctrl-C."""
    started = time.monotonic()
    try:
        server = make_server(
            args.graph,
            args.host,
            args.port,
            timeout=args.timeout,
            max_rows=args.max_rows,
            workers=args.workers,
            quiet=args.quiet,
        )
    except (FileNotFoundError, RuntimeError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2 if isinstance(err, FileNotFoundError) else 1
    print(
        f"SPARQL endpoint {server.url}sparql, query page {server.url} "
        f"({server.pool.timeout:g} s limit, {server.max_rows} rows, {len(server.pool.pids())} workers, "
        f"ready in {time.monotonic() - started:.1f} s). Ctrl-C stops.",
        flush=True,
    )
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops as cleanly as Ctrl-C
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.server_close()
        server.pool.close()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
        return value

    return parse


def add_serve_arguments(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``serve`` on the ``python -m graph`` command line."""
    parser = subparsers.add_parser(
        "serve",
        help="a read-only SPARQL endpoint (/sparql) and query page (/) on a build",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    add_graph_argument(parser)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit per query; its worker is killed past it (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-rows",
        type=_positive(int),
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"rows (or triples) per result; the rest is cut off, saying X-Result-Truncated: true "
        f"(default {DEFAULT_MAX_ROWS})",
    )
    parser.add_argument(
        "--workers", type=_positive(int), metavar="N", help="query worker processes (default: cores, 2 to 4)"
    )
    parser.add_argument("--quiet", action="store_true", help="no request log on stderr")
    parser.set_defaults(func=run_serve)

"""A read-only SPARQL 1.1 Protocol endpoint and query page for a build: ``python -m graph serve``.

    python -m graph serve --graph out/ --port 7878      # http://127.0.0.1:7878/sparql and /

Routes: ``/sparql`` (GET ``?query=``, POST form ``query=`` or an ``application/sparql-query`` body),
``/`` (the query page: Yasgui, bundled in ``graph/serve/static/``, preloaded with ``graph/queries/*.rq``),
``/queries.json`` (those ready queries), ``/graph.html`` (the ``python -m graph view`` page, when the
build folder holds one) and ``/static/...``. Nothing is fetched from elsewhere: the page works offline.

Queries see the union of the article graphs as their default graph, with the contract prefixes
predeclared (as ``graph.store.oxigraph.GraphStore.query`` does). ``default-graph-uri`` / ``named-graph-uri``
select a dataset instead. Results follow ``Accept`` (or ``?format=json|xml|csv|tsv|turtle|jsonld|nt``,
which wins); see ``graph.serve.results``.

Refusals: SPARQL Update (an ``update=`` field, an ``application/sparql-update`` body, or update
text in ``query=``) gets 403; a malformed query 400 with the parser's message; a query too large,
nested too deep or using ``SERVICE`` (unless ``--allow-service`` lists its endpoint) 400 before
any parsing (``graph.store.guard``); an unwanted format 406; a request that is not HTTP as it
should be (a bad ``Content-Length``, a path or query string that is not percent-encoded UTF-8, a
control character in the path) 400; a head that is too slow or too large 408 or 431.

The parts: ``graph.serve.http`` (uvicorn, and why), ``graph.serve.admission`` (fair turns for
clients: per-client limit, a queue with a deadline, 503 with ``Retry-After``), ``graph.serve.pool``
(worker processes: time limit, memory cap, crash replacement, one snapshot per generation, rebuilds
followed), ``graph.serve.results`` (running one query and writing its result). This module is the
Starlette application that ties them together, and the command line.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sys
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from graph.serve.admission import Admission, AdmissionRefused, client_key
from graph.serve.cache import ResultCache
from graph.serve.defaults import (
    DEFAULT_CACHE_MB,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_MAX_PER_CLIENT,
    DEFAULT_MAX_ROWS,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
)
from graph.serve.http import DEFAULT_HEAD_SECONDS, HttpServer
from graph.serve.pool import WATCH_SECONDS, QueryTimeout, ServerBusy, WorkerPool
from graph.serve.results import Job, Reply
from graph.store.guard import DEFAULT_MAX_QUERY_BYTES, QueryRefused, check_query, check_services
from graph.store.source import locate_graph

STATIC_DIR = Path(__file__).parent / "static"
VIEW_FILENAME = "graph.html"
MAX_BODY_BYTES = 1_000_000
BODY_SECONDS = 30.0
MAX_FIELDS = 1000
_ALLOWED_METHODS = ("GET", "HEAD", "POST")

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


class HttpError(Exception):
    """A request the endpoint answers with an error status and a plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Settings:
    """What the handlers check a request against: limits and the SERVICE endpoints queries may call."""

    max_rows: int = DEFAULT_MAX_ROWS
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES
    allowed_services: frozenset[str] = frozenset()


# -- the protocol -----------------------------------------------------------------------------------


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


def strict_params(text: bytes | str, where: str) -> dict[str, list[str]]:
    """``name=value&...`` decoded strictly: percent-escapes must spell UTF-8 (no silent U+FFFD)."""
    try:
        decoded = text.decode("utf-8") if isinstance(text, bytes) else text
        return urllib.parse.parse_qs(
            decoded, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS
        )
    except UnicodeDecodeError as err:
        raise HttpError(400, f"the {where} is not percent-encoded UTF-8: {err}") from None
    except ValueError as err:
        raise HttpError(400, f"the {where} cannot be read: {err}") from None


def sparql_job(method: str, url_query: bytes, headers: Any, body: bytes, max_rows: int) -> Job:
    """The query a protocol request asks for, or an ``HttpError`` saying why there is none."""
    params = strict_params(url_query, "query string")
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if method == "POST":
        if content_type == "application/x-www-form-urlencoded":
            for name, values in strict_params(body, "form body").items():
                params.setdefault(name, []).extend(values)
        elif content_type == "application/sparql-query":
            params.setdefault("query", []).append(_decode(body))
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


def strict_path(raw_path: bytes) -> str:
    """The request path, percent-decoded as UTF-8; one that is not, or holds a control character, is a 400."""
    try:
        path = urllib.parse.unquote_to_bytes(raw_path).decode("utf-8")
    except UnicodeDecodeError as err:
        raise HttpError(400, f"the path is not percent-encoded UTF-8: {err}") from None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        raise HttpError(400, "the path holds a control character")
    return path


def ready_queries_json() -> bytes:
    """The ready queries of ``graph/queries`` for the query page: name, title, question, text."""
    from graph.store.query import list_ready_queries

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


# -- the application --------------------------------------------------------------------------------


class StrictPaths:
    """ASGI middleware: route on the strictly decoded path (uvicorn's decoding turns %ff into U+FFFD)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                scope["path"] = strict_path(scope.get("raw_path") or scope["path"].encode("utf-8"))
            except HttpError as err:
                await _response(Reply.error(err.status, err.message))(scope, receive, send)
                return
        await self.app(scope, receive, send)


@dataclass
class Endpoint:
    """The request handlers, with what they share: the pool, the admission turns, the settings."""

    pool: WorkerPool
    admission: Admission
    settings: Settings
    build_dir: Path
    cache: ResultCache

    async def sparql(self, request: Request) -> Response:
        body = await _read_body(request) if request.method == "POST" else b""
        url_query = request.scope["query_string"]
        job = sparql_job(request.method, url_query, request.headers, body, self.settings.max_rows)
        try:
            check_query(job.query, self.settings.max_query_bytes)
            check_services(job.query, self.settings.allowed_services)
        except QueryRefused as err:
            raise HttpError(400, f"query refused: {err}") from None
        key = (self.pool.generation, job)  # a rebuild starts a new generation: nothing stale is kept
        if cached := self.cache.get(key):
            return _response(cached)
        client = client_key(request.client.host if request.client else None)
        try:
            async with self.admission.slot(client):
                if await request.is_disconnected():  # gone while waiting its turn: spare the worker
                    return _response(Reply.error(400, "the client went away before its turn"))
                reply = await anyio.to_thread.run_sync(self._run, job)
                self.cache.put(key, reply)
        except AdmissionRefused as err:
            retry = (("Retry-After", str(err.retry_after)),)
            return _response(Reply(503, "text/plain; charset=utf-8", f"{err}\n".encode(), retry))
        return _response(reply)

    def _run(self, job: Job) -> Reply:
        timeout = self.pool.timeout
        try:
            return self.pool.run(job)
        except QueryTimeout:
            return Reply.error(
                503,
                f"query stopped: it ran longer than the time limit of {timeout:g} s (serve --timeout). "
                "Narrow it down (a LIMIT, more specific patterns) or ask the server's owner for more time.",
            )
        except ServerBusy:
            retry = (("Retry-After", str(math.ceil(timeout))),)
            message = f"every query worker stayed busy for {timeout:g} s; try again in a moment.\n"
            return Reply(503, "text/plain; charset=utf-8", message.encode(), retry)

    async def index(self, request: Request) -> Response:
        return _response(_static_file(STATIC_DIR / "index.html"))

    async def queries(self, request: Request) -> Response:
        return _response(Reply(200, "application/json; charset=utf-8", ready_queries_json()))

    async def view(self, request: Request) -> Response:
        view = self.build_dir / VIEW_FILENAME
        if not view.is_file():
            raise HttpError(
                404,
                f"no {VIEW_FILENAME} in {self.build_dir}; make it with: "
                f"python -m graph view --graph {self.build_dir} --out {self.build_dir / VIEW_FILENAME}",
            )
        return _response(_static_file(view))

    async def static(self, request: Request) -> Response:
        return _response(_static_file(_inside(STATIC_DIR, request.path_params["name"])))

    async def elsewhere(self, request: Request) -> Response:
        if request.method == "POST":
            raise HttpError(405, f"{request.url.path} only answers GET; POST queries to /sparql")
        raise HttpError(
            404, f"nothing at {request.url.path}; the SPARQL endpoint is /sparql and the query page is /"
        )


async def _read_body(request: Request) -> bytes:
    """The request body, at most ``MAX_BODY_BYTES`` and within ``BODY_SECONDS``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HttpError(413, f"the request body is over {MAX_BODY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(BODY_SECONDS):
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise HttpError(413, f"the request body is over {MAX_BODY_BYTES} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise HttpError(408, f"the request body did not arrive within {BODY_SECONDS:g} s") from None
    except ClientDisconnect:
        raise HttpError(400, "the client went away before sending the whole body") from None
    return b"".join(chunks)


def _response(reply: Reply) -> Response:
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", **dict(reply.headers)}
    return Response(reply.body, reply.status, headers=headers, media_type=reply.content_type)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HttpError)
    return _response(Reply.error(error.status, error.message))


def create_app(endpoint: Endpoint) -> ASGIApp:
    """The Starlette application of ``endpoint``, behind strict path decoding."""
    routes = [
        Route("/sparql", endpoint.sparql, methods=list(_ALLOWED_METHODS)),
        Route("/", endpoint.index, methods=["GET", "HEAD"]),
        Route("/index.html", endpoint.index, methods=["GET", "HEAD"]),
        Route("/queries.json", endpoint.queries, methods=["GET", "HEAD"]),
        Route(f"/{VIEW_FILENAME}", endpoint.view, methods=["GET", "HEAD"]),
        Route("/static/{name:path}", endpoint.static, methods=["GET", "HEAD"]),
        Route("/{other:path}", endpoint.elsewhere, methods=list(_ALLOWED_METHODS)),
    ]
    app = Starlette(routes=routes, exception_handlers={HttpError: _http_error})
    return StrictPaths(app)


def _inside(root: Path, relative: str) -> Path:
    """``root/relative``, refusing anything that would leave ``root``."""
    try:
        path = (root / relative).resolve()
    except (OSError, ValueError):
        raise HttpError(404, "no such file") from None
    if not path.is_relative_to(root.resolve()):
        raise HttpError(404, "no such file")
    return path


def _static_file(path: Path) -> Reply:
    if not path.is_file():
        raise HttpError(404, f"no such file: {path.name}")
    content_type = STATIC_TYPES.get(path.suffix, "application/octet-stream")
    return Reply(200, content_type, path.read_bytes())


# -- starting and stopping ------------------------------------------------------------------------


class SparqlServer(HttpServer):
    """The endpoint bound to its address, its workers started; ``serve_forever`` serves it."""

    def __init__(self, endpoint: Endpoint, host: str, port: int, *, quiet: bool, head_seconds: float):
        super().__init__(create_app(endpoint), host, port, quiet=quiet, head_seconds=head_seconds)
        self.endpoint = endpoint
        self.pool = endpoint.pool
        self.max_rows = endpoint.settings.max_rows


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
    max_per_client: int = DEFAULT_MAX_PER_CLIENT,
    max_wait: float | None = None,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    allow_service: Sequence[str] = (),
    quiet: bool = False,
    head_seconds: float = DEFAULT_HEAD_SECONDS,
    watch_seconds: float = WATCH_SECONDS,
    cache_mb: int = DEFAULT_CACHE_MB,
) -> SparqlServer:
    """A server bound to ``host:port`` (0 picks a free port), its workers started; call ``serve_forever``.

    Raises :class:`~graph.errors.GraphNotFound` when ``graph`` is not a build folder or an RDF file.
    """
    locate_graph(graph)
    size = workers or default_workers()
    max_memory = max_memory_mb * 2**20 if max_memory_mb else None
    pool = WorkerPool(graph, size, timeout, max_memory=max_memory, watch_seconds=watch_seconds)
    settings = Settings(max_rows, allowed_services=frozenset(allow_service))
    admission = Admission(size, max_per_client, timeout if max_wait is None else max_wait)
    endpoint = Endpoint(pool, admission, settings, build_folder(graph), ResultCache(cache_mb * 2**20))
    try:
        return SparqlServer(endpoint, host, port, quiet=quiet, head_seconds=head_seconds)
    except BaseException:
        pool.close()
        raise


def default_workers() -> int:
    """A worker per core and one more: 3 at least (two clients' slow queries leave one free), 8 at most."""
    return max(3, min(8, (os.cpu_count() or 2) + 1))


def serve_until_stopped(server: SparqlServer) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the workers."""
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops as cleanly as Ctrl-C
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.server_close()
        server.pool.close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt

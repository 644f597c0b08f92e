"""``serve``: the read-only SPARQL endpoint and query page on a build.

It takes ``--graph`` only: it serves a build of this machine (its workers open the store
read-only and follow rebuilds); a remote store already has an endpoint of its own.
"""

from __future__ import annotations

import argparse
import time

from graph.cli.options import http_url, positive
from graph.errors import EXIT_OK, GraphError
from graph.serve.defaults import (
    DEFAULT_CACHE_MB,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_MAX_PER_CLIENT,
    DEFAULT_MAX_ROWS,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
)
from graph.store.oxigraph import DEFAULT_GRAPH


class ServeError(GraphError):
    """The endpoint could not start (the port is taken, the workers failed to start)."""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "serve", help="a read-only SPARQL endpoint (/sparql) and query page (/) on a build"
    )
    parser.add_argument(
        "--graph", default=DEFAULT_GRAPH, metavar="DIR|FILE",
        help=f"a build's --out folder or an RDF file such as graph.ttl (default: {DEFAULT_GRAPH})",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--timeout", type=positive(float), default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help=f"time limit per query; its worker is killed past it (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-rows", type=positive(int), default=DEFAULT_MAX_ROWS, metavar="N",
        help=f"rows (or triples) per result; the rest is cut off, saying X-Result-Truncated: true "
        f"(default {DEFAULT_MAX_ROWS})",
    )
    parser.add_argument(
        "--workers", type=positive(int), metavar="N",
        help="query worker processes (default: cores + 1, 3 to 8)",
    )
    parser.add_argument(
        "--max-per-client", type=positive(int), default=DEFAULT_MAX_PER_CLIENT, metavar="N",
        help=f"queries one client address runs at once; more wait their turn "
        f"(default {DEFAULT_MAX_PER_CLIENT})",
    )
    parser.add_argument(
        "--max-wait", type=positive(float), metavar="SECONDS",
        help="how long a query may wait for a worker before a 503 with Retry-After (default: --timeout)",
    )
    parser.add_argument(
        "--max-memory", type=int, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
        help=f"memory one query may use in its worker (RLIMIT_DATA); past it the query gets a 500 "
        f"and the worker is replaced; 0 for no limit (default {DEFAULT_MAX_MEMORY_MB})",
    )
    parser.add_argument(
        "--cache", type=int, default=DEFAULT_CACHE_MB, metavar="MB",
        help=f"answers kept for repeated queries until the folder is rebuilt (X-Cache: hit); "
        f"0 keeps none (default {DEFAULT_CACHE_MB})",
    )
    parser.add_argument(
        "--allow-service", type=http_url, action="append", default=[], metavar="URL",
        help="a SPARQL endpoint that queries may call with SERVICE <URL> (repeatable); "
        "without it, SERVICE is refused",
    )
    parser.add_argument("--quiet", action="store_true", help="no request log on stderr")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    from graph.serve.app import make_server, serve_until_stopped

    started = time.monotonic()
    try:
        server = make_server(
            args.graph, args.host, args.port,
            timeout=args.timeout, max_rows=args.max_rows, workers=args.workers,
            max_per_client=args.max_per_client, max_wait=args.max_wait,
            max_memory_mb=args.max_memory or None, allow_service=args.allow_service,
            cache_mb=args.cache, quiet=args.quiet,
        )
    except (RuntimeError, OSError) as error:
        if isinstance(error, GraphError):
            raise
        raise ServeError(str(error)) from error
    services = ", ".join(args.allow_service) or "none"
    print(
        f"SPARQL endpoint {server.url}sparql, query page {server.url} "
        f"({server.pool.timeout:g} s limit, {server.max_rows} rows, {len(server.pool.pids())} workers, "
        f"{args.max_per_client} per client, SERVICE endpoints allowed: {services}, "
        f"ready in {time.monotonic() - started:.1f} s). Ctrl-C stops.",
        flush=True,
    )
    serve_until_stopped(server)
    return EXIT_OK

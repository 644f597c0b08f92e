"""``serve``: the read-only SPARQL endpoint and query page on a build.

It takes ``--graph`` only: it serves a build of this machine (its workers open the store
read-only and follow rebuilds); a remote store already has an endpoint of its own.
"""

from __future__ import annotations

import argparse
import time

from graph.cli.options import http_url, positive
from graph.errors import EXIT_OK, GraphError
from graph.serve import defaults
from graph.store.oxigraph import DEFAULT_GRAPH


class ServeError(GraphError):
    """The endpoint could not start (the port is taken, the workers failed to start)."""


#: The endpoint's limits: option, type, default, metavar, what it limits.
LIMITS: list[tuple[str, object, int | float | None, str, str]] = [
    ("--timeout", positive(float), defaults.DEFAULT_TIMEOUT, "SECONDS",
     "time limit per query; its worker is killed past it"),
    ("--max-rows", positive(int), defaults.DEFAULT_MAX_ROWS, "N",
     "rows (or triples) per result; the rest is cut off, saying X-Result-Truncated: true"),
    ("--workers", positive(int), None, "N", "query worker processes (default: cores + 1, 3 to 8)"),
    ("--max-per-client", positive(int), defaults.DEFAULT_MAX_PER_CLIENT, "N",
     "queries one client address runs at once; more wait their turn"),
    ("--max-wait", positive(float), None, "SECONDS",
     "how long a query may wait for a worker before a 503 with Retry-After (default: --timeout)"),
    ("--max-memory", int, defaults.DEFAULT_MAX_MEMORY_MB, "MB",
     "memory one query may use in its worker (RLIMIT_DATA); past it the query gets a 500 and the "
     "worker is replaced; 0 for no limit"),
    ("--cache", int, defaults.DEFAULT_CACHE_MB, "MB",
     "answers kept for repeated queries until the folder is rebuilt (X-Cache: hit); 0 keeps none"),
]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "serve", help="a read-only SPARQL endpoint (/sparql) and query page (/) on a build"
    )
    parser.add_argument(
        "--graph", default=DEFAULT_GRAPH, metavar="DIR|FILE",
        help=f"a build's --out folder or an RDF file such as graph.ttl (default: {DEFAULT_GRAPH})",
    )
    parser.add_argument("--port", type=int, default=defaults.DEFAULT_PORT,
                        help=f"port (default {defaults.DEFAULT_PORT})")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    for flag, kind, default, metavar, help_text in LIMITS:
        shown = f" (default {default:g})" if isinstance(default, (int, float)) else ""
        parser.add_argument(flag, type=kind, default=default, metavar=metavar, help=help_text + shown)
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

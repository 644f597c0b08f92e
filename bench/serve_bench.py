"""What the SPARQL endpoint costs: each ready query embedded (``GraphStore.query``) and over HTTP.

    .venv/bin/python bench/serve_bench.py                  # builds data/articles into a temporary folder
    .venv/bin/python bench/serve_bench.py --graph out/ -n 50

Embedded is the in-process call that reads every row into Python terms; HTTP is a POST to
``/sparql`` asking for SPARQL JSON and reading the whole body (worker hand-off, serialization,
the socket). Times are medians of ``-n`` runs after one warm-up run, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.query import list_ready_queries  # noqa: E402
from graph.serve import make_server  # noqa: E402
from graph.store import open_graph_source  # noqa: E402


def median_ms(run: Callable[[], object], runs: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def post(endpoint: str, query: str) -> bytes:
    body = urllib.parse.urlencode({"query": query}).encode()
    headers = {"Accept": "application/sparql-results+json"}
    request = urllib.request.Request(endpoint, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def bench(graph: Path, runs: int) -> list[tuple[str, int, float, float]]:
    """One row per ready query: name, result rows, embedded ms, HTTP ms."""
    server = make_server(graph, port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = server.url + "sparql"
    rows = []
    try:
        with open_graph_source(graph) as store:
            for query in list_ready_queries():
                count = len(store.query(query.text).rows)
                embedded = median_ms(lambda q=query.text: store.query(q), runs)
                http = median_ms(lambda q=query.text: post(endpoint, q), runs)
                rows.append((query.name, count, embedded, http))
    finally:
        server.shutdown()
        server.server_close()
        server.pool.close()
    return rows


def print_table(rows: Sequence[tuple[str, int, float, float]], runs: int) -> None:
    width = max(len(name) for name, *_ in rows)
    print(f"median of {runs} runs, ms")
    print(f"{'query':<{width}}  {'rows':>5}  {'embedded':>9}  {'HTTP':>8}  {'ratio':>6}")
    for name, count, embedded, http in rows:
        print(f"{name:<{width}}  {count:>5}  {embedded:>9.2f}  {http:>8.2f}  {http / embedded:>6.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--graph", type=Path, help="a build's --out folder (default: build data/articles)")
    parser.add_argument("-n", "--runs", type=int, default=30, help="runs per query (default 30)")
    args = parser.parse_args(argv)
    if args.graph is not None:
        print_table(bench(args.graph, args.runs), args.runs)
        return 0
    from graph.build import build

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        build([str(ROOT / "data" / "articles")], out)
        print_table(bench(out, args.runs), args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

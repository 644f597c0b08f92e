"""What the SPARQL endpoint costs and how it holds up under load.

    .venv/bin/python bench/serve_bench.py                  # builds data/articles into a temporary folder
    .venv/bin/python bench/serve_bench.py --graph out/ -n 50 --seconds 5

Three tables, each from one run:

1. *Embedded vs HTTP*: each ready query as an in-process call (``GraphStore.query``, every row read
   into Python terms) and as a POST to ``/sparql`` asking for SPARQL JSON (worker hand-off,
   serialization, the socket); medians of ``-n`` runs after a warm-up, in milliseconds.
2. *Concurrent keep-alive clients*: 1, 8 and 32 clients, each on its own keep-alive connection
   from its own loopback address (127.0.0.2, ...: the server's fairness counts clients by address),
   asking the ready queries in turn for ``--seconds``; throughput and p50/p99 latency.
3. *A cheap query under slow load*: two clients repeat a slow three-way cross join (each held
   until the server's time limit kills it) while a third asks a cheap ASK; its p50/p99/max.

The server runs as ``python -m graph serve`` in its own process (default options), so clients and
server do not share an interpreter.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.store.query import list_ready_queries  # noqa: E402
from graph.store.source import open_graph_source  # noqa: E402

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP_ASK = "ASK { ?s a foaf:Person }"
CLIENT_COUNTS = (1, 8, 32)


@contextmanager
def served(graph: Path, *options: str) -> Iterator[str]:
    """``python -m graph serve`` on a free port; yields its base URL."""
    command = [sys.executable, "-m", "graph", "serve", "--graph", str(graph), "--port", "0", "--quiet"]
    command += options
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        match = re.search(r"(http://[\d.]+:\d+/)sparql", process.stdout.readline())
        if match is None:
            raise RuntimeError("the server did not start")
        yield match[1]
    finally:
        process.terminate()
        process.wait(timeout=30)


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


class Client:
    """A keep-alive connection from one loopback address."""

    def __init__(self, base: str, address: str):
        parsed = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(
            parsed.hostname, parsed.port, timeout=120, source_address=(address, 0)
        )

    def ask(self, query: str) -> tuple[int, float]:
        """Status and milliseconds of one POST."""
        body = urllib.parse.urlencode({"query": query}).encode()  # bytes: sent with the head, one write
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        }
        started = time.perf_counter()
        self.connection.request("POST", "/sparql", body, headers)
        response = self.connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self.connection.close()


def embedded_vs_http(graph: Path, base: str, runs: int) -> list[tuple[str, int, float, float]]:
    """One row per ready query: name, result rows, embedded ms, HTTP ms."""
    rows = []
    with open_graph_source(graph) as store:
        for query in list_ready_queries():
            count = len(store.query(query.text).rows)
            embedded = median_ms(lambda q=query.text: store.query(q), runs)
            over_http = median_ms(lambda q=query.text: post(base + "sparql", q), runs)
            rows.append((query.name, count, embedded, over_http))
    return rows


def concurrent_clients(base: str, clients: int, seconds: float) -> tuple[int, float, float, float, int]:
    """Requests, requests/s, p50 ms, p99 ms and failures of ``clients`` keep-alive clients."""
    texts = [query.text for query in list_ready_queries()]
    deadline = time.perf_counter() + seconds
    start = threading.Barrier(clients)

    def loop(index: int) -> list[tuple[int, float]]:
        client = Client(base, f"127.0.0.{2 + index}")
        client.ask(texts[0])  # connect and warm up
        start.wait()
        results = []
        while time.perf_counter() < deadline:
            results.append(client.ask(texts[len(results) % len(texts)]))
        client.close()
        return results

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        answers = [a for results in pool.map(loop, range(clients)) for a in results]
    elapsed = time.perf_counter() - began
    latencies = sorted(ms for _, ms in answers)
    failures = sum(1 for status, _ in answers if status != 200)
    p50, p99 = _percentile(latencies, 50), _percentile(latencies, 99)
    return len(answers), len(answers) / elapsed, p50, p99, failures


def cheap_under_slow_load(base: str, asks: int) -> tuple[list[float], int]:
    """Latencies (ms) of ``asks`` cheap ASKs while two other clients repeat a slow query; failures."""
    stop = threading.Event()

    def slow(address: str) -> None:
        client = Client(base, address)
        while not stop.is_set():
            client.ask(SLOW_QUERY)
        client.close()

    hogs = [threading.Thread(target=slow, args=(f"127.0.0.{i}",)) for i in (100, 101)]
    for hog in hogs:
        hog.start()
    time.sleep(1.0)  # both slow queries are running
    cheap = Client(base, "127.0.0.102")
    answers = [cheap.ask(CHEAP_ASK) for _ in range(asks)]
    cheap.close()
    stop.set()
    for hog in hogs:
        hog.join()
    return [ms for _, ms in answers], sum(1 for status, _ in answers if status != 200)


def _percentile(values: Sequence[float], percent: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(percent) - 1]


def report(graph: Path, runs: int, seconds: float, asks: int) -> None:
    # Tables 1 and 3 measure the work a query costs, so no answers are kept there (--cache 0);
    # table 2 shows both: repeated ready queries answered from kept answers, and every one run.
    with served(graph, "--timeout", "10", "--cache", "0") as base:
        rows = embedded_vs_http(graph, base, runs)
        width = max(len(name) for name, *_ in rows)
        print(f"1. ready queries, median of {runs} runs, ms (no kept answers)")
        print(f"{'query':<{width}}  {'rows':>5}  {'embedded':>9}  {'HTTP':>8}  {'ratio':>6}")
        for name, count, embedded, over_http in rows:
            ratio = over_http / embedded
            print(f"{name:<{width}}  {count:>5}  {embedded:>9.2f}  {over_http:>8.2f}  {ratio:>6.1f}")
    print(f"\n2. concurrent keep-alive clients asking the ready queries for {seconds:g} s")
    head = ["answers", "clients", "requests", "req/s", "p50 ms", "p99 ms", "failed"]
    print("  ".join(f"{h:>{w}}" for h, w in zip(head, (8, 7, 8, 7, 7, 7, 6), strict=True)))
    for label, cache in (("kept", ()), ("all run", ("--cache", "0"))):
        with served(graph, "--timeout", "10", *cache) as base:
            for clients in CLIENT_COUNTS:
                done, rate, p50, p99, failed = concurrent_clients(base, clients, seconds)
                line = f"{label:>8}  {clients:>7}  {done:>8}  {rate:>7.0f}  {p50:>7.1f}  {p99:>7.1f}"
                print(f"{line}  {failed:>6}")
    with served(graph, "--timeout", "10", "--cache", "0") as base:
        latencies, failed = cheap_under_slow_load(base, asks)
    ordered = sorted(latencies)
    print(f"\n3. a cheap ASK ({asks} in a row, none kept) while two clients repeat a slow cross join")
    print(
        f"p50 {_percentile(ordered, 50):.1f} ms, p99 {_percentile(ordered, 99):.1f} ms, "
        f"max {ordered[-1]:.1f} ms, failed {failed}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--graph", type=Path, help="a build's --out folder (default: build data/articles)")
    parser.add_argument("-n", "--runs", type=int, default=30, help="runs per query, table 1 (default 30)")
    parser.add_argument("--seconds", type=float, default=5.0, help="each load of table 2 (default 5 s)")
    parser.add_argument("--asks", type=int, default=100, help="cheap queries in table 3 (default 100)")
    args = parser.parse_args(argv)
    if args.graph is not None:
        report(args.graph, args.runs, args.seconds, args.asks)
        return 0
    from graph.build.run import build

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        build([str(ROOT / "data" / "articles")], out)
        report(out, args.runs, args.seconds, args.asks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The endpoint under attack and under load, over real HTTP: every case of issue 15's endpoint part.

Malformed requests, slow and silent connections, SERVICE pointing at a listener the test runs,
nested and flat giant queries, a query over the memory cap, a crashed worker, clients hogging the
workers, and a build folder rebuilt while it is served. Distinct clients are distinct loopback
source addresses (127.0.0.2, 127.0.0.3, ...): the server tells clients apart by address.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from graph.serve.app import SparqlServer
from tests.test_serve import serve

ROOT = Path(__file__).resolve().parent.parent
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP_ASK = "ASK { ?s a foaf:Person }"
COUNT_ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    finished: float = 0.0

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


# The server of tests/test_serve.py, as a context manager.
running = contextlib.contextmanager(serve)


def ask(server: SparqlServer, query: str, client: str = "127.0.0.1", method: str = "GET") -> Answer:
    """One request from loopback address ``client`` on a fresh connection."""
    host, port = server.socket.getsockname()[:2]
    connection = http.client.HTTPConnection(host, port, timeout=60, source_address=(client, 0))
    try:
        if method == "GET":
            connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
        else:
            body = urllib.parse.urlencode({"query": query})
            connection.request(
                "POST", "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded"}
            )
        response = connection.getresponse()
        body_bytes = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, headers, body_bytes, time.monotonic())
    finally:
        connection.close()


def raw(server: SparqlServer, request: bytes, wait: float = 10.0) -> bytes:
    """Send ``request`` as bytes and read until the server closes or ``wait`` passes."""
    with socket.create_connection(server.socket.getsockname()[:2], timeout=wait) as sock:
        sock.sendall(request)
        received = b""
        with contextlib.suppress(TimeoutError):
            while chunk := sock.recv(65536):
                received += chunk
                if b"\r\n\r\n" in received and _complete(received):
                    break
        return received


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip())
    return False


def status_of(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response.split(b" ", 2)[1])


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[SparqlServer]:
    with running(built, timeout=5, workers=2, head_seconds=1.0) as started:
        yield started


# -- malformed requests and slow connections -----------------------------------------------------


def test_nul_in_a_static_path_is_a_400(server: SparqlServer) -> None:
    response = raw(server, b"GET /static/x%00.js HTTP/1.1\r\nHost: t\r\n\r\n")
    assert status_of(response) == 400 and b"control character" in response


def test_negative_content_length_is_a_400(server: SparqlServer) -> None:
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: t\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: -5\r\n\r\nASK {}"
    )
    assert status_of(raw(server, request)) == 400


def test_bad_percent_escapes_are_a_400_not_a_replacement_character(server: SparqlServer) -> None:
    query = urllib.parse.quote('ASK { FILTER("x" = "x') + "%ff" + urllib.parse.quote('") }')
    response = raw(server, f"GET /sparql?query={query} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    assert status_of(response) == 400 and b"not percent-encoded UTF-8" in response
    form = b"query=ASK%7B%7D%ff"
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(form), form)
    )
    assert status_of(raw(server, request)) == 400
    assert status_of(raw(server, b"GET /static/%ff.js HTTP/1.1\r\nHost: t\r\n\r\n")) == 400


def test_a_head_that_never_ends_gets_408_and_a_silent_connection_is_closed(server: SparqlServer) -> None:
    started = time.monotonic()
    response = raw(server, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: t\r\nX-Slow: 1", wait=10)
    assert status_of(response) == 408, response
    assert raw(server, b"", wait=10) == b""  # closed by the server, not by our 10 s wait
    assert time.monotonic() - started < 10


def test_a_huge_head_gets_431(server: SparqlServer) -> None:
    request = b"GET / HTTP/1.1\r\nHost: t\r\n" + b"X-Filler: " + b"a" * 70_000 + b"\r\n\r\n"
    assert status_of(raw(server, request)) == 431


def test_keep_alive_serves_many_requests_on_one_connection(server: SparqlServer) -> None:
    host, port = server.socket.getsockname()[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.connect()
    first_socket = connection.sock
    for _ in range(20):
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": CHEAP_ASK}))
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["boolean"] is True
    assert connection.sock is first_socket  # never reconnected
    connection.close()


def test_connections_are_tcp_nodelay(server: SparqlServer) -> None:
    """Without it, a keep-alive client waits ~40 ms per request for a delayed ACK (bench/serve_bench.py)."""
    assert server.socket.proto == socket.IPPROTO_TCP  # what makes asyncio set TCP_NODELAY per connection
    assert server.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2) to read a socket's backlog")
def test_the_listen_backlog_is_not_five(server: SparqlServer) -> None:
    port = server.socket.getsockname()[1]
    listing = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True)
    backlog = int(listing.stdout.split()[2])  # Send-Q of a listening socket is its backlog
    assert backlog >= 1024


# -- SERVICE ------------------------------------------------------------------------------------------


class _Listener(ThreadingHTTPServer):
    """A local HTTP server that records every request and answers as a SPARQL endpoint would."""

    daemon_threads = True

    def __init__(self) -> None:
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), _ListenerHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class _ListenerHandler(BaseHTTPRequestHandler):
    server: _Listener

    def do_POST(self) -> None:  # noqa: N802
        self.server.requests.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        binding = {"x": {"type": "literal", "value": "remote"}}
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [binding]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture()
def listener() -> Iterator[_Listener]:
    server = _Listener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_service_is_refused_and_never_reaches_the_address(server: SparqlServer, listener: _Listener) -> None:
    queries = [
        f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{listener.url}#> SELECT * {{ ?s ?p 1SERVICE e:x {{ ?s ?p ?o }} }}",
        f"SELECT * {{ BIND(<{listener.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        for method in ("GET", "POST"):
            answer = ask(server, query, method=method)
            assert answer.status == 400, (query, answer.text)
            assert "SERVICE is not allowed" in answer.text
    time.sleep(0.3)
    assert listener.requests == []


def test_allowed_service_endpoints_are_called_and_no_others(
    built: Path, listener: _Listener, tmp_path: Path
) -> None:
    other = "http://127.0.0.1:9/sparql"
    with running(built, workers=1, allow_service=[listener.url]) as allowing:
        answer = ask(allowing, f"SELECT ?x {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        assert answer.status == 200, answer.text
        assert [b["x"]["value"] for b in json.loads(answer.body)["results"]["bindings"]] == ["remote"]
        refused = ask(allowing, f"SELECT ?x {{ SERVICE <{other}> {{ ?s ?p ?o }} }}")
        assert refused.status == 400 and f"<{other}> is not allowed" in refused.text
    assert listener.requests == ["/sparql"]


# -- queries that crash or exhaust a worker -----------------------------------------------------------


def test_deeply_nested_braces_are_refused_before_parsing(server: SparqlServer) -> None:
    before = server.pool.pids()
    query = "SELECT * " + "{" * 2500 + " ?s ?p ?o " + "}" * 2500
    for method in ("GET", "POST"):
        answer = ask(server, query, method=method)
        assert answer.status == 400, answer.text
        assert "nests brackets 2500 deep" in answer.text
    assert server.pool.pids() == before  # no worker crashed


def test_a_long_flat_query_runs_on_a_deep_stack(server: SparqlServer) -> None:
    before = server.pool.pids()
    answer = ask(server, "SELECT * { " + "MINUS {} " * 6000 + "}", method="POST")  # 8 MB stacks overflow
    assert answer.status == 200, answer.text
    assert server.pool.pids() == before


def test_the_query_command_refuses_nesting_instead_of_crashing(built: Path, tmp_path: Path) -> None:
    query = tmp_path / "nested.rq"
    query.write_text("SELECT * " + "{" * 2500 + " ?s ?p ?o " + "}" * 2500, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "graph", "query", str(query), "--graph", str(built)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "nests brackets 2500 deep" in done.stderr
    flat = "SELECT * { " + "MINUS {} " * 6000 + "}"
    done = subprocess.run(
        [sys.executable, "-m", "graph", "query", flat, "--graph", str(built), "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, (done.returncode, done.stderr)


def test_a_query_over_the_memory_cap_gets_500_and_its_worker_is_replaced(built: Path) -> None:
    hungry = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i ?h ?g ?f ?e ?d ?c ?b ?a"
    with running(built, workers=1, timeout=60, max_memory_mb=64) as capped:
        before = capped.pool.pids()
        answer = ask(capped, hungry)
        assert answer.status == 500, answer.text[:300]
        assert "more memory than the 64 MB" in answer.text
        _wait_for(lambda: capped.pool.pids() not in ([], before))
        assert ask(capped, CHEAP_ASK).status == 200  # the replacement answers


def test_a_crashed_worker_answers_500_and_is_replaced(built: Path) -> None:
    with running(built, workers=1, timeout=30) as crashing:
        (victim,) = crashing.pool.pids()
        with ThreadPoolExecutor(1) as executor:
            pending = executor.submit(ask, crashing, SLOW_QUERY)
            time.sleep(1.0)  # the worker is running the slow query
            os.kill(victim, signal.SIGSEGV)
            answer = pending.result()
        assert answer.status == 500 and "SIGSEGV" in answer.text
        _wait_for(lambda: len(crashing.pool.pids()) == 1 and crashing.pool.pids() != [victim])
        assert ask(crashing, CHEAP_ASK).status == 200


# -- fair admission -----------------------------------------------------------------------------------


def test_two_clients_with_slow_queries_leave_a_worker_for_a_cheap_one(built: Path) -> None:
    with running(built, timeout=4) as fair, ThreadPoolExecutor(8) as executor:  # default worker count
        slow = [executor.submit(ask, fair, SLOW_QUERY, client) for client in ("127.0.0.2", "127.0.0.3")]
        time.sleep(0.8)  # both slow queries hold a worker
        cheap = [ask(fair, CHEAP_ASK, "127.0.0.4") for _ in range(3)]
        slow_answers = [future.result() for future in slow]
    assert [a.status for a in cheap] == [200, 200, 200]
    assert [a.status for a in slow_answers] == [503, 503]  # killed at the time limit
    assert max(a.finished for a in cheap) < min(a.finished for a in slow_answers)


def test_one_client_cannot_hold_every_worker(built: Path) -> None:
    with running(built, timeout=4, workers=3) as fair, ThreadPoolExecutor(8) as executor:
        slow = [executor.submit(ask, fair, SLOW_QUERY, "127.0.0.2") for _ in range(3)]
        time.sleep(0.8)
        cheap = ask(fair, CHEAP_ASK, "127.0.0.3")
        slow_answers = [future.result() for future in slow]
    assert cheap.status == 200
    assert cheap.finished < min(a.finished for a in slow_answers)


def test_a_query_that_waits_past_the_deadline_gets_503_with_retry_after(built: Path) -> None:
    with running(built, timeout=4, workers=3, max_wait=0.5) as fair, ThreadPoolExecutor(2) as executor:
        slow = executor.submit(ask, fair, SLOW_QUERY, "127.0.0.2")
        time.sleep(0.5)
        waiting = ask(fair, CHEAP_ASK, "127.0.0.2")  # same client: over its limit of one
        slow.result()
    assert waiting.status == 503, waiting.text
    assert int(waiting.headers["retry-after"]) >= 1
    assert "no query worker came free" in waiting.text


# -- a rebuild while serving ------------------------------------------------------------------------

ARTICLE_ONE = "市总工会举办职工运动会\n本报讯 第一条测试新闻。示例市总工会主席王测试出席活动并讲话。\n"
ARTICLE_TWO = "区总工会开展技能比赛\n本报讯 第二条测试新闻。示例区总工会副主席李样例介绍了比赛情况。\n"


def test_a_rebuilt_folder_is_picked_up_by_every_worker_at_once(tmp_path: Path) -> None:
    from graph.build.run import build

    first, second, out = tmp_path / "one", tmp_path / "two", tmp_path / "out"
    first.mkdir()
    second.mkdir()
    (first / "one.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    (second / "two.txt").write_text(ARTICLE_TWO, encoding="utf-8")
    build([str(first)], out)
    with running(out, workers=3, watch_seconds=0.2) as watching:
        clients = [f"127.0.0.{i}" for i in range(2, 8)]
        assert {_articles(watching, client) for client in clients} == {1}
        generation = watching.pool.generation
        stop = threading.Event()

        def keep_asking(client: str) -> list[int]:
            seen = []
            while not stop.is_set():
                seen.append(_articles(watching, client))
            return seen

        with ThreadPoolExecutor(3) as executor:
            askers = [executor.submit(keep_asking, client) for client in clients[:3]]
            build([str(first), str(second)], out)
            _wait_for(lambda: watching.pool.generation > generation, seconds=120)
            time.sleep(0.5)
            stop.set()
            sequences = [asker.result() for asker in askers]
        with ThreadPoolExecutor(6) as executor:
            after = list(executor.map(lambda client: _articles(watching, client), clients * 3))
    assert after == [2] * len(after)  # every worker answers from the new snapshot
    for seen in sequences:  # each client saw 1 until the switch, then 2: never back, never a mix
        assert seen == sorted(seen) and set(seen) <= {1, 2}, seen
    assert any(2 in seen for seen in sequences)


def test_a_worker_lost_during_a_build_is_not_replaced_from_the_half_written_store(
    built: Path, tmp_path: Path
) -> None:
    """What made answers depend on the worker (40 vs 80 articles): a replacement opening a store mid-build."""
    import rdflib

    from graph.store.oxigraph import GraphStore

    out = tmp_path / "out"
    shutil.copytree(built, out)
    # No kept answers: every query must reach a worker.
    with running(out, workers=2, timeout=30, watch_seconds=0.2, cache_mb=0) as watching:
        before = _articles(watching, "127.0.0.2")
        with GraphStore(out / "store") as store:  # a build in progress: the store written, nothing published
            extra = rdflib.URIRef("https://example.org/test/article-added-mid-build")
            graph = rdflib.Graph()
            graph.add((extra, rdflib.RDF.type, rdflib.URIRef("https://schema.org/NewsArticle")))
            store.replace_article(extra, graph)
            victim, survivor = watching.pool.pids()
            os.kill(victim, signal.SIGSEGV)
            _wait_for(lambda: _dead(victim))  # a query sent in the instant before it dies would get 500
            answers = {_articles(watching, f"127.0.0.{i}") for i in range(2, 8)}  # one finds the dead worker
            assert answers == {before}  # the survivor answers from the old snapshot; no mix
            time.sleep(1.0)  # time enough for a replacement to start, were one allowed
            assert watching.pool.pids() == [survivor]
            generation = watching.pool.generation
            store.export(out / "graph.ttl", "turtle")  # the build publishes: now switch
        _wait_for(lambda: watching.pool.generation > generation)
        with ThreadPoolExecutor(4) as executor:
            after = set(executor.map(lambda i: _articles(watching, f"127.0.0.{i}"), range(2, 10)))
        assert after == {before + 1}
        assert len(watching.pool.pids()) == 2


def _dead(pid: int) -> bool:
    """The process is gone or a zombie (dead, not yet reaped by its parent)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status


def _articles(server: SparqlServer, client: str) -> int:
    answer = ask(server, COUNT_ARTICLES, client)
    assert answer.status == 200, answer.text
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def _wait_for(condition: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"not true within {seconds} s")


if os.name != "posix":  # /proc, signals, loopback source addresses
    pytestmark = pytest.mark.skip(reason="the serve tests need Linux")


def test_a_repeated_query_is_answered_from_kept_answers_until_a_rebuild(built: Path, tmp_path: Path) -> None:
    import rdflib

    from graph.store.oxigraph import GraphStore

    out = tmp_path / "out"
    shutil.copytree(built, out)
    with running(out, workers=2, timeout=30, watch_seconds=0.2) as server:
        first, again = ask(server, COUNT_ARTICLES, "127.0.0.2"), ask(server, COUNT_ARTICLES, "127.0.0.3")
        assert first.status == again.status == 200 and first.text == again.text
        assert "x-cache" not in first.headers and again.headers.get("x-cache") == "hit"
        generation = server.pool.generation
        with GraphStore(out / "store") as store:
            extra = rdflib.URIRef("https://example.org/test/article-added")
            graph = rdflib.Graph()
            graph.add((extra, rdflib.RDF.type, rdflib.URIRef("https://schema.org/NewsArticle")))
            store.replace_article(extra, graph)
            store.export(out / "graph.ttl", "turtle")
        _wait_for(lambda: server.pool.generation > generation)
        rebuilt = ask(server, COUNT_ARTICLES, "127.0.0.4")
        assert "x-cache" not in rebuilt.headers and rebuilt.text != first.text

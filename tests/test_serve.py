"""The SPARQL endpoint as its clients see it: SPARQLWrapper, plain HTTP, 20 at once, and the CLI.

A server runs in a thread on a free port over a real build of ``data/articles`` (the session's
``built`` folder), with a short time limit and a small row cap so that both can be hit.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.dom.minidom import Document

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from graph.serve.app import SparqlServer, make_server
from graph.store.query import list_ready_queries
from graph.store.source import open_graph_source

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 1.5
MAX_ROWS = 50
ZHANG = "张艳革"
PERSON_QUERY = f'SELECT ?p WHERE {{ ?p a foaf:Person ; rdfs:label "{ZHANG}"@zh }}'
HEAVY_QUERY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0]


def serve(graph: Path, **options: object) -> Iterator[SparqlServer]:
    server = make_server(graph, port=0, quiet=True, **options)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        server.pool.close()
        thread.join()


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[SparqlServer]:
    yield from serve(built, timeout=TIMEOUT, max_rows=MAX_ROWS, workers=2)


@pytest.fixture(scope="module")
def endpoint(server: SparqlServer) -> str:
    return server.url + "sparql"


def http(
    url: str,
    params: dict[str, str] | None = None,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> Answer:
    """A request with urllib; an error status is an answer too."""
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, _lower(response.headers.items()), response.read())
    except urllib.error.HTTPError as err:
        return Answer(err.code, _lower(err.headers.items()), err.read())


def _lower(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}


def form(endpoint: str, **fields: str) -> Answer:
    body = urllib.parse.urlencode(fields).encode()
    return http(endpoint, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})


def wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


# -- results, the way a SPARQL client asks -------------------------------------------------------


def test_sparqlwrapper_json_finds_a_person(endpoint: str) -> None:
    result = wrapper(endpoint, PERSON_QUERY, JSON).queryAndConvert()
    assert isinstance(result, dict)
    iris = [row["p"]["value"] for row in result["results"]["bindings"]]
    assert iris and all(ZHANG in urllib.parse.unquote(iri) for iri in iris)


def test_sparqlwrapper_xml_csv_tsv(endpoint: str) -> None:
    query = f'SELECT ?name WHERE {{ ?p a foaf:Person ; rdfs:label ?name FILTER(STR(?name) = "{ZHANG}") }}'
    document = wrapper(endpoint, query, XML).queryAndConvert()
    assert isinstance(document, Document)
    assert ZHANG in [node.firstChild.data for node in document.getElementsByTagName("literal")]
    as_csv = wrapper(endpoint, query, CSV).queryAndConvert()
    assert isinstance(as_csv, bytes)
    assert list(csv.reader(io.StringIO(as_csv.decode())))[:2] == [["name"], [ZHANG]]
    as_tsv = wrapper(endpoint, query, TSV).queryAndConvert()
    assert isinstance(as_tsv, bytes)
    assert as_tsv.decode().splitlines()[:2] == ["?name", f'"{ZHANG}"@zh']


def test_sparqlwrapper_post_and_ask(endpoint: str) -> None:
    client = wrapper(endpoint, f'ASK {{ ?p rdfs:label "{ZHANG}"@zh }}', JSON)
    client.setMethod(POST)
    assert client.queryAndConvert() == {"head": {}, "boolean": True}


def test_construct_as_turtle_parses_back(endpoint: str) -> None:
    query = (
        "CONSTRUCT { ?p a foaf:Person ; rdfs:label ?l } "
        f'WHERE {{ ?p rdfs:label ?l FILTER(STR(?l) = "{ZHANG}") }}'
    )
    turtle = wrapper(endpoint, query, TURTLE).queryAndConvert()
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    labels = {str(o) for o in graph.objects(None, rdflib.RDFS.label)}
    assert labels == {ZHANG}
    assert (None, rdflib.RDF.type, rdflib.FOAF.Person) in graph


def test_construct_as_jsonld_and_ntriples(endpoint: str) -> None:
    query = f'CONSTRUCT WHERE {{ ?p rdfs:label "{ZHANG}"@zh }}'
    jsonld = wrapper(endpoint, query, JSONLD).queryAndConvert()  # SPARQLWrapper parses JSON-LD itself
    assert isinstance(jsonld, rdflib.Graph) and len(jsonld) >= 1
    answer = http(endpoint, {"query": query}, headers={"Accept": "application/n-triples"})
    assert answer.content_type == "application/n-triples"
    assert len(rdflib.Graph().parse(data=answer.text, format="nt")) >= 1


def test_accept_and_format_override(endpoint: str) -> None:
    answer = http(endpoint, {"query": PERSON_QUERY})
    assert answer.status == 200 and answer.content_type == "application/sparql-results+json"
    accept = {"Accept": "text/csv;q=0.5, text/tab-separated-values"}
    answer = http(endpoint, {"query": PERSON_QUERY}, headers=accept)
    assert answer.content_type == "text/tab-separated-values"
    answer = http(endpoint, {"query": PERSON_QUERY, "format": "xml"}, headers={"Accept": "text/csv"})
    assert answer.content_type == "application/sparql-results+xml"
    assert http(endpoint, {"query": PERSON_QUERY}, headers={"Accept": "image/png"}).status == 406
    assert http(endpoint, {"query": PERSON_QUERY, "format": "png"}).status == 400


def test_post_query_body_and_dataset(endpoint: str, built: Path) -> None:
    answer = http(
        endpoint,
        data=PERSON_QUERY.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert answer.status == 200 and json.loads(answer.body)["results"]["bindings"]
    with open_graph_source(built) as store:
        article = store.article_iris()[0]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = json.loads(http(endpoint, {"query": count}).body)
    one = json.loads(
        http(
            endpoint + "?" + urllib.parse.urlencode({"default-graph-uri": article}),
            data=count.encode(),
            headers={"Content-Type": "application/sparql-query"},
        ).body
    )
    value = [int(doc["results"]["bindings"][0]["n"]["value"]) for doc in (whole, one)]
    assert value[0] >= value[1] > 0


# -- what the endpoint refuses ----------------------------------------------------------------------


def test_updates_are_refused(endpoint: str, server: SparqlServer) -> None:
    insert = "PREFIX ex: <http://example.org/#>\nINSERT DATA { ex:a ex:b ex:c }"
    for answer in (
        form(endpoint, update=insert),
        form(endpoint, query=insert),
        http(endpoint, {"query": "# a comment\n" + insert}),
        http(endpoint, data=insert.encode(), headers={"Content-Type": "application/sparql-update"}),
    ):
        assert answer.status == 403, answer.text
        assert "read-only" in answer.text
    client = wrapper(endpoint, insert, JSON)
    client.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    still_empty = http(endpoint, {"query": "ASK { <http://example.org/#a> ?p ?o }"})
    assert json.loads(still_empty.body)["boolean"] is False


def test_malformed_query_gets_the_parsers_message(endpoint: str) -> None:
    answer = http(endpoint, {"query": "SELECT ?x WHERE { ?x ?y }"})
    assert answer.status == 400
    assert answer.text.startswith("SPARQL syntax error:") and re.search(r"\d+:\d+", answer.text)
    with pytest.raises(QueryBadFormed, match="syntax error"):
        wrapper(endpoint, "SELECT ?x WHERE { ?x ?y }", JSON).query()
    assert http(endpoint).status == 400  # no query at all
    assert "query=" in http(endpoint).text


def test_time_limit_kills_the_runaway_query(endpoint: str, server: SparqlServer) -> None:
    before = set(server.pool.pids())
    started = time.monotonic()
    answer = http(endpoint, {"query": HEAVY_QUERY})
    elapsed = time.monotonic() - started
    assert answer.status == 503, answer.text
    assert "time limit" in answer.text and f"{TIMEOUT:g} s" in answer.text
    assert TIMEOUT <= elapsed < TIMEOUT + 2
    killed = before - set(server.pool.pids())
    assert len(killed) == 1
    assert not Path(f"/proc/{killed.pop()}").exists()  # gone, not running on in the background
    assert http(endpoint, {"query": PERSON_QUERY}).status == 200  # the other worker answers at once
    deadline = time.monotonic() + 30
    while len(server.pool.pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(server.pool.pids()) == 2  # the replacement is up


def test_row_cap_truncates_and_says_so(endpoint: str) -> None:
    answer = http(endpoint, {"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"})
    assert answer.status == 200
    assert answer.headers.get("x-result-truncated") == "true"
    assert answer.headers.get("x-result-max-rows") == str(MAX_ROWS)
    assert len(list(csv.reader(io.StringIO(answer.text)))) == MAX_ROWS + 1  # with the header row
    graph = http(endpoint, {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert graph.headers.get("x-result-truncated") == "true"
    assert len(graph.text.splitlines()) == MAX_ROWS
    small = http(endpoint, {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "x-result-truncated" not in small.headers
    assert len(json.loads(small.body)["results"]["bindings"]) == 3


# -- many clients at once ---------------------------------------------------------------------------


def test_twenty_concurrent_clients(endpoint: str, built: Path) -> None:
    with open_graph_source(built) as store:
        names = sorted(
            {
                str(row[0].value)
                for row in store.query("SELECT ?name WHERE { ?p a foaf:Person ; rdfs:label ?name }").rows
            }
        )
    assert names
    questions = [names[i % len(names)] for i in range(20)]

    def ask(name: str) -> list[str]:
        query = f'SELECT ?name WHERE {{ ?p a foaf:Person ; rdfs:label ?name FILTER(STR(?name) = "{name}") }}'
        answer = http(endpoint, {"query": query, "format": "json"})
        assert answer.status == 200, answer.text
        return sorted({b["name"]["value"] for b in json.loads(answer.body)["results"]["bindings"]})

    with ThreadPoolExecutor(max_workers=20) as clients:
        answers = list(clients.map(ask, questions))
    assert answers == [[name] for name in questions]


def test_ready_queries_all_run(endpoint: str) -> None:
    for query in list_ready_queries():
        answer = form(endpoint, query=query.text)
        assert answer.status == 200, (query.name, answer.text)
        assert "results" in json.loads(answer.body)


# -- the query page and the other routes ------------------------------------------------------------


def test_query_page_and_its_assets_are_all_local(server: SparqlServer) -> None:
    page = http(server.url)
    assert page.status == 200 and page.content_type == "text/html"
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "static/yasgui/yasgui.min.js" in assets
    for asset in assets:
        if asset.startswith("data:") or asset == "graph.html":
            continue
        assert not re.match(r"(https?:)?//", asset), asset
        assert http(server.url + asset).status == 200, asset
    ours = [p for p in (ROOT / "graph" / "static").glob("*") if p.suffix in (".html", ".js", ".css")]
    for path in ours:
        assert not re.search(r"(src|href)\s*=\s*[\"'](https?:)?//|url\((https?:)?//", path.read_text()), path
    queries = json.loads(http(server.url + "queries.json").body)
    assert [q["name"] for q in queries] == [q.name for q in list_ready_queries()]
    assert all(q["title"] and q["query"] for q in queries)


def test_unknown_paths_and_escapes_are_404(server: SparqlServer) -> None:
    assert http(server.url + "nothing").status == 404
    assert http(server.url + "static/%2e%2e/serve.py").status == 404
    assert http(server.url + "static/..%2f..%2fpyproject.toml").status == 404


def test_graph_html_is_served_when_made(server: SparqlServer, built: Path, tmp_path: Path) -> None:
    missing = http(server.url + "graph.html")
    assert missing.status == 404 and "python -m graph view" in missing.text
    shutil.copy(built / "graph.ttl", tmp_path / "graph.ttl")
    (tmp_path / "graph.html").write_text("<html><body>the view</body></html>", encoding="utf-8")
    for other in serve(tmp_path / "graph.ttl", workers=1):  # a graph.ttl file, loaded in memory
        assert http(other.url + "graph.html").text == "<html><body>the view</body></html>"
        assert json.loads(http(other.url + "sparql", {"query": PERSON_QUERY}).body)["results"]["bindings"]


# -- the command line -------------------------------------------------------------------------------


def test_cli_prints_the_url_answers_and_stops_on_ctrl_c(built: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "graph",
        "serve",
        "--graph",
        str(built),
        "--port",
        "0",
        "--quiet",
        "--timeout",
        "5",
        "--workers",
        "2",
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/)sparql", first)
        assert match, first + (process.stderr.read() if process.stderr else "")
        assert json.loads(http(match[1] + "sparql", {"query": PERSON_QUERY}).body)["results"]["bindings"]
        workers = _workers(process.pid)
        assert len(workers) == 2
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        deadline = time.monotonic() + 5
        while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_refuses_a_missing_graph(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph", "serve", "--graph", str(tmp_path / "nope")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "no such graph" in done.stderr


def _workers(pid: int) -> list[int]:
    """The query worker processes of server ``pid`` (its children running multiprocessing.spawn)."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == pid and b"spawn_main" in command:
            workers.append(int(stat.parent.name))
    return workers


if os.name != "posix":  # /proc, signals
    pytestmark = pytest.mark.skip(reason="the serve tests need Linux")

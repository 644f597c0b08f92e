"""Building into and asking a real Oxigraph server (`oxigraph serve`, from the pinned `oxigraph` package).

A researcher runs the server, builds the articles into it with ``--endpoint`` and asks the same
ready questions as of the embedded store: the answers and the exported graph must be the same.
"""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph.build.run import build
from graph.cli.query import run_query
from graph.store.query import list_ready_queries
from graph.store.remote import Endpoint, RemoteStore, bind_values
from graph.store.source import open_graph_source
from tests.conftest import ARTICLE, ARTICLES
from tests.test_build_cli import graph_cli

OXIGRAPH = Path(sys.executable).parent / "oxigraph"

#: The README's example of each ready query.
EXAMPLES = {
    "posts-of-person": {"name": "付湘生"},
    "posts-in-organization": {"org": "延庆区总工会"},
    "sub-organizations": {"org": "北京市总工会"},
    "campaign-participants": {"campaign": "区级工会加强年"},
    "campaigns-of-organization": {"org": "怀柔区总工会"},
    "figures": {"org": "鼓楼街道总工会"},
    "people-sharing": {"name": "张艳革"},
    "facts-with-sources": {"name": "张艳革"},
    "post-history": {"org": "平谷区总工会"},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    """A fresh `oxigraph serve` on a free loopback port; its base URL."""
    binary = OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server binary is missing: pip install the pinned oxigraph package")
    port = free_port()
    log = (tmp_path / "oxigraph.log").open("wb")
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(tmp_path / "oxigraph-db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until_answering(base: str, process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"oxigraph serve exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    pytest.fail(f"oxigraph serve did not answer at {base} within {timeout} s")


def sorted_ntriples(path: Path) -> list[str]:
    return sorted(Graph().parse(path).serialize(format="nt").splitlines())


def answer(store: object, query: str, params: dict[str, str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert run_query(store, query, "csv", params, out=out, err=err) == 0, err.getvalue()  # type: ignore[arg-type]
    return out.getvalue()


def test_build_into_the_server_exports_the_embedded_graph(server: str, built: Path, tmp_path: Path) -> None:
    result = graph_cli("build", str(ARTICLES), "--out", str(tmp_path / "out"), "--endpoint", server)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out" / "store").exists()  # the graph lives in the server
    assert sorted_ntriples(tmp_path / "out" / "graph.ttl") == sorted_ntriples(built / "graph.ttl")
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "out" / name).read_bytes() == (built / name).read_bytes(), name

    asked = graph_cli("query", "posts-of-person", "--param", "name=付湘生", "--format", "csv",
                      "--endpoint", server)
    assert asked.returncode == 0, asked.stderr
    assert "平谷区总工会" in asked.stdout and "平谷区人大常委会" in asked.stdout


@pytest.mark.parametrize("union", ["oxigraph", "graphs"])
def test_ready_queries_answer_as_embedded(server: str, built: Path, tmp_path: Path, union: str) -> None:
    assert {q.name for q in list_ready_queries()} == set(EXAMPLES)
    build([str(ARTICLES)], tmp_path, endpoint=Endpoint.from_base(server))
    remote = RemoteStore(Endpoint.from_base(server, union=union))
    with open_graph_source(built) as embedded:
        for name, params in EXAMPLES.items():
            expected = answer(embedded, name, params)
            assert expected.count("\n") > 1, name  # the example has answers
            assert answer(remote, name, params) == expected, name
            assert answer(remote, name, {}) == answer(embedded, name, {}), name


def test_reingesting_a_changed_article_leaves_nothing_stale(
    server: str, article_copy: Path, tmp_path: Path
) -> None:
    endpoint = Endpoint.from_base(server)
    build([str(article_copy)], tmp_path / "first", endpoint=endpoint)
    copy = article_copy / ARTICLE.name
    copy.write_text(copy.read_text(encoding="utf-8").replace("付湘生", "李明"), encoding="utf-8")
    report = build([str(article_copy)], tmp_path / "second", endpoint=endpoint)
    assert not report.errors

    store = RemoteStore(endpoint)
    assert answer(store, "posts-of-person", {"name": "付湘生"}).count("\n") == 1  # the header alone
    assert "平谷区总工会" in answer(store, "posts-of-person", {"name": "李明"})
    fresh = build([str(article_copy)], tmp_path / "embedded")  # the changed article alone, embedded
    assert not fresh.errors
    remote, embedded = (tmp_path / "second" / "graph.ttl"), (tmp_path / "embedded" / "graph.ttl")
    assert remote.read_bytes() == embedded.read_bytes()


def test_two_articles_are_two_named_graphs(server: str, article_copy: Path, tmp_path: Path) -> None:
    shutil.copy(ARTICLE, article_copy / "another-article.txt")
    build([str(article_copy)], tmp_path, endpoint=Endpoint.from_base(server))
    store = RemoteStore(Endpoint.from_base(server))
    graphs = store.article_iris()
    assert [iri.rsplit("/", 1)[-1] for iri in graphs] == ["another-article.txt", ARTICLE.name]
    for iri in graphs:  # each graph on its own, through the Graph Store Protocol
        with urllib.request.urlopen(f"{server}/store?graph={iri}") as response:
            assert b"schema.org/NewsArticle" in response.read()
    trig = ox.parse(path=str(tmp_path / "graph.trig"), format=ox.RdfFormat.TRIG)
    assert sorted({quad.graph_name.value for quad in trig}) == graphs  # the export keeps them apart


def test_an_unreachable_endpoint_is_a_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    asked = graph_cli("query", "figures", "--endpoint", url)
    assert asked.returncode == 1 and "cannot reach the store" in asked.stderr, asked.stderr
    assert "Traceback" not in asked.stderr


def test_parameters_open_the_outermost_where_group() -> None:
    values = ' VALUES (?name) { ("x") } '
    plain = "SELECT ?name WHERE { ?s ?p ?name }"
    assert bind_values(plain, {"name": "x"}) == "SELECT ?name WHERE {" + values + "LATERAL { ?s ?p ?name } }"
    template = 'CONSTRUCT { ?s ?p "}{" } # {\nWHERE { ?s <urn:{}> ?name }'
    assert bind_values(template, {"name": "x"}) == (
        'CONSTRUCT { ?s ?p "}{" } # {\nWHERE {' + values + "LATERAL { ?s <urn:{}> ?name } }"
    )
    exists = "SELECT (EXISTS { ?a ?b ?c } AS ?e) { ?s ?p ?name } LIMIT 1"
    assert bind_values(exists, {"name": "x"}) == (
        "SELECT (EXISTS { ?a ?b ?c } AS ?e) {" + values + "LATERAL { ?s ?p ?name } } LIMIT 1"
    )

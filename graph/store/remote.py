"""A remote SPARQL 1.1 store as the graph store: the same API as the embedded :class:`GraphStore`.

    store = RemoteStore(Endpoint.from_base("http://127.0.0.1:7878"))    # an `oxigraph serve`
    store.replace_article(iri, graph)      # Graph Store HTTP Protocol: PUT ?graph=<article IRI>
    store.query("SELECT ...", {"name": "张三"})                          # SPARQL 1.1 Protocol
    store.export(out / "graph.ttl", "turtle")

Each article is its own named graph, written with one ``PUT`` (which replaces the graph, so
re-ingesting an article leaves nothing of its old version). Queries see the merged graph, the union
of the article graphs, as their default graph; how the store is told so is :data:`UnionMode`.
Results come back as the embedded store's :class:`QueryResult` of pyoxigraph terms (parsed by
pyoxigraph from SPARQL JSON results or N-Triples), so the query command prints them the same way.

The HTTP is the standard library's ``urllib``: four kinds of request (PUT, DELETE, GET, POST of a
form) need nothing more, and SPARQLWrapper neither speaks the Graph Store Protocol nor returns
pyoxigraph terms.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self

import pyoxigraph as ox

from graph.errors import GraphError
from graph.store.oxigraph import (
    PREFIXES,
    Binding,
    GraphStore,
    QueryError,
    QueryResult,
    SerializedGraph,
    to_ox,
)

if TYPE_CHECKING:
    from rdflib.term import URIRef

#: How a query's default graph becomes the union of the article graphs:
#: ``oxigraph``: Oxigraph's ``union-default-graph`` request parameter;
#: ``graphs``: the standard way, every article graph named as a ``default-graph-uri`` (any store);
#: ``server``: the store already queries the union (``oxigraph serve --union-default-graph``,
#: Fuseki's ``tdb2:unionDefaultGraph true``), nothing is sent.
UnionMode = Literal["oxigraph", "graphs", "server"]
UNION_MODES: tuple[UnionMode, ...] = ("oxigraph", "graphs", "server")

#: Oxigraph server's routes under its base URL (`oxigraph serve`, cli/README.md of oxigraph).
OXIGRAPH_GSP, OXIGRAPH_SPARQL = "/store", "/query"

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
# SPARQL tokens that matter to find the outermost WHERE group: comments, strings, IRIs and
# variables are skipped whole (so a brace inside them does not count), words and brackets kept.
_TOKEN = re.compile(
    r"""(?P<skip>\#[^\n]*
        |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'
        |<[^<>"{}|^`\\\x00-\x20]*>|[?$]\w+)
      |(?P<word>[A-Za-z_][\w-]*(?::[\w.%-]*)?)
      |(?P<bracket>[{}()])""",
    re.VERBOSE,
)
_PREFIX_DECLARATION = re.compile(r"(?i)\bPREFIX\s+([\w.-]*):")


class RemoteStoreError(GraphError, OSError):
    """The remote store could not be reached, or refused a request that is not a query."""


class ArticleStore(Protocol):
    """What the build and the query command use of a store; the embedded and remote stores offer it."""

    def replace_article(self, article_iri: URIRef | str, graph: Any) -> None: ...

    def replace_articles(
        self, articles: Iterable[tuple[URIRef | str, Any]], *, fingerprints: Mapping[str, str] | None = None
    ) -> int: ...

    def article_iris(self) -> list[str]: ...

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult: ...

    def export(self, path: str | os.PathLike[str], fmt: str) -> Path: ...

    def export_set(self, folder: Path, names: Mapping[str, str]) -> list[Path]: ...

    def fingerprints(self) -> dict[str, str]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None: ...


@dataclass(frozen=True)
class Endpoint:
    """Where a remote store listens: its Graph Store Protocol and SPARQL query URLs."""

    gsp: str
    sparql: str
    union: UnionMode = "graphs"

    @classmethod
    def from_base(
        cls, base: str | None, *, gsp: str | None = None, sparql: str | None = None, union: str | None = None
    ) -> Endpoint:
        """An Oxigraph server's base URL (``http://host:7878``), with any URL given explicitly instead.

        The union mode defaults to Oxigraph's parameter when the query URL is Oxigraph's route, and
        to the standard ``graphs`` otherwise.
        """
        root = (base or "").rstrip("/")
        if not root and not (gsp and sparql):
            raise ValueError("give the store's base URL (--endpoint), or both --gsp and --sparql")
        sparql_url = sparql or root + OXIGRAPH_SPARQL
        mode = union or ("oxigraph" if sparql is None else "graphs")
        if mode not in UNION_MODES:
            raise ValueError(f"unknown union mode {mode!r}; choose from {', '.join(UNION_MODES)}")
        return cls(gsp=gsp or root + OXIGRAPH_GSP, sparql=sparql_url, union=mode)  # type: ignore[arg-type]


class RemoteStore:
    """A SPARQL 1.1 store over HTTP, one named graph per article. Nothing to release on close."""

    def __init__(self, endpoint: Endpoint, *, timeout: float = 120.0):
        self.endpoint = endpoint
        self.timeout = timeout
        self._snapshot: GraphStore | None = None  # what the last exports read; dropped on a write

    def close(self) -> None:
        """Drop the export snapshot (no connection is held between requests)."""
        self._forget_snapshot()

    def _forget_snapshot(self) -> None:
        if self._snapshot is not None:
            self._snapshot.close()
            self._snapshot = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- articles -----------------------------------------------------------------------------

    def replace_article(self, article_iri: URIRef | str, graph: Iterable[Any]) -> None:
        """Make the triples (an rdflib graph or pyoxigraph triples) the whole article graph: one PUT."""
        self._forget_snapshot()
        if isinstance(graph, SerializedGraph):
            body = graph.ntriples
        else:
            triples = (ox.Triple(*(to_ox(term) for term in triple)) for triple in graph)
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        self._request("PUT", self._graph_url(article_iri), body, {"Content-Type": "application/n-triples"})

    def replace_articles(
        self,
        articles: Iterable[tuple[URIRef | str, Iterable[Any]]],
        *,
        fingerprints: Mapping[str, str] | None = None,
    ) -> int:
        """:meth:`replace_article` for each; a PUT per article is already the protocol's bulk path.

        ``fingerprints`` are not kept: a build into a remote store extracts every article again
        (its graphs are the store's to manage; no record of ours is written there)."""
        count = 0
        for article_iri, graph in articles:
            self.replace_article(article_iri, graph)
            count += 1
        return count

    def remove_article(self, article_iri: URIRef | str) -> None:
        """Drop the article's named graph (nothing happens when it is not there)."""
        self._forget_snapshot()
        try:
            self._request("DELETE", self._graph_url(article_iri))
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise RemoteStoreError(f"DELETE {self._graph_url(article_iri)}: {_reason(error)}") from error

    def article_iris(self) -> list[str]:
        """The IRIs of the stored articles (the named graphs), sorted."""
        result = self._query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=[])
        return sorted(row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode))

    def __len__(self) -> int:
        """The number of quads in the article graphs (a triple in two graphs counts twice)."""
        result = self._query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=[])
        count = result.rows[0][0]
        return int(count.value) if isinstance(count, ox.Literal) else 0

    # -- the merged graph and its exports -----------------------------------------------------

    def snapshot(self) -> GraphStore:
        """An in-memory embedded store holding every article graph (one SELECT of all their quads).

        The articles go in through the embedded store's own API, so it lays them out as it does in
        a build; triples outside the article graphs (none that a build writes) are left out.
        """
        result = self._query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=[])
        graphs: dict[str, list[ox.Triple]] = {}
        for g, s, p, o in result.rows:
            if isinstance(g, ox.NamedNode):
                graphs.setdefault(g.value, []).append(ox.Triple(s, p, o))  # type: ignore[arg-type]
        local = GraphStore(None)
        # pyoxigraph triples stand in for rdflib graphs: the store converts terms with to_ox
        local.replace_articles(sorted(graphs.items()))  # type: ignore[arg-type]
        return local

    def fingerprints(self) -> dict[str, str]:
        """None kept (see :meth:`replace_articles`)."""
        return {}

    def export_set(self, folder: Path, names: Mapping[str, str]) -> list[Path]:
        """:meth:`export` of several formats, from one snapshot."""
        if self._snapshot is None:
            self._snapshot = self.snapshot()
        return self._snapshot.export_set(folder, names)

    def export(self, path: str | os.PathLike[str], fmt: str) -> Path:
        """Write the graph as the embedded store would (same formats, same bytes), atomically.

        Exports in a row, with no write of this client between them, come from one snapshot, so
        the files agree with each other (and the store is read once).
        """
        if self._snapshot is None:
            self._snapshot = self.snapshot()
        return self._snapshot.export(path, fmt)

    # -- SPARQL -------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Run a SPARQL query on the merged graph, with the contract prefixes predeclared.

        ``bindings`` become a ``VALUES`` block at the head of the query's outermost group, its
        content evaluated ``LATERAL`` to it (the protocol has no substitution; see :func:`bind_values`).
        """
        text = bind_values(with_prefixes(sparql), bindings or {})
        return self._query(text, dataset=self._union_dataset())

    def _union_dataset(self) -> list[tuple[str, str]]:
        if self.endpoint.union == "oxigraph":
            return [("union-default-graph", "")]
        if self.endpoint.union == "graphs":
            graphs = self.article_iris()
            return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
        return []

    def _query(self, sparql: str, dataset: list[tuple[str, str]]) -> QueryResult:
        form = urllib.parse.urlencode([("query", sparql), *dataset]).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT}
        try:
            media_type, body = self._request("POST", self.endpoint.sparql, form, headers)
        except urllib.error.HTTPError as error:
            if error.code == 400:
                raise QueryError(f"the store refused the query: {_reason(error)}") from error
            raise RemoteStoreError(f"POST {self.endpoint.sparql}: {_reason(error)}") from error
        return read_result(media_type, body)

    # -- HTTP ---------------------------------------------------------------------------------

    def _graph_url(self, article_iri: URIRef | str) -> str:
        separator = "&" if "?" in self.endpoint.gsp else "?"
        return f"{self.endpoint.gsp}{separator}{urllib.parse.urlencode({'graph': str(article_iri)})}"

    def _request(
        self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> tuple[str, bytes]:
        """Send one request; the response's media type and body. HTTP errors are raised as they are."""
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            if method in ("POST", "DELETE"):
                raise  # the caller tells a bad query (400) or a missing graph (404) apart
            raise RemoteStoreError(f"{method} {url}: {_reason(error)}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise RemoteStoreError(f"cannot reach the store at {url}: {reason}") from error


def read_result(media_type: str, body: bytes) -> QueryResult:
    """A SPARQL response (JSON or XML results, or an RDF graph) as the embedded store's QueryResult."""
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        parsed = ox.parse_query_results(body, format=results_format)
        if isinstance(parsed, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(parsed))
        variables = tuple(v.value for v in parsed.variables)
        rows = [tuple(solution[v] for v in variables) for solution in parsed]
        return QueryResult("select", variables=variables, rows=rows)
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise RemoteStoreError(f"the store answered in {media_type!r}, which is neither results nor RDF")
    return QueryResult("graph", triples=[quad.triple for quad in ox.parse(body, format=rdf_format)])


def with_prefixes(sparql: str) -> str:
    """The query with the contract's prefixes declared ahead of it (those it does not declare itself)."""
    declared = set(_PREFIX_DECLARATION.findall(sparql))
    missing = [f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared]
    return "".join(missing) + sparql


def bind_values(sparql: str, bindings: Mapping[str, Binding]) -> str:
    """The query with ``VALUES (?a ?b) { (x y) }`` opening its outermost WHERE group, and the
    group's own content inside ``LATERAL { ... }`` after it.

    LATERAL (SPARQL 1.2; Oxigraph, Apache Jena) evaluates the content with the values put in, as
    the embedded store's substitution does: every pattern, filter and nested group sees them (a
    plain ``VALUES`` join would leave a nested group or ``UNION`` branch evaluated without them),
    and a name a ready query looks up is a constant the store finds by index.
    """
    if not bindings:
        return sparql
    terms = {name: to_ox(value) for name, value in bindings.items()}
    if any(isinstance(term, ox.BlankNode) for term in terms.values()):
        raise QueryError("a blank node cannot be bound over the SPARQL protocol")
    values = f" VALUES ({' '.join('?' + n for n in terms)}) {{ ({' '.join(map(str, terms.values()))}) }} "
    tokens = [(m.lastgroup, m.group(), m.end()) for m in _TOKEN.finditer(sparql)]
    forms = (i for i, (kind, text, _) in enumerate(tokens) if kind == "word" and text.upper() in _FORMS)
    form = next(forms, None)
    if form is None:
        raise QueryError("cannot bind parameters: no SELECT, ASK, CONSTRUCT or DESCRIBE in the query")
    start = form + 1
    if tokens[form][1].upper() == "CONSTRUCT" and start < len(tokens) and tokens[start][1] == "{":
        start = _after_block(tokens, start)
    depth = 0
    for index in range(start, len(tokens)):
        text, end = tokens[index][1], tokens[index][2]
        depth += {"(": 1, ")": -1}.get(text, 0)
        if text == "{" and depth == 0:
            closing = _after_block(tokens, index) - 1
            if closing >= len(tokens) or tokens[closing][1] != "}":
                raise QueryError("cannot bind parameters: the query's WHERE group is not closed")
            close = tokens[closing][2] - 1
            return f"{sparql[:end]}{values}LATERAL {{{sparql[end:close]}}} {sparql[close:]}"
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def _after_block(tokens: list[tuple[str | None, str, int]], opening: int) -> int:
    """The index of the token after the ``{ ... }`` block opened at ``opening``."""
    depth = 0
    for index in range(opening, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[index][1], 0)
        if depth == 0:
            return index + 1
    return len(tokens)


def _reason(error: urllib.error.HTTPError) -> str:
    detail = error.read().decode("utf-8", "replace").strip()
    return f"HTTP {error.code} {error.reason}" + (f": {detail[:500]}" if detail else "")

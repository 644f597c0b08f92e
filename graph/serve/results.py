"""One SPARQL query as a worker answers it: run on the store, serialized as the client asked.

Results follow ``Accept`` (or ``?format=``, turned into media types by the HTTP side): SELECT/ASK
as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle (default), JSON-LD,
N-Triples or RDF/XML, all written by pyoxigraph's own serializers. A SELECT result is read row by
row up to the row cap and passed back through pyoxigraph's TSV parser so that the same serializers
write the truncated result (``X-Result-Truncated: true``, ``X-Result-Max-Rows: N``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.serve.defaults import DEFAULT_MAX_ROWS
from graph.store.oxigraph import PREFIXES, GraphStore

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



"""Check a graph against the SHACL shapes of ``ontology/`` and say readably what breaks them.

The ontology goes in as pyshacl's ``ont_graph``, so the subclasses it declares count for
``sh:class`` and ``sh:targetClass`` without running an inference pass (which would cost seconds).
Shapes of severity ``sh:Warning`` are reported but do not make a graph fail.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node
from rdflib.util import guess_format

from graph.errors import GraphNotFound, UsageError
from graph.store.oxigraph import curie
from graph.store.source import locate_graph, merged_graph, open_graph_source
from ontology import ID, PREFIXES, RDFS, XSD, ontology_graph, shapes_graph

SHAPES_IRI = "https://w3id.org/gonghui-kg/shapes#"


class GraphFileError(UsageError):
    """A graph file that is missing or cannot be parsed; the message names the file."""


@dataclass(frozen=True, order=True)
class Result:
    """One thing wrong (or worth a warning) in the graph, with names fit to print."""

    shape: str
    """The node shape that was broken, e.g. ``ghs:FigureShape``."""
    focus: str
    """The node it was broken by, with its label when it has one."""
    message: str
    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    path: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    text: str
    """The readable report, grouped by shape and focus node (what ``run_validate`` prints)."""
    results: list[Result]
    triples: int

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]


def load_graph(source: str | Path) -> Graph:
    """The merged graph of a build folder, or a parsed graph file, raising ``GraphFileError``."""
    try:
        path = locate_graph(source)
    except GraphNotFound as error:
        raise GraphFileError(str(error)) from None
    if path.is_dir():  # a build's store: its merged graph is what graph.ttl holds
        with open_graph_source(path.parent) as store:
            return merged_graph(store)
    try:
        return Graph().parse(path, format=guess_format(str(path)) or "turtle")
    except Exception as error:  # rdflib's parsers raise many kinds: all mean "not a graph"
        raise GraphFileError(f"{path}: cannot be parsed as RDF: {error}") from error


def validate(source: str | Path | Graph, name: str | None = None) -> ValidationReport:
    """Validate a graph, a graph file or a build folder against the gonghui-kg shapes."""
    graph = source if isinstance(source, Graph) else load_graph(source)
    if name is None:
        name = "the graph" if isinstance(source, Graph) else _file_name(source)
    conforms, report_graph, _ = shacl_validate(
        graph,
        shacl_graph=_shapes_for_pyshacl(),
        ont_graph=ontology_graph(),
        inference="none",
        allow_warnings=True,
    )
    names = _namespaces()
    results = sorted(_result(report_graph, r, graph, names)
                     for r in report_graph.subjects(RDF.type, SH.ValidationResult)
                     if (None, SH.detail, r) not in report_graph)  # nested results are details
    text = format_report(results, bool(conforms), len(graph), name)
    return ValidationReport(bool(conforms), text, results, len(graph))


@cache
def _shapes_for_pyshacl() -> Graph:
    """A copy of the shapes: pyshacl adds a few triples to the graph it is given."""
    graph = Graph()
    graph += shapes_graph()
    return graph


def format_report(results: list[Result], conforms: bool, triples: int, name: str) -> str:
    """The verdict line, then each shape, each focus node under it, and its messages."""
    counts = _counts(results)
    verdict = "conforms to" if conforms else "does not conform to"
    lines = [f"{name} {verdict} the gonghui-kg shapes ({triples} triples)"
             + (f": {counts}" if counts else "")]
    grouped: dict[str, dict[str, list[Result]]] = defaultdict(lambda: defaultdict(list))
    for result in results:
        grouped[result.shape][result.focus].append(result)
    for shape, by_focus in grouped.items():
        lines.append(f"\n{shape}")
        for focus, found in by_focus.items():
            lines.append(f"  {focus}")
            lines.extend(f"    {_describe(r)}" for r in found)
    return "\n".join(lines)


def _counts(results: list[Result]) -> str:
    by_severity: dict[str, int] = defaultdict(int)
    for result in results:
        by_severity[result.severity] += 1
    return ", ".join(f"{n} {severity.lower()}{'s' if n > 1 else ''}"
                     for severity, n in by_severity.items())


def _describe(result: Result) -> str:
    mark = "✗" if result.severity == "Violation" else "!"
    text = result.message
    if result.path and result.path not in text:
        text = f"{result.path}: {text}"
    if result.value:
        text += f" (value {result.value})"
    return f"{mark} {text}"


def _result(report: Graph, node: Node, data: Graph, names: list[tuple[str, str]]) -> Result:
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    focus = report.value(node, SH.focusNode)
    messages = list(report.objects(node, SH.resultMessage))
    return Result(
        shape=_show(_node_shape(report.value(node, SH.sourceShape)), names),
        focus=_show_focus(focus, data, names),
        message=str(messages[0]) if messages else "breaks a shape",
        severity=str(report.value(node, SH.resultSeverity)).removeprefix(str(SH)),
        path=_show(path, names) if path is not None else None,
        value=_show(value, names) if value is not None and value != focus else None,
    )


def _node_shape(shape: Node | None) -> Node | None:
    """The named node shape a (blank) property shape belongs to."""
    if isinstance(shape, BNode):
        return shapes_graph().value(predicate=SH.property, object=shape) or shape
    return shape


def _show_focus(node: Node | None, data: Graph, names: list[tuple[str, str]]) -> str:
    shown = _show(node, names)
    labels = sorted(str(v) for v in data.objects(node, RDFS.label)) if node is not None else []
    if labels:
        return f"{shown} " + ", ".join(f"\"{label}\"" for label in labels)
    kinds = [_show(t, names) for t in data.objects(node, RDF.type)] if node is not None else []
    return f"{shown} ({', '.join(sorted(kinds))})" if kinds else shown


def _show(node: Node | None, names: list[tuple[str, str]]) -> str:
    """A node as a reader wants it: ``prefix:rest`` for IRIs (display only, not Turtle)."""
    if node is None:
        return "?"
    if isinstance(node, Literal) and node.datatype not in (None, XSD.string):
        return str(node)  # numbers, booleans, years
    if isinstance(node, Literal):
        return f"\"{node}\"" + (f"@{node.language}" if node.language else "")
    if isinstance(node, URIRef):
        return curie(str(node), names) or f"<{node}>"
    return f"_:{node}"


def _namespaces() -> list[tuple[str, str]]:
    """The contract's prefixes and those a report also shows (ids, shapes, RDF, SHACL)."""
    pairs = [(p, str(ns)) for p, ns in PREFIXES.items()]
    return pairs + [("id", str(ID)), ("ghs", SHAPES_IRI), ("rdf", str(RDF)), ("sh", str(SH))]


def _file_name(source: str | Path) -> str:
    path = Path(source)
    return str(locate_graph(path)) if path.is_dir() else str(path)

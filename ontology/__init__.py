"""The gonghui-kg vocabulary, read from ``gonghui.ttl``: the one place its terms are named.

``GH`` holds exactly the terms the Turtle defines, so ``GH.Figure`` works and a typo such as
``GH.Figur`` raises ``AttributeError``. Organization name suffixes (``gh:nameSuffix``) and labels
are read from the same file, so changing the Turtle changes what the code knows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import (
    FOAF,
    ORG,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    ClosedNamespace,
    DefinedNamespace,
)

__all__ = [
    "FOAF", "GH", "ID", "ORG", "PREFIXES", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "XSD",
    "bind_prefixes", "label", "name_suffixes", "ontology_graph", "org_class_for", "shapes_graph",
]

HERE = Path(__file__).parent
ONTOLOGY_PATH = HERE / "gonghui.ttl"
SHAPES_PATH = HERE / "shapes.ttl"

GH_IRI = "https://w3id.org/gonghui-kg/ontology#"
SCHEMA = SDO  # rdflib's SDO is https://schema.org/, the namespace the contract uses
ID = Namespace("https://w3id.org/gonghui-kg/id/")
"""Namespace of instance IRIs (people, organizations, sentences ...)."""


@cache
def ontology_graph() -> Graph:
    """The parsed ``gonghui.ttl`` (shared: do not modify it; copy it first)."""
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@cache
def shapes_graph() -> Graph:
    """The parsed SHACL shapes ``shapes.ttl`` (shared: do not modify it)."""
    return Graph().parse(SHAPES_PATH, format="turtle")


def _defined_terms() -> list[str]:
    """Local names of every ``gh:`` term that ``gonghui.ttl`` says something about."""
    return sorted(
        {str(s)[len(GH_IRI):] for s in ontology_graph().subjects() if str(s).startswith(GH_IRI)}
    )


GH = ClosedNamespace(GH_IRI, _defined_terms())

PREFIXES: dict[str, ClosedNamespace | type[DefinedNamespace]] = {
    "org": ORG, "foaf": FOAF, "schema": SCHEMA, "prov": PROV,
    "skos": SKOS, "rdfs": RDFS, "xsd": XSD, "gh": GH,
}
"""The prefixes of the public contract, as they should appear in every serialisation."""


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the contract's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, URIRef(str(namespace)), override=True, replace=True)
    return graph


def label(term: URIRef, lang: str = "zh") -> str | None:
    """The ``rdfs:label`` of an ontology term in ``lang``, or None when it has none."""
    for value in ontology_graph().objects(term, RDFS.label):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return None


def local_name(iri: str) -> str:
    """The last part of an IRI, after its ``#`` or last ``/`` (``foaf:Person`` → ``Person``)."""
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@cache
def _suffixes() -> tuple[tuple[str, URIRef], ...]:
    pairs = {
        (str(suffix), cls)
        for cls, suffix in ontology_graph().subject_objects(GH.nameSuffix)
        if isinstance(cls, URIRef)
    }
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0], str(pair[1]))))


def name_suffixes() -> list[tuple[str, URIRef]]:
    """Every (suffix, class) from ``gh:nameSuffix``, longest suffix first, ties by suffix."""
    return list(_suffixes())


@cache
def _prefixes() -> tuple[tuple[str, URIRef], ...]:
    pairs = {(str(prefix), cls) for cls, prefix in ontology_graph().subject_objects(GH.namePrefix)}
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0])))  # type: ignore[arg-type]


def org_class_for(name: str) -> URIRef | None:
    """The organization class that ``name``'s known prefix (``gh:namePrefix``) or else its longest
    known suffix signals, or None."""
    if not any(name.endswith(suffix) for suffix, _ in _suffixes()):
        return None
    prefixed = next((cls for prefix, cls in _prefixes() if name.startswith(prefix) and name != prefix), None)
    return prefixed or next((cls for suffix, cls in _suffixes() if name.endswith(suffix)), None)

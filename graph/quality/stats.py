"""``python -m graph stats --graph DIR|--endpoint URL``: what a graph holds, counted by kind.

The kinds and their Chinese names come from the ontology: each organization class is counted
under its own label, so a class added to ``gonghui.ttl`` shows up here without a code change.
"""

from __future__ import annotations

from typing import TextIO

from rdflib import URIRef
from rich.table import Table

from graph.store.query import print_table
from graph.store.remote import ArticleStore
from ontology import ORG, RDFS, label, ontology_graph

COUNTS = """
SELECT ?kind (COUNT(DISTINCT ?thing) AS ?n) WHERE {
  { ?thing a schema:NewsArticle . BIND(schema:NewsArticle AS ?kind) }
  UNION { ?thing a gh:Sentence . BIND(gh:Sentence AS ?kind) }
  UNION { ?thing a foaf:Person . BIND(foaf:Person AS ?kind) }
  UNION { ?thing a org:Organization . BIND(org:Organization AS ?kind) }
  UNION { ?thing a org:Organization, ?kind . ?kind rdfs:subClassOf org:Organization }
  UNION { ?thing a org:Membership . BIND(org:Membership AS ?kind) }
  UNION { ?thing a gh:Campaign . BIND(gh:Campaign AS ?kind) }
  UNION { ?thing a gh:Figure . BIND(gh:Figure AS ?kind) }
  UNION { ?thing a gh:HierarchyStatement . BIND(gh:HierarchyStatement AS ?kind) }
} GROUP BY ?kind ORDER BY DESC(?n)
"""


def counts(store: ArticleStore) -> list[tuple[str, int]]:
    """(kind IRI, how many) for every kind the graph holds."""
    # The class hierarchy lives in the ontology, not in the data: list its organization classes.
    classes = " ".join(f"<{c}>" for c in ontology_graph().subjects(RDFS.subClassOf, ORG.Organization))
    sparql = COUNTS.replace("?kind rdfs:subClassOf org:Organization", f"VALUES ?kind {{ {classes} }}")
    return [(str(kind.value), int(n.value)) for kind, n in store.query(sparql).rows if kind and n]


def write_counts(found: list[tuple[str, int]], title: str, out: TextIO) -> None:
    """The counts as a table: the kind's local name, its Chinese label, how many."""
    table = Table(title=title)
    for column in ("kind", "种类", "count"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for kind, n in found:
        table.add_row(kind.rsplit("#", 1)[-1].rsplit("/", 1)[-1], label_of(kind), str(n))
    print_table(table, out)


def label_of(kind: str) -> str:
    return label(URIRef(kind)) or ""

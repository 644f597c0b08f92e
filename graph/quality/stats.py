"""``stats``: what a graph holds, counted by kind.

The query is ``graph/queries/quality/counts.rq``; the kinds' names come from the ontology, so an
organization class added to ``gonghui.ttl`` is counted and named without a code change.
"""

from __future__ import annotations

from typing import TextIO

from rdflib import URIRef
from rich.table import Table

from graph.queries import internal_query
from graph.store.query import print_table
from graph.store.remote import ArticleStore
from ontology import label, local_name


def counts(store: ArticleStore) -> list[tuple[str, int]]:
    """(kind IRI, how many) for every kind the graph holds that the ontology names."""
    rows = store.query(internal_query("quality/counts")).rows
    found = [(str(kind.value), int(n.value)) for kind, n in rows if kind is not None and n is not None]
    return [(kind, n) for kind, n in found if label_of(kind)]


def write_counts(found: list[tuple[str, int]], title: str, out: TextIO) -> None:
    """The counts as a table: the kind's local name, its Chinese label, how many."""
    table = Table(title=title)
    for column in ("kind", "种类", "count"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for kind, n in found:
        table.add_row(local_name(kind), label_of(kind), str(n))
    print_table(table, out)


def label_of(kind: str) -> str:
    return label(URIRef(kind)) or ""

"""One way to open a graph for reading: a build folder, an RDF file, or a SPARQL endpoint.

Every reading command takes ``--graph DIR|FILE`` or ``--endpoint URL`` (:mod:`graph.cli.options`)
and gets an :class:`ArticleStore` from :func:`open_graph`; what it reads goes through
``store.query``, so the same command runs on the embedded Oxigraph store, a ``graph.ttl`` loaded
into memory, or any SPARQL 1.1 store.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.errors import GraphNotFound
from graph.store.oxigraph import DEFAULT_GRAPH, GRAPH_FILENAME, STORE_DIRNAME, GraphStore
from graph.store.remote import ArticleStore, Endpoint, RemoteStore

if TYPE_CHECKING:
    import rdflib


def locate_graph(path: str | os.PathLike[str]) -> Path:
    """The store folder or RDF file that ``path`` (a build's ``--out`` folder or a file) stands for.

    A folder's ``store/`` database wins over its ``graph.ttl``; anything else raises
    :class:`GraphNotFound` naming the path.
    """
    path = Path(path)
    if path.is_dir():
        if (path / STORE_DIRNAME).is_dir():
            return path / STORE_DIRNAME
        if (path / GRAPH_FILENAME).is_file():
            return path / GRAPH_FILENAME
        raise GraphNotFound(f"{path}: no {STORE_DIRNAME}/ or {GRAPH_FILENAME} in this folder")
    if path.is_file():
        return path
    if ox.RdfFormat.from_extension(path.suffix.lstrip(".")) is not None:
        raise GraphNotFound(f"{path}: no such graph file")
    raise GraphNotFound(
        f"{path}: no such graph folder or file (build one: python -m graph build INPUT... --out {path})"
    )


def open_graph_source(path: str | os.PathLike[str]) -> GraphStore:
    """Open a build folder's store read-only, or load an RDF file (or a folder's graph.ttl) into memory."""
    located = locate_graph(path)
    if located.is_dir():
        return GraphStore(located, read_only=True)
    return GraphStore.from_file(located)


def open_graph(graph: str | os.PathLike[str] | None = None, endpoint: Endpoint | None = None) -> ArticleStore:
    """The graph a reading command reads: the endpoint's when given, else ``graph`` (default ``out``)."""
    if endpoint is not None:
        return RemoteStore(endpoint)
    return open_graph_source(DEFAULT_GRAPH if graph is None else graph)


def merged_graph(store: ArticleStore) -> rdflib.Graph:
    """The merged graph of a store as an rdflib graph (for pyshacl and other rdflib tools)."""
    import rdflib

    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    text = ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
    return rdflib.Graph().parse(data=text.decode("utf-8"), format="nt")

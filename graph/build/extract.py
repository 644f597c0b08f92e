"""Extracting one article, in whatever process runs it: this one, a pool worker, a Dask worker.

Workers load the pipeline once and hand back each article's graph store-ready: its IRI, and its
triples as N-Triples and as N-Quads in the article's named graph, bytes the store bulk-loads as
they are (cheap to send, unlike pickled rdflib terms, and nothing left to parse or convert in the
process that writes the store, which would otherwise be the bottleneck of a parallel build).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox

from graph.errors import GraphError
from graph.store.oxigraph import to_ox
from loaders import Article

if TYPE_CHECKING:  # the pipeline (spaCy, ONNX Runtime) and rdflib load where articles are read: a
    # parallel build's main process, which only hands articles out, never pays for them
    from rdflib import Graph

    from loaders.extract.assemble import ArticleReader

_Item = TypeVar("_Item")


@dataclass(frozen=True)
class Extracted:
    """One article's extraction, store-ready, or why it failed."""

    ntriples: bytes = b""
    """The article graph as N-Triples (each line is also an N-Quads line of the default graph)."""
    nquads: bytes = b""
    """The same triples as N-Quads in the article's named graph."""
    iri: str = ""
    error: str | None = None


class ClusterError(GraphError, RuntimeError):
    """The Dask cluster could not run the extraction (unreachable, or its environment differs)."""


# -- extraction (in any process: this one, a pool worker, a Dask worker) ---------------------------

_reader: ArticleReader | None = None
_reader_backend: str | None = None
_reader_lock = threading.Lock()


def load_pipeline(backend: str | None) -> ArticleReader:
    """This process's extraction pipeline, loaded on first use (once per process and backend)."""
    global _reader, _reader_backend
    with _reader_lock:
        if _reader is None or _reader_backend != backend:
            from loaders.extract.assemble import ArticleReader

            _reader, _reader_backend = ArticleReader(backend), backend
        return _reader


def extract_article(article: Article, backend: str | None = None) -> Extracted:
    """One article's graph as N-Triples, or why extraction failed (one bad article must not sink the rest)."""
    from loaders.to_rdf import article_graph, article_iri

    reader = load_pipeline(backend)
    try:
        iri = str(article_iri(article))
        name = ox.NamedNode(iri)  # an IRI the store would refuse fails here, for this article only
        with _reader_lock:  # a pipeline is not known to be thread-safe: one article at a time
            facts = reader.read(article)
        triples = _ox_triples(article_graph(article, facts))
        return Extracted(
            ntriples=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
            nquads=ox.serialize((ox.Quad(*t, name) for t in triples), format=ox.RdfFormat.N_QUADS),
            iri=iri,
        )
    except Exception as error:
        return Extracted(error=f"extraction failed: {error!r}")


def _ox_triples(graph: Graph) -> list[ox.Triple]:
    """A graph's triples as pyoxigraph's (serialized by pyoxigraph: faster than rdflib's writers)."""
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]  # type: ignore[arg-type]


def extract_in_pool(
    items: list[_Item], extract: Callable[[_Item], Extracted], jobs: int,
    initializer: Callable[[], object] | None = None,
) -> Iterator[Extracted]:
    """``extract`` of every item in ``jobs`` worker processes, in order.

    A worker that dies (killed for memory, a crash in native code) breaks the whole pool, and the
    item it held cannot be told apart from the others in flight. So the first item without a
    result is run again alone in a fresh process: if that one dies too, the item gets an error
    naming why, and the rest go on in a new pool; the build never stops for one input.
    """
    remaining = items
    while remaining:
        done = 0
        try:
            with _pool(jobs, initializer) as pool:
                # Small chunks: with few workers, the last big chunk left one worker alone at the end.
                chunksize = max(1, min(2, len(remaining) // (jobs * 8)))
                for result in pool.map(extract, remaining, chunksize=chunksize):
                    yield result
                    done += 1
            return
        except BrokenProcessPool:
            suspect, remaining = remaining[done], remaining[done + 1 :]
            try:
                with _pool(1, initializer) as alone:
                    yield alone.submit(extract, suspect).result()
            except BrokenProcessPool:
                yield Extracted(error="the worker process extracting it died (out of memory, or a crash)")


def _pool(jobs: int, initializer: Callable[[], object] | None) -> ProcessPoolExecutor:
    # spawn, not fork: ONNX Runtime and spaCy are not safe to fork once loaded.
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=initializer)

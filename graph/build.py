"""``python -m graph build``: article files in, the knowledge graph out.

Each article becomes its own named graph in a store (re-ingesting an article replaces its graph)
and the merged graph is exported to ``OUT/graph.ttl`` and beside it as TriG, N-Triples and JSON-LD,
each written atomically. The store is a plug-in: the embedded Oxigraph database ``OUT/store`` by
default, or any SPARQL 1.1 store over HTTP (``endpoint``, see :mod:`graph.remote_store`).

Extraction runs in this process (``jobs=1``), in a pool of ``jobs`` worker processes, or on a Dask
cluster (``scheduler``, see :mod:`graph.cluster`). Workers load the pipeline once and hand back each
article's graph as N-Triples text (cheap to send, unlike pickled rdflib terms); results are taken
in input order, so the output is the same byte for byte however the work was spread.
"""

from __future__ import annotations

import functools
import multiprocessing
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph
from rich.progress import Progress

from graph.outdir import OutFolderBusy, build_lock, publish_exports, remove_leftovers
from graph.remote_store import ArticleStore, Endpoint, RemoteStore, RemoteStoreError
from graph.store import GRAPH_FILENAME, STORE_DIRNAME, GraphStore, to_ox
from loaders import Article, LoadError, load
from loaders.extract.assemble import ArticleReader
from loaders.model import DEFAULT_MAX_ARTICLE_BYTES
from loaders.to_rdf import article_graph, article_iri

_Item = TypeVar("_Item")

EXPORTS = {"turtle": GRAPH_FILENAME, "trig": "graph.trig", "nt": "graph.nt", "jsonld": "graph.jsonld"}


@dataclass(frozen=True)
class Extracted:
    """One article's extraction: its graph as N-Triples text, or why it failed."""

    ntriples: str = ""
    error: str | None = None

    def triples(self) -> list[ox.Triple]:
        quads = ox.parse(self.ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return [quad.triple for quad in quads]


class ClusterError(RuntimeError):
    """The Dask cluster could not run the extraction (unreachable, or its environment differs)."""


class StoreBusy(RuntimeError):
    """The embedded store cannot be opened for writing (another process holds it, or the disk)."""


@dataclass
class BuildReport:
    articles: list[str] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


# -- extraction (in any process: this one, a pool worker, a Dask worker) ---------------------------

_reader: ArticleReader | None = None
_reader_backend: str | None = None
_reader_lock = threading.Lock()


def _pipeline(backend: str | None) -> ArticleReader:
    """This process's extraction pipeline, loaded on first use (once per process and backend)."""
    global _reader, _reader_backend
    with _reader_lock:
        if _reader is None or _reader_backend != backend:
            _reader, _reader_backend = ArticleReader(backend), backend
        return _reader


def extract_article(article: Article, backend: str | None = None) -> Extracted:
    """One article's graph as N-Triples, or why extraction failed (one bad article must not sink the rest)."""
    reader = _pipeline(backend)
    try:
        with _reader_lock:  # a pipeline is not known to be thread-safe: one article at a time
            facts = reader.read(article)
        graph = article_graph(article, facts)
        return Extracted(ntriples=_ntriples(graph))
    except Exception as error:
        return Extracted(error=f"extraction failed: {error!r}")


def _ntriples(graph: Graph) -> str:
    """A graph as N-Triples, written by pyoxigraph (faster than rdflib's nt serializer)."""
    triples = (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def extract_all(
    articles: list[Article], backend: str | None, jobs: int = 1, scheduler: str | None = None
) -> Iterator[Extracted]:
    """Every article's extraction, in input order."""
    if scheduler:
        from graph.cluster import extract_on_cluster

        yield from extract_on_cluster(articles, backend, scheduler)
        return
    extract = functools.partial(extract_article, backend=backend)
    if jobs <= 1 or len(articles) <= 1:
        yield from map(extract, articles)
        return
    yield from extract_in_pool(articles, extract, jobs, initializer=functools.partial(_pipeline, backend))


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
                chunksize = max(1, len(remaining) // (jobs * 8))
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


# -- the build ----------------------------------------------------------------------------------


def open_store(out: Path, endpoint: Endpoint | None = None) -> ArticleStore:
    """The store the build writes into: the endpoint's, else the embedded one under ``out``."""
    if endpoint is not None:
        return RemoteStore(endpoint)
    try:
        return GraphStore(out / STORE_DIRNAME)
    except OSError as error:
        store = out / STORE_DIRNAME
        if "lock" in str(error).lower():  # RocksDB's LOCK: a process that is not a build has it open
            raise StoreBusy(f"the store {store} is in use by another process ({error})") from None
        raise StoreBusy(f"cannot open the store {store}: {error}") from None


def build(
    inputs: list[str],
    out: Path,
    backend: str | None = None,
    jobs: int = 1,
    *,
    endpoint: Endpoint | None = None,
    scheduler: str | None = None,
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES,
) -> BuildReport:
    """Read, extract and store ``inputs``, then publish the export set; raises
    :class:`~graph.outdir.OutFolderBusy` or :class:`StoreBusy` before any extraction when ``out`` is taken."""
    loaded = load(inputs, max_article_bytes)
    report = BuildReport(errors=list(loaded.errors))
    if not loaded.articles:
        return report
    with build_lock(out):
        remove_leftovers(out, list(EXPORTS.values()))
        with open_store(out, endpoint) as store:
            _store_articles(loaded.articles, store, report, backend, jobs, scheduler)

            def write_exports(folder: Path) -> None:
                for fmt, name in EXPORTS.items():
                    store.export(folder / name, fmt)

            report.outputs = publish_exports(out, list(EXPORTS.values()), write_exports)
    return report


def _store_articles(
    articles: list[Article], store: ArticleStore, report: BuildReport,
    backend: str | None, jobs: int, scheduler: str | None,
) -> None:
    extractions = extract_all(articles, backend, jobs, scheduler)
    with Progress(disable=not sys.stderr.isatty() or len(articles) < 20, transient=True) as progress:
        task = progress.add_task("extracting", total=len(articles))

        def graphs() -> Iterator[tuple[str, list[ox.Triple]]]:
            for article, result in zip(articles, extractions, strict=True):
                progress.advance(task)
                try:
                    if result.error is not None:
                        raise ValueError(result.error)
                    # pyoxigraph triples: the stores pass them through to_ox unchanged (no rdflib graph)
                    iri, triples = article_iri(article), result.triples()
                    ox.NamedNode(str(iri))  # an IRI the store would refuse fails here, for this article only
                except Exception as error:
                    report.errors.append(LoadError(article.source, str(error)))
                    continue
                report.articles.append(article.source)
                yield iri, triples

        store.replace_articles(graphs())  # batched: new articles are bulk-loaded


def run_build(
    inputs: list[str],
    out: str,
    backend: str | None = None,
    jobs: int = 1,
    *,
    endpoint: Endpoint | None = None,
    scheduler: str | None = None,
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES,
) -> int:
    if endpoint is not None and (Path(out) / STORE_DIRNAME).is_dir():
        print(f"error: {Path(out) / STORE_DIRNAME} holds an embedded store that a build into "
              f"{endpoint.gsp} would leave stale (query --graph {out} reads it first); choose another --out",
              file=sys.stderr)
        return 2
    try:
        report = build(inputs, Path(out), backend, jobs, endpoint=endpoint, scheduler=scheduler,
                       max_article_bytes=max_article_bytes)
    except (OutFolderBusy, StoreBusy) as error:
        print(f"error: nothing was built: {error}", file=sys.stderr)
        return 3
    except (RemoteStoreError, ClusterError) as error:
        print(f"error: the build stopped: {error}", file=sys.stderr)
        return 1
    for error in report.errors:
        print(f"skipped {error}", file=sys.stderr)
    if not report.articles:
        print("error: no article could be read; nothing was written", file=sys.stderr)
        return 2
    print(f"built {len(report.articles)} article(s); outputs:")
    for path in report.outputs:
        print(f"  {path}")
    return 1 if report.errors else 0

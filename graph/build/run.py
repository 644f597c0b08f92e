"""``python -m graph build``: article files in, the knowledge graph out.

Each article becomes its own named graph in a store (re-ingesting an article replaces its graph)
and the merged graph is exported to ``OUT/graph.ttl`` and beside it as TriG, N-Triples and JSON-LD,
each written atomically. The store is a plug-in: the embedded Oxigraph database ``OUT/store`` by
default, or any SPARQL 1.1 store over HTTP (``endpoint``, see :mod:`graph.store.remote`).

Extraction runs in this process (``jobs=1``), in a pool of ``jobs`` worker processes, or on a Dask
cluster (``scheduler``, see :mod:`graph.build.cluster`); one article's extraction is
:mod:`graph.build.extract`. Results are taken in input order, so the output is the same byte for
byte however the work was spread.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rich.progress import Progress

from graph.build.extract import Extracted, extract_article, extract_in_pool, load_pipeline
from graph.errors import Busy
from graph.store.folder import build_lock, publish_exports, remove_leftovers
from graph.store.oxigraph import GRAPH_FILENAME, STORE_DIRNAME, GraphStore
from graph.store.remote import ArticleStore, Endpoint, RemoteStore
from loaders import Article, LoadError, load
from loaders.model import DEFAULT_MAX_ARTICLE_BYTES
from loaders.to_rdf import article_iri

EXPORTS = {"turtle": GRAPH_FILENAME, "trig": "graph.trig", "nt": "graph.nt", "jsonld": "graph.jsonld"}


class StoreBusy(Busy, RuntimeError):
    """The embedded store cannot be opened for writing (another process holds it, or the disk)."""


@dataclass
class BuildReport:
    articles: list[str] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


def extract_all(
    articles: list[Article], backend: str | None, jobs: int = 1, scheduler: str | None = None
) -> Iterator[Extracted]:
    """Every article's extraction, in input order."""
    if scheduler:
        from graph.build.cluster import extract_on_cluster

        yield from extract_on_cluster(articles, backend, scheduler)
        return
    extract = functools.partial(extract_article, backend=backend)
    if jobs <= 1 or len(articles) <= 1:
        yield from map(extract, articles)
        return
    yield from extract_in_pool(articles, extract, jobs, initializer=functools.partial(load_pipeline, backend))


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
            raise StoreBusy(
                f"nothing was built: the store {store} is in use by another process ({error})"
            ) from None
        raise StoreBusy(f"nothing was built: cannot open the store {store}: {error}") from None


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
    """Read, extract and store ``inputs``, then publish the export set.

    Raises :class:`~graph.store.folder.OutFolderBusy` or :class:`StoreBusy` before any extraction
    when ``out`` is taken."""
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

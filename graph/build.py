"""``python -m graph build``: article files in, the knowledge graph out.

Each article becomes its own named graph in the persistent store under ``OUT/store`` (re-ingesting
an article replaces its graph), and the merged graph is exported to ``OUT/graph.ttl`` and beside
it as TriG, N-Triples and JSON-LD, each written atomically.

With ``jobs > 1`` articles are extracted in a pool of worker processes (each loads the pipeline
once); their graphs come back in input order, so the output is the same as with one job.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rich.progress import Progress

from graph.store import GRAPH_FILENAME, STORE_DIRNAME, GraphStore
from loaders import Article, LoadError, load
from loaders.extract.assemble import ArticleReader
from loaders.to_rdf import article_graph, article_iri

EXPORTS = {"turtle": GRAPH_FILENAME, "trig": "graph.trig", "nt": "graph.nt", "jsonld": "graph.jsonld"}
Triples = list[tuple]


@dataclass
class BuildReport:
    articles: list[str] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


_reader: ArticleReader | None = None


def _start_worker(backend: str | None) -> None:
    global _reader
    _reader = ArticleReader(backend)


def _extract(article: Article) -> Triples | str:
    """One article's triples, or why extraction failed (one bad article must not sink the rest)."""
    assert _reader is not None
    try:
        return list(article_graph(article, _reader.read(article)))
    except Exception as error:
        return f"extraction failed: {error!r}"


def extract_all(articles: list[Article], backend: str | None, jobs: int) -> Iterator[Triples | str]:
    if jobs <= 1 or len(articles) <= 1:
        _start_worker(backend)
        yield from map(_extract, articles)
        return
    # spawn, not fork: ONNX Runtime and spaCy are not safe to fork once loaded.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(backend,))
    with pool:
        yield from pool.map(_extract, articles, chunksize=max(1, len(articles) // (jobs * 8)))


def build(inputs: list[str], out: Path, backend: str | None = None, jobs: int = 1) -> BuildReport:
    loaded = load(inputs)
    report = BuildReport(errors=list(loaded.errors))
    if not loaded.articles:
        return report
    out.mkdir(parents=True, exist_ok=True)
    with GraphStore(out / STORE_DIRNAME) as store, Progress(
        disable=not sys.stderr.isatty() or len(loaded.articles) < 20, transient=True
    ) as progress:
        task = progress.add_task("extracting", total=len(loaded.articles))
        for article, result in zip(loaded.articles, extract_all(loaded.articles, backend, jobs), strict=True):
            progress.advance(task)
            if isinstance(result, str):
                report.errors.append(LoadError(article.source, result))
                continue
            graph = Graph()
            for triple in result:
                graph.add(triple)
            store.replace_article(article_iri(article), graph)
            report.articles.append(article.source)
        report.outputs = [store.export(out / name, fmt) for fmt, name in EXPORTS.items()]
    return report


def run_build(inputs: list[str], out: str, backend: str | None = None, jobs: int = 1) -> int:
    report = build(inputs, Path(out), backend, jobs)
    for error in report.errors:
        print(f"skipped {error}", file=sys.stderr)
    if not report.articles:
        print("error: no article could be read; nothing was written", file=sys.stderr)
        return 2
    print(f"built {len(report.articles)} article(s); outputs:")
    for path in report.outputs:
        print(f"  {path}")
    return 1 if report.errors else 0

"""``python -m graph build``: article files in, the knowledge graph out.

Each article becomes its own named graph in the persistent store under ``OUT/store`` (re-ingesting
an article replaces its graph), and the merged graph is exported to ``OUT/graph.ttl`` and beside
it as TriG, N-Triples and JSON-LD, each written atomically.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from graph.store import GRAPH_FILENAME, STORE_DIRNAME, GraphStore
from loaders import LoadError, load
from loaders.extract.assemble import ArticleReader
from loaders.to_rdf import article_graph, article_iri

EXPORTS = {"turtle": GRAPH_FILENAME, "trig": "graph.trig", "nt": "graph.nt", "jsonld": "graph.jsonld"}


@dataclass
class BuildReport:
    articles: list[str] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


def build(inputs: list[str], out: Path, backend: str | None = None) -> BuildReport:
    loaded = load(inputs)
    report = BuildReport(errors=list(loaded.errors))
    if not loaded.articles:
        return report
    reader = ArticleReader(backend)
    out.mkdir(parents=True, exist_ok=True)
    with GraphStore(out / STORE_DIRNAME) as store:
        for article in loaded.articles:
            try:
                graph = article_graph(article, reader.read(article))
            except Exception as error:  # one article the extractor chokes on must not sink the rest
                report.errors.append(LoadError(article.source, f"extraction failed: {error!r}"))
                continue
            store.replace_article(article_iri(article), graph)
            report.articles.append(article.source)
        report.outputs = [store.export(out / name, fmt) for fmt, name in EXPORTS.items()]
    return report


def run_build(inputs: list[str], out: str, backend: str | None = None) -> int:
    report = build(inputs, Path(out), backend)
    for error in report.errors:
        print(f"skipped {error}", file=sys.stderr)
    if not report.articles:
        print("error: no article could be read; nothing was written", file=sys.stderr)
        return 2
    print(f"built {len(report.articles)} article(s); outputs:")
    for path in report.outputs:
        print(f"  {path}")
    return 1 if report.errors else 0

"""``python -m graph build``: article files in, the knowledge graph out.

Each article becomes its own named graph in a store (re-ingesting an article replaces its graph)
and the merged graph is exported to ``OUT/graph.ttl`` and beside it as TriG, N-Triples and JSON-LD,
each written atomically. The store is a plug-in: the embedded Oxigraph database ``OUT/store`` by
default, or any SPARQL 1.1 store over HTTP (``endpoint``, see :mod:`graph.store.remote`).

Extraction runs in this process (``jobs=1``), in a pool of ``jobs`` worker processes, or on a Dask
cluster (``scheduler``, see :mod:`graph.build.cluster`); one article's extraction is
:mod:`graph.build.extract`. Results are taken in input order, so the output is the same byte for
byte however the work was spread.

Builds are incremental: an article whose fingerprint (:mod:`graph.build.fingerprint`: its text and
metadata, and the pipeline's version) is the one the store holds for its graph is not read again,
and when no article changed, the export set stays as it is (unless it is not the formats asked for,
or not the store's: each set records the fingerprints it was written from). When a build only adds
articles, the new set is the previous one with the additions at the end of each file
(:meth:`~graph.store.oxigraph.GraphStore.grow_export_set`: the cost follows what was added, not the
corpus); otherwise the exports are written in one pass over the merged graph (``formats`` chooses
them; ``graph.ttl`` is always written, the contract's file).
"""

from __future__ import annotations

import functools
import hashlib
import sys
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import Progress

from graph.build.fingerprint import article_fingerprint, pipeline_version
from graph.errors import Busy, UsageError
from graph.store.folder import CURRENT, EXPORTS_DIRNAME, build_lock, publish_exports, remove_leftovers
from graph.store.oxigraph import GRAPH_FILENAME, STORE_DIRNAME, GraphStore, Growth, GrowthError
from graph.store.remote import ArticleStore, Endpoint, RemoteStore
from loaders import Article, LoadError, load
from loaders.model import DEFAULT_MAX_ARTICLE_BYTES

if TYPE_CHECKING:
    from graph.build.extract import Extracted

EXPORTS = {"turtle": GRAPH_FILENAME, "trig": "graph.trig", "nt": "graph.nt", "jsonld": "graph.jsonld"}
EXPORT_FORMATS = tuple(EXPORTS)
#: What a new folder gets unless ``formats`` says otherwise: the contract's merged graph, and the
#: article graphs. N-Triples and JSON-LD hold the merged graph again at 3 and 2 times Turtle's size
#: (485 and 316 MB at 10,000 articles): every build that adds articles copies them (issue 16).
DEFAULT_EXPORT_FORMATS = ("turtle", "trig")
#: In each export set: a digest of the fingerprints of the articles it was written from.
BUILT_FROM = ".built-from"


class StoreBusy(Busy, RuntimeError):
    """The embedded store cannot be opened for writing (another process holds it, or the disk)."""


@dataclass
class BuildReport:
    articles: list[str] = field(default_factory=list)
    """Articles extracted and stored by this build."""
    unchanged: list[str] = field(default_factory=list)
    """Articles whose stored graph was built from the same text by the same pipeline: skipped."""
    errors: list[LoadError] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    exported: bool = False
    """Whether this build wrote a new export set (none when nothing changed)."""
    grown: bool = False
    """Whether that set is the previous one grown by the added articles (not rewritten whole)."""


def extract_all(
    articles: list[Article], backend: str | None, jobs: int = 1, scheduler: str | None = None
) -> Iterator[Extracted]:
    """Every article's extraction, in input order."""
    from graph.build.extract import extract_article, extract_in_pool, load_pipeline

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
    formats: tuple[str, ...] | None = None,
    only: Container[Path] | None = None,
) -> BuildReport:
    """Read, extract and store ``inputs`` (those changed since they were stored), then publish the
    export set when anything changed.

    Raises :class:`~graph.store.folder.OutFolderBusy` or :class:`StoreBusy` before any extraction
    when ``out`` is taken. ``formats``: the exports to write (``None``: those the folder has, or
    :data:`DEFAULT_EXPORT_FORMATS` for a new one). ``only``: read just these files of the inputs
    (:func:`loaders.load`)."""
    if formats is None:
        formats = _live_formats(out) or DEFAULT_EXPORT_FORMATS
    unknown = [fmt for fmt in formats if fmt not in EXPORTS]
    if unknown:
        raise UsageError(f"unknown export format {unknown[0]!r}; choose from {', '.join(EXPORTS)}")
    names = {fmt: EXPORTS[fmt] for fmt in EXPORTS if fmt in formats or fmt == "turtle"}
    loaded = load(inputs, max_article_bytes, only)
    report = BuildReport(errors=list(loaded.errors))
    if not loaded.articles:
        return report
    with build_lock(out):
        remove_leftovers(out, list(EXPORTS.values()))
        with open_store(out, endpoint) as store:
            stored = store.fingerprints()
            changed = _changed_articles(loaded.articles, stored, report, backend)
            current = out / EXPORTS_DIRNAME / CURRENT
            holds, built_from = _export_set_holds(out, names.values()), _built_from(current)
            # The live set is the embedded store's as it was before this build: it can grow by the
            # additions (a remote store's exports are always written whole).
            growable = isinstance(store, GraphStore) and holds and built_from == _digest(stored)
            growth = Growth() if growable else None
            recorded = _store_articles(changed, store, report, backend, jobs, scheduler, growth)
            state = _digest({**stored, **recorded})  # what the store holds now (not read again: 10k rows)
            if report.articles or not holds or built_from != state:
                report.outputs, report.grown = _publish(out, store, names, state, growth, current)
                report.exported = True
                for fmt, name in EXPORTS.items():  # formats left out: no link to a file not in the set
                    if fmt not in names and (out / name).is_symlink():
                        (out / name).unlink()
            else:
                report.outputs = [out / name for name in names.values()]
    return report


def _publish(
    out: Path, store: ArticleStore, names: dict[str, str], state: str, growth: Growth | None, current: Path
) -> tuple[list[Path], bool]:
    """Publish the new export set, grown from the live one when that is possible; whether it was."""
    previous = current.resolve()  # the set as it is now: publishing moves ``current`` on

    def write(folder: Path, grow: bool) -> None:
        if grow:
            store.grow_export_set(previous, folder, names, growth)  # type: ignore[attr-defined, arg-type]
        else:
            store.export_set(folder, names)
        (folder / BUILT_FROM).write_text(state + "\n", encoding="utf-8")

    if growth is not None and growth.appendable:
        try:
            return publish_exports(out, list(names.values()), functools.partial(write, grow=True)), True
        except GrowthError:
            pass  # an old file not as this store writes it: rewrite the set whole
    return publish_exports(out, list(names.values()), functools.partial(write, grow=False)), False


def _live_formats(out: Path) -> tuple[str, ...]:
    """The formats of the folder's live export set (none for a new folder)."""
    current = out / EXPORTS_DIRNAME / CURRENT
    present = {p.name for p in current.iterdir()} if current.is_dir() else set()
    return tuple(fmt for fmt, name in EXPORTS.items() if name in present)


def _digest(fingerprints: dict[str, str]) -> str:
    """One digest of what every stored article was built from (an export set records it)."""
    lines = sorted(f"{iri} {fingerprint}" for iri, fingerprint in fingerprints.items())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _built_from(current: Path) -> str | None:
    """The digest the live export set was written from (None: a set from before digests, or none)."""
    try:
        return (current / BUILT_FROM).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _changed_articles(
    articles: list[Article], fingerprints: dict[str, str], report: BuildReport, backend: str | None
) -> list[tuple[Article, str]]:
    """The articles to extract, each with its fingerprint; the others are reported unchanged."""
    # A fingerprint covers the article's key (its identity, so its IRI) and content: finding it
    # among the stored ones is finding this article stored from this very text.
    stored = set(fingerprints.values())
    pipeline = pipeline_version(backend)
    changed = []
    for article in articles:
        fingerprint = article_fingerprint(article, pipeline)
        if fingerprint in stored:
            report.unchanged.append(article.source)
        else:
            changed.append((article, fingerprint))
    return changed


def _export_set_holds(out: Path, names: Iterable[str]) -> bool:
    """Whether the live export set is exactly the files ``names`` (so an unchanged build keeps it)."""
    current = out / EXPORTS_DIRNAME / CURRENT
    wanted = set(names)
    return (
        current.is_dir()
        and {p.name for p in current.iterdir() if not p.name.startswith(".")} == wanted
        and all((out / name).exists() for name in wanted)
    )


def _store_articles(
    changed: list[tuple[Article, str]], store: ArticleStore, report: BuildReport,
    backend: str | None, jobs: int, scheduler: str | None, growth: Growth | None = None,
) -> dict[str, str]:
    """Extract and store the changed articles; the fingerprints recorded, by article IRI."""
    if not changed:
        return {}  # nothing to extract: the pipeline is not even loaded
    articles = [article for article, _ in changed]
    fingerprints: dict[str, str] = {}
    extractions = extract_all(articles, backend, jobs, scheduler)
    with Progress(disable=not sys.stderr.isatty() or len(articles) < 20, transient=True) as progress:
        task = progress.add_task("extracting", total=len(articles))

        def graphs() -> Iterator[tuple[str, Extracted]]:
            for (article, fingerprint), result in zip(changed, extractions, strict=True):
                progress.advance(task)
                if result.error is not None:
                    report.errors.append(LoadError(article.source, result.error))
                    continue
                report.articles.append(article.source)
                fingerprints[result.iri] = fingerprint
                yield result.iri, result  # store-ready: the store bulk-loads its bytes as they are

        # batched: new articles are bulk-loaded; each fingerprint is recorded with its article
        if growth is not None:  # only the embedded store's exports grow
            store.replace_articles(graphs(), fingerprints=fingerprints, growth=growth)  # type: ignore[call-arg]
        else:
            store.replace_articles(graphs(), fingerprints=fingerprints)
    return fingerprints

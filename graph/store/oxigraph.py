"""The graph store: one named graph per article in an embedded Oxigraph database, and its exports.

Each article's triples live in a named graph whose name is the article IRI, so re-ingesting an
article replaces exactly its own facts. Entities that several articles mention (an organization)
carry the same IRI in every article graph. The *merged* graph, the set union of the article
graphs, is kept in the store's default graph as articles come and go: a triple leaves it only
when no article states it any more. Queries run on it, so a fact stated by two articles is one
solution, not two (Oxigraph's union-of-graphs mode would return it once per graph), and
``graph.ttl`` is that default graph written as Turtle.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    BinaryIO,
    Literal,
    Protocol,
    Self,
    TypeAlias,
    TypeVar,
    runtime_checkable,
)

import pyoxigraph as ox

from graph.errors import UsageError

if TYPE_CHECKING:  # rdflib is imported where its terms are converted, not to run a query
    import rdflib
    from rdflib.term import BNode, Node, URIRef

#: The contract's prefixes (shared/contract/README.md, section 2), as the ontology Turtle declares
#: them: read from its ``@prefix`` lines, so a query needs neither rdflib nor parsing the ontology
#: (``ontology.PREFIXES`` holds the same, as rdflib namespaces; a test keeps the two equal).
CONTRACT_PREFIXES = ("org", "foaf", "schema", "prov", "skos", "rdfs", "xsd", "gh")
ONTOLOGY_TURTLE = Path(__file__).resolve().parents[2] / "ontology" / "gonghui.ttl"


def _declared_prefixes(turtle: Path) -> dict[str, str]:
    declared = dict(re.findall(r"^@prefix\s+([\w-]*):\s*<([^>]*)>\s*\.", turtle.read_text("utf-8"), re.M))
    return {prefix: declared[prefix] for prefix in CONTRACT_PREFIXES}


PREFIXES: dict[str, str] = _declared_prefixes(ONTOLOGY_TURTLE)


def curie(iri: str, namespaces: Iterable[tuple[str, str]] | None = None) -> str | None:
    """``prefix:rest`` for an IRI in one of ``namespaces`` (default: the contract's prefixes), the
    longest namespace winning; None when no namespace holds it. For display, not for Turtle."""
    pairs = namespaces if namespaces is not None else PREFIXES.items()
    found = [(len(ns), prefix, iri[len(ns):]) for prefix, ns in pairs if iri.startswith(ns) and iri != ns]
    if not found:
        return None
    _, prefix, rest = max(found)
    return f"{prefix}:{rest}"

ExportFormat = Literal["turtle", "trig", "nt", "jsonld"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("turtle", "trig", "nt", "jsonld")

OxTerm: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Binding: TypeAlias = "str | Node | OxTerm"

_T = TypeVar("_T")

#: Names of the store directory and merged graph inside a build's ``--out`` folder.
STORE_DIRNAME = "store"
GRAPH_FILENAME = "graph.ttl"
#: Where ``scripts/demo.sh`` builds, and so where commands look when ``--graph`` is not given.
DEFAULT_GRAPH = "out"

#: The store's own record of what each article graph was built from (``graph.build.fingerprint``):
#: ``<article> FINGERPRINT "sha256"`` in this named graph, written in the same transaction as the
#: article. It is not an article: article listings, the merged graph and the exports leave it out.
BUILD_STATE_GRAPH = ox.NamedNode("urn:x-gonghui-kg:build-state")
FINGERPRINT = ox.NamedNode("urn:x-gonghui-kg:fingerprint")



@runtime_checkable
class SerializedGraph(Protocol):
    """An article graph already written out (by a build worker): the store loads its bytes as they are."""

    ntriples: bytes
    """The triples as N-Triples (each line is also an N-Quads line of the default graph)."""
    nquads: bytes
    """The same triples as N-Quads in the article's named graph."""


@dataclass
class Growth:
    """What storing new articles added, so the exports can grow instead of being rewritten
    (:meth:`GraphStore.grow_export_set`): the new article graphs, and the triples that were not
    in the merged graph before. ``replaced`` says an article already stored was replaced: then
    triples may have left the merged graph, and only a rewrite of the exports is right."""

    graphs: dict[str, bytes] = field(default_factory=dict)
    """Each new article's triples as N-Triples, by article IRI."""
    triples: set[ox.Triple] = field(default_factory=set)
    """Triples new to the merged graph."""
    replaced: bool = False

    @property
    def appendable(self) -> bool:
        """Whether exports can take these additions at their end: nothing replaced, and no blank
        node (a label in the added part could name a node of the old part)."""
        return not self.replaced and not any(
            isinstance(term, ox.BlankNode) for triple in self.triples for term in triple
        )


class GrowthError(RuntimeError):
    """An earlier export file is not as this store writes it, so it cannot be grown: rewrite it."""


class QueryError(UsageError, ValueError):
    """A SPARQL query that cannot run as written (syntax error, unusable binding)."""


@dataclass(frozen=True)
class QueryResult:
    """What a query returned, fully read, so the store can be closed afterwards.

    ``kind`` is ``"select"`` (``variables`` and ``rows``), ``"ask"`` (``boolean``) or ``"graph"``
    (``triples``, from ``CONSTRUCT`` or ``DESCRIBE``).
    """

    kind: Literal["select", "ask", "graph"]
    variables: tuple[str, ...] = ()
    rows: list[tuple[OxTerm | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def dicts(self) -> list[dict[str, OxTerm | None]]:
        """The rows as ``{variable: term}`` dictionaries."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


class GraphStore:
    """An Oxigraph store holding one named graph per article.

    ``path`` is the database directory (created if missing); ``None`` keeps everything in memory.
    Use it as a context manager, or call :meth:`close`, so the database lock is released.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        if self.path is None:
            self._store: ox.Store | None = ox.Store()
        elif read_only:
            self._store = ox.Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        self.read_only = read_only

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> GraphStore:
        """An in-memory store holding an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD)."""
        path = Path(path)
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise ValueError(f"{path}: unknown RDF file extension {path.suffix!r}")
        store = cls(None)
        store.oxigraph.bulk_load(path=str(path), format=fmt)
        if fmt.supports_datasets:  # TriG, N-Quads: the merged graph is the union of the graphs
            store.oxigraph.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        return store

    # -- life cycle ---------------------------------------------------------------------------

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store (for what this class does not wrap)."""
        if self._store is None:
            raise ValueError("the graph store is closed")
        return self._store

    def close(self) -> None:
        """Flush to disk and release the database (its lock is freed once no result holds it)."""
        if self._store is not None and self.path is not None and not self.read_only:
            self._store.flush()
        self._store = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- articles -----------------------------------------------------------------------------

    def replace_article(
        self, article_iri: URIRef | str, graph: rdflib.Graph, fingerprint: str | None = None
    ) -> None:
        """Make ``graph`` the whole content of the article's named graph, in one transaction.

        The old graph is dropped and the new triples inserted by a single SPARQL update, which
        Oxigraph applies atomically: a reader sees the old article or the new one, never a mix,
        and nothing of the old version survives. ``fingerprint`` (what the article was built from)
        is recorded with it, in the same transaction.
        """
        name = ox.NamedNode(str(article_iri))
        if isinstance(graph, SerializedGraph):
            body = graph.ntriples.decode("utf-8")
        else:
            body = ox.serialize(_ox_statements(graph), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        state = _state_quad(name, fingerprint)
        record = ""
        if state is not None:
            record = f"GRAPH {BUILD_STATE_GRAPH} {{ {state.subject} {state.predicate} {state.object} }}"
        self.oxigraph.update(f"{_forget(name)} ;\nINSERT DATA {{ GRAPH {name} {{\n{body}}}\n{body}{record}}}")

    def replace_articles(
        self,
        articles: Iterable[tuple[URIRef | str, rdflib.Graph]],
        *,
        batch_size: int = 100,
        fingerprints: Mapping[str, str] | None = None,
        growth: Growth | None = None,
    ) -> int:
        """Store many articles as :meth:`replace_article` would, several times faster; returns how many.

        Articles already in the store are replaced one transaction each; new ones are bulk-loaded
        ``batch_size`` at a time (a transaction per article costs more and more as the store grows),
        and the database compacted at the end when they were many. ``fingerprints`` (by article
        IRI) are recorded with the articles (:meth:`fingerprints`). ``growth``, when given, records
        what the merged graph gains (checked against the store before each bulk load), for
        :meth:`grow_export_set`.
        A bulk load is not a transaction: if it is interrupted, some new articles may be partly
        stored, and running the same ingestion again replaces them whole. Later duplicates win.
        """
        present = set(self.article_iris())
        before = len(present)
        fingerprints = {} if fingerprints is None else fingerprints  # filled as ``articles`` is read
        count, loaded = 0, 0
        for batch in _batches(articles, batch_size):
            fresh: dict[str, rdflib.Graph] = {}
            for iri, graph in batch:
                if str(iri) in present:
                    self.replace_article(iri, graph, fingerprints.get(str(iri)))
                    if growth is not None:
                        growth.replaced = True
                else:
                    fresh[str(iri)] = graph
            if fresh:
                # Each triple goes into its article's graph and into the merged default graph (a
                # triple several articles state is stored there once: the store is a set).
                ready = {iri: g for iri, g in fresh.items() if isinstance(g, SerializedGraph)}
                triples = {iri: _ox_statements(g) for iri, g in fresh.items() if iri not in ready}
                states = (_state_quad(ox.NamedNode(iri), fingerprints.get(iri)) for iri in fresh)
                quads = itertools.chain(
                    (ox.Quad(*t, ox.NamedNode(iri)) for iri, ts in triples.items() for t in ts),
                    (ox.Quad(*t) for t in {t for statements in triples.values() for t in statements}),
                    (state for state in states if state is not None),
                )
                if growth is not None:
                    self._record_growth(growth, ready, triples)
                data = [g.nquads for g in ready.values()] + [g.ntriples for g in ready.values()]
                data.append(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
                self.oxigraph.bulk_load(b"".join(data), format=ox.RdfFormat.N_QUADS)
                present.update(fresh)
                loaded += len(fresh)
            count += len(batch)
        if self.path is not None and loaded and loaded * 10 >= before:
            # Merge the bulk loads' many small files (faster reads after). It costs the whole
            # store's size (9 s at 10,000 articles), so only when the load was a tenth of it or more.
            self.oxigraph.optimize()
        return count

    def _record_growth(
        self, growth: Growth, ready: Mapping[str, SerializedGraph], triples: Mapping[str, list[ox.Triple]]
    ) -> None:
        """Note the new articles' graphs, and their triples the merged graph does not hold yet."""
        for iri, serialized in ready.items():
            growth.graphs[iri] = serialized.ntriples
        for iri, statements in triples.items():
            growth.graphs[iri] = ox.serialize(statements, format=ox.RdfFormat.N_TRIPLES)
        merged = self.oxigraph
        for iri in itertools.chain(ready, triples):
            for quad in ox.parse(growth.graphs[iri], format=ox.RdfFormat.N_TRIPLES):
                if quad not in merged:  # parsed into the default graph: the merged graph
                    growth.triples.add(quad.triple)

    def remove_article(self, article_iri: URIRef | str) -> None:
        """Drop the article's graph and what only it stated (nothing happens when it is not there)."""
        self.oxigraph.update(_forget(ox.NamedNode(str(article_iri))))

    def article_iris(self) -> list[str]:
        """The IRIs of the stored articles (the named graphs), sorted."""
        return sorted(g.value for g in self._graph_names() if isinstance(g, ox.NamedNode))

    def fingerprints(self) -> dict[str, str]:
        """What each stored article was built from, by article IRI (articles stored without one: none)."""
        quads = self.oxigraph.quads_for_pattern(None, FINGERPRINT, None, BUILD_STATE_GRAPH)
        return {q.subject.value: q.object.value for q in quads if isinstance(q.object, ox.Literal)}

    def __len__(self) -> int:
        """The number of quads: each article graph's, plus the merged default graph's."""
        return len(self.oxigraph)

    # -- the merged graph ---------------------------------------------------------------------

    def _graph_names(self) -> list[ox.NamedNode | ox.BlankNode]:
        """The article graphs (every named graph but the build state), by name."""
        return sorted((g for g in self.oxigraph.named_graphs() if g != BUILD_STATE_GRAPH), key=str)

    def merged_lines(self) -> list[bytes]:
        """The merged graph as N-Triples lines: sorted, blank nodes canonical.

        Two builds of the same inputs give the same lines whatever the ingestion order.
        """
        dump = self.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        lines = [line for line in dump.splitlines() if line]
        if any(b"_:" in line for line in lines):
            lines = _canonical_lines(lines)
        lines.sort()
        return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]

    def merged_ntriples(self) -> bytes:
        """:meth:`merged_lines` as one N-Triples document."""
        return b"".join(line + b"\n" for line in self.merged_lines())

    def merged_triples(self, lines: list[bytes] | None = None) -> Iterator[ox.Triple]:
        """The merged graph's triples, in the sorted order of :meth:`merged_lines` (given, or read)."""
        lines = (line + b"\n" for line in (self.merged_lines() if lines is None else lines))
        quads = ox.parse(io.BufferedReader(_ChunkReader(lines)), format=ox.RdfFormat.N_TRIPLES)
        return (quad.triple for quad in quads)

    def _sorted_ntriples(self, name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> list[bytes]:
        dump = self.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        return sorted(line for line in dump.splitlines() if line)

    def article_quads(self) -> Iterator[ox.Quad]:
        """Every article's quads, graph by graph in IRI order, each sorted."""
        for name in self._graph_names():
            lines = self._sorted_ntriples(name)
            suffix = f" {name} .".encode()
            quads = b"\n".join(line[: line.rindex(b".")].rstrip() + suffix for line in lines)
            yield from ox.parse(quads, format=ox.RdfFormat.N_QUADS)

    # -- exports ------------------------------------------------------------------------------

    def export(self, path: str | os.PathLike[str], fmt: ExportFormat | str) -> Path:
        """Write the graph to ``path`` atomically and return the path.

        ``turtle``, ``nt`` and ``jsonld`` write the merged graph; ``trig`` writes one named graph
        per article. A failure leaves any earlier file at ``path`` as it was.
        """
        path = Path(path)
        return self.export_set(path.parent, {fmt: path.name})[0]

    def export_set(self, folder: Path, names: Mapping[str, str]) -> list[Path]:
        """Write several formats into ``folder`` (``{"turtle": "graph.ttl", ...}``), each atomically;
        the merged graph is read and sorted once for all of them. Returns the paths in order."""
        unknown = [fmt for fmt in names if fmt not in EXPORT_FORMATS]
        if unknown:
            raise ValueError(f"unknown export format {unknown[0]!r}; choose from {', '.join(EXPORT_FORMATS)}")
        merged: list[bytes] = []
        if names.keys() & {"turtle", "nt", "jsonld"}:
            merged = self.merged_lines()
        writers: dict[str, Callable[[BinaryIO], None]] = {
            "turtle": lambda fh: ox.serialize(
                self.merged_triples(merged), fh, ox.RdfFormat.TURTLE, prefixes=PREFIXES
            ),
            "nt": lambda fh: fh.writelines(line + b"\n" for line in merged),
            "jsonld": lambda fh: ox.serialize(
                self.merged_triples(merged), fh, ox.RdfFormat.JSON_LD, prefixes=PREFIXES
            ),
            "trig": lambda fh: ox.serialize(self.article_quads(), fh, ox.RdfFormat.TRIG, prefixes=PREFIXES),
        }
        paths = []
        for fmt, name in names.items():
            write_atomically(folder / name, writers[fmt])
            paths.append(folder / name)
        return paths

    def grow_export_set(
        self, previous: Path, folder: Path, names: Mapping[str, str], growth: Growth
    ) -> list[Path]:
        """Write the export set into ``folder`` as ``previous`` (the set before ``growth``) with the
        additions at the end of each file: the same graph as :meth:`export_set` writes, at the cost
        of copying the old files rather than dumping, sorting and serializing the whole graph.

        The added part is sorted as :meth:`export_set` sorts, but comes after the old part (and
        re-declares the prefixes in Turtle and TriG, which the formats allow). Raises
        :class:`GrowthError` when a previous file is missing or not as this store writes it.
        """
        if not growth.appendable:
            raise GrowthError("the additions replace articles or hold blank nodes")
        added = sorted(ox.serialize(growth.triples, format=ox.RdfFormat.N_TRIPLES).splitlines())

        def added_triples() -> Iterator[ox.Triple]:
            return (q.triple for q in ox.parse(b"\n".join(added), format=ox.RdfFormat.N_TRIPLES))

        def added_graphs() -> Iterator[ox.Quad]:
            for iri in sorted(growth.graphs):
                name = ox.NamedNode(iri)
                lines = sorted(line for line in growth.graphs[iri].splitlines() if line)
                for quad in ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, name)

        def turtle(fh: BinaryIO) -> None:
            ox.serialize(added_triples(), fh, ox.RdfFormat.TURTLE, prefixes=PREFIXES)

        def trig(fh: BinaryIO) -> None:
            ox.serialize(added_graphs(), fh, ox.RdfFormat.TRIG, prefixes=PREFIXES)

        def json_ld(fh: BinaryIO) -> None:
            # A JSON-LD export is one flat array of node objects: the new ones go before its "]"
            # (a node named in both parts is one node: JSON-LD merges objects with the same @id).
            body = ox.serialize(added_triples(), format=ox.RdfFormat.JSON_LD, prefixes=PREFIXES).strip()
            opened = fh.tell() > 1  # the old array had node objects: continue it
            fh.write(b"," + body[1:] if opened and body != b"[]" else body[1:])

        # what to append to each format, and how many bytes of the old file's end to leave out
        writers: dict[str, tuple[Callable[[BinaryIO], object], int]] = {
            "turtle": (turtle, 0),
            "nt": (lambda fh: fh.writelines(line + b"\n" for line in added), 0),
            "jsonld": (json_ld, 1),
            "trig": (trig, 0),
        }
        for fmt, name in names.items():
            _check_growable(previous / name, fmt)
        paths = []
        for fmt, name in names.items():
            append, drop = writers[fmt]
            old = previous / name

            def write(fh: BinaryIO, old: Path = old, append: Callable[[BinaryIO], object] = append,
                      drop: int = drop) -> None:
                _copy_start(old, fh, old.stat().st_size - drop)
                append(fh)

            write_atomically(folder / name, write)
            paths.append(folder / name)
        return paths

    # -- SPARQL -------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Run a SPARQL query on the merged graph (``GRAPH ?article {...}`` reaches each article).

        The contract prefixes are predeclared. ``bindings`` fix variables to values (a ``str`` is
        a plain literal) by SEP-0007 substitution, never by pasting text into the query; a bound
        variable of a ``SELECT`` must appear in its projection.
        """
        substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        try:
            result = self.oxigraph.query(
                sparql,
                prefixes=PREFIXES,
                substitutions=substitutions or None,
            )
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from err
        except RuntimeError as err:  # pyoxigraph's report of an unusable substitution
            raise QueryError(str(err)) from err
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            return QueryResult("graph", triples=list(result))
        variables = tuple(v.value for v in result.variables)
        rows = [tuple(solution) for solution in result]  # in variable order; a third faster than by name
        return QueryResult("select", variables=variables, rows=rows)


def _forget(name: ox.NamedNode) -> str:
    """SPARQL Update that drops an article's graph, the merged triples no other article states,
    and the article's build record."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }}"
        f" FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {name}) }} }} ;\n"
        f"DROP SILENT GRAPH {name} ;\n"
        f"DELETE WHERE {{ GRAPH {BUILD_STATE_GRAPH} {{ {name} {FINGERPRINT} ?fingerprint }} }}"
    )


def _state_quad(article: ox.NamedNode, fingerprint: str | None) -> ox.Quad | None:
    if fingerprint is None:
        return None
    return ox.Quad(article, FINGERPRINT, ox.Literal(fingerprint), BUILD_STATE_GRAPH)


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file through ``write(fh)`` so that ``path`` is either the old or the new file.

    The bytes go to a temporary file beside ``path``, are synced, and then renamed over it; on any
    error the temporary file is removed and ``path`` keeps its previous content.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, _file_mode(path))
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    fsync_directory(path.parent)


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0644 (mkstemp uses 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o644


def _check_growable(path: Path, fmt: str) -> None:
    """Raise :class:`GrowthError` unless ``path`` ends as this store's ``fmt`` export ends."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            fh.seek(max(0, size - 2))
            end = fh.read()
    except OSError as error:
        raise GrowthError(f"{path}: {error}") from error
    ends_well = end.endswith(b"]") if fmt == "jsonld" else (size == 0 or end.endswith(b"\n"))
    if not ends_well:
        raise GrowthError(f"{path} does not end as a {fmt} export of this store does")


def _copy_start(source: Path, fh: BinaryIO, length: int) -> None:
    """Copy the first ``length`` bytes of ``source`` into ``fh`` (in the kernel where it can)."""
    fh.flush()
    with source.open("rb") as src:
        remaining = length
        while remaining > 0:
            try:
                copied = os.copy_file_range(src.fileno(), fh.fileno(), remaining)
            except OSError:  # a file system without it: through user space
                src.seek(length - remaining)
                while remaining > 0:
                    chunk = src.read(min(remaining, 1 << 24))
                    if not chunk:
                        raise GrowthError(f"{source} is shorter than expected") from None
                    fh.write(chunk)
                    remaining -= len(chunk)
                break
            if copied == 0:
                raise GrowthError(f"{source} is shorter than expected")
            remaining -= copied
    fh.seek(0, os.SEEK_END)


def fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _canonical_lines(lines: Iterable[bytes]) -> list[bytes]:
    """Rename blank nodes by RDFC-1.0 so their labels depend on the graph only."""
    quads = ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [line.encode("utf-8") for line in str(dataset).splitlines() if line]


# -- rdflib → pyoxigraph ------------------------------------------------------------------------


def _ox_statements(graph: rdflib.Graph, name: ox.NamedNode | None = None) -> list[Any]:
    """The graph's triples as pyoxigraph triples, or quads in graph ``name``; each term converted once."""
    cache: dict[Any, OxTerm] = {}

    def term(node: Node) -> OxTerm:
        converted = cache.get(node)
        if converted is None:
            converted = cache[node] = to_ox(node)
        return converted

    if name is None:
        return [ox.Triple(term(s), term(p), term(o)) for s, p, o in graph]  # type: ignore[arg-type]
    return [ox.Quad(term(s), term(p), term(o), name) for s, p, o in graph]  # type: ignore[arg-type]


def _batches(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class _ChunkReader(io.RawIOBase):
    """A binary file reading from an iterator of byte chunks, so pyoxigraph can parse a stream."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        self._view = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._view:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._view = memoryview(chunk)
        n = min(len(buffer), len(self._view))
        buffer[:n] = self._view[:n]
        self._view = self._view[n:]
        return n


def to_ox(term: Binding) -> OxTerm:
    """An rdflib term (or a pyoxigraph term, or a ``str`` as plain literal) as a pyoxigraph term.

    IRIs are checked by pyoxigraph: an invalid one raises ``ValueError`` before anything is stored.
    """
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
        return term
    if isinstance(term, str) and type(term) is str:
        return ox.Literal(term)
    import rdflib  # only an rdflib term gets here: rdflib is loaded already
    from rdflib.term import BNode, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return _ox_blank_node(term)
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, str):
        return ox.Literal(term)
    raise TypeError(f"cannot store {term!r} ({type(term).__name__}) as an RDF term")


def _ox_blank_node(node: BNode) -> ox.BlankNode:
    try:
        return ox.BlankNode(str(node))
    except ValueError:  # a label N-Triples cannot spell: keep it stable, make it legal
        return ox.BlankNode("b" + hashlib.sha1(str(node).encode("utf-8")).hexdigest())

"""What the commands cost as the corpus grows, each beside a native anchor measured in the same run.

    .venv/bin/python bench/scale_bench.py                         # 1,000 (real) and 10,000 (replicated)
    .venv/bin/python bench/scale_bench.py --sizes 50,200          # a quick run
    .venv/bin/python bench/scale_bench.py --sizes 1000,10000 --json bench/results/scale.json

The project is driven only through its command line (``python -m graph ...`` in subprocesses) and
the libraries themselves (pyoxigraph, networkx, python-igraph, rustworkx); no ``graph.*`` import,
so the bench keeps working while the package is reorganized.

Corpora come from ``bench/corpus_generator.py`` (invented, varied articles). A size up to
``--max-real`` is a real build of that many articles. A larger size is *replicated*: the real build of
``--max-real`` articles is copied ``N / max-real`` times into a new store (see
:func:`replicate_store`), so it has the shape of real output at a size a 2-core machine cannot
extract within a session. The table says which rows are which.

Times: every command runs in its own process; its CPU time (user + system, its children included)
and peak memory (``ru_maxrss``) come from ``os.wait4``, the per-child form of
``getrusage(RUSAGE_CHILDREN)`` (which would report the largest child so far, not this one's). Ratios
use CPU time, which a shared machine disturbs less than wall time. In-process anchors (pyoxigraph
queries, betweenness) use ``time.process_time``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus_generator import write_corpus  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
QUERIES_DIR = ROOT / "graph" / "queries"
ID = "https://w3id.org/gonghui-kg/id/"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
EXPORT_FILES = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig")

#: For each ready query with a parameter: which parameter the bench binds, what kind of entity it
#: names, and the query's variable holding that entity (bound by VALUES in the indexed anchor; None
#: where no one variable holds it: facts-with-sources starts from any entity or fact so named).
QUERY_PARAMS: dict[str, tuple[str, str, str | None]] = {
    "campaign-participants": ("campaign", "campaign", "c"),
    "campaigns-of-organization": ("org", "campaign-org", "organizationIri"),
    "facts-with-sources": ("name", "person", None),
    "figures": ("org", "figure-org", "subject"),
    "people-sharing": ("name", "person", "person"),
    "post-history": ("name", "person", "person"),
    "posts-in-organization": ("org", "post-org", "organizationIri"),
    "posts-of-person": ("name", "person", "person"),
    "sub-organizations": ("org", "parent-org", "bodyIri"),
}
#: What makes an entity a fair value for a query: it takes part in what the query asks about.
ENTITY_KINDS: dict[str, tuple[str, str]] = {
    "person": ("foaf:Person", "?m org:member ?e ."),
    "post-org": ("org:Organization", "?m org:organization ?e ."),
    "figure-org": ("org:Organization", "?f schema:about ?e ."),
    "campaign-org": ("org:Organization", "?c a gh:Campaign ; prov:wasAssociatedWith ?e ."),
    "parent-org": ("org:Organization", "?c org:subOrganizationOf ?e ."),
    "campaign": ("gh:Campaign", "?e prov:wasAssociatedWith ?agent ."),
}


# -- measuring a subprocess ---------------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    status: int | None  # None: killed at the time limit
    output: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 0


def run_measured(
    command: Sequence[str], timeout: float, *, memory_mb: int | None = None, stdout_path: Path | None = None
) -> Run:
    """Run ``command`` in its own process group; wall, CPU (with its children) and peak memory."""

    def limits() -> None:
        os.setsid()
        if memory_mb:
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryDirectory(prefix="scale-bench-run-") as scratch:
        out_path = stdout_path or Path(scratch) / "stdout"
        with out_path.open("wb") as out, (Path(scratch) / "stderr").open("w+b") as err:
            start = time.perf_counter()
            process = subprocess.Popen(list(command), stdout=out, stderr=err, cwd=ROOT, preexec_fn=limits)
            status, usage = _wait(process.pid, start + timeout)
            wall = time.perf_counter() - start
            process.returncode = status if status is not None else -signal.SIGKILL
            err.seek(0)
            error = err.read().decode("utf-8", "replace")
        text = "" if stdout_path else out_path.read_text(encoding="utf-8", errors="replace")
    if status not in (0, None):
        text += "\n[stderr] " + error[-2000:]
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, status, text)


def _wait(pid: int, deadline: float) -> tuple[int | None, resource.struct_rusage]:
    """Reap ``pid`` with its resource usage; kill its process group at ``deadline`` (status None)."""
    while True:
        reaped, wait_status, usage = os.wait4(pid, os.WNOHANG)
        if reaped:
            return os.waitstatus_to_exitcode(wait_status), usage
        if time.perf_counter() > deadline:
            os.killpg(pid, signal.SIGKILL)
            _, _, usage = os.wait4(pid, 0)
            return None, usage
        time.sleep(0.02)


def graph_cli(*args: str) -> list[str]:
    return [PYTHON, "-m", "graph", *args]


def watch_measured(folder: Path, out: Path, count: int, seed: int, timeout: float) -> Run:
    """CPU of a watching build (``build FOLDER --out OUT --watch``) from the moment ``count`` new
    articles land in ``folder`` to the report of their batch (the process's own clock)."""
    folder.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(graph_cli("build", str(folder), "--out", str(out), "--watch"), cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    try:
        start = time.perf_counter()
        for line in process.stdout:  # the first (empty) build done and the pipeline loaded
            if line.startswith("watching") or time.perf_counter() - start > timeout:
                break
        before, wall = _process_cpu(process.pid), time.perf_counter()
        staging = folder.parent / f".{folder.name}-staging"
        write_corpus(staging, count, seed, prefix=folder.name)
        for file in sorted(staging.iterdir()):
            file.rename(folder / file.name)  # each lands whole, as a copy finished elsewhere would
        for line in process.stdout:  # printed once the batch is stored and its exports published
            if line.startswith("built"):
                break
        cpu, wall = _process_cpu(process.pid) - before, time.perf_counter() - wall
        peak = _peak_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    return Run(wall, cpu, peak, 0)


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def exports_note(out: Path) -> str:
    """The live export files and their sizes."""
    current = out / "exports" / "current"
    files = sorted(p for p in current.iterdir() if not p.name.startswith(".")) if current.is_dir() else []
    return "exports " + ", ".join(f"{p.name} {p.stat().st_size / 1e6:,.0f} MB" for p in files)


# -- the table ----------------------------------------------------------------------------------------


@dataclass
class Row:
    size: int
    kind: str  # "real" or "replicated"
    quads: int
    measure: str
    cpu_s: float | None = None
    wall_s: float | None = None
    peak_mb: float | None = None
    anchor: str = ""
    ratio: str = ""
    note: str = ""
    load: float = field(default_factory=lambda: os.getloadavg()[0])


def _num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def markdown(rows: Iterable[Row]) -> str:
    head = "| N | store | quads | measure | CPU s | wall s | peak MB | anchor | ratio | load | note |"
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        lines.append(
            f"| {r.size:,} | {r.kind} | {r.quads:,} | {r.measure} | {_num(r.cpu_s, 3)} | {_num(r.wall_s, 3)} "
            f"| {_num(r.peak_mb, 0)} | {r.anchor} | {r.ratio} | {r.load:.2f} | {r.note} |"
        )
    return "\n".join(lines)


def conditions() -> dict[str, object]:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model,
        "cores": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "pyoxigraph": ox.__version__ if hasattr(ox, "__version__") else "",
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


# -- replicating a real build -------------------------------------------------------------------------


def _article_graphs(store: ox.Store) -> list[ox.NamedNode]:
    return sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)


def _entity_kind(iri: str) -> str | None:
    """``person``, ``org`` or ``campaign`` for a corpus-wide entity IRI (not an article's own body)."""
    if not iri.startswith(ID):
        return None
    kind = iri[len(ID):].split("/", 1)[0]
    return kind if kind in ("person", "org", "campaign") else None


def replicate_store(base_store: Path, target: Path, n_articles: int, shared_min: int = 5) -> int:
    """Write into ``target/store`` a store of ``n_articles`` article graphs shaped like ``base_store``'s.

    Copy 0 is the base itself; copy ``k`` renames, in every article graph, each IRI under the
    project's ``id/`` namespace by inserting ``r{k}/`` after it (article, sentence, figure,
    membership … nodes), except roles, news sources and the *shared* entities: people,
    organizations and campaigns that at least ``shared_min`` base articles mention keep their IRI in
    every copy (a Zipf head recurs ever more often as a corpus grows; its tail grows with it), and so
    does a membership, hierarchy or resolution node whose entities are all shared. In every literal
    of a copy, a renamed entity's label ``X`` becomes ``X·k`` (sentence texts included, so an edge's
    evidence is still the sentence that names its end). The merged default graph is the union of
    the article graphs, as the build keeps it. Returns the number of quads.
    """
    source = ox.Store.read_only(str(base_store))
    graphs = _article_graphs(source)
    mentions: Counter[str] = Counter()
    per_graph: dict[str, list[ox.Quad]] = {}
    for g in graphs:
        quads = list(source.quads_for_pattern(None, None, None, g))
        per_graph[g.value] = quads
        iris = {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
        mentions.update(iri for iri in iris if _entity_kind(iri))
    shared = {iri for iri, count in mentions.items() if count >= shared_min}
    labels: dict[str, set[str]] = defaultdict(set)  # label → entity IRIs carrying it
    refs: dict[str, set[str]] = defaultdict(set)  # composite node → entities it points to
    for quads in per_graph.values():
        for q in quads:
            s, o = q.subject, q.object
            if not isinstance(s, ox.NamedNode):
                continue
            if _entity_kind(s.value) and q.predicate in (RDFS_LABEL, SKOS_ALT) and isinstance(o, ox.Literal):
                labels[o.value].add(s.value)
            if isinstance(o, ox.NamedNode) and _entity_kind(o.value) and not _entity_kind(s.value):
                refs[s.value].add(o.value)
    renamed_labels = {label for label, iris in labels.items() if not iris <= shared}
    kept_labels = set(labels) - renamed_labels
    # one pass over a literal: longest label first, kept labels matched too so they are left whole
    alternation = sorted(renamed_labels | kept_labels, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, alternation))) if alternation else None

    def keeps(iri: str) -> bool:
        if not iri.startswith(ID):
            return True
        head = iri[len(ID):].split("/", 1)[0]
        if head in ("role", "source"):
            return True
        if _entity_kind(iri):
            return iri in shared
        if head == "article":
            return False
        return bool(refs.get(iri)) and refs[iri] <= shared

    kept = {iri: keeps(iri) for quads in per_graph.values() for q in quads
            for t in (q.subject, q.object, q.graph_name) if isinstance(t, ox.NamedNode)
            for iri in [t.value]}
    literal_parts: dict[ox.Literal, list[tuple[str, bool]] | None] = {}

    def split_literal(literal: ox.Literal) -> list[tuple[str, bool]] | None:
        """The literal's text in pieces, each flagged when it is a renamed label (None: nothing to rename)."""
        if literal in literal_parts:
            return literal_parts[literal]
        parts: list[tuple[str, bool]] = []
        text, at, found = literal.value, 0, False
        for match in pattern.finditer(text) if pattern else ():
            renamed = match.group() in renamed_labels
            found |= renamed
            parts.append((text[at:match.start()], False))
            parts.append((match.group(), renamed))
            at = match.end()
        parts.append((text[at:], False))
        literal_parts[literal] = parts if found else None
        return literal_parts[literal]

    def copy_term(term, k: int, cache: dict):
        if k == 0:
            return term
        hit = cache.get(term)
        if hit is not None:
            return hit
        new = term
        if isinstance(term, ox.NamedNode) and not kept.get(term.value, True):
            new = ox.NamedNode(f"{ID}r{k}/{term.value[len(ID):]}")
        elif isinstance(term, ox.Literal):
            parts = split_literal(term)
            if parts is not None:
                text = "".join(f"{piece}·{k}" if renamed else piece for piece, renamed in parts)
                new = ox.Literal(text, language=term.language) if term.language else ox.Literal(
                    text, datatype=term.datatype)
        cache[term] = new
        return new

    target.mkdir(parents=True, exist_ok=True)
    nquads = target / "replicated.nq"
    copies = -(-n_articles // len(graphs))
    written = 0
    with nquads.open("wb") as handle:
        for k in range(copies):
            cache: dict = {}
            chosen = graphs[: n_articles - written] if k == copies - 1 else graphs
            quads = []
            for g in chosen:
                name = copy_term(g, k, cache)
                for q in per_graph[g.value]:
                    s, p, o = copy_term(q.subject, k, cache), q.predicate, q.object
                    if not (s == q.subject and p in (RDFS_LABEL, SKOS_ALT)):  # a kept entity keeps its names
                        o = copy_term(o, k, cache)
                    quads.append(ox.Quad(s, p, o, name))
                    quads.append(ox.Quad(s, p, o, ox.DefaultGraph()))
            ox.serialize(quads, handle, ox.RdfFormat.N_QUADS)
            written += len(chosen)
    store_dir = target / "store"
    if store_dir.exists():
        shutil.rmtree(store_dir)
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    count = len(store)
    store.flush()
    del store
    nquads.unlink()
    return count


# -- picking parameter values from the data -----------------------------------------------------------


@dataclass
class Pick:
    label: str
    iris: list[str]
    articles: int


def pick_entities(store: ox.Store) -> dict[str, tuple[Pick, Pick]]:
    """For each of :data:`ENTITY_KINDS`, a frequent and a rare entity (by the number of article
    graphs that give it its class), each with a label no other entity of that kind carries, so
    both lookups name one entity. The rare one is in a single article where there is such."""
    picks: dict[str, tuple[Pick, Pick]] = {}
    for kind, (cls, pattern) in ENTITY_KINDS.items():
        sparql = (
            "SELECT ?e (COUNT(DISTINCT ?g) AS ?n) (SAMPLE(?l) AS ?label) WHERE { "
            f"{{ SELECT DISTINCT ?e WHERE {{ {pattern} }} }} ?e rdfs:label ?l . GRAPH ?g {{ ?e a {cls} }} "
            "} GROUP BY ?e"
        )
        rows = [(s["e"].value, int(s["n"].value), s["label"].value)
                for s in store.query(sparql, prefixes=NETWORK_PREFIXES)]
        by_label = Counter(label for _, _, label in rows)
        unique = sorted(((n, iri, label) for iri, n, label in rows if by_label[label] == 1),
                        key=lambda r: (-r[0], r[1]))
        if not unique:
            continue
        top, bottom = unique[0], next((r for r in reversed(unique) if r[0] == 1), unique[-1])
        picks[kind] = (Pick(top[2], [top[1]], top[0]), Pick(bottom[2], [bottom[1]], bottom[0]))
    return picks


def label_lookup(store: ox.Store, label: str) -> list[str]:
    """The entities named ``label`` (rdfs:label or skos:altLabel, as the ready queries match it),
    found through the store's indexes: the literal is looked up as written in the graph (@zh)."""
    found: set[str] = set()
    for literal in (ox.Literal(label, language="zh"), ox.Literal(label)):
        for predicate in (RDFS_LABEL, SKOS_ALT):
            quads = store.quads_for_pattern(None, predicate, literal, ox.DefaultGraph())
            found.update(q.subject.value for q in quads)
    return sorted(found)


def with_values(sparql: str, variable: str, iris: list[str]) -> str:
    """``sparql`` with ``VALUES ?variable { <iri> ... }`` opening its outermost WHERE group."""
    block = f"VALUES ?{variable} {{ {' '.join(f'<{iri}>' for iri in iris)} }}\n"
    match = re.search(r"WHERE\s*\{", sparql)
    if match is None:
        raise ValueError(f"no WHERE group to put VALUES ?{variable} in")
    return sparql[: match.end()] + "\n  " + block + sparql[match.end():]


def native_query(store: ox.Store, sparql: str, substitutions: dict | None) -> tuple[float, float, int]:
    """Run a query in this process with pyoxigraph; CPU s, wall s and rows (all read)."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = store.query(sparql, substitutions=substitutions)
    rows = sum(1 for _ in result)
    return time.process_time() - cpu, time.perf_counter() - wall, rows


# -- the betweenness anchor ---------------------------------------------------------------------------

#: The undirected projection ``analyze`` ranks: graph/network.py's combined graph made simple. Its
#: nodes are every entity of these classes (isolated ones included); its edges the posts
#: (member – organization), hierarchy (child – parent) and campaign associations (agent – campaign)
#: whose two ends are such entities. Same patterns as the network reader's, without the sentences.
NETWORK_ENTITIES = """
SELECT DISTINCT ?e WHERE {
  VALUES ?class { foaf:Person org:Organization gh:Campaign gh:TradeUnion gh:GovernmentBody
                  gh:MassOrganization gh:PublicInstitution gh:Enterprise gh:Cooperative gh:Group
                  gh:OtherOrganization }
  ?e a ?class .
}"""
NETWORK_EDGES = """
SELECT DISTINCT ?a ?b WHERE {
  { ?m a org:Membership ; org:member ?a ; org:organization ?b . }
  UNION { ?a org:subOrganizationOf ?b . }
  UNION { ?b a gh:Campaign ; prov:wasAssociatedWith ?a . }
}"""
NETWORK_PREFIXES = {
    "foaf": "http://xmlns.com/foaf/0.1/", "org": "http://www.w3.org/ns/org#",
    "gh": "https://w3id.org/gonghui-kg/ontology#", "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "https://schema.org/",
}


def network_projection(store: ox.Store) -> tuple[list[str], list[tuple[int, int]]]:
    nodes = sorted(s["e"].value for s in store.query(NETWORK_ENTITIES, prefixes=NETWORK_PREFIXES))
    index = {iri: i for i, iri in enumerate(nodes)}
    edges = set()
    for s in store.query(NETWORK_EDGES, prefixes=NETWORK_PREFIXES):
        a, b = index.get(s["a"].value), index.get(s["b"].value)
        if a is not None and b is not None and a != b:
            edges.add((min(a, b), max(a, b)))
    return nodes, sorted(edges)


def _timed(function: Callable[[], object]) -> tuple[object, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    value = function()
    return value, time.process_time() - cpu, time.perf_counter() - wall


def betweenness_rows(
    nodes: list[str], edges: list[tuple[int, int]], size: int, kind: str, quads: int, nx_max_nodes: int
) -> tuple[list[Row], list[float], float]:
    """Exact betweenness by networkx (sampled and scaled up past ``nx_max_nodes``), python-igraph
    and rustworkx; with igraph's values and CPU seconds, the reference of :func:`estimate_rows`."""
    import igraph
    import networkx as nx
    import rustworkx as rx

    n = len(nodes)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0  # networkx's normalization, undirected

    def with_igraph() -> list[float]:
        g = igraph.Graph(n=n, edges=edges, directed=False)
        return [value * scale for value in g.betweenness(directed=False)]

    def with_rustworkx() -> list[float]:
        g = rx.PyGraph(multigraph=False)
        g.add_nodes_from(range(n))
        g.add_edges_from_no_data(edges)
        result = rx.graph_betweenness_centrality(g, normalized=True)
        return [result[i] for i in range(n)]

    def with_networkx(k: int | None) -> list[float]:
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from(edges)
        result = nx.betweenness_centrality(g, k=k, seed=7 if k else None)
        return [result[i] for i in range(n)]

    ig_values, ig_cpu, ig_wall = _timed(with_igraph)
    rx_values, rx_cpu, rx_wall = _timed(with_rustworkx)
    shape = f"{n:,} nodes, {len(edges):,} edges"
    rows = []
    if n <= nx_max_nodes:
        nx_values, nx_cpu, nx_wall = _timed(lambda: with_networkx(None))
        nx_note = "exact"
        diff_nx = max((abs(a - b) for a, b in zip(nx_values, ig_values, strict=True)), default=0.0)  # type: ignore[arg-type]
    else:  # networkx exact would take hours: time a sample of sources and scale it up
        sample = max(50, nx_max_nodes // 10)
        _, nx_cpu, nx_wall = _timed(lambda: with_networkx(sample))
        nx_cpu, nx_wall = nx_cpu * n / sample, nx_wall * n / sample
        nx_note = f"estimated: {sample} sampled sources × {n}/{sample}"
        diff_nx = None
    diff_rx = max((abs(a - b) for a, b in zip(rx_values, ig_values, strict=True)), default=0.0)  # type: ignore[arg-type]
    rows.append(Row(size, kind, quads, f"betweenness networkx ({shape})", nx_cpu, nx_wall, note=nx_note))
    rows.append(Row(size, kind, quads, "betweenness python-igraph", ig_cpu, ig_wall, anchor="networkx",
                    ratio=f"{nx_cpu / max(ig_cpu, 1e-9):,.0f}× faster",
                    note=f"max abs diff vs networkx {diff_nx:.1e}" if diff_nx is not None else ""))
    rows.append(Row(size, kind, quads, "betweenness rustworkx", rx_cpu, rx_wall, anchor="networkx",
                    ratio=f"{nx_cpu / max(rx_cpu, 1e-9):,.0f}× faster",
                    note=f"max abs diff vs igraph {diff_rx:.1e}"))
    return rows, ig_values, ig_cpu  # type: ignore[return-value]


#: Sources of the sampled betweenness estimates compared with the exact values (``analyze``
#: samples 500 above 10,000 nodes), and the seeds each is drawn with (``analyze`` uses 42).
ESTIMATE_SOURCES = (100, 250, 500, 1000)
ESTIMATE_SEEDS = (42, 1, 2)


def estimate_rows(
    edges: list[tuple[int, int]], n: int, exact: list[float], exact_cpu: float,
    size: int, kind: str, quads: int,
) -> list[Row]:
    """How close ``analyze``'s sampled estimate comes to exact betweenness: python-igraph from k
    sources drawn as networkx draws them (``random.Random(seed).sample``), scaled as networkx scales
    them; per seed, how many of the exact top 10 and top 20 the estimate's top 10 and 20 hold,
    the rank correlation over every node (Spearman, ties averaged) and the largest relative error
    on the exact top 20."""
    import random

    import igraph
    import pandas as pd

    graph = igraph.Graph(n=n, edges=edges, directed=False)
    exact_ranks = pd.Series(exact).rank()

    def top(values: list[float], k: int) -> set[int]:
        return set(sorted(range(n), key=lambda i: (-values[i], i))[:k])

    best20 = top(exact, 20)
    rows = []
    for k in ESTIMATE_SOURCES:
        if k >= n:
            continue
        cpus, top10, top20, spearman, error = [], [], [], [], []
        for seed in ESTIMATE_SEEDS:
            sources = random.Random(seed).sample(range(n), k)
            drawn = set(sources)
            raw, cpu, _ = _timed(lambda sources=sources: graph.betweenness(directed=False, sources=sources))
            scale = (2 / ((k - 1) * (n - 2)), 2 / (k * (n - 2)))  # a drawn node, any other
            values = [v * scale[i not in drawn] for i, v in enumerate(raw)]  # type: ignore[attr-defined]
            cpus.append(cpu)
            top10.append(len(top(values, 10) & top(exact, 10)))
            top20.append(len(top(values, 20) & best20))
            spearman.append(pd.Series(values).rank().corr(exact_ranks))
            error.append(max(abs(values[i] - exact[i]) / exact[i] for i in best20 if exact[i] > 0))
        cpu = statistics.median(cpus)
        rows.append(Row(
            size, kind, quads, f"betweenness estimate, {k} sampled sources (python-igraph)", cpu, None,
            anchor="exact python-igraph", ratio=f"{cpu / exact_cpu:.1%} of its CPU",
            note=(f"seeds {', '.join(map(str, ESTIMATE_SEEDS))}: exact top 10 kept "
                  f"{'/'.join(map(str, top10))}, top 20 {'/'.join(map(str, top20))}; Spearman "
                  f"{'/'.join(f'{r:.3f}' for r in spearman)}; top-20 max relative error "
                  f"{'/'.join(f'{e:.2f}' for e in error)}"),
        ))
    return rows


def louvain_rows(edges: list[tuple[int, int]], n: int, size: int, kind: str, quads: int) -> list[Row]:
    """Louvain by networkx (what ``analyze`` runs up to 20,000 nodes) and by python-igraph (above):
    CPU, how many communities of two or more, and the modularity of each partition."""
    import random

    import igraph
    import networkx as nx

    nx_graph = nx.Graph()
    nx_graph.add_nodes_from(range(n))
    nx_graph.add_edges_from(edges)
    ig_graph = igraph.Graph(n=n, edges=edges, directed=False)

    def with_igraph() -> list[set[int]]:
        igraph.set_random_number_generator(random.Random(42))
        try:
            return [set(c) for c in ig_graph.community_multilevel()]
        finally:
            igraph.set_random_number_generator(random)

    found_nx, nx_cpu, nx_wall = _timed(lambda: nx.community.louvain_communities(nx_graph, seed=42))
    found_ig, ig_cpu, ig_wall = _timed(with_igraph)

    def summary(found: list[set[int]]) -> str:
        groups = sum(1 for c in found if len(c) > 1)
        return f"{groups:,} communities of 2+, modularity {nx.community.modularity(nx_graph, found):.4f}"

    return [
        Row(size, kind, quads, "Louvain networkx (seed 42)", nx_cpu, nx_wall, note=summary(found_nx)),  # type: ignore[arg-type]
        Row(size, kind, quads, "Louvain python-igraph (seed 42)", ig_cpu, ig_wall, anchor="networkx",
            ratio=f"{nx_cpu / max(ig_cpu, 1e-9):,.0f}× faster", note=summary(found_ig)),  # type: ignore[arg-type]
    ]


# -- one size -----------------------------------------------------------------------------------------


def store_quads(out: Path) -> int:
    store = ox.Store.read_only(str(out / "store"))
    try:
        return len(store)
    finally:
        del store


def corpus_chars(folder: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path):
        self.args, self.work = args, work
        self.rows: list[Row] = []
        self.fresh_cpu_per_article: float | None = None  # of the largest real build so far

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(markdown([row]).splitlines()[-1], flush=True)

    def build(self, inputs: Sequence[Path], out: Path, jobs: int = 1) -> Run:
        run = run_measured(graph_cli("build", *map(str, inputs), "--out", str(out), "--jobs", str(jobs)),
                           self.args.timeout)
        if not run.ok:
            raise RuntimeError(f"build {inputs} --out {out} failed ({run.status}): {run.output[-2000:]}")
        return run

    def real(self, size: int) -> tuple[Path, int]:
        folder = self.work / f"n{size}"
        corpus, out = folder / "corpus", folder / "out"
        write_corpus(corpus, size, self.args.seed)
        chars = corpus_chars(corpus)
        run = self.build([corpus], out)
        quads = store_quads(out)
        self.fresh_cpu_per_article = run.cpu / size
        self.add(Row(size, "real", quads, "fresh build (--jobs 1)", run.cpu, run.wall, run.peak_mb,
                     ratio=f"{chars / run.cpu:,.0f} chars/s per core",
                     note=f"{chars:,} chars, {run.cpu / size * 1000:.0f} ms CPU/article"))
        return out, quads

    def replicated(self, size: int, base_out: Path, base_size: int) -> tuple[Path, int]:
        out = self.work / f"n{size}" / "out"
        cpu, wall = time.process_time(), time.perf_counter()
        quads = replicate_store(base_out / "store", out, size, self.args.shared_min)
        self.add(Row(size, "replicated", quads, f"replicated store from the {base_size:,}-article build",
                     time.process_time() - cpu, time.perf_counter() - wall,
                     note=f"{-(-size // base_size)} copies; entities in ≥ {self.args.shared_min} "
                          "articles shared"))
        return out, quads

    def jobs_rows(self) -> None:
        n = self.args.jobs_articles
        folder = self.work / f"jobs{n}"
        corpus = folder / "corpus"
        write_corpus(corpus, n, self.args.seed)
        one = self.build([corpus], folder / "out1", jobs=1)
        two = self.build([corpus], folder / "out2", jobs=2)
        quads = store_quads(folder / "out1")
        self.add(Row(n, "real", quads, "build --jobs 1", one.cpu, one.wall, one.peak_mb))
        self.add(Row(n, "real", quads, "build --jobs 2", two.cpu, two.wall, two.peak_mb, anchor="--jobs 1",
                     ratio=f"{one.wall / two.wall:.2f}× speed-up (wall)",
                     note=f"CPU {two.cpu / one.cpu:.2f}× of --jobs 1"))

    def incremental_rows(self, size: int, kind: str, out: Path, corpus: Path | None) -> None:
        # new to this store: a replicated store holds the base build's extra articles, so each size
        # gets its own (file names are article keys, so IRIs)
        per_article = self.fresh_per_article(size, kind, corpus)
        basis = "this size's" if kind == "real" else "the real build's"
        anchor = f"fresh per-article CPU ({basis}, {per_article * 1000:.0f} ms)" if per_article else ""

        def ratio(cpu: float) -> str:
            return f"{cpu / 10 / per_article:.1f}× per article" if per_article else ""

        if not (out / "exports" / "current").is_dir():  # a replicated store: no export set yet
            first = self.work / f"n{size}" / f"first{size}"
            write_corpus(first, 1, self.args.seed + 2000 + size, prefix=f"first{size}")
            run = self.build([first], out)
            self.add(Row(size, kind, store_quads(out), "first export set (1 new article, every file written)",
                         run.cpu, run.wall, run.peak_mb))
        extra = self.work / f"n{size}" / f"extra{size}"
        write_corpus(extra, 10, self.args.seed + 1000 + size, prefix=f"extra{size}")
        add = self.build([extra], out)
        quads = store_quads(out)
        self.add(Row(size, kind, quads, "incremental: build 10 new articles into it (a new process)", add.cpu,
                     add.wall, add.peak_mb, anchor=anchor, ratio=ratio(add.cpu),
                     note=f"{add.cpu / 10:.2f} s CPU per added article; " + exports_note(out)))
        watched = self.work / f"n{size}" / f"watched{size}"
        watching = watch_measured(watched, out, 10, self.args.seed + 3000 + size, self.args.timeout)
        self.add(Row(size, kind, store_quads(out), "incremental: 10 new articles into a watching build",
                     watching.cpu, watching.wall, watching.peak_mb, anchor=anchor, ratio=ratio(watching.cpu),
                     note="build --watch, pipeline loaded; CPU of the batch, from the files' arrival "
                          "to the grown export set"))
        again = self.build([extra], out)
        self.add(Row(size, kind, quads, "re-run the same 10 (unchanged)", again.cpu, again.wall,
                     again.peak_mb,
                     anchor="adding them", ratio=f"{again.cpu / add.cpu:.2f}× of adding them"))
        if corpus is not None:
            rerun = self.build([corpus], out)
            fresh = next((r for r in self.rows
                          if r.size == size and r.measure.startswith("fresh build")), None)
            if fresh is None or not fresh.cpu_s or not fresh.peak_mb:
                self.add(Row(size, kind, quads, f"re-run all {size:,} unchanged inputs", rerun.cpu,
                             rerun.wall, rerun.peak_mb))
                return
            self.add(Row(size, kind, quads, f"re-run all {size:,} unchanged inputs", rerun.cpu, rerun.wall,
                         rerun.peak_mb, anchor="fresh build",
                         ratio=f"{rerun.cpu / fresh.cpu_s:.2f}× of fresh (CPU)",
                         note=f"peak {rerun.peak_mb / fresh.peak_mb:.2f}× of fresh"))

    def fresh_per_article(self, size: int, kind: str, corpus: Path | None) -> float | None:
        """A fresh build's CPU per article, measured in this run: the real build's, or (--reuse) a
        fresh build of the reused corpus into a scratch folder, done once."""
        if self.fresh_cpu_per_article is None and corpus is not None:
            scratch = self.work / f"n{size}" / "fresh-scratch"
            shutil.rmtree(scratch, ignore_errors=True)
            run = self.build([corpus], scratch)
            shutil.rmtree(scratch, ignore_errors=True)
            self.fresh_cpu_per_article = run.cpu / size
            self.add(Row(size, kind, 0, "fresh build (--jobs 1), for the per-article anchor", run.cpu,
                         run.wall, run.peak_mb, note=f"{run.cpu / size * 1000:.0f} ms CPU/article"))
        return self.fresh_cpu_per_article

    def query_rows(self, size: int, kind: str, out: Path, quads: int) -> None:
        store = ox.Store.read_only(str(out / "store"))
        picks = pick_entities(store)
        timeout = self.args.query_timeout
        # the query's CSV goes to a private scratch folder: --work may be shared with other runs
        scratch = Path(tempfile.mkdtemp(prefix="scale-bench-query-"))
        for name, (param, entity_kind, variable) in QUERY_PARAMS.items():
            path = QUERIES_DIR / f"{name}.rq"
            if not path.is_file() or entity_kind not in picks:
                self.add(Row(size, kind, quads, f"query {name}", note="query or entity kind not found"))
                continue
            text = path.read_text(encoding="utf-8")
            for which, pick in zip(("frequent", "rare"), picks[entity_kind], strict=True):
                target = scratch / "query-output.csv"
                run = run_measured(graph_cli("query", name, "--graph", str(out), "--format", "csv",
                                             "--param", f"{param}={pick.label}"),
                                   timeout, stdout_path=target)
                measure = f"query {name} {param}=({which}: {pick.articles} articles)"
                # as the CLI's --param binds it: a name the query looks up as a label is an @zh literal
                is_label = re.search(rf"^#\s*param:\s*{param}\b[^\n]*\blabel\b", text, re.M)
                binding = {ox.Variable(param): ox.Literal(pick.label, language="zh") if is_label
                           else ox.Literal(pick.label)}
                anchors, notes = [], []
                if run.ok:
                    notes.append(f"{sum(1 for _ in target.open(encoding='utf-8')) - 1} rows")
                elif run.status is None:
                    notes.append(f"killed at the {timeout:.0f} s limit")
                else:
                    notes.append(f"exit {run.status}")
                # native anchors: the same text and substitution in this process, unless the CLI showed
                # it to be slow (it would only repeat that time); then by IRI, which is always run
                native_cpu = None
                if run.ok and run.wall <= self.args.native_max:
                    native_cpu, _, native_rows = native_query(store, text, binding)
                    anchors.append(f"pyoxigraph same query {native_cpu * 1000:,.0f} ms CPU")
                    notes.append(f"native {native_rows} rows")
                else:
                    anchors.append("pyoxigraph same query not run (CLI slow)")
                ratio = f"CLI {run.cpu / max(native_cpu, 1e-6):,.1f}× native" if native_cpu else ""
                if variable is not None:
                    lookup_cpu = time.process_time()
                    iris = label_lookup(store, pick.label)
                    values_text = with_values(text, variable, iris)
                    lookup_cpu = time.process_time() - lookup_cpu
                    # the parameter stays bound too: a query may test it beyond the match
                    # (people-sharing lists each pair once when no name is given)
                    v_cpu, _, v_rows = native_query(store, values_text, binding)
                    v_cpu += lookup_cpu
                    anchors.append(f"label lookup + VALUES {v_cpu * 1000:,.1f} ms CPU")
                    notes.append(f"VALUES gives {v_rows} rows")
                    more = "≥ " if run.status is None else ""
                    ratio = f"CLI {more}{run.cpu / max(v_cpu, 1e-6):,.0f}× the indexed anchor"
                self.add(Row(size, kind, quads, measure, run.cpu, run.wall, run.peak_mb,
                             anchor="; ".join(anchors), ratio=ratio, note="; ".join(notes)))
        shutil.rmtree(scratch, ignore_errors=True)
        del store

    def startup_rows(self, size: int, kind: str, out: Path, quads: int) -> None:
        repeats = self.args.repeats
        ask = [run_measured(graph_cli("query", "ASK {}", "--graph", str(out)), 120) for _ in range(repeats)]
        bare = [run_measured([PYTHON, "-c", "import pyoxigraph"], 60) for _ in range(repeats)]
        ask_wall = statistics.median(r.wall for r in ask)
        bare_wall = statistics.median(r.wall for r in bare)
        self.add(Row(size, kind, quads, f"query start-up: ASK {{}} (median of {repeats})",
                     statistics.median(r.cpu for r in ask), ask_wall, max(r.peak_mb for r in ask),
                     anchor=f"python -c 'import pyoxigraph' {bare_wall * 1000:.0f} ms wall",
                     ratio=f"{ask_wall / bare_wall:.1f}× wall"))

    def network_rows(self, size: int, kind: str, out: Path, quads: int) -> None:
        timeout, memory = self.args.network_timeout, self.args.memory_mb
        scratch = self.work / f"n{size}"
        commands = {
            "analyze": graph_cli("analyze", "--graph", str(out)),
            "view": graph_cli("view", "--graph", str(out), "--out", str(scratch / "view.html")),
            "export --format graphml": graph_cli("export", "--graph", str(out), "--format", "graphml",
                                                 "--out", str(scratch / "graph.graphml")),
        }
        for measure, command in commands.items():
            run = run_measured(command, timeout, memory_mb=memory)
            note = "" if run.ok else (f"killed at the {timeout:.0f} s limit" if run.status is None
                                      else f"exit {run.status} (memory limit {memory} MB?)")
            self.add(Row(size, kind, quads, measure, run.cpu, run.wall, run.peak_mb, note=note))
        store = ox.Store.read_only(str(out / "store"))
        nodes, edges = network_projection(store)
        del store
        if len(nodes) <= self.args.exact_max_nodes:
            rows, exact, exact_cpu = betweenness_rows(nodes, edges, size, kind, quads, self.args.nx_max_nodes)
            rows += estimate_rows(edges, len(nodes), exact, exact_cpu, size, kind, quads)
        else:
            rows = [Row(size, kind, quads, f"exact betweenness ({len(nodes):,} nodes)",
                        note=f"skipped: over --exact-max-nodes {self.args.exact_max_nodes:,}")]
        for row in [*rows, *louvain_rows(edges, len(nodes), size, kind, quads)]:
            self.add(row)

    def export_sizes(self, size: int, kind: str, out: Path, quads: int) -> None:
        sizes = []
        for name in EXPORT_FILES:
            path = out / name
            sizes.append(f"{name} {path.stat().st_size / 1e6:,.1f} MB" if path.exists() else f"{name} –")
        graphml = self.work / f"n{size}" / "graph.graphml"
        sizes.append(f"GraphML {graphml.stat().st_size / 1e6:,.1f} MB" if graphml.exists() else "GraphML –")
        self.add(Row(size, kind, quads, "export sizes (after +10)", note=", ".join(sizes)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes in articles (default 1000,10000)")
    parser.add_argument("--max-real", type=int, default=1000, metavar="N",
                        help="sizes above N are replicated from a real build of N articles (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs-articles", type=int, default=200, metavar="N",
                        help="articles of the --jobs 2 vs --jobs 1 rows (0: skip them)")
    parser.add_argument("--timeout", type=float, default=1800, metavar="S", help="limit per command")
    parser.add_argument("--network-timeout", type=float, default=900, metavar="S",
                        help="limit of analyze, view and export each")
    parser.add_argument("--native-max", type=float, default=30, metavar="S",
                        help="run a query's same-text native anchor only when the CLI took at most S")
    parser.add_argument("--query-timeout", type=float, default=300, metavar="S", help="limit per query")
    parser.add_argument("--memory-mb", type=int, default=8000, metavar="MB",
                        help="address-space limit of analyze/view/export (default 8000)")
    parser.add_argument("--nx-max-nodes", type=int, default=5000, metavar="N",
                        help="exact networkx betweenness up to N nodes; above, a sampled estimate")
    parser.add_argument("--exact-max-nodes", type=int, default=20_000, metavar="N",
                        help="exact betweenness (igraph, rustworkx) and the estimate's quality up to N nodes")
    parser.add_argument("--shared-min", type=int, default=5, metavar="K",
                        help="replication: entities in at least K base articles are shared by all copies")
    parser.add_argument("--repeats", type=int, default=5, help="runs of the start-up rows (median)")
    parser.add_argument("--work", metavar="DIR",
                        help="keep corpora and builds here (default: a temporary folder, removed)")
    parser.add_argument("--reuse", action="store_true",
                        help="use the builds already in --work (DIR/nN/out) instead of building them")
    parser.add_argument("--steps", default="queries,startup,network,incremental",
                        help="which measurements to make at each size (default: all of them)")
    parser.add_argument("--json", metavar="FILE", help="also write the conditions and rows as JSON")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as markdown")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    context = conditions()
    print("conditions: " + ", ".join(f"{k} {v}" for k, v in context.items()), flush=True)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="scale-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, work)
    print(markdown([]), flush=True)
    try:
        base: tuple[int, Path] | None = None  # the real build replicated sizes copy
        for size in sizes:
            reusable = work / f"n{size}" / "out"
            if args.reuse and (reusable / "store").is_dir():
                out, quads = reusable, store_quads(reusable)
                kind = "real" if size <= args.max_real else "replicated"
                corpus = work / f"n{size}" / "corpus" if kind == "real" else None
                bench.add(Row(size, kind, quads, f"reused the build in {reusable}"))
                base = (size, out) if kind == "real" else base
            elif size <= args.max_real:
                out, quads = bench.real(size)
                kind, corpus = "real", work / f"n{size}" / "corpus"
                base = (size, out)
            else:
                if base is None or base[0] != args.max_real:
                    base = (args.max_real, bench.real(args.max_real)[0])
                out, quads = bench.replicated(size, base[1], base[0])
                kind, corpus = "replicated", None
            steps = {step.strip() for step in args.steps.split(",")}
            if "queries" in steps:
                bench.query_rows(size, kind, out, quads)
            if "startup" in steps:
                bench.startup_rows(size, kind, out, quads)
            if "network" in steps:
                bench.network_rows(size, kind, out, quads)
            if "incremental" in steps:
                bench.incremental_rows(size, kind, out, corpus)
                bench.export_sizes(size, kind, out, store_quads(out))
        if args.jobs_articles:
            bench.jobs_rows()
    finally:
        table = markdown(bench.rows)
        print("\n" + table)
        header = "\n".join(f"- {k}: {v}" for k, v in context.items())
        if args.markdown:
            Path(args.markdown).write_text(f"{header}\n\n{table}\n", encoding="utf-8")
        if args.json:
            document = {"conditions": context, "rows": [asdict(r) for r in bench.rows]}
            Path(args.json).write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

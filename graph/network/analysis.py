"""Network analysis of the knowledge graph: centrality, communities and the links between them,
chains linking two entities, and the neighbourhood of one.

The functions take a networkx graph from :mod:`graph.network.data` and return plain data; the command
functions at the bottom (``analyze``, ``path``, ``ego``, ``export``) print it.
"""

from __future__ import annotations

import difflib
import heapq
import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

import networkx as nx
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graph.errors import UsageError
from graph.network.data import (
    RELATION_WORDS,
    combined_graph,
    hierarchy_graph,
    kind_label,
    linked_pairs,
    people_org_graph,
    person_projection,
    simple_graph,
)
from graph.store.query import print_table as print_rich_table

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SEED = 42
MAX_CHAINS = 5


class UnknownName(UsageError, LookupError):
    """A name no entity goes by; ``suggestions`` are the closest names there are."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"no entity is called {name!r}{hint}")


# -- finding entities -------------------------------------------------------------------------------


def names_of(graph: nx.Graph) -> dict[str, list[str]]:
    """Every name (label or other name) → the nodes that go by it."""
    names: dict[str, list[str]] = {}
    for node, attrs in graph.nodes(data=True):
        for name in [attrs.get("label", ""), *attrs.get("alt_labels", [])]:
            if name and node not in names.setdefault(name, []):
                names[name].append(node)
    return names


def find_entities(graph: nx.Graph, name: str) -> list[str]:
    """The nodes called ``name`` (label or other name), or the node whose IRI it is."""
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        name = name[1:-1]
    if name in graph:
        return [name]
    found = names_of(graph).get(name)
    if found:
        return sorted(found)
    raise UnknownName(name, close_names(graph, name))


def close_names(graph: nx.Graph, name: str, limit: int = 5) -> list[str]:
    """Names that contain ``name`` or look like it, closest first."""
    names = sorted(names_of(graph))
    containing = [n for n in names if name and (name in n or n in name)]
    similar = difflib.get_close_matches(name, names, n=limit, cutoff=0.3)
    return list(dict.fromkeys([*similar, *containing]))[:limit]


# -- centrality, communities, bridges ---------------------------------------------------------------


@dataclass(frozen=True)
class Central:
    node: str
    label: str
    kind: str
    degree: int
    degree_centrality: float
    betweenness: float


#: Up to this many nodes betweenness is exact: python-igraph takes 1.9 s of CPU on the 8,540 nodes
#: of a 1,000-article build, and the time grows with nodes × edges (some 200 s at 80,000 nodes).
EXACT_BETWEENNESS_NODES = 10_000
#: Above it, betweenness is estimated from this many sampled sources: on a 1,000-article build
#: the estimate from 500 finds 18 of the exact top 20 (three seeds) in 6% of the exact time
#: (bench/scale_bench.py prints the comparison).
SAMPLED_SOURCES = 500


def betweenness_sources(nodes: int, samples: int | None = None, exact: bool = False) -> int | None:
    """How many sampled sources betweenness is estimated from, or None when it is exact: exact up to
    :data:`EXACT_BETWEENNESS_NODES` nodes, else from :data:`SAMPLED_SOURCES`; ``samples`` and
    ``exact`` choose. A sample as large as the network is the exact computation."""
    if exact:
        return None
    if samples is None:
        samples = SAMPLED_SOURCES if nodes > EXACT_BETWEENNESS_NODES else None
    return samples if samples is not None and samples < nodes else None


def centrality(graph: nx.Graph, top: int | None = None, samples: int | None = None) -> list[Central]:
    """Nodes by betweenness, then degree (distinct neighbours), then name; betweenness exact, or
    with ``samples`` estimated from that many sampled sources (see :func:`betweenness_centrality`)."""
    simple = simple_graph(graph)
    betweenness = betweenness_centrality(simple, samples)
    centralities = nx.degree_centrality(simple)
    degree, attrs = simple.degree, simple.nodes

    def rank(n: str) -> tuple[float, int, str, str]:
        return (-betweenness[n], -degree(n), attrs[n]["label"], n)

    if top and len(simple) > top:  # only nodes reaching the top-th betweenness can rank in the top
        cutoff = heapq.nlargest(top, betweenness.values())[-1]
        ranked = sorted((n for n in simple if betweenness[n] >= cutoff), key=rank)[:top]
    else:
        ranked = sorted(simple, key=rank)
    return [
        Central(n, attrs[n]["label"], attrs[n]["kind"], degree(n), centralities[n], betweenness[n])
        for n in ranked
    ]


#: Above this many nodes betweenness is computed by python-igraph (C): on a 3,000-node graph
#: networkx took 16.0 s of CPU, igraph 0.42 s and rustworkx 0.80 s, all three equal to 1e-15.
FAST_BETWEENNESS_NODES = 300


def betweenness_centrality(graph: nx.Graph, samples: int | None = None, seed: int = SEED) -> dict[str, float]:
    """``nx.betweenness_centrality(graph, k=samples, seed=seed)`` (undirected, unweighted,
    normalized; with ``samples``, estimated from that many sources drawn as networkx draws them),
    computed by python-igraph when the graph is large: the same numbers, in a fraction of the time."""
    n = graph.number_of_nodes()
    if n <= FAST_BETWEENNESS_NODES:
        return nx.betweenness_centrality(graph, k=samples, seed=seed)
    import igraph

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    fast = igraph.Graph(n=n, edges=[(index[u], index[v]) for u, v in graph.edges() if u != v])
    if samples is None or samples >= n:  # networkx too computes a full sample exactly
        scale = 2 / ((n - 1) * (n - 2))  # networkx's normalization of undirected betweenness
        exact = fast.betweenness(directed=False)
        return {node: value * scale for node, value in zip(nodes, exact, strict=True)}
    sources = random.Random(seed).sample(nodes, samples)  # networkx's draw for this seed
    values = fast.betweenness(directed=False, sources=[index[s] for s in sources])
    # igraph halves undirected subset betweenness (each pair once); networkx counts each source's
    # paths in full and scales the sum by the sources that could have been drawn: a sampled node
    # cannot lie inside its own paths, so it is scaled by one source fewer.
    drawn = set(sources)
    scale = {True: 2 / ((samples - 1) * (n - 2)) if samples > 1 else math.nan, False: 2 / (samples * (n - 2))}
    return {node: value * scale[node in drawn] for node, value in zip(nodes, values, strict=True)}


#: Above this many nodes communities are found by python-igraph's Louvain (C), below it by
#: networkx's: at 80,000 nodes networkx took 9.1 s of CPU and igraph 0.46 s. Both are Louvain with a
#: fixed seed but draw differently, so their partitions differ; below the threshold (a 1,000-article
#: build has about 8,500 nodes) the communities stay networkx's.
FAST_COMMUNITY_NODES = 20_000


def communities(graph: nx.Graph, seed: int = SEED) -> list[list[str]]:
    """Louvain communities (fixed seed, so runs agree), largest first, each sorted by degree."""
    simple = simple_graph(graph)
    if simple.number_of_nodes() <= FAST_COMMUNITY_NODES:
        found = nx.community.louvain_communities(simple, seed=seed)
    else:
        found = _igraph_louvain(simple, seed)

    def order(node: str) -> tuple[int, str]:
        return (-simple.degree(node), simple.nodes[node]["label"])

    members = [sorted(c, key=order) for c in found]
    members.sort(key=lambda c: (-len(c), order(c[0])))
    return members


def community_method(graph: nx.Graph) -> str:
    """Which Louvain :func:`communities` runs on ``graph``."""
    return "louvain" if graph.number_of_nodes() <= FAST_COMMUNITY_NODES else "louvain by python-igraph"


def _igraph_louvain(graph: nx.Graph, seed: int) -> list[set[str]]:
    """python-igraph's Louvain (multilevel) on ``graph``, its random draws made from ``seed``."""
    import igraph

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    fast = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges() if u != v])
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = fast.community_multilevel()
    finally:
        igraph.set_random_number_generator(random)  # igraph's default: the random module
    return [{nodes[i] for i in members} for members in found]


@dataclass(frozen=True)
class Bridge:
    """The edges between two communities (by index in the :func:`communities` list)."""

    a: int
    b: int
    edges: tuple[tuple[str, str, str], ...]  # (subject, relation words, object)


def community_bridges(graph: nx.Graph, groups: list[list[str]]) -> list[Bridge]:
    """Edges whose ends lie in different communities, grouped by pair of communities, most first."""
    where = {node: i for i, group in enumerate(groups) for node in group}
    pairs: dict[tuple[int, int], list[tuple[str, str, str]]] = {}
    # linked pairs, then their edges: a multigraph's edge view is slow (see linked_pairs)
    for u, v in graph.edges() if graph.is_directed() else linked_pairs(graph):
        if u in where and v in where and where[u] != where[v]:
            a, b = sorted((where[u], where[v]))
            data = graph.adj[u][v]
            for attrs in data.values() if graph.is_multigraph() else (data,):
                subject, obj = attrs.get("subject", u), attrs.get("object", v)
                pairs.setdefault((a, b), []).append((subject, attrs.get("label", ""), obj))
    bridges = [Bridge(a, b, tuple(sorted(set(edges)))) for (a, b), edges in pairs.items()]
    bridges.sort(key=lambda br: (-len(br.edges), br.a, br.b))
    return bridges


def brokers(graph: nx.Graph, groups: list[list[str]]) -> list[tuple[str, int]]:
    """Nodes with neighbours in other communities, and how many other communities they reach."""
    where = {node: i for i, group in enumerate(groups) for node in group}
    reach = {
        node: len({where[n] for n in graph.neighbors(node) if n in where} - {where[node]})
        for node in graph
        if node in where
    }
    return sorted(((n, r) for n, r in reach.items() if r), key=lambda x: (-x[1], graph.nodes[x[0]]["label"]))


# -- chains between two entities --------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One edge of a hop: ``subject`` —relation→ ``object``, with its source sentences."""

    subject: str
    words: str
    object: str
    sentences: tuple[tuple[str, str], ...]  # (iri, text)


@dataclass(frozen=True)
class Hop:
    source: str
    target: str
    links: tuple[Link, ...]


def shortest_chains(
    graph: nx.Graph, sources: Sequence[str], targets: Sequence[str], limit: int = MAX_CHAINS
) -> list[list[str]]:
    """The shortest paths from any of ``sources`` to any of ``targets`` (at most ``limit``)."""
    simple = simple_graph(graph)
    found: list[list[str]] = []
    for source, target in itertools.product(sources, targets):
        try:
            paths = list(itertools.islice(nx.all_shortest_paths(simple, source, target), 1000))
        except nx.NetworkXNoPath:
            continue
        if found and len(paths[0]) > len(found[0]):
            continue
        if found and len(paths[0]) < len(found[0]):
            found = []
        found.extend(paths)

    def order(path: list[str]) -> tuple[str, ...]:
        return tuple(simple.nodes[n]["label"] for n in path)

    return sorted(found, key=lambda p: (order(p), p))[:limit]


def hops(graph: nx.Graph, path: Sequence[str]) -> list[Hop]:
    """Each step of ``path`` with every relation between its two ends and their sentences."""
    return [Hop(u, v, links_between(graph, u, v)) for u, v in itertools.pairwise(path)]


def links_between(graph: nx.Graph, u: str, v: str) -> tuple[Link, ...]:
    data = graph.get_edge_data(u, v) or {}
    edges = data.values() if graph.is_multigraph() else [data]
    links = {
        Link(
            e.get("subject", u),
            e.get("label", ""),
            e.get("object", v),
            tuple(zip(e.get("evidence_iris", []), e.get("evidence", []), strict=False)),
        )
        for e in edges
    }
    return tuple(sorted(links, key=lambda link: (link.words, link.subject)))


# -- ego networks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Neighbour:
    node: str
    distance: int
    via: str  # the node one step closer to the centre
    words: str  # how ``via`` and ``node`` are linked


def ego(graph: nx.Graph, centre: str, depth: int = 2) -> list[Neighbour]:
    """Every node within ``depth`` steps of ``centre``, nearest first, with the tie that reaches it."""
    simple = simple_graph(graph)
    distance = nx.single_source_shortest_path_length(simple, centre, cutoff=depth)
    labels = nx.get_node_attributes(simple, "label")
    rows = [Neighbour(centre, 0, "", "")]
    for node, dist in distance.items():
        if dist == 0:
            continue
        via = min((n for n in simple.neighbors(node) if distance.get(n) == dist - 1), key=lambda n: labels[n])
        words = " / ".join(_oriented(graph, link, via) for link in links_between(graph, via, node))
        rows.append(Neighbour(node, dist, via, words))
    rows.sort(key=lambda r: (r.distance, labels[r.node], r.node))
    return rows


def _oriented(graph: nx.Graph, link: Link, start: str) -> str:
    """The link's words read from ``start``: ``担任 主席`` forwards, ``←担任 主席`` backwards."""
    return link.words if link.subject == start else f"←{link.words}"


# -- output -----------------------------------------------------------------------------------------


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO) -> None:
    """A rich table on a terminal; aligned plain text (no colour, no wrapping) elsewhere.

    Cells are :class:`Text`, so a name with brackets is printed as written, never read as markup;
    plain text is never wrapped, so its columns are told not to try (a third of the time of a
    table of thousands of rows).
    """
    terminal = Console(file=out).is_terminal
    style = box.SIMPLE_HEAD if terminal else None
    table = Table(*columns, title=title or None, box=style, show_edge=style is not None)
    for column in table.columns:
        column.no_wrap = not terminal
    for row in rows:
        table.add_row(*(Text(_cell(value)) for value in row))
    print_rich_table(table, out)


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def label_of(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("label", node))


def _names(graph: nx.Graph, nodes: Iterable[str], limit: int = 8) -> str:
    nodes = list(nodes)
    shown = "、".join(label_of(graph, n) for n in nodes[:limit])
    return shown + (f" …(+{len(nodes) - limit})" if len(nodes) > limit else "")


#: Communities ``analyze`` lists at most, the largest first: a 1,000-article build has about 550 of
#: two members or more, the 10,000-article synthetic store about 5,000, most of them pairs, whose
#: listing was a tenth of the command's time.
LISTED_COMMUNITIES = 1_000


def write_analysis(
    graph: nx.Graph,
    top: int,
    out: TextIO,
    samples: int | None = None,
    exact: bool = False,
    listed_communities: int = LISTED_COMMUNITIES,
) -> None:
    """What ``analyze`` prints: the ``top`` most central nodes and brokers, the largest
    ``listed_communities`` communities, the bridges between communities; ``samples`` and ``exact``
    as :func:`betweenness_sources` takes them."""
    simple = simple_graph(graph)  # once, for centrality and communities
    sources = betweenness_sources(simple.number_of_nodes(), samples, exact)
    rows = centrality(simple, top, sources)
    if sources is not None:
        print(f"Betweenness is an estimate from {sources:,} sampled sources (seed {SEED}) of "
              f"{simple.number_of_nodes():,} nodes; --exact computes it exactly.", file=out)
    print_table(
        f"Most central of {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges",
        ("#", "name", "kind", "degree", "degree centrality", "betweenness"),
        ((i, r.label, kind_label(r.kind), r.degree, r.degree_centrality, r.betweenness)
         for i, r in enumerate(rows, 1)),
        out,
    )
    groups = [g for g in communities(simple) if len(g) > 1]
    isolated = graph.number_of_nodes() - sum(len(g) for g in groups)
    listed = groups[:listed_communities]
    kinds = [Counter(kind_label(graph.nodes[n]["kind"]) for n in g) for g in listed]
    print_table(
        f"Communities ({community_method(simple)}, seed {SEED}; {isolated} unconnected nodes left out)",
        ("#", "size", "kinds", "members"),
        ((i, len(g), " ".join(f"{k}{c}" for k, c in k_.most_common()), _names(graph, g))
         for i, (g, k_) in enumerate(zip(listed, kinds, strict=True), 1)),
        out,
    )
    if len(groups) > len(listed):
        rest = groups[len(listed):]
        sizes = f"{len(rest[-1])}–{len(rest[0])}" if len(rest[-1]) != len(rest[0]) else f"{len(rest[0])}"
        print(f"… {len(rest):,} smaller communities not listed ({sizes} members each; "
              f"--communities N lists more)", file=out)
    bridges = community_bridges(graph, groups)
    print_table(
        "Bridges between communities",
        ("communities", "edges", "for example"),
        ((f"{b.a + 1}–{b.b + 1}", len(b.edges),
          "; ".join(f"{label_of(graph, s)} {w} {label_of(graph, o)}" for s, w, o in b.edges[:3]))
         for b in bridges),
        out,
    )
    reach = brokers(graph, groups)[:top]
    print_table(
        "Brokers (nodes tied to other communities)",
        ("name", "kind", "other communities reached"),
        ((label_of(graph, n), kind_label(graph.nodes[n]["kind"]), r) for n, r in reach),
        out,
    )


def write_chains(graph: nx.Graph, chains: list[list[str]], out: TextIO) -> None:
    for number, chain in enumerate(chains, 1):
        print(f"Chain {number}: " + " — ".join(label_of(graph, n) for n in chain), file=out)
        for hop in hops(graph, chain):
            for link in hop.links:
                forwards = link.subject == hop.source
                arrow = f"—[{link.words}]→" if forwards else f"←[{link.words}]—"
                print(f"  {label_of(graph, hop.source)} {arrow} {label_of(graph, hop.target)}", file=out)
                for iri, text in link.sentences:
                    print(f"      · {text}", file=out)
                    print(f"        <{iri}>", file=out)
                if not link.sentences:
                    print("      (no source sentence recorded)", file=out)
        print(file=out)


# -- choosing what to read -------------------------------------------------------------------------


def keep_relations(graph: nx.MultiGraph, relations: str | None) -> nx.MultiGraph:
    if not relations:
        return graph
    wanted = {r.strip() for r in relations.split(",") if r.strip()}
    unknown = wanted - set(RELATION_WORDS)
    if unknown:
        raise UsageError(f"unknown relation(s) {', '.join(sorted(unknown))}; use {', '.join(RELATION_WORDS)}")
    kept = nx.MultiGraph()
    kept.graph.update(graph.graph)
    kept.add_nodes_from(graph.nodes(data=True))
    kept.add_edges_from(
        (u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if d["relation"] in wanted
    )
    return kept


VIEWS: dict[str, Callable[..., nx.Graph]] = {
    "combined": combined_graph,
    "people-org": people_org_graph,
    "hierarchy": hierarchy_graph,
    "person": person_projection,
}

"""``analyze``, ``path``, ``ego``, ``export`` and ``view``: the graph as a network."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import networkx as nx

from graph.cli.options import add_graph_options, opened_graph, positive
from graph.errors import EXIT_FAILED, EXIT_OK
from graph.network.data import RELATION_WORDS, NetworkData, combined_graph, kind_label, network_data
from graph.network.page_data import FOCUS_BUDGET


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from graph.network.analysis import (
        EXACT_BETWEENNESS_NODES,
        LISTED_COMMUNITIES,
        MAX_CHAINS,
        SAMPLED_SOURCES,
        SEED,
        VIEWS,
    )
    from graph.network.view import DEFAULT_TITLE

    relations = {"metavar": "REL,...", "help": f"only these edge types ({', '.join(RELATION_WORDS)})"}

    parser = subparsers.add_parser("analyze", help="centrality, communities and bridges between them")
    add_graph_options(parser)
    parser.add_argument("--top", type=positive(int), default=10, metavar="N",
                        help="rows in the ranked tables")
    parser.add_argument("--relations", **relations)
    parser.add_argument("--communities", type=positive(int), default=LISTED_COMMUNITIES, metavar="N",
                        help="communities listed at most, the largest first (default %(default)s)")
    betweenness = parser.add_mutually_exclusive_group()
    betweenness.add_argument("--samples", type=positive(int), metavar="K",
                             help=f"estimate betweenness from K sampled sources (seed {SEED}; default: exact "
                                  f"up to {EXACT_BETWEENNESS_NODES:,} nodes, else {SAMPLED_SOURCES})")
    betweenness.add_argument("--exact", action="store_true", help="exact betweenness at any size")
    parser.set_defaults(func=run_analyze)

    parser = subparsers.add_parser("path", help="shortest chains linking two entities, with sentences")
    parser.add_argument("name_a", metavar="NAME_A")
    parser.add_argument("name_b", metavar="NAME_B")
    add_graph_options(parser)
    parser.add_argument("--max", type=positive(int), default=MAX_CHAINS, metavar="N",
                        help="chains to show at most")
    parser.add_argument("--relations", **relations)
    parser.set_defaults(func=run_path)

    parser = subparsers.add_parser("ego", help="the neighbourhood of one entity")
    parser.add_argument("name", metavar="NAME")
    add_graph_options(parser)
    parser.add_argument("--depth", type=positive(int), default=2, metavar="N", help="steps from the entity")
    parser.add_argument("--html", metavar="FILE", help="also write an interactive view of it")
    parser.add_argument("--relations", **relations)
    parser.set_defaults(func=run_ego)

    parser = subparsers.add_parser("export", help="write a network view for Gephi (GraphML, GEXF)")
    add_graph_options(parser)
    parser.add_argument("--format", choices=("graphml", "gexf"), default="graphml")
    parser.add_argument("--view", choices=(*VIEWS, "campaign"), default="combined")
    parser.add_argument("--out", required=True, metavar="FILE")
    parser.set_defaults(func=run_export)

    parser = subparsers.add_parser("view", help="write an interactive HTML view that works offline")
    add_graph_options(parser)
    parser.add_argument("--out", required=True, metavar="FILE.html")
    parser.add_argument("--title", default=DEFAULT_TITLE, help="the page's title")
    parser.add_argument("--hide-isolated", action="store_true",
                        help="leave out nodes with no edge (the page only hides them)")
    parser.add_argument("--focus", metavar="NAME",
                        help="open on this entity and its neighbours; the page embeds only its neighbourhood")
    parser.add_argument("--depth", type=positive(int), default=1, metavar="N",
                        help="with --focus: steps from the entity shown when the page opens (default 1)")
    parser.add_argument("--budget", type=positive(int), default=FOCUS_BUDGET // 1000, metavar="KB",
                        help=f"with --focus: data embedded, nearest first (default {FOCUS_BUDGET // 1000})")
    parser.set_defaults(func=run_view)


def _read(args: argparse.Namespace, articles: bool = False, details: bool = True) -> NetworkData:
    with opened_graph(args) as store:
        return network_data(store, articles, details)


def _network(args: argparse.Namespace, articles: bool = False, details: bool = True) -> nx.MultiGraph:
    from graph.network.analysis import keep_relations

    return keep_relations(combined_graph(_read(args, articles, details)), getattr(args, "relations", None))


def run_analyze(args: argparse.Namespace) -> int:
    from graph.network.analysis import write_analysis

    with cycle_collection_paused():
        write_analysis(_network(args, details=False), args.top, sys.stdout, samples=args.samples,
                       exact=args.exact, listed_communities=args.communities)
    return EXIT_OK


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while a network is read, built and analysed, and what that
    leaves behind left to the process's end.

    The command makes millions of objects that live until it ends (rows, nodes, edge attributes),
    and the collector, run every few thousand new objects, walks all of them each time: at 80,000
    nodes it was a third of the command's CPU. Afterwards the networkx graphs are cyclic garbage
    (a graph and its cached views refer to each other): collecting it walks 1.2 million objects
    (0.6 s) just before the process exits and the system takes the memory back anyway, so the
    objects are frozen (never collected) instead.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def run_path(args: argparse.Namespace) -> int:
    from graph.network.analysis import find_entities, shortest_chains, write_chains

    graph = _network(args)
    sources, targets = find_entities(graph, args.name_a), find_entities(graph, args.name_b)
    chains = shortest_chains(graph, sources, targets, args.max)
    if not chains:
        print(f"no chain links {args.name_a} and {args.name_b}", file=sys.stderr)
        return EXIT_FAILED
    hops_n = len(chains[0]) - 1
    plural = "s" if len(chains) != 1 else ""
    print(f"{args.name_a} → {args.name_b}: {len(chains)} shortest chain{plural} of {hops_n} hop(s)\n")
    write_chains(graph, chains, sys.stdout)
    return EXIT_OK


def run_ego(args: argparse.Namespace) -> int:
    from graph.network.analysis import ego, find_entities, label_of, print_table

    graph = _network(args, articles=bool(args.html))
    centres = find_entities(graph, args.name)
    nodes: set[str] = set()
    for centre in centres:
        rows = ego(graph, centre, args.depth)
        nodes.update(r.node for r in rows)
        print(f"{label_of(graph, centre)} <{centre}>: {len(rows) - 1} neighbours within {args.depth} step(s)")
        print_table(
            "",
            ("distance", "name", "kind", "via", "tie"),
            ((r.distance, label_of(graph, r.node), kind_label(graph.nodes[r.node]["kind"]),
              label_of(graph, r.via) if r.via else "", r.words) for r in rows),
            sys.stdout,
        )
    if args.html:
        from graph.network.view import write_view

        sub = graph.subgraph(nodes).copy()
        write_view(sub, Path(args.html), title=f"{args.name} 的关系网（{args.depth} 层）", focus=centres)
        print(f"wrote {args.html}")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from graph.network.analysis import VIEWS
    from graph.network.data import EXPORT_SENTENCES, campaign_graph, flat_graph
    from graph.store.oxigraph import write_atomically

    views = {**VIEWS, "campaign": campaign_graph}
    graph = flat_graph(views[args.view](_read(args)), sentences=EXPORT_SENTENCES)
    writer = nx.write_graphml if args.format == "graphml" else nx.write_gexf
    write_atomically(Path(args.out), lambda fh: writer(graph, fh))
    print(f"wrote {args.out} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")
    return EXIT_OK


def run_view(args: argparse.Namespace) -> int:
    from graph.network.analysis import find_entities
    from graph.network.view import DEFAULT_TITLE, write_view

    graph = combined_graph(_read(args, articles=True))
    if args.hide_isolated:
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    if args.focus:
        focus = find_entities(graph, args.focus)
        title = args.title if args.title != DEFAULT_TITLE else f"{args.focus} 的关系网"
        write_view(graph, Path(args.out), title, focus=focus, depth=args.depth, budget=args.budget * 1000)
    else:
        write_view(graph, Path(args.out), args.title)
    size = Path(args.out).stat().st_size
    print(f"wrote {args.out} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges in the graph; "
          f"{size / 1e6:.2f} MB)")
    return EXIT_OK

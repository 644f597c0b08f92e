"""Made-up networks of the shape of a real build, for benchmarks and tests (no corpus text).

:func:`synthetic_graph` makes a graph of a given number of nodes, shaped like
:func:`graph.network.data.combined_graph`: a union hierarchy, people holding posts, campaigns with
participants.
"""

from __future__ import annotations

import random

import networkx as nx

from graph.network.data import ORG_KINDS, Fact, Sentence, edge_attributes


def synthetic_graph(n_nodes: int, seed: int = 7) -> nx.MultiGraph:
    """A made-up graph shaped like :func:`combined_graph`: a union hierarchy, people holding posts,
    campaigns with participants; about 45% people, 35% organizations, 20% campaigns."""
    rng = random.Random(seed)
    graph = nx.MultiGraph(name=f"synthetic-{n_nodes}")
    base = "https://example.org/synthetic/"
    n_orgs = max(1, int(n_nodes * 0.35))
    n_campaigns = max(1, int(n_nodes * 0.2)) if n_nodes > 2 else 0
    n_people = max(0, n_nodes - n_orgs - n_campaigns)
    orgs = [f"{base}org/{i}" for i in range(n_orgs)]
    for i, iri in enumerate(orgs):
        kind = "TradeUnion" if i % 4 else rng.choice(ORG_KINDS[1:])
        graph.add_node(iri, label=f"第{i}区总工会", kind=kind, iri=iri, alt_labels=[], figures=[])
        if i:
            parent = orgs[rng.randrange(max(1, i // 3 + 1))] if i > 1 else orgs[0]
            if parent != iri:
                _synthetic_edge(graph, "hierarchy", iri, parent, i)
    for i in range(n_people):
        iri = f"{base}person/{i}"
        graph.add_node(iri, label=f"人物{i}", kind="Person", iri=iri, alt_labels=[], figures=[])
        for org in rng.sample(orgs, k=min(len(orgs), rng.choice((1, 1, 2)))):
            _synthetic_edge(graph, "post", iri, org, i, role=rng.choice(("主席", "副主席", "党组书记")))
    people = [n for n, k in graph.nodes(data="kind") if k == "Person"]
    for i in range(n_campaigns):
        iri = f"{base}campaign/{i}"
        graph.add_node(iri, label=f"活动{i}", kind="Campaign", iri=iri, alt_labels=[], figures=[])
        for agent in rng.sample(orgs, k=min(len(orgs), 2)) + rng.sample(people, k=min(len(people), 1)):
            _synthetic_edge(graph, "campaign", agent, iri, i)
    return graph


def _synthetic_edge(
    graph: nx.MultiGraph, relation: str, subject: str, obj: str, n: int, role: str = ""
) -> None:
    sentence = Sentence(f"https://example.org/synthetic/sentence/{relation}/{n}", f"示例句子{n}。")
    fact = Fact(relation, subject, obj, f"{subject}|{obj}", (sentence,), role)
    graph.add_edge(subject, obj, key=f"{relation}:{subject}:{obj}:{role}", **edge_attributes(fact))

"""What a view page embeds: everything for the whole view; for a focus view the neighbourhood of
the focus, nearest first, within a byte budget, so the page's size does not grow with the corpus."""

from __future__ import annotations

import networkx as nx
import pytest

from bench.synthetic_network import synthetic_corpus
from graph.network.data import combined_graph
from graph.network.page_data import FOCUS_BUDGET, breadth_first
from graph.network.view import page_payload, render_html, script_json


@pytest.fixture(scope="module")
def corpus() -> nx.MultiGraph:
    return combined_graph(synthetic_corpus(3000))


def busiest_person(graph: nx.MultiGraph) -> str:
    hub = max((n for n, kind in graph.nodes(data="kind") if kind != "Person"), key=graph.degree)
    return min(n for n in graph[hub] if graph.nodes[n]["kind"] == "Person")


def test_a_focus_view_embeds_the_nearest_entities_within_its_budget(corpus: nx.MultiGraph) -> None:
    person = busiest_person(corpus)
    payload = page_payload(corpus, focus=[person], depth=1, budget=FOCUS_BUDGET)
    embedded = [n["id"] for n in payload["nodes"]]  # type: ignore[attr-defined]
    assert len(embedded) < corpus.number_of_nodes()
    assert len(script_json(payload).encode()) < FOCUS_BUDGET * 1.1
    distance = dict(breadth_first(corpus, [person]))
    assert set(corpus[person]) | {person} <= set(embedded)
    farthest = max(distance[n] for n in embedded)
    assert all(distance[n] >= farthest for n in distance if n not in embedded)  # nearest first
    shown = {payload["nodes"][i]["id"] for i in payload["shown"]}  # type: ignore[index]
    assert shown == set(corpus[person]) | {person}
    cut = [n for n in payload["nodes"] if n.get("more")]  # type: ignore[attr-defined]
    assert cut and all(n["more"] == sum(1 for o in corpus[n["id"]] if o not in embedded) for n in cut)
    # The edges and articles refer to embedded nodes only, by position.
    assert all(e["from"] < len(embedded) and e["to"] < len(embedded) for e in payload["edges"])  # type: ignore[attr-defined]
    assert all(k < len(embedded) for a in payload["articles"] for k in a["entities"])  # type: ignore[attr-defined]
    assert len(render_html(corpus, focus=[person], depth=1, budget=FOCUS_BUDGET).encode()) < 1_000_000


def test_the_whole_view_embeds_every_node_edge_and_article(corpus: nx.MultiGraph) -> None:
    payload = page_payload(corpus)
    assert len(payload["nodes"]) == corpus.number_of_nodes()  # type: ignore[arg-type]
    pairs = {frozenset((u, v)) for u, v in corpus.edges()}
    assert len(payload["edges"]) == len(pairs)  # type: ignore[arg-type]
    assert len(payload["articles"]) == len(corpus.graph["articles"])  # type: ignore[arg-type]
    assert payload["shown"] is None and not any(n.get("more") for n in payload["nodes"])  # type: ignore[attr-defined]

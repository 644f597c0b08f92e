"""What a view page embeds: the nodes, edges and articles it can draw, as plain JSON-ready data.

A whole view embeds everything. A focus view (``view --focus NAME``) embeds the entities nearest
the focus first (breadth first over every post, hierarchy and campaign edge), with the edges
between them and the articles that state them, until the data reaches a byte budget
(:data:`FOCUS_BUDGET`): so its size grows with what it shows, not with the corpus. The page opens
on the focus and its neighbours within ``depth`` steps; the rest of the embedded entities are what
clicking a node (expansion) can add. A node whose neighbours did not all fit says how many are
missing (``more``).

Nodes, edges and articles are lists; edges and articles refer to nodes, and edges to articles, by
their position in those lists, which keeps the page small.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import networkx as nx

from graph.network.data import Article
from ontology import local_name

#: Bytes of embedded data a focus view stops at (the page adds vis-network, about 470 KB).
FOCUS_BUDGET = 350_000
#: Articles a focus view embeds for one node or edge at most (the latest); the node says how many
#: there are.
ARTICLES_PER_ITEM = 20
#: Rows of a node's timeline of posts at most.
TIMELINE_ROWS = 40


Entry = dict[str, object]


def _size(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) + 1


@dataclass
class Embedded:
    """The page's data as it is assembled: nodes by position, the edges and articles among them."""

    graph: nx.Graph
    articles: dict[str, Article]
    index: dict[str, int] = field(default_factory=dict)
    nodes: list[dict[str, object]] = field(default_factory=list)
    edges: list[dict[str, object]] = field(default_factory=list)
    article_index: dict[str, int] = field(default_factory=dict)
    article_rows: list[dict[str, object]] = field(default_factory=list)
    measure: bool = True
    """Whether to keep ``size`` (a focus view's budget needs it; the whole view does not)."""
    size: int = 0

    def grow(self, entry: object) -> None:
        if self.measure:
            self.size += _size(entry)

    def article(self, iri: str) -> int:
        """The position of an article's row, adding the row the first time."""
        if iri not in self.article_index:
            found = self.articles.get(iri) or Article(iri, local_name(iri))
            row = {"id": iri, "title": found.title, "date": found.date, "publisher": found.publisher,
                   "entities": []}
            self.article_index[iri] = len(self.article_rows)
            self.article_rows.append(row)
            self.grow(row)
        return self.article_index[iri]


def incident_groups(graph: nx.Graph, node: str) -> dict[str, list[dict[str, object]]]:
    """The edges of ``node`` by the node at their other end (a multigraph's parallel edges and both
    directions of a directed graph together)."""
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for _, other, attrs in graph.edges(node, data=True):
        groups[str(other)].append(attrs)
    if graph.is_directed():
        for other, _, attrs in graph.in_edges(node, data=True):
            if other != node:
                groups[str(other)].append(attrs)
    return groups


def breadth_first(graph: nx.Graph, focus: Sequence[str]) -> Iterator[tuple[str, int]]:
    """Every node reachable from ``focus`` with its distance, nearest first (ties by name), found
    only as far as the caller reads."""
    distance = {node: 0 for node in focus}
    layer = sorted(focus)
    yield from ((node, 0) for node in layer)
    while layer:
        following = []
        for node in layer:
            for other in nx.all_neighbors(graph, node):
                if other not in distance:
                    distance[other] = distance[node] + 1
                    following.append(other)
        layer = sorted(following, key=lambda n: (str(graph.nodes[n].get("label", n)), n))
        yield from ((node, distance[node]) for node in layer)


def embed(
    graph: nx.Graph,
    node_entry: Callable[[nx.Graph, str], Entry],
    edge_entry: Callable[[nx.Graph, frozenset[str], list[dict[str, object]], dict[str, int]], Entry],
    focus: Sequence[str] = (),
    budget: int | None = None,
) -> Embedded:
    """The nodes (all, or nearest ``focus`` first within ``budget`` bytes), the edges between them
    and the articles that state those edges or the entities."""
    articles: dict[str, Article] = dict(graph.graph.get("articles") or {})
    stating: dict[str, list[str]] = defaultdict(list)
    for article in articles.values():
        for entity in article.entities:
            stating[entity].append(article.iri)
    if focus:
        order: Iterable[str] = (node for node, _ in breadth_first(graph, focus))
    else:
        order = sorted(str(n) for n in graph.nodes)
    limit = ARTICLES_PER_ITEM if budget is not None else None
    found = Embedded(graph, articles, measure=budget is not None)
    for node in order:
        entry = node_entry(graph, node)
        # The edges to nodes already embedded (and loops): each pair is taken when its second end is.
        groups = {other: edges for other, edges in sorted(incident_groups(graph, node).items())
                  if other == node or other in found.index}
        edge_articles = {other: _latest({a for e in edges for a in e.get("articles", [])}, articles, limit)
                         for other, edges in groups.items()}
        stated = _latest(stating.get(node, []), articles, limit)
        if budget is not None and found.nodes:
            new = {a for a in set(stated).union(*edge_articles.values()) if a not in found.article_index}
            cost = _size(entry) + sum(96 * len(edges) for edges in groups.values()) + 160 * len(new)
            if found.size + cost > budget:
                break
        found.index[node] = len(found.nodes)
        found.nodes.append(entry)
        found.grow(entry)
        if len(stating.get(node, [])) > len(stated):
            entry["articles_total"] = len(stating[node])
        for other, edges in groups.items():
            edge = edge_entry(graph, frozenset((node, other)), edges, found.index)
            edge["articles"] = [found.article(a) for a in edge_articles[other]]
            found.edges.append(edge)
            found.grow(edge)
        for article in stated:
            row = found.article_rows[found.article(article)]
            row["entities"].append(found.index[node])  # type: ignore[attr-defined]
            found.size += len(str(found.index[node])) + 1
    for node, entry in zip(found.index, found.nodes, strict=True):
        missing = sum(1 for other in set(nx.all_neighbors(graph, node)) if other not in found.index)
        if missing:
            entry["more"] = missing
    return found


def _latest(iris: Iterable[str], articles: dict[str, Article], limit: int | None) -> list[str]:
    """``iris`` (at most ``limit`` of them), the latest first, undated last."""

    def date(iri: str) -> str:
        return articles[iri].date if iri in articles else ""

    return sorted(iris, key=lambda a: (bool(date(a)), date(a), a), reverse=True)[:limit]


def timeline(graph: nx.Graph, node: str, articles: dict[str, Article]) -> list[list[str]]:
    """The posts of a person or in an organization in time: [date, who, post, where, article title]
    per article stating each, oldest first, undated last."""
    rows = set()
    for *_, attrs in graph.edges(node, data=True):
        if attrs.get("relation") != "post":
            continue
        person, org = str(attrs.get("subject")), str(attrs.get("object"))
        names = [str(graph.nodes[n].get("label", n)) if n in graph else n for n in (person, org)]
        stated: Iterable[tuple[str, str]] = [
            (articles[a].date, articles[a].title) if a in articles else ("", a)
            for a in attrs.get("articles", [])  # type: ignore[attr-defined]
        ] or [(d, "") for d in attrs.get("dates", []) or [""]]  # type: ignore[attr-defined]
        for date, title in stated:
            rows.add((date, names[0], str(attrs.get("role", "")), names[1], title))
    ordered = sorted(rows, key=lambda r: (not r[0], r))
    return [list(row) for row in ordered[:TIMELINE_ROWS]]

"""The knowledge graph as networkx graphs: who holds posts where, which union sits under which, who
took part in what, and who is linked to whom.

:func:`read_network` asks the store (SPARQL on the merged graph, the small queries of
``graph/queries/network/*.rq``) for the entities and the facts between them, and for the view the articles and
what each states; the view functions turn that plain data into networkx graphs:

- :func:`people_org_graph`: people and organizations, one edge per post (``role``);
- :func:`hierarchy_graph`: organizations, an arc from each child to its parent;
- :func:`campaign_graph`: campaigns and the organizations and people associated with them;
- :func:`person_projection`: people linked when they share an organization or a campaign;
- :func:`combined_graph`: every entity and every post, hierarchy and campaign edge in one
  multigraph, the one paths are searched in.

Nodes are entity IRIs with ``label`` (Chinese name), ``kind`` (``Person``, ``TradeUnion``, ...,
``Campaign``), ``iri``, ``alt_labels`` and ``figures``. Every edge keeps where it comes from:
``evidence`` (the source sentences' texts) and ``evidence_iris`` (their IRIs), in the same order,
and ``articles`` (the articles of those sentences). Kinds, their Chinese names and the relation
words come from the ontology (ontology/gonghui.ttl).
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
from rdflib import URIRef

from graph.queries import internal_query
from graph.store.remote import ArticleStore
from graph.store.source import open_graph
from ontology import FOAF, GH, ORG, PROV, RDFS, SCHEMA, local_name, ontology_graph
from ontology import label as term_label


def _organization_kinds() -> tuple[str, ...]:
    """The ontology's classes of organizations (``rdfs:subClassOf org:Organization``): formal
    organizations first, then the others, each group by name."""
    graph = ontology_graph()
    classes = {c for c in graph.subjects(RDFS.subClassOf, ORG.Organization) if str(c).startswith(str(GH))}
    formal = {c for c in classes if (c, RDFS.subClassOf, ORG.FormalOrganization) in graph}
    return tuple(local_name(c) for c in sorted(classes, key=lambda c: (c not in formal, local_name(c))))


#: Organization classes from the ontology; the first one an entity has is its kind.
ORG_KINDS = _organization_kinds()
#: Every node kind a view can hold: people, the organization classes, organizations of no known
#: class, campaigns.
KINDS = ("Person", *ORG_KINDS, "Organization", "Campaign")
#: The class each kind stands for (the kind is the class's local name).
KIND_CLASSES: dict[str, URIRef] = {
    "Person": FOAF.Person, "Organization": ORG.Organization, "NewsArticle": SCHEMA.NewsArticle,
    **{kind: GH[kind] for kind in (*ORG_KINDS, "Campaign")},
}

#: The term of each edge type, whose ``gh:relationWord`` the edge prints.
RELATION_TERMS: dict[str, URIRef] = {
    "post": ORG.Membership,
    "hierarchy": ORG.subOrganizationOf,
    "campaign": PROV.wasAssociatedWith,
}
#: The term linking an article to what it states (articles as nodes in the view).
MENTION_TERM = SCHEMA.mentions


def relation_word(term: URIRef) -> str:
    """The Chinese word the ontology gives a relation (``gh:relationWord``)."""
    words = [o for o in ontology_graph().objects(term, GH.relationWord) if getattr(o, "language", "") == "zh"]
    if not words:
        raise LookupError(f"ontology/gonghui.ttl gives {term} no gh:relationWord in Chinese")
    return str(min(words))


#: Relation words printed for each edge type (the subject comes first, then the word, then the object).
RELATION_WORDS = {relation: relation_word(term) for relation, term in RELATION_TERMS.items()}


@functools.cache
def kind_label(kind: str) -> str:
    """The Chinese name of a node kind: its class's ``rdfs:label`` in ontology/gonghui.ttl."""
    term = KIND_CLASSES.get(kind)
    return (term_label(term) if term is not None else None) or kind


@dataclass(frozen=True)
class Sentence:
    iri: str
    text: str
    article: str = ""
    """The article the sentence stands in (its IRI, also the name of its graph)."""


@dataclass(frozen=True)
class Fact:
    """One statement between two entities: ``subject`` (person, child, agent) → ``object``."""

    relation: str  # "post", "hierarchy" or "campaign"
    subject: str
    object: str
    iri: str  # the membership, hierarchy statement or campaign node
    sentences: tuple[Sentence, ...]
    role: str = ""
    dates: tuple[str, ...] = ()
    """For a post: the dates of the articles that state it (gh:statedOn), oldest first."""

    @property
    def word(self) -> str:
        """What the edge says, e.g. ``担任 常务副主席``, ``隶属``, ``参与``."""
        verb = RELATION_WORDS[self.relation]
        return f"{verb} {self.role}" if self.role else verb


@dataclass
class Entity:
    iri: str
    label: str
    kind: str
    alt_labels: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)


@dataclass
class Article:
    """An article: its headline (else its label), date, source, and the entities its graph states."""

    iri: str
    title: str
    date: str = ""
    publisher: str = ""
    entities: tuple[str, ...] = ()


@dataclass
class NetworkData:
    """The entities of a graph and the facts between them, read once from the store; with
    ``articles`` when asked for (the view draws them)."""

    entities: dict[str, Entity]
    facts: list[Fact]
    articles: dict[str, Article] = field(default_factory=dict)

    def of(self, relation: str) -> Iterator[Fact]:
        return (fact for fact in self.facts if fact.relation == relation)


# -- reading the store ------------------------------------------------------------------------------

def read_network(path: str | os.PathLike[str], articles: bool = False) -> NetworkData:
    """Read what ``--graph`` names (a build's ``--out`` folder or a graph.ttl file)."""
    with open_graph(path) as store:
        return network_data(store, articles)


def network_data(store: ArticleStore, articles: bool = False, details: bool = True) -> NetworkData:
    """The people, organizations and campaigns of ``store`` and the facts between them; with
    ``articles``, the articles too and which of the entities each states. Without ``details``
    (what ``analyze`` needs) the facts carry no sentences or dates and the entities no figures or
    other names: on a large graph the sentences are most of what there is to read."""
    entities = _entities(store, details)
    evidence = _evidence(store) if details else {}
    posts = _posts(store, evidence, dated=details)
    facts = [*posts, *_hierarchy(store, evidence), *_campaigns(store, entities, evidence)]
    known = [f for f in facts if f.subject in entities and f.object in entities]
    if details:
        _add_figures(store, entities)
    ordered = sorted(known, key=_fact_order)  # each reader yields one fact per statement and ends
    return NetworkData(entities, ordered, _articles(store, entities) if articles else {})


def _fact_order(fact: Fact) -> str:
    """Facts by relation, subject, object and node: one string, so a sort of 100,000 facts compares
    strings, not tuples of them (the same order: no IRI holds a NUL)."""
    return "\0".join((fact.relation, fact.subject, fact.object, fact.iri))


def _articles(store: ArticleStore, entities: dict[str, Entity]) -> dict[str, Article]:
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for article, headline, label, date, publisher in _rows(store, "articles"):
        fields = found[article]
        for name, value in (("title", headline), ("label", label), ("date", date), ("publisher", publisher)):
            fields[name].update([value] if value else [])
    stated: dict[str, set[str]] = defaultdict(set)
    for article, entity in _rows(store, "article-entities"):
        if entity in entities:
            stated[article].add(entity)
    articles = {}
    for iri, fields in sorted(found.items()):
        title = min(fields["title"] or fields["label"], default=local_name(iri))
        date, publisher = min(fields["date"], default=""), min(fields["publisher"], default="")
        articles[iri] = Article(iri, title, date, publisher, tuple(sorted(stated[iri])))
    return articles


def _rows(store: ArticleStore, name: str) -> Iterator[list[str]]:
    """The rows of ``graph/queries/network/NAME.rq`` as text: each term's value, "" when unbound."""
    for row in store.query(internal_query(f"network/{name}")).rows:
        yield ["" if term is None else term.value for term in row]  # type: ignore[union-attr]


def _entities(store: ArticleStore, other_names: bool = True) -> dict[str, Entity]:
    classes: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    class_name = functools.cache(local_name)  # a handful of classes, on tens of thousands of rows
    for iri, cls, label in _rows(store, "entities"):
        classes[iri].add(class_name(cls))
        if label and (iri not in labels or label < labels[iri]):
            labels[iri] = label
    entities = {}
    for iri in sorted(classes):
        label = labels.get(iri) or local_name(iri)
        entities[iri] = Entity(iri, label, _kind(classes[iri]))
    for iri, alt in _rows(store, "alt-labels") if other_names else ():
        if iri in entities and alt not in entities[iri].alt_labels:
            entities[iri].alt_labels.append(alt)
    for entity in entities.values():
        entity.alt_labels.sort()
    return entities


def _kind(classes: set[str]) -> str:
    if "Person" in classes:
        return "Person"
    if "Campaign" in classes:
        return "Campaign"
    return next((kind for kind in ORG_KINDS if kind in classes), "Organization")


#: A sentence as read: (iri, text, start offset, article).
_SentenceRow = tuple[str, str, str, str]


def _evidence(store: ArticleStore) -> dict[str, list[_SentenceRow]]:
    """The sentences of every post, campaign and hierarchy statement, by the statement's node."""
    found: dict[str, list[_SentenceRow]] = defaultdict(list)
    for node, s, text, start, article in _rows(store, "evidence"):
        found[node].append((s, text, start, article))
    return found


def _sentences(rows: Iterable[_SentenceRow]) -> tuple[Sentence, ...]:
    """Distinct sentences in the order they stand in their article."""
    unique = {row for row in rows if row[0]}
    ordered = sorted(unique, key=lambda s: (s[0].rsplit("/", 2)[0], int(s[2]) if s[2] else 0, s[0]))
    return tuple(Sentence(iri, text, article) for iri, text, _, article in ordered)


def _posts(store: ArticleStore, evidence: dict[str, list[_SentenceRow]], dated: bool = True) -> list[Fact]:
    dates: dict[str, set[str]] = defaultdict(set)
    for m, date in _rows(store, "post-dates") if dated else ():
        dates[m].add(date)
    keys = {(m, person, org, role) for m, person, org, role in _rows(store, "posts")}
    return [
        Fact("post", person, org, m, _sentences(evidence[m]) if m in evidence else (), role,
             tuple(sorted(dates[m])) if m in dates else ())
        for m, person, org, role in keys
    ]


def _hierarchy(store: ArticleStore, evidence: dict[str, list[_SentenceRow]]) -> list[Fact]:
    statements: dict[tuple[str, str], set[str]] = defaultdict(set)
    for child, parent, h in _rows(store, "hierarchy"):
        statements[(child, parent)].update([h] if h else [])
    return [
        Fact(
            "hierarchy", child, parent, min(nodes, default=""),
            _sentences(row for h in nodes for row in evidence.get(h, ())),
        )
        for (child, parent), nodes in statements.items()
    ]


def _campaigns(
    store: ArticleStore, entities: dict[str, Entity], evidence: dict[str, list[_SentenceRow]]
) -> list[Fact]:
    """One fact per campaign and associated agent.

    A campaign's provenance is given for the campaign as a whole; an association's evidence is the
    campaign's sentences that name the agent (its label or another name), or all of them when none do.
    """
    agents: dict[str, set[str]] = defaultdict(set)
    for c, agent in _rows(store, "campaigns"):
        agents[c].add(agent)
    facts = []
    for c, members in agents.items():
        all_sentences = _sentences(evidence.get(c, ()))
        if not all_sentences:
            facts.extend(Fact("campaign", agent, c, c, ()) for agent in members)
            continue
        for agent in members:
            entity = entities.get(agent)
            names = [entity.label, *entity.alt_labels] if entity else []
            naming = tuple(s for s in all_sentences if any(name in s.text for name in names))
            facts.append(Fact("campaign", agent, c, c, naming or all_sentences))
    return facts


def _add_figures(store: ArticleStore, entities: dict[str, Entity]) -> None:
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for _f, about, label, measure, year, start in _rows(store, "figures"):
        if about in entities:
            words = [f"{year}年" if year else "", measure, label]
            found[about].append((int(start) if start else 0, " ".join(w for w in words if w)))
    for about, figures in found.items():
        entities[about].figures = [text for _, text in sorted(set(figures))]


# -- networkx views ---------------------------------------------------------------------------------


def _node_attrs(entity: Entity) -> dict[str, object]:
    return {
        "label": entity.label,
        "kind": entity.kind,
        "iri": entity.iri,
        "alt_labels": list(entity.alt_labels),
        "figures": list(entity.figures),
    }


def edge_attributes(fact: Fact) -> dict[str, object]:
    return {
        "relation": fact.relation,
        "label": fact.word,
        "role": fact.role,
        "subject": fact.subject,
        "object": fact.object,
        "statement": fact.iri,
        "evidence": [s.text for s in fact.sentences],
        "evidence_iris": [s.iri for s in fact.sentences],
        "dates": list(fact.dates),
        "articles": sorted({s.article for s in fact.sentences if s.article}) if fact.sentences else [],
    }


def _add_nodes(graph: nx.Graph, data: NetworkData, iris: Iterable[str]) -> None:
    for iri in sorted(set(iris)):
        graph.add_node(iri, **_node_attrs(data.entities[iri]))


def _fact_graph(graph: nx.Graph, facts: Iterable[Fact], data: NetworkData) -> nx.Graph:
    """``graph`` filled with the facts' ends as nodes and the facts as edges (subject → object)."""
    facts = list(facts)
    _add_nodes(graph, data, (iri for f in facts for iri in (f.subject, f.object)))
    for fact in facts:
        key = {"key": fact.iri} if graph.is_multigraph() else {}
        graph.add_edge(fact.subject, fact.object, **key, **edge_attributes(fact))
    return graph


def people_org_graph(data: NetworkData) -> nx.MultiGraph:
    """People and the organizations where they hold posts: one edge per post, keyed by membership."""
    return _fact_graph(nx.MultiGraph(name="people–organization"), data.of("post"), data)


def hierarchy_graph(data: NetworkData) -> nx.DiGraph:
    """Organizations, with an arc from each organization to the one it is part of."""
    return _fact_graph(nx.DiGraph(name="organization hierarchy"), data.of("hierarchy"), data)


def campaign_graph(data: NetworkData) -> nx.Graph:
    """Campaigns and the organizations and people associated with them (a bipartite graph)."""
    return _fact_graph(nx.Graph(name="campaign participation"), data.of("campaign"), data)


def person_projection(data: NetworkData) -> nx.Graph:
    """People linked when they hold posts in the same organization or take part in the same campaign.

    An edge's ``via`` lists the shared organizations and campaigns (IRIs, ``via_labels`` their names);
    its evidence is the sentences behind both people's ties to them.
    """
    graph = nx.Graph(name="person–person")
    _add_nodes(graph, data, (iri for iri, e in data.entities.items() if e.kind == "Person"))
    ties: dict[str, dict[str, list[Sentence]]] = defaultdict(lambda: defaultdict(list))
    for fact in data.facts:
        if fact.relation in ("post", "campaign") and fact.subject in graph:
            ties[fact.object][fact.subject].extend(fact.sentences)
    for hub in sorted(ties):
        for a, b in combinations(sorted(ties[hub]), 2):
            if not graph.has_edge(a, b):
                graph.add_edge(a, b, relation="shared", via=[], via_labels=[], evidence=[], evidence_iris=[])
            edge = graph.edges[a, b]
            edge["via"].append(hub)
            edge["via_labels"].append(data.entities[hub].label)
            for sentence in [*ties[hub][a], *ties[hub][b]]:
                if sentence.iri not in edge["evidence_iris"]:
                    edge["evidence_iris"].append(sentence.iri)
                    edge["evidence"].append(sentence.text)
    for _, _, edge in graph.edges(data=True):
        edge["label"] = "同在 " + "、".join(edge["via_labels"])
    return graph


def combined_graph(data: NetworkData) -> nx.MultiGraph:
    """Every person, organization and campaign, and every post, hierarchy and campaign edge; the
    articles (if read) travel with it as ``graph.graph["articles"]``, for the view."""
    graph = nx.MultiGraph(name="gonghui-kg", articles=data.articles)
    _add_nodes(graph, data, data.entities)
    for fact in data.facts:
        key = f"{fact.relation}:{fact.iri}:{fact.subject}:{fact.object}"
        graph.add_edge(fact.subject, fact.object, key=key, **edge_attributes(fact))
    return graph


def simple_graph(graph: nx.Graph) -> nx.Graph:
    """``graph`` without parallel edges or direction (for centrality, communities, ego networks);
    a graph that has neither already is returned as it is."""
    if type(graph) is nx.Graph:
        return graph
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    simple.add_edges_from(graph.edges() if graph.is_directed() else linked_pairs(graph))
    return simple


def linked_pairs(graph: nx.Graph) -> Iterator[tuple[str, str]]:
    """Each linked pair of an undirected graph once, in the order ``graph.edges()`` gives them
    (so a simple graph built from them lists neighbours in the same order), read from the
    adjacency: a multigraph's edge view yields every parallel edge, through a view object per
    edge (0.36 s of CPU for 120,000 edges against 0.05 s)."""
    seen: set[str] = set()
    for node, neighbours in graph.adj.items():
        yield from ((node, other) for other in neighbours if other not in seen)
        seen.add(node)


# -- exports ----------------------------------------------------------------------------------------


#: Sentences an exported edge carries (GraphML, GEXF); ``evidence_count`` says how many there are.
EXPORT_SENTENCES = 3


def flat_graph(graph: nx.Graph, sentences: int | None = None) -> nx.Graph:
    """A copy whose attributes are strings and numbers only (lists joined), for GraphML and GEXF.

    With ``sentences``, an edge keeps at most that many of its sentences (``evidence``,
    ``evidence_iris``) and says how many it has in ``evidence_count``: an edge a hundred articles
    state stays a few lines, not a hundred sentences.
    """
    flat = graph.__class__()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items() if not isinstance(v, dict)})
    for node, attrs in graph.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in attrs.items()})

    def edge_attrs(attrs: dict[str, object]) -> dict[str, str | int | float]:
        if sentences is not None and "evidence" in attrs:
            evidence = list(attrs["evidence"])  # type: ignore[call-overload]
            articles = list(attrs.get("articles", []))  # type: ignore[call-overload]
            attrs = {**attrs, "evidence_count": len(evidence), "evidence": evidence[:sentences],
                     "evidence_iris": list(attrs.get("evidence_iris", []))[:sentences],  # type: ignore[call-overload]
                     "article_count": len(articles), "articles": articles[:sentences]}
        return {k: _flat(v) for k, v in attrs.items()}

    if graph.is_multigraph():
        for u, v, key, attrs in graph.edges(keys=True, data=True):
            flat.add_edge(u, v, key=str(key), **edge_attrs(attrs))
    else:
        for u, v, attrs in graph.edges(data=True):
            flat.add_edge(u, v, **edge_attrs(attrs))
    return flat


def _flat(value: object) -> str | int | float:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (list, tuple, set)):
        return " | ".join(str(item) for item in value)
    return "" if value is None else str(value)

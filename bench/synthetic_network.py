"""Made-up networks of the shape of a real build, for benchmarks and tests (no corpus text).

:func:`synthetic_graph` makes a graph of a given number of nodes, shaped like
:func:`graph.network.data.combined_graph`: a union hierarchy, people holding posts, campaigns with
participants. :func:`synthetic_corpus` makes the network data a corpus of a given number of
articles would give, articles (dates, sources, what each states) included.
"""

from __future__ import annotations

import random
from collections import defaultdict

import networkx as nx

from graph.network.data import ORG_KINDS, Article, Entity, Fact, NetworkData, Sentence, edge_attributes


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


# -- a synthetic corpus: articles with dates and sources, stating posts, campaigns and hierarchy ----

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = "建国明华丽娟志强海燕春梅立新文博晓东红霞永刚秀英国庆振宇思远佳怡子涵雨欣"
_ROLES = ("主席", "副主席", "常务副主席", "党组书记", "经审会主任", "女职工委员会主任")
_KINDS = ("TradeUnion", "TradeUnion", "TradeUnion", "Enterprise", "GovernmentBody", "PublicInstitution",
          "MassOrganization", "Group")
_CAMPAIGNS = ("职工技能提升年", "暖心驿站建设", "劳模工匠进校园", "职工书屋共建", "安康杯竞赛", "金秋助学",
              "夏送清凉", "冬送温暖", "女职工关爱行动", "新就业形态劳动者入会")


def synthetic_corpus(n_articles: int, seed: int = 7) -> NetworkData:
    """The network a build of ``n_articles`` invented articles would give, made directly (no text).

    Pools grow with the corpus: about 0.3 organizations, 0.8 people and 0.12 campaigns per article.
    Each article has a date (2015-2024, uniform) and one of 30 sources (Zipf-like: a few papers
    publish most); it reports on one organization, chosen with a Zipf-like weight (a few bodies are
    in many articles), and states one to three posts there (a person's own post, so people recur
    with their posts), one campaign in two of three articles with the body and one or two others,
    the body's place in the hierarchy in one of four, and mentions one or two other bodies without
    a fact. A fact several articles state is one fact with a sentence from each.
    """
    rng = random.Random(seed)
    base = "https://example.org/synthetic/"
    n_orgs, n_people = max(5, int(n_articles * 0.3)), max(5, int(n_articles * 0.8))
    n_campaigns = max(2, int(n_articles * 0.12))
    entities: dict[str, Entity] = {}
    orgs = [f"{base}org/{i}" for i in range(n_orgs)]
    for i, iri in enumerate(orgs):
        entities[iri] = Entity(iri, f"第{i}区总工会" if i % 3 else f"第{i}号机构", _KINDS[i % len(_KINDS)])
    parents = {iri: orgs[rng.randrange(i)] for i, iri in enumerate(orgs) if i}
    people = [f"{base}person/{i}" for i in range(n_people)]
    home: dict[str, list[tuple[str, str]]] = defaultdict(list)  # org → (person, role)
    for i, iri in enumerate(people):
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
        entities[iri] = Entity(iri, f"{name}{i}", "Person")
        # Half the people work in the bodies most often reported on, half anywhere.
        where = min(int(rng.paretovariate(1.0)) - 1, n_orgs - 1) if i % 2 else rng.randrange(n_orgs)
        home[orgs[where]].append((iri, rng.choice(_ROLES)))
    campaigns = [f"{base}campaign/{i}" for i in range(n_campaigns)]
    for i, iri in enumerate(campaigns):
        entities[iri] = Entity(iri, f"{_CAMPAIGNS[i % len(_CAMPAIGNS)]}{i}", "Campaign")
    weights = [1 / (rank + 1) for rank in range(n_orgs)]
    source_weights = [1 / (rank + 1) for rank in range(30)]

    sentences: dict[tuple[str, str, str, str], list[Sentence]] = defaultdict(list)
    articles: dict[str, Article] = {}
    for a in range(n_articles):
        article = f"{base}article/{a}"
        day = rng.randrange(3652)
        date = f"{2015 + day // 366}-{day % 366 // 31 % 12 + 1:02d}-{day % 31 % 28 + 1:02d}"
        org = rng.choices(orgs, weights)[0]
        stated = {org}

        def sentence(n: int, art: str = article) -> Sentence:
            return Sentence(f"{art}/sentence/{n}", f"示例文章{art.rsplit('/', 1)[1]}的第{n}句。", art)

        staff = home.get(org) or [(rng.choice(people), rng.choice(_ROLES))]
        for n, (person, role) in enumerate(rng.sample(staff, k=min(len(staff), rng.randint(1, 3)))):
            sentences[("post", person, org, role)].append(sentence(n))
            stated.add(person)
        if rng.random() < 2 / 3:
            campaign = campaigns[int(rng.paretovariate(1.2) * 3) % n_campaigns]
            for agent in {org, *rng.choices(orgs, weights, k=rng.randint(1, 2))}:
                sentences[("campaign", agent, campaign, "")].append(sentence(5))
                stated.add(agent)
            stated.add(campaign)
        if org in parents and rng.random() < 0.25:
            sentences[("hierarchy", org, parents[org], "")].append(sentence(6))
            stated.add(parents[org])
        stated.update(rng.choices(orgs, k=rng.randint(1, 2)))
        publisher = f"第{rng.choices(range(30), source_weights)[0]}日报"
        articles[article] = Article(article, f"示例新闻{a}", date, publisher, tuple(sorted(stated)))
    facts = []
    for (relation, subject, obj, role), said in sentences.items():
        iri = f"{base}{relation}/{len(facts)}"
        dates = tuple(sorted({articles[s.article].date for s in said})) if relation == "post" else ()
        statement = obj if relation == "campaign" else iri
        facts.append(Fact(relation, subject, obj, statement, tuple(said), role, dates))
    # As in a build, an entity exists because an article states it.
    stated = {iri for article in articles.values() for iri in article.entities}
    return NetworkData({iri: e for iri, e in entities.items() if iri in stated}, facts, articles)

"""Across articles: one IRI per organization, people joined only on evidence, incremental builds."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import FOAF, RDF, RDFS

from graph.build.run import build
from ontology import GH, ORG, SCHEMA, SKOS

FIRST = """丰台区总工会推进职工服务

□本报记者 赵一

丰台区总工会主席刘国栋表示，区总工会将开展“职工暖心行动”。

2022年，丰台区总工会投入帮扶资金300余万元。
"""
SECOND = """丰台区工会工作见闻

□本报记者 钱二

记者从丰台区总工会获悉，丰台区总工会主席刘国栋介绍，今年将新建职工之家20个。

北京城建集团工会主席王建军说，集团工会将组织劳动竞赛。
"""
THIRD = """企业工会见闻

□本报记者 孙三

北京首钢集团工会主席王建军表示，首钢集团工会将开展“技能强企”活动。
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def labels(graph: Graph, cls) -> list[str]:
    return sorted(str(graph.value(s, RDFS.label)) for s in graph.subjects(RDF.type, cls))


def test_one_organization_iri_and_namesakes_kept_apart(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for name, text in (("a.txt", FIRST), ("b.txt", SECOND), ("c.txt", THIRD)):
        write(corpus, name, text)
    build([str(corpus)], tmp_path / "out")
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    unions = [s for s in graph.subjects(RDFS.label, Literal("丰台区总工会", lang="zh"))]
    assert len(unions) == 1
    people = labels(graph, FOAF.Person)
    assert people.count("刘国栋") == 1, "same name, same organization: one person"
    assert people.count("王建军") == 2, "same name in unrelated organizations: two people"
    organizations = labels(graph, ORG.Organization)
    assert "首钢集团工会" not in organizations, "a short name is an alias, not a second body"
    assert (None, SKOS.altLabel, Literal("首钢集团工会", lang="zh")) in graph
    (why,) = [graph.value(r, GH.identityBasis) for r in graph.subjects(RDF.type, GH.EntityResolution)
              if "首钢集团工会 →" in str(graph.value(r, RDFS.label))]
    assert "全称" in str(why), "the graph says why the short name was joined to the full one"
    for person in graph.subjects(RDFS.label, Literal("刘国栋", lang="zh")):
        assert "丰台区总工会" in str(graph.value(person, GH.identityBasis))


def test_adding_an_article_equals_building_both_and_edits_replace(tmp_path: Path) -> None:
    a = write(tmp_path / "in", "a.txt", FIRST)
    b = write(tmp_path / "in", "b.txt", SECOND)
    build([str(a)], tmp_path / "step")
    added = build([str(b)], tmp_path / "step")
    build([str(a), str(b)], tmp_path / "together")
    assert added.grown  # the second build only added an article: its exports grew, not rewritten
    for name, fmt in (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.trig", ox.RdfFormat.TRIG)):
        step, together = (set(ox.parse(path=str(tmp_path / folder / name), format=fmt))
                          for folder in ("step", "together"))
        assert step == together, name

    a.write_text(FIRST.replace("300余万元", "450万元"), encoding="utf-8")
    build([str(a)], tmp_path / "step")
    graph = Graph().parse(tmp_path / "step" / "graph.ttl")
    values = {int(v) for v in graph.objects(None, SCHEMA.value)}
    assert 4500000 in values and 3000000 not in values
    assert len(list(graph.subjects(RDF.type, ORG.Membership))) >= 2


def test_input_order_does_not_change_the_graph(tmp_path: Path) -> None:
    a = write(tmp_path / "in", "a.txt", FIRST)
    b = write(tmp_path / "in", "b.txt", SECOND)
    build([str(a), str(b)], tmp_path / "ab")
    build([str(b), str(a)], tmp_path / "ba")
    assert (tmp_path / "ab" / "graph.ttl").read_bytes() == (tmp_path / "ba" / "graph.ttl").read_bytes()


def test_a_person_with_posts_in_two_bodies_is_the_same_in_an_article_naming_one(tmp_path: Path) -> None:
    both = "某区工作\n\n□本报记者 赵一\n\n丰台区人大常委会副主任、丰台区总工会主席刘国栋表示，工作扎实。\n"
    union_only = "另一篇\n\n□本报记者 钱二\n\n丰台区总工会主席刘国栋介绍，今年新建职工之家20个。\n"
    write(tmp_path / "in", "both.txt", both)
    write(tmp_path / "in", "union.txt", union_only)
    build([str(tmp_path / "in")], tmp_path / "out")
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert labels(graph, FOAF.Person).count("刘国栋") == 1

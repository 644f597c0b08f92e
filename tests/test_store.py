"""The graph store as a build uses it: articles in, re-ingested, merged, exported, reopened.

Two small articles in the contract's shapes share the IRI of 北京市总工会 (and of a role and a
campaign), as the mapper gives them; ``tests/test_query.py`` asks its questions of the same graphs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import rdflib
import rdflib.compare
from rdflib import URIRef

from graph.store.oxigraph import EXPORT_FORMATS, GraphStore
from graph.store.source import open_graph_source
from tests.conftest import contract_prefixes

ID = "https://w3id.org/gonghui-kg/id/"
ARTICLE_A = URIRef(ID + "article/jkq-2022")
ARTICLE_B = URIRef(ID + "article/youzheng-2023")

PREFIXES_TTL = contract_prefixes() + """\
@prefix art:    <https://w3id.org/gonghui-kg/id/article/> .
@prefix sen:    <https://w3id.org/gonghui-kg/id/sentence/> .
@prefix o:      <https://w3id.org/gonghui-kg/id/org/> .
@prefix p:      <https://w3id.org/gonghui-kg/id/person/> .
@prefix role:   <https://w3id.org/gonghui-kg/id/role/> .
@prefix m:      <https://w3id.org/gonghui-kg/id/membership/> .
@prefix fig:    <https://w3id.org/gonghui-kg/id/figure/> .
@prefix c:      <https://w3id.org/gonghui-kg/id/campaign/> .
@prefix h:      <https://w3id.org/gonghui-kg/id/hierarchy/> .
"""

# 经开区总工会 under 北京市总工会, 荣华街道总工会 under 经开区总工会; 张三 and 李四 hold posts;
# two figures (one for 2022); the campaign 区级工会加强年.
ARTICLE_A_TTL = (
    PREFIXES_TTL
    + """
art:jkq-2022 a schema:NewsArticle ;
    schema:headline "经开区总工会推进区级工会加强年"@zh ;
    schema:author p:reporter-zhao ;
    schema:mentions o:bjzgh, o:jkq, o:ronghua, p:zhangsan,
        p:lisi, c:jiaqiangnian .
p:reporter-zhao a foaf:Person ; rdfs:label "赵记者"@zh .

sen:jkq-2022-0 a gh:Sentence ;
    schema:text "北京经济技术开发区总工会（以下简称经开区总工会）隶属北京市总工会，下设荣华街道总工会。" ;
    schema:isPartOf art:jkq-2022 ; gh:charStart 0 ; gh:charEnd 43 .
sen:jkq-2022-1 a gh:Sentence ;
    schema:text "经开区总工会常务副主席张三介绍，2022年全区新建工会组织126家，新发展会员3751名。" ;
    schema:isPartOf art:jkq-2022 ; gh:charStart 43 ; gh:charEnd 86 .
sen:jkq-2022-2 a gh:Sentence ;
    schema:text "北京市总工会党组书记、常务副主席李四出席“区级工会加强年”启动会。" ;
    schema:isPartOf art:jkq-2022 ; gh:charStart 86 ; gh:charEnd 119 .

o:bjzgh a org:Organization, gh:TradeUnion ; rdfs:label "北京市总工会"@zh ;
    skos:altLabel "市总工会"@zh .
o:jkq a org:Organization, gh:TradeUnion ; rdfs:label "北京经济技术开发区总工会"@zh ;
    skos:altLabel "经开区总工会"@zh ; org:subOrganizationOf o:bjzgh .
o:ronghua a org:Organization, gh:TradeUnion ; rdfs:label "荣华街道总工会"@zh ;
    org:subOrganizationOf o:jkq .
h:jkq-bjzgh a gh:HierarchyStatement ; gh:child o:jkq ;
    gh:parent o:bjzgh ; prov:wasDerivedFrom sen:jkq-2022-0 .
h:ronghua-jkq a gh:HierarchyStatement ; gh:child o:ronghua ;
    gh:parent o:jkq ; prov:wasDerivedFrom sen:jkq-2022-0 .

p:zhangsan a foaf:Person ; rdfs:label "张三"@zh .
p:lisi a foaf:Person ; rdfs:label "李四"@zh .
role:changwu-fuzhuxi a org:Role ; rdfs:label "常务副主席"@zh .
role:dangzu-shuji a org:Role ; rdfs:label "党组书记"@zh .
m:zhangsan-jkq-changwu a org:Membership ; org:member p:zhangsan ;
    org:organization o:jkq ; org:role role:changwu-fuzhuxi ;
    prov:wasDerivedFrom sen:jkq-2022-1 .
m:lisi-bjzgh-shuji a org:Membership ; org:member p:lisi ;
    org:organization o:bjzgh ; org:role role:dangzu-shuji ;
    prov:wasDerivedFrom sen:jkq-2022-2 .
m:lisi-bjzgh-changwu a org:Membership ; org:member p:lisi ;
    org:organization o:bjzgh ; org:role role:changwu-fuzhuxi ;
    prov:wasDerivedFrom sen:jkq-2022-2 .

fig:jkq-2022-1-a a gh:Figure ; schema:value 126 ; schema:unitText "家" ;
    gh:measure "新建工会组织" ; gh:year "2022"^^xsd:gYear ; schema:about o:jkq ;
    prov:wasDerivedFrom sen:jkq-2022-1 .
fig:jkq-2022-1-b a gh:Figure ; schema:value 3751 ; schema:unitText "名" ;
    gh:measure "新发展会员" ; gh:year "2022"^^xsd:gYear ; schema:about o:jkq ;
    prov:wasDerivedFrom sen:jkq-2022-1 .

c:jiaqiangnian a gh:Campaign ; rdfs:label "区级工会加强年"@zh ;
    prov:wasAssociatedWith o:jkq, p:lisi ;
    prov:wasDerivedFrom sen:jkq-2022-2 .
"""
)

# 北京邮政工会 under 北京市总工会 (same IRI as in article A); 王五 chairs it; an approximate figure
# and a range; it joins the same campaign.
ARTICLE_B_TTL = (
    PREFIXES_TTL
    + """
art:youzheng-2023 a schema:NewsArticle ;
    schema:headline "北京邮政工会帮扶困难职工"@zh ;
    schema:mentions o:bjzgh, o:youzheng, p:wangwu,
        c:jiaqiangnian .

sen:youzheng-2023-0 a gh:Sentence ;
    schema:text "北京市邮政公司工会（北京邮政工会）是北京市总工会所属产业工会。" ;
    schema:isPartOf art:youzheng-2023 ; gh:charStart 0 ; gh:charEnd 31 .
sen:youzheng-2023-1 a gh:Sentence ;
    schema:text "北京邮政工会主席王五表示，全年投入帮扶资金520余万元，建成服务站点6-7个。" ;
    schema:isPartOf art:youzheng-2023 ; gh:charStart 31 ; gh:charEnd 70 .
sen:youzheng-2023-2 a gh:Sentence ;
    schema:text "北京邮政工会积极参与“区级工会加强年”活动。" ;
    schema:isPartOf art:youzheng-2023 ; gh:charStart 70 ; gh:charEnd 92 .

o:bjzgh a org:Organization, gh:TradeUnion ; rdfs:label "北京市总工会"@zh ;
    skos:altLabel "市总工会"@zh .
o:youzheng a org:Organization, gh:TradeUnion ; rdfs:label "北京市邮政公司工会"@zh ;
    skos:altLabel "北京邮政工会"@zh ; org:subOrganizationOf o:bjzgh .
h:youzheng-bjzgh a gh:HierarchyStatement ; gh:child o:youzheng ;
    gh:parent o:bjzgh ; prov:wasDerivedFrom sen:youzheng-2023-0 .

p:wangwu a foaf:Person ; rdfs:label "王五"@zh .
role:zhuxi a org:Role ; rdfs:label "主席"@zh .
m:wangwu-youzheng-zhuxi a org:Membership ; org:member p:wangwu ;
    org:organization o:youzheng ; org:role role:zhuxi ;
    prov:wasDerivedFrom sen:youzheng-2023-1 .

fig:youzheng-2023-1-a a gh:Figure ; schema:value 5200000 ; schema:unitText "元" ;
    gh:measure "帮扶资金" ; gh:approximate true ; gh:qualifier "余" ;
    schema:about o:youzheng ; prov:wasDerivedFrom sen:youzheng-2023-1 .
fig:youzheng-2023-1-b a gh:Figure ; schema:minValue 6 ; schema:maxValue 7 ;
    schema:unitText "个" ; gh:measure "服务站点" ; schema:about o:youzheng ;
    prov:wasDerivedFrom sen:youzheng-2023-1 .

c:jiaqiangnian a gh:Campaign ; rdfs:label "区级工会加强年"@zh ;
    prov:wasAssociatedWith o:youzheng, p:wangwu ;
    prov:wasDerivedFrom sen:youzheng-2023-2 .
"""
)


def article_graph(turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=turtle, format="turtle")


def build_store(path: Path | None = None, order: tuple[str, ...] = ("A", "B")) -> GraphStore:
    """A store holding the two articles, ingested in ``order``."""
    store = GraphStore(path)
    articles = {"A": (ARTICLE_A, ARTICLE_A_TTL), "B": (ARTICLE_B, ARTICLE_B_TTL)}
    for key in order:
        iri, turtle = articles[key]
        store.replace_article(iri, article_graph(turtle))
    return store


def merged_rdflib(*turtles: str) -> rdflib.Graph:
    merged = rdflib.Graph()
    for turtle in turtles:
        merged += article_graph(turtle)
    return merged


# -- ingesting ----------------------------------------------------------------------------------


def test_each_article_is_a_named_graph_and_the_merge_joins_shared_iris() -> None:
    with build_store() as store:
        assert store.article_iris() == sorted([str(ARTICLE_A), str(ARTICLE_B)])
        quads = len(article_graph(ARTICLE_A_TTL)) + len(article_graph(ARTICLE_B_TTL))
        merged = store.merged_ntriples().decode().splitlines()
        assert len(merged) == len(merged_rdflib(ARTICLE_A_TTL, ARTICLE_B_TTL)) < quads
        assert len(store) == quads + len(merged), "article graphs plus the merged default graph"


def test_a_fact_two_articles_state_is_one_solution_and_outlives_one_of_them() -> None:
    with build_store() as store:
        rows = store.query("SELECT ?s ?p ?o { ?s ?p ?o }").rows
        assert len(rows) == len(set(rows)) == len(store.merged_lines())
        shared = set(article_graph(ARTICLE_A_TTL)) & set(article_graph(ARTICLE_B_TTL))
        assert shared, "the two test articles share some facts"
        store.remove_article(ARTICLE_B)
        after = store.merged_ntriples().decode()
        assert len(after.splitlines()) == len(article_graph(ARTICLE_A_TTL))


def test_reingesting_a_changed_article_leaves_no_stale_fact() -> None:
    changed = ARTICLE_A_TTL.replace("schema:value 3751", "schema:value 3800").replace(
        "p:zhangsan a foaf:Person", 'p:zhangsan a foaf:Person ; gh:honor "劳模"'
    )
    with build_store() as store:
        store.replace_article(ARTICLE_A, article_graph(changed))
        store.replace_article(ARTICLE_A, article_graph(changed))  # twice: idempotent
        nt = store.merged_ntriples().decode()
        assert '"3751"' not in nt and '"3800"' in nt and "劳模" in nt
        merged = len(store.merged_lines())
        assert len(store) == len(article_graph(changed)) + len(article_graph(ARTICLE_B_TTL)) + merged

        with build_store(order=("B",)) as expected:
            expected.replace_article(ARTICLE_A, article_graph(changed))
            assert store.merged_ntriples() == expected.merged_ntriples()


def test_many_articles_at_once_equal_one_by_one(tmp_path: Path) -> None:
    changed_a = ARTICLE_A_TTL.replace("schema:value 3751", "schema:value 3800")
    with build_store() as one_by_one, GraphStore(tmp_path / "store") as bulk:
        articles = [(ARTICLE_A, article_graph(ARTICLE_A_TTL)), (ARTICLE_B, article_graph(ARTICLE_B_TTL))]
        assert bulk.replace_articles(articles, batch_size=1) == 2
        assert bulk.merged_ntriples() == one_by_one.merged_ntriples()
        assert len(bulk) == len(one_by_one)

        # again, with A changed and listed twice (the later one wins): nothing stale, nothing doubled
        again = [
            (ARTICLE_A, article_graph(ARTICLE_A_TTL)),
            *articles[1:],
            (ARTICLE_A, article_graph(changed_a)),
        ]
        bulk.replace_articles(again)
        one_by_one.replace_article(ARTICLE_A, article_graph(changed_a))
        assert bulk.merged_ntriples() == one_by_one.merged_ntriples()
        assert b'"3751"' not in bulk.merged_ntriples()

    with GraphStore() as fresh:  # new articles duplicated inside one batch: the later one wins too
        fresh.replace_articles(
            [(ARTICLE_A, article_graph(ARTICLE_A_TTL)), (ARTICLE_A, article_graph(changed_a))]
        )
        assert b'"3800"' in fresh.merged_ntriples() and b'"3751"' not in fresh.merged_ntriples()


def test_removing_an_article_keeps_what_the_other_article_says() -> None:
    with build_store() as store:
        store.remove_article(ARTICLE_A)
        store.remove_article(ARTICLE_A)  # already gone: nothing happens
        assert store.article_iris() == [str(ARTICLE_B)]
        nt = store.merged_ntriples().decode()
        assert "北京市总工会" in nt and "张三" not in nt


def test_adding_an_article_to_a_reopened_store_equals_building_both(tmp_path: Path) -> None:
    with build_store(tmp_path / "store", order=("A",)):
        pass
    with GraphStore(tmp_path / "store") as reopened:
        assert reopened.article_iris() == [str(ARTICLE_A)]
        reopened.replace_article(ARTICLE_B, article_graph(ARTICLE_B_TTL))
        incremental = reopened.merged_ntriples()
    with build_store() as together:
        assert incremental == together.merged_ntriples()


def test_sorted_ntriples_do_not_depend_on_ingestion_order() -> None:
    with build_store(order=("A", "B")) as ab, build_store(order=("B", "A")) as ba:
        nt = ab.merged_ntriples()
        assert nt == ba.merged_ntriples()
    lines = nt.splitlines()
    assert lines == sorted(set(lines))


def test_blank_nodes_get_the_same_labels_in_every_build() -> None:
    with_blank = PREFIXES_TTL + 'o:x rdfs:label "某工会"@zh ; rdfs:seeAlso [ rdfs:label "注"@zh ] .'
    outputs = []
    for _ in range(2):
        with GraphStore() as store:
            store.replace_article(ARTICLE_A, article_graph(with_blank))
            outputs.append(store.merged_ntriples())
    assert outputs[0] == outputs[1]
    assert b"_:" in outputs[0]


def test_an_invalid_iri_is_refused_before_the_old_article_is_dropped() -> None:
    bad = rdflib.Graph()
    bad.add((URIRef("not an iri"), URIRef("http://x/p"), rdflib.Literal("v")))
    with build_store() as store:
        before = store.merged_ntriples()
        with pytest.raises(ValueError):
            store.replace_article(ARTICLE_A, bad)
        assert store.merged_ntriples() == before


# -- exports ------------------------------------------------------------------------------------

RDFLIB_FORMATS = {"turtle": "turtle", "trig": "trig", "nt": "nt", "jsonld": "json-ld"}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_export_parses_back_to_the_same_triples(tmp_path: Path, fmt: str) -> None:
    expected = merged_rdflib(ARTICLE_A_TTL, ARTICLE_B_TTL)
    with build_store() as store:
        path = store.export(tmp_path / f"graph.{fmt}", fmt)
    if fmt == "trig":
        dataset = rdflib.Dataset().parse(path, format="trig")
        names = {str(g.identifier) for g in dataset.graphs() if len(g)}
        assert names == {str(ARTICLE_A), str(ARTICLE_B)}
        assert len(dataset.graph(ARTICLE_A)) == len(article_graph(ARTICLE_A_TTL))
        parsed = rdflib.Graph()
        for s, p, o, _ in dataset.quads():
            parsed.add((s, p, o))
    else:
        parsed = rdflib.Graph().parse(path, format=RDFLIB_FORMATS[fmt])
    assert len(parsed) == len(expected)
    assert rdflib.compare.isomorphic(parsed, expected)


def test_turtle_export_is_readable_with_the_contract_prefixes(tmp_path: Path) -> None:
    with build_store() as store:
        text = store.export(tmp_path / "graph.ttl", "turtle").read_text("utf-8")
    for prefix in ("org", "foaf", "schema", "prov", "skos", "rdfs", "xsd", "gh"):
        assert f"@prefix {prefix}:" in text
    assert "北京市总工会" in text  # UTF-8, not \\u escapes
    assert "gh:TradeUnion" in text and " a " in text
    assert text.count('rdfs:label "北京市总工会"@zh') == 1  # shared entity written once
    assert oct(os.stat(tmp_path / "graph.ttl").st_mode & 0o777) == oct(0o644)


def test_an_interrupted_export_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "graph.ttl"
    with build_store() as store:
        store.export(target, "turtle")
        previous = target.read_bytes()
        real_serialize = store.merged_triples

        def serialize_then_crash(*lines):  # type: ignore[no-untyped-def]
            for i, triple in enumerate(real_serialize(*lines)):
                if i == 20:
                    raise OSError("disk full")
                yield triple

        monkeypatch.setattr(store, "merged_triples", serialize_then_crash)
        store.replace_article(ARTICLE_A, article_graph(ARTICLE_A_TTL.replace("3751", "9999")))
        with pytest.raises(OSError, match="disk full"):
            store.export(target, "turtle")
    assert target.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


# -- opening what --graph names -----------------------------------------------------------------


def test_open_graph_source_takes_a_build_folder_or_a_turtle_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with build_store(out / "store") as store:
        store.export(out / "graph.ttl", "turtle")
        expected = store.merged_ntriples()
    with open_graph_source(out) as from_dir:
        assert from_dir.read_only and from_dir.article_iris() == sorted([str(ARTICLE_A), str(ARTICLE_B)])
        assert from_dir.merged_ntriples() == expected
    with open_graph_source(out / "graph.ttl") as from_file:
        assert from_file.merged_ntriples() == expected
    (tmp_path / "only-ttl").mkdir()
    (out / "graph.ttl").rename(tmp_path / "only-ttl" / "graph.ttl")
    with open_graph_source(tmp_path / "only-ttl") as from_ttl_dir:
        assert from_ttl_dir.merged_ntriples() == expected
    with pytest.raises(FileNotFoundError):
        open_graph_source(tmp_path / "missing")


def test_a_trig_export_opens_as_the_same_merged_graph(tmp_path: Path) -> None:
    with build_store() as store:
        store.export(tmp_path / "graph.trig", "trig")
        expected = store.merged_ntriples()
    with open_graph_source(tmp_path / "graph.trig") as reopened:
        assert reopened.merged_ntriples() == expected

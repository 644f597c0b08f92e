"""The knowledge graph as networks: build the shared article, then ask who is linked to whom."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from bench.synthetic_network import synthetic_graph
from graph.build.run import build
from graph.cli import main
from graph.network.analysis import (
    UnknownName,
    centrality,
    communities,
    community_bridges,
    ego,
    find_entities,
    hops,
    shortest_chains,
)
from graph.network.data import (
    KINDS,
    NetworkData,
    campaign_graph,
    combined_graph,
    flat_graph,
    hierarchy_graph,
    people_org_graph,
    person_projection,
    read_network,
)
from graph.network.view import check_offline, render_html, script_json

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
ID = "https://w3id.org/gonghui-kg/id/"
ZHANG = ID + "person/张艳革/平谷区总工会"
FU = ID + "person/付湘生/平谷区总工会"
PINGGU = ID + "org/平谷区总工会"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    report = build([str(ARTICLES)], folder)
    assert report.articles and not report.errors
    return folder


@pytest.fixture(scope="module")
def data(out: Path) -> NetworkData:
    return read_network(out)


@pytest.fixture(scope="module")
def graph(data: NetworkData) -> nx.MultiGraph:
    return combined_graph(data)


def test_people_and_organizations_are_linked_by_their_posts(data: NetworkData) -> None:
    posts = people_org_graph(data)
    roles = sorted(attrs["role"] for attrs in posts.get_edge_data(ZHANG, PINGGU).values())
    assert roles == ["党组书记", "常务副主席"]
    assert posts.nodes[ZHANG] | {"alt_labels": [], "figures": []} == {
        "label": "张艳革", "kind": "Person", "iri": ZHANG, "alt_labels": [], "figures": []
    }
    assert posts.nodes[PINGGU]["kind"] == "TradeUnion"


def test_every_edge_of_every_view_keeps_its_sentences(data: NetworkData) -> None:
    views = [people_org_graph(data), hierarchy_graph(data), campaign_graph(data),
             person_projection(data), combined_graph(data)]
    for view in views:
        assert view.number_of_edges() > 0, view.name
        for u, v, attrs in view.edges(data=True):
            assert attrs["evidence"], (view.name, u, v)
            assert len(attrs["evidence"]) == len(attrs["evidence_iris"])
            assert all("/sentence/" in iri for iri in attrs["evidence_iris"])


def test_the_hierarchy_points_from_child_to_parent(data: NetworkData) -> None:
    tree = hierarchy_graph(data)
    assert tree.has_edge(ID + "org/鼓楼街道总工会", ID + "org/密云区总工会")
    assert not tree.has_edge(ID + "org/密云区总工会", ID + "org/鼓楼街道总工会")
    above = nx.descendants(tree, ID + "org/鼓楼街道总工会")
    assert above >= {ID + "org/北京市总工会", ID + "org/中华全国总工会"}
    sentence = tree.edges[ID + "org/鼓楼街道总工会", ID + "org/密云区总工会"]["evidence"][0]
    assert "鼓楼街道" in sentence


def test_people_sharing_an_organization_or_campaign_are_linked(data: NetworkData) -> None:
    people = person_projection(data)
    assert set(people.nodes) == {iri for iri, e in data.entities.items() if e.kind == "Person"}
    edge = people.edges[FU, ZHANG]
    assert set(edge["via_labels"]) == {"平谷区总工会", "平谷大桃专场直播活动"}


def test_campaigns_link_organizations_and_people(data: NetworkData) -> None:
    campaigns = campaign_graph(data)
    year = ID + "campaign/区级工会加强年"
    assert campaigns.nodes[year]["kind"] == "Campaign"
    assert {ZHANG, PINGGU} <= set(campaigns[year])
    assert any("张艳革" in s for s in campaigns.edges[ZHANG, year]["evidence"])


def test_the_combined_graph_holds_every_entity(data: NetworkData, graph: nx.MultiGraph) -> None:
    assert set(graph.nodes) == set(data.entities)
    assert {kind for _, kind in graph.nodes(data="kind")} <= set(KINDS)
    assert graph.nodes[ID + "org/北京经济技术开发区总工会"]["alt_labels"] == ["经开区总工会"]
    assert any("职工总数" in f for f in graph.nodes[ID + "org/鼓楼街道总工会"]["figures"])


def test_names_find_entities_and_unknown_names_suggest_close_ones(graph: nx.MultiGraph) -> None:
    assert find_entities(graph, "张艳革") == [ZHANG]
    assert find_entities(graph, "经开区总工会") == [ID + "org/北京经济技术开发区总工会"]
    assert find_entities(graph, f"<{ZHANG}>") == [ZHANG]
    with pytest.raises(UnknownName) as error:
        find_entities(graph, "张艳")
    assert "张艳革" in error.value.suggestions


def test_shortest_chains_between_two_people_carry_relations_and_sentences(graph: nx.MultiGraph) -> None:
    chains = shortest_chains(graph, [FU], [ZHANG])
    assert [FU, PINGGU, ZHANG] in chains
    assert all(len(chain) == 3 for chain in chains)
    first, second = hops(graph, [FU, PINGGU, ZHANG])
    assert [link.words for link in first.links] == ["担任 主席"]
    assert sorted(link.words for link in second.links) == ["担任 党组书记", "担任 常务副主席"]
    assert all(link.sentences for hop in (first, second) for link in hop.links)


def test_path_command_prints_chains_with_sentences(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["path", "付湘生", "张艳革", "--graph", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Chain 1:" in printed
    assert "付湘生 —[担任 主席]→ 平谷区总工会" in printed
    assert "平谷区总工会 ←[担任 常务副主席]— 张艳革" in printed
    assert "· 平谷区人大常委会副主任、区总工会主席付湘生" in printed
    assert "/sentence/13>" in printed


def test_path_command_rejects_an_unknown_name_with_suggestions(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["path", "张燕革", "付湘生", "--graph", str(out / "graph.ttl")]) == 2
    assert "did you mean: 张艳革" in capsys.readouterr().err


def test_analysis_is_deterministic(
    out: Path, graph: nx.MultiGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    groups = communities(graph)
    assert groups == communities(graph)
    assert sorted(n for g in groups for n in g) == sorted(graph.nodes)
    top = centrality(graph, 3)
    assert top[0].label == "区级工会加强年" and top[0].betweenness > 0
    bridges = community_bridges(graph, groups)
    assert all(b.edges for b in bridges)
    assert main(["analyze", "--graph", str(out), "--top", "5"]) == 0
    first = capsys.readouterr().out
    assert main(["analyze", "--graph", str(out), "--top", "5"]) == 0
    assert capsys.readouterr().out == first
    for title in ("Most central", "Communities", "Bridges between communities"):
        assert title in first


def test_ego_network_of_a_person(out: Path, graph: nx.MultiGraph, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    rows = ego(graph, ZHANG, depth=1)
    campaigns = {ID + "campaign/区级工会加强年", ID + "campaign/平谷大桃专场直播活动"}
    assert {r.node for r in rows} == {ZHANG, PINGGU, *campaigns}
    near = {graph.nodes[r.node]["label"]: r.words for r in rows}
    assert near["平谷区总工会"] == "担任 党组书记 / 担任 常务副主席"
    page = tmp_path / "ego.html"
    assert main(["ego", "张艳革", "--graph", str(out), "--depth", "2", "--html", str(page)]) == 0
    printed = capsys.readouterr().out
    assert "平谷区总工会" in printed and "付湘生" in printed
    assert "张艳革" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_for_gephi_reads_back(out: Path, graph: nx.MultiGraph, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"graph.{fmt}"
    assert main(["export", "--graph", str(out), "--format", fmt, "--out", str(path)]) == 0
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    if fmt == "graphml":
        assert back.nodes[ZHANG]["label"] == "张艳革"
        assert "平谷区总工会党组书记" in next(iter(back.get_edge_data(ZHANG, PINGGU).values()))["evidence"]


def test_flat_graph_has_only_strings_and_numbers(graph: nx.MultiGraph) -> None:
    flat = flat_graph(graph)
    values = [v for _, attrs in flat.nodes(data=True) for v in attrs.values()]
    values += [v for *_, attrs in flat.edges(keys=True, data=True) for v in attrs.values()]
    assert all(isinstance(v, (str, int, float)) for v in values)


def test_synthetic_graph_has_the_shape_of_a_real_one() -> None:
    fake = synthetic_graph(1000)
    assert fake.number_of_nodes() == 1000
    assert {kind for _, kind in fake.nodes(data="kind")} >= {"Person", "TradeUnion", "Campaign"}
    assert {rel for *_, rel in fake.edges(data="relation")} == {"post", "hierarchy", "campaign"}
    assert nx.utils.graphs_equal(fake, synthetic_graph(1000))


def test_view_html_is_self_contained_and_escapes_the_data(graph: nx.MultiGraph) -> None:
    page = render_html(graph, title="<b>标题</b>")
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", page, re.I)
    assert "jsdelivr" not in page and "cdnjs" not in page and "bootstrap" not in page
    assert "<title>&lt;b&gt;标题&lt;/b&gt;</title>" in page
    escaped = script_json({"a": "</script><img src=x>&"})
    assert escaped == '{"a":"\\u003c/script\\u003e\\u003cimg src=x\\u003e\\u0026"}'
    data_block = page.split('<script id="graph-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block and "张艳革" in data_block


def test_offline_check_catches_an_external_script() -> None:
    check_offline("<script>var u = 'https://example.org/';</script>")
    for bad in ('<script src="https://cdn.example/x.js"></script>', "<link href=//cdn.example/a.css>",
                '<img src="http://x/y.png">', "<style>a{background:url(https://x/y.png)}</style>"):
        with pytest.raises(ValueError):
            check_offline(bad)


def test_exported_edges_carry_a_count_and_a_few_sentences() -> None:
    graph = nx.MultiGraph()
    graph.add_node("a", label="甲")
    graph.add_node("b", label="乙")
    sentences = [f"第{i}句写给测试。" for i in range(7)]
    graph.add_edge("a", "b", key="k", evidence=sentences, evidence_iris=[f"s/{i}" for i in range(7)])
    edge = next(iter(flat_graph(graph, sentences=3).get_edge_data("a", "b").values()))
    assert edge["evidence_count"] == 7
    assert edge["evidence"] == " | ".join(sentences[:3]) and edge["evidence_iris"] == "s/0 | s/1 | s/2"
    assert next(iter(flat_graph(graph).get_edge_data("a", "b").values()))["evidence"] == " | ".join(sentences)


def test_kinds_labels_and_relation_words_come_from_the_ontology() -> None:
    from graph.network.data import ORG_KINDS, RELATION_WORDS, kind_label
    from graph.network.view import node_style, styles
    from ontology import GH, ORG, RDFS, ontology_graph

    declared = {str(c).rsplit("#", 1)[1] for c in ontology_graph().subjects(RDFS.subClassOf, ORG.Organization)
                if str(c).startswith(str(GH))}
    assert set(ORG_KINDS) == declared
    assert kind_label("TradeUnion") == "工会" and kind_label("Person") == "人物"
    assert kind_label("NewsArticle") == "文章"
    assert RELATION_WORDS == {"post": "担任", "hierarchy": "隶属", "campaign": "参与"}
    for kind in KINDS:
        assert kind in styles()["nodes"], f"styles.toml draws {kind} in the default style"
        assert node_style(kind)["symbol"]


def test_view_focus_names_an_entity_or_suggests_one(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "focus.html"
    assert main(["view", "--graph", str(out), "--out", str(page), "--focus", "张燕革"]) == 2
    assert "did you mean: 张艳革" in capsys.readouterr().err and not page.exists()
    assert main(["view", "--graph", str(out), "--out", str(page), "--focus", "张艳革", "--depth", "1"]) == 0
    data = page.read_text(encoding="utf-8").split('type="application/json">', 1)[1].split("</script>", 1)[0]
    payload = json.loads(data)
    shown = {payload["nodes"][i]["id"] for i in payload["shown"]}
    assert shown == {ZHANG, PINGGU, ID + "campaign/区级工会加强年", ID + "campaign/平谷大桃专场直播活动"}
    assert payload["focus"] == [ZHANG] and payload["title"] == "张艳革 的关系网"


def test_betweenness_of_a_large_graph_is_networkx_s_to_1e_9() -> None:
    """Past FAST_BETWEENNESS_NODES the numbers come from igraph: they must be networkx's."""
    from graph.network.analysis import FAST_BETWEENNESS_NODES, betweenness_centrality

    graph = nx.relabel_nodes(nx.barabasi_albert_graph(FAST_BETWEENNESS_NODES + 150, 2, seed=5), str)
    graph.add_edge("island-a", "island-b")  # a second component
    graph.add_node("alone")
    expected = nx.betweenness_centrality(graph)
    found = betweenness_centrality(graph)
    assert found.keys() == expected.keys()
    assert max(abs(found[n] - expected[n]) for n in graph) < 1e-9
    assert max(found.values()) > 0.01

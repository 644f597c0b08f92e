"""Posts in time, as a researcher meets them: `python -m graph build` on dated article files, then
the article metadata in the graph and `python -m graph query post-history`. Texts written for the
test."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from ontology import GH, ORG, SCHEMA
from tests.conftest import ROOT, build_invented

ARTICLES = {
    # Files in an order unlike their dates: the order must come from the dates.
    "a-late.txt": (
        "临河县总工会开展慰问活动\n来源：江城晚报\n发布时间:2023-11-20\n记者 周文博\n"
        "临河县总工会主席林晓燕表示，将继续做好服务职工工作。\n责任编辑：韩冬雪\n"
    ),
    "b-early.txt": (
        "临河县总工会召开全委会议\n日期:2021-03-05\n临河县总工会副主席林晓燕介绍，今年共举办培训46场。\n"
    ),
    "c-again.txt": "临河县总工会举办培训班\n2022-06-01\n临河县总工会副主席林晓燕说，培训班将持续开办。\n",
    "d-undated.txt": "临河县总工会召开会议\n临河县总工会副主席宋立群介绍，全年新建职工之家12个。\n",
}


def graph_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_invented(tmp_path_factory, ARTICLES)


def post_history(built: Path, **params: str) -> list[dict[str, str]]:
    args = [f"{key}={value}" for key, value in params.items()]
    result = graph_cli("query", "post-history", "--graph", str(built), "--format", "csv",
                       *[part for arg in args for part in ("--param", arg)])
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_article_metadata_in_the_graph(built: Path) -> None:
    graph = Graph().parse(built / "graph.ttl")
    articles = {str(graph.value(a, SCHEMA.headline)): a for a in graph.subjects(RDF.type, SCHEMA.NewsArticle)}
    late = articles["临河县总工会开展慰问活动"]
    assert graph.value(late, SCHEMA.datePublished) == Literal("2023-11-20", datatype=XSD.date)
    publisher = graph.value(late, SCHEMA.publisher)
    assert (publisher, RDF.type, GH.NewsSource) in graph
    assert graph.value(publisher, RDFS.label) == Literal("江城晚报", lang="zh")
    assert [str(graph.value(p, RDFS.label)) for p in graph.objects(late, SCHEMA.author)] == ["周文博"]
    assert [str(graph.value(p, RDFS.label)) for p in graph.objects(late, SCHEMA.editor)] == ["韩冬雪"]
    assert graph.value(articles["临河县总工会召开会议"], SCHEMA.datePublished) is None
    # No metadata line became a sentence.
    texts = [str(t) for t in graph.objects(None, SCHEMA.text)]
    assert not any("发布时间" in t or "责任编辑" in t or "2022-06-01" in t for t in texts)
    assert graph_cli("validate", str(built / "graph.ttl")).returncode == 0


def test_posts_carry_the_dates_of_the_articles_stating_them(built: Path) -> None:
    graph = Graph().parse(built / "graph.ttl")
    memberships = graph.subjects(RDF.type, ORG.Membership)
    role = {m: str(graph.value(graph.value(m, ORG.role), RDFS.label)) for m in memberships}
    dates = {role[m]: sorted(map(str, graph.objects(m, GH.statedOn))) for m in role}
    assert dates == {"主席": ["2023-11-20"], "副主席": ["2021-03-05", "2022-06-01"]}


def test_post_history_of_a_person_in_date_order(built: Path) -> None:
    rows = post_history(built, name="林晓燕")
    assert [(r["date"], r["role"], r["organization"]) for r in rows] == [
        ("2021-03-05", "副主席", "临河县总工会"),
        ("2022-06-01", "副主席", "临河县总工会"),
        ("2023-11-20", "主席", "临河县总工会"),
    ]
    # Each date with the sentence of its own article, though both state the same post.
    assert "培训46场" in rows[0]["sentence"] and "持续开办" in rows[1]["sentence"]
    assert rows[2]["headline"] == "临河县总工会开展慰问活动"


def test_post_history_of_an_organization_lists_undated_posts_last(built: Path) -> None:
    rows = post_history(built, org="临河县总工会")
    assert [(r["date"], r["personName"]) for r in rows] == [
        ("2021-03-05", "林晓燕"),
        ("2022-06-01", "林晓燕"),
        ("2023-11-20", "林晓燕"),
        ("", "宋立群"),
    ]
    assert post_history(built, name="无此人") == []


def test_the_view_shows_when_each_post_is_stated(built: Path) -> None:
    from graph.network.data import combined_graph, read_network
    from graph.network.view import node_tip

    graph = combined_graph(read_network(built))
    person = next(n for n, label in graph.nodes(data="label") if label == "林晓燕")
    posts = dict(node_tip(graph, person)["sections"])["职务"]  # type: ignore[arg-type]
    assert any("主席" in line and "2023-11-20" in line for line in posts)
    assert any("副主席" in line and "2021-03-05" in line and "2022-06-01" in line for line in posts)
